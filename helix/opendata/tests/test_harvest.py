"""Harvesting: the real samples, paging, limits, the address guard, broken sources,
idempotent re-harvests, removal only after complete runs, history batches."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from helix.opendata import fetch as fetch_module
from helix.opendata.harvest import run_harvest
from helix.opendata.harvest_services import start_run
from helix.opendata.models import Dataset, Distribution, HarvestRun, HarvestSource, RunStatus
from helix.opendata.tests.catalogue_server import paged_turtle

pytestmark = pytest.mark.django_db

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LICENCE = "http://publications.europa.eu/resource/authority/licence/"


def harvest(url: str, **kwargs) -> HarvestRun:
    source = HarvestSource.objects.create(title=kwargs.pop("title", url), url=url, **kwargs)
    return run_harvest(start_run(source, enqueue=False).pk)


def again(run: HarvestRun) -> HarvestRun:
    return run_harvest(start_run(run.source, enqueue=False).pk)


def events(model: str) -> int:
    return apps.get_model("opendata", model + "Event").objects.count()


def test_rdfxml_sample_of_rostock(catalogue):
    run = harvest(catalogue.url("/de.rdf"))
    assert run.status == RunStatus.SUCCEEDED, run.report
    dataset = Dataset.objects.get()
    assert dataset.uri == "https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63"
    assert dataset.title == "Liefer- und Abholservices (Gastronomie)"
    assert "wirtschaft" in dataset.keywords
    assert dataset.themes == ["http://publications.europa.eu/resource/authority/data-theme/ECON"]
    assert dataset.access_rights.endswith("access-right/PUBLIC")
    assert dataset.publisher_name == "Hanse- und Universitätsstadt Rostock"
    assert dataset.has_contact_point is True
    assert dataset.distributions.count() == 9
    csv = dataset.distributions.get(format=FILE_TYPE + "CSV")
    assert csv.media_type == "https://www.iana.org/assignments/media-types/text/csv"
    assert csv.byte_size == 60744
    # dcat-ap.de licence URI -> EU licence vocabulary, the original kept
    assert csv.licence == LICENCE + "CC0"
    assert csv.licence_original == "http://dcat-ap.de/def/licenses/cc-zero"
    # no personal data of the contact point in the stored triples; the record's triples are there
    assert "geodienste@rostock.de" not in dataset.rdf
    assert "<http://www.w3.org/2006/vcard/ns#fn>" not in dataset.rdf
    assert "<http://www.w3.org/ns/dcat#contactPoint>" in dataset.rdf
    assert dataset.rdf.count("<http://www.w3.org/ns/dcat#distribution>") == 9


def test_turtle_sample_of_madrid_normalises_plain_format(catalogue):
    run = harvest(catalogue.url("/es.ttl"))
    assert run.status == RunStatus.SUCCEEDED, run.report
    dataset = Dataset.objects.get()
    assert dataset.publisher_name == "Ayuntamiento de Madrid"
    assert dataset.keywords == ["deporte escolar", "escuelas", "promoción"]
    dist = dataset.distributions.get()
    # literal access URL kept; the dct:IMT node "XLS" / application/vnd.ms-excel -> file type XLS
    assert dist.access_url == "https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas.xlsx"
    assert dist.format == FILE_TYPE + "XLS"
    assert "XLS" in dist.format_original and "application/vnd.ms-excel" in dist.format_original
    assert dist.byte_size == 43008


def test_paged_catalogue_old_and_new_hydra(catalogue):
    for page in (1, 2, 3):
        catalogue.routes[f"/cat?page={page}"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", page, 3, 4))
        catalogue.routes[f"/new?page={page}"] = (
            200,
            "text/turtle",
            paged_turtle(catalogue.base, "/new", page, 3, 4, hydra="new", start=100),
        )
    old = harvest(catalogue.url("/cat?page=1"))
    new = harvest(catalogue.url("/new?page=1"))
    assert (old.status, old.pages_done, old.created) == (RunStatus.SUCCEEDED, 3, 12)
    assert (new.status, new.pages_done, new.created) == (RunStatus.SUCCEEDED, 3, 12)
    assert Dataset.objects.count() == 24


def test_jsonld_catalogue(catalogue):
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "hydra": "http://www.w3.org/ns/hydra/core#",
        },
        "@graph": [
            {
                "@id": "https://example.org/ld/1",
                "@type": "dcat:Dataset",
                "dct:title": {"@value": "Eerste", "@language": "nl"},
                "dcat:distribution": {
                    "@id": "https://example.org/ld/1/d",
                    "@type": "dcat:Distribution",
                    "dct:format": "geojson",
                    "dcat:accessURL": {"@id": "https://example.org/f.geojson"},
                },
            },
            {"@id": "https://example.org/ld/2", "@type": "dcat:Dataset", "dct:title": "Tweede"},
        ],
    }
    catalogue.routes["/cat.jsonld"] = (200, "application/ld+json", json.dumps(document).encode())
    run = harvest(catalogue.url("/cat.jsonld"))
    assert run.status == RunStatus.SUCCEEDED, run.report
    assert sorted(Dataset.objects.values_list("title", flat=True)) == ["Eerste", "Tweede"]
    assert Distribution.objects.get().format == FILE_TYPE + "GEOJSON"


def test_remote_jsonld_context_goes_through_the_guard(catalogue, settings):
    catalogue.routes["/ctx.jsonld"] = (
        200,
        "application/ld+json",
        b'{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "title": "http://purl.org/dc/terms/title"}}',
    )
    doc = {
        "@context": catalogue.url("/ctx.jsonld"),
        "@id": "https://example.org/ctx/1",
        "@type": "dcat:Dataset",
        "title": "Met context",
    }
    catalogue.routes["/withctx.jsonld"] = (200, "application/ld+json", json.dumps(doc).encode())
    run = harvest(catalogue.url("/withctx.jsonld"))
    assert run.status == RunStatus.SUCCEEDED, run.report
    assert Dataset.objects.get().title == "Met context"
    settings.HELIX_HARVEST_ALLOW_LOOPBACK = False
    Dataset.objects.all().delete()
    catalogue.routes["/withctx2.jsonld"] = catalogue.routes["/withctx.jsonld"]
    run = harvest(catalogue.url("/withctx2.jsonld").replace("127.0.0.1", "localhost"))
    assert run.status == RunStatus.FAILED


def test_oversized_response_is_refused_while_reading(catalogue, settings):
    settings.HELIX_HARVEST_MAX_BYTES = 100_000
    catalogue.routes["/endless.ttl"] = "endless"
    run = harvest(catalogue.url("/endless.ttl"))
    assert run.status == RunStatus.FAILED
    assert "100000" in " ".join(run.report)
    # the server could write far less than the gigabyte it offered: the reader stopped early
    assert catalogue.sent.get("/endless.ttl", 0) < 50 * 1024 * 1024


def test_announced_size_is_refused_before_reading(catalogue, settings):
    settings.HELIX_HARVEST_MAX_BYTES = 1000
    catalogue.routes["/big.ttl"] = (200, "text/turtle", b"# " + b"x" * 5000)
    with pytest.raises(fetch_module.FetchError, match="5002"):
        fetch_module.fetch(catalogue.url("/big.ttl"))


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/catalog.ttl",
        "http://169.254.169.254/latest/",
        "http://[::1]:9/x",
        "http://0.0.0.0/",
        "ftp://example.org/c.ttl",
        "file:///etc/passwd",
    ],
)
def test_non_public_addresses_are_refused(harvest_settings, url):
    harvest_settings.HELIX_HARVEST_ALLOW_LOOPBACK = False
    run = harvest(url)
    assert run.status == RunStatus.FAILED
    assert run.report and ("Geweigerd" in run.report[0] or "Refused" in run.report[0])


def test_loopback_refused_without_setting_and_redirects_checked(catalogue, settings):
    catalogue.routes["/to-private"] = ("redirect", "http://192.168.1.10/catalog.ttl")
    run = harvest(catalogue.url("/to-private"))
    assert run.status == RunStatus.FAILED
    assert "192.168.1.10" in " ".join(run.report)
    settings.HELIX_HARVEST_ALLOW_LOOPBACK = False
    with pytest.raises(fetch_module.FetchError):
        fetch_module.fetch(catalogue.url("/es.ttl"))


def test_item_limit_stops_and_nothing_is_removed(catalogue, settings):
    settings.HELIX_HARVEST_MAX_ITEMS = 5
    catalogue.routes["/cat?page=1"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", 1, 1, 8))
    run = harvest(catalogue.url("/cat?page=1"))
    assert run.status == RunStatus.PARTIAL
    assert Dataset.objects.count() == 5


def test_values_per_record_are_capped(catalogue, settings):
    settings.HELIX_HARVEST_MAX_VALUES = 3
    keywords = ", ".join(f'"k{i}"' for i in range(20))
    body = f"@prefix dcat: <http://www.w3.org/ns/dcat#> . <https://example.org/many> a dcat:Dataset ; dcat:keyword {keywords} ."
    catalogue.routes["/many.ttl"] = (200, "text/turtle", body.encode())
    run = harvest(catalogue.url("/many.ttl"))
    assert len(Dataset.objects.get().keywords) == 3
    assert any("20" in line for line in run.report)


def test_broken_source_fails_alone(catalogue):
    catalogue.routes["/broken.ttl"] = (200, "text/turtle", b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> dcat:x [ .")
    HarvestSource.objects.create(title="Kapot", url=catalogue.url("/broken.ttl"))
    HarvestSource.objects.create(title="Madrid", url=catalogue.url("/es.ttl"))
    HarvestSource.objects.create(title="Weg", url=catalogue.url("/missing.ttl"))
    with pytest.raises(CommandError):
        call_command("harvest", "--all", "--sync", stdout=open("/dev/null", "w"))  # noqa: SIM115
    runs = {run.source.title: run for run in HarvestRun.objects.select_related("source")}
    assert runs["Madrid"].status == RunStatus.SUCCEEDED
    assert runs["Kapot"].status == RunStatus.FAILED
    assert "turtle" in runs["Kapot"].report[0]
    assert runs["Weg"].status == RunStatus.FAILED
    assert "404" in runs["Weg"].report[0]
    assert Dataset.objects.count() == 1


def test_unchanged_reharvest_changes_nothing(catalogue):
    first = harvest(catalogue.url("/de.rdf"))
    counts = (events("Dataset"), events("Distribution"), events("HarvestSource"))
    assert counts[0] >= 1 and counts[1] >= 9  # inserts (and the quality scores written after the run)
    second = again(first)
    assert (second.status, second.unchanged, second.created, second.updated) == (RunStatus.SUCCEEDED, 1, 0, 0)
    assert (events("Dataset"), events("Distribution"), events("HarvestSource")) == counts


def test_changed_record_is_updated_in_the_runs_batch(catalogue):
    catalogue.routes["/cat?page=1"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", 1, 1, 3))
    first = harvest(catalogue.url("/cat?page=1"))
    changed = paged_turtle(catalogue.base, "/cat", 1, 1, 3).replace(b'Synthetische dataset 1"', b'Nieuwe titel"')
    catalogue.routes["/cat?page=1"] = (200, "text/turtle", changed)
    second = again(first)
    assert (second.updated, second.unchanged) == (1, 2)
    assert Dataset.objects.get(uri="https://example.org/dataset/1").title == "Nieuwe titel"
    event = (
        apps.get_model("opendata", "DatasetEvent")
        .objects.filter(pgh_label="update", title="Nieuwe titel")
        .select_related("pgh_context")
        .order_by("pgh_id")
        .first()
    )
    assert event.pgh_context.metadata["batch"] == str(second.batch)
    assert event.pgh_context.metadata["channel"] == "import"


def test_removal_only_after_complete_successful_run(catalogue):
    for page in (1, 2):
        catalogue.routes[f"/cat?page={page}"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", page, 2, 3))
    first = harvest(catalogue.url("/cat?page=1"))
    assert first.created == 6
    # page 2 fails: the run is partial and removes nothing
    catalogue.routes["/cat?page=2"] = (500, "text/plain", b"oops")
    catalogue.routes["/cat?page=1"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", 1, 2, 3, skip={0}))
    second = again(first)
    assert second.status == RunStatus.PARTIAL
    assert second.removed == 0 and Dataset.objects.count() == 6
    # complete again without dataset 0: now it is removed
    catalogue.routes["/cat?page=2"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", 2, 2, 3))
    third = again(first)
    assert (third.status, third.removed) == (RunStatus.SUCCEEDED, 1)
    assert not Dataset.objects.filter(uri="https://example.org/dataset/0").exists()
    assert Dataset.objects.count() == 5


def test_plain_text_values_are_normalised_keeping_originals(catalogue):
    catalogue.routes["/cat?page=1"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", 1, 1, 1))
    harvest(catalogue.url("/cat?page=1"))
    dist = Distribution.objects.get()
    assert (dist.format, dist.format_original) == (FILE_TYPE + "CSV", "CSV")
    assert (dist.media_type, dist.media_type_original) == ("https://www.iana.org/assignments/media-types/text/csv", "text/csv")
    assert (dist.licence, dist.licence_original) == (LICENCE + "CC_BY_4_0", "CC BY 4.0")


def test_link_checks_write_statuses(catalogue, settings):
    settings.HELIX_LINKCHECK_ENABLED = True
    catalogue.routes["/file.csv"] = (200, "text/csv", b"a,b\n")
    body = (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        "<https://example.org/lc> a dcat:Dataset ; dcat:distribution <https://example.org/lc/d> .\n"
        f"<https://example.org/lc/d> dcat:accessURL <{catalogue.url('/gone')}> ;\n"
        f"  dcat:downloadURL <{catalogue.url('/file.csv')}> .\n"
    )
    catalogue.routes["/lc.ttl"] = (200, "text/turtle", body.encode())
    harvest(catalogue.url("/lc.ttl"))
    dist = Distribution.objects.get()
    assert (dist.access_url_status, dist.download_url_status) == (404, 200)
    assert dist.link_checked_at is not None
    assert "HEAD /file.csv" not in catalogue.hits  # hits record paths only
    assert catalogue.hits.count("/file.csv") == 1
    # The link check scores the dataset again: the download URL answered, the access URL did not.
    accessibility = {d["key"]: d for d in dist.dataset.__class__.objects.get().mqa["dimensions"]}["accessibility"]
    answered = {i["key"]: i["met"] for i in accessibility["indicators"]}
    assert answered == {"accessUrlStatusCode": False, "downloadUrlAvailability": True, "downloadUrlStatusCode": True}
    assert accessibility["points"] == 50  # download URL present 20 + answers 30; the 404 access URL earns nothing


def test_unchanged_pages_are_not_parsed_again(catalogue, monkeypatch):
    for page in (1, 2):
        catalogue.routes[f"/cat?page={page}"] = (200, "text/turtle", paged_turtle(catalogue.base, "/cat", page, 2, 3))
    first = harvest(catalogue.url("/cat?page=1"))
    from helix.opendata import harvest_parse

    real_parse = harvest_parse.parse_document
    parsed: list[str] = []

    def counting_parse(body, fmt, base, **kwargs):
        parsed.append(base)
        return real_parse(body, fmt, base, **kwargs)

    monkeypatch.setattr(harvest_parse, "parse_document", counting_parse)
    second = again(first)
    assert (second.status, second.pages_done, second.unchanged, parsed) == (RunStatus.SUCCEEDED, 2, 6, [])
    # a dataset deleted meanwhile: its page is read again and the dataset comes back
    Dataset.objects.filter(uri="https://example.org/dataset/4").delete()
    third = again(first)
    assert (third.created, third.unchanged, len(parsed)) == (1, 5, 1)


def test_an_abandoned_run_does_not_block_the_source(catalogue):
    import datetime

    from django.utils import timezone

    source = HarvestSource.objects.create(title="Madrid", url=catalogue.url("/es.ttl"))
    stuck = HarvestRun.objects.create(
        source=source, status=RunStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=7)
    )
    fresh = start_run(source, enqueue=False)
    assert fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED and stuck.report
    assert start_run(source, enqueue=False).pk == fresh.pk  # a live run is not duplicated
