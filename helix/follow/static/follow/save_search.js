// "Follow this search": the list refreshes its filters in place (htmx) and pushes them to the
// address bar, so the form takes the filters from the address at the moment it is submitted.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-save-search")) return;
  form.elements.namedItem("query").value = window.location.search.replace(/^\?/, "");
  form.elements.namedItem("next").value = window.location.pathname + window.location.search;
});
