// Helix insights: draws the server's vega-lite specs and the arrondissement map. The numbers
// are also in server-rendered tables, so the pages work without this file.
(function () {
  "use strict";

  function follow(item) {
    var datum = item && item.datum;
    // Layered marks (text over rect) keep the original datum one level down.
    if (datum && !datum.url && datum.datum) {
      datum = datum.datum;
    }
    if (datum && datum.url) {
      window.location.assign(datum.url);
    }
  }

  function drawCharts() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    document.querySelectorAll("[data-chart-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart-spec"));
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      var labels = JSON.parse(el.getAttribute("data-chart-labels") || "{}");
      window
        .vegaEmbed(el, spec, {
          renderer: "svg",
          // Export only: the editor and source actions would open vega's website.
          actions: { export: true, source: false, compiled: false, editor: false },
          downloadFileName: el.getAttribute("data-chart-name") || "helix-chart",
          i18n: labels,
        })
        .then(function (result) {
          // vega-embed's menu button shows only an icon: give it a name (WCAG 4.1.2).
          var summary = el.querySelector("details > summary");
          if (summary) {
            summary.setAttribute("aria-label", labels.CLICK_TO_VIEW_ACTIONS || "Export");
          }
          el.setAttribute("data-chart-ready", "true");
          window.helixCharts = window.helixCharts || {};
          window.helixCharts[el.getAttribute("data-chart-name")] = result.view;
          result.view.addEventListener("click", function (event, item) {
            follow(item);
          });
        })
        .catch(function (error) {
          el.setAttribute("data-chart-error", String(error));
        });
    });
  }

  function colour(share, highest) {
    // Light to dark blue by the share of involved municipalities, relative to the highest
    // share (early days: every share is small); grey: outside the region.
    if (share === null) {
      return "#e6e6e6";
    }
    var steps = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
    var relative = highest > 0 ? share / highest : 0;
    return steps[Math.min(steps.length - 1, Math.floor(relative * steps.length))];
  }

  function drawMap() {
    var el = document.getElementById("insights-map");
    if (!el || typeof window.L === "undefined") {
      return;
    }
    var values = JSON.parse(document.getElementById("insights-map-data").textContent);
    var highest = Object.keys(values).reduce(function (max, key) {
      return Math.max(max, values[key].share);
    }, 0);
    var map = window.L.map(el, { attributionControl: true, zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    fetch(el.getAttribute("data-geojson"))
      .then(function (response) {
        return response.json();
      })
      .then(function (geojson) {
        var layer = window.L.geoJSON(geojson, {
          style: function (feature) {
            var v = values[feature.id];
            return {
              color: "#555",
              weight: 1,
              fillOpacity: 0.85,
              fillColor: colour(v ? v.share : null, highest),
            };
          },
          onEachFeature: function (feature, shape) {
            var v = values[feature.id];
            var title = (v && v.name) || feature.properties.name_nl;
            var text = v ? v.summary : el.getAttribute("data-outside");
            shape.bindTooltip(title + ": " + text, { sticky: true });
            if (v && v.url) {
              shape.on("click", function () {
                window.location.assign(v.url);
              });
            }
          },
        }).addTo(map);
        map.attributionControl.addAttribution(el.getAttribute("data-attribution"));
        var bounds = el.getAttribute("data-focus");
        var focus = bounds ? layer.getLayers().filter(function (l) { return values[l.feature.id]; }) : [];
        map.fitBounds(focus.length ? window.L.featureGroup(focus).getBounds() : layer.getBounds());
        el.setAttribute("data-map-ready", "true");
      });
  }

  function start() {
    drawCharts();
    drawMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
