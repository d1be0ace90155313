"""Pre-aggregated insights (helix/insights/snapshots.py): a current snapshot is served as it is;
above the size limit a stale one is served with its date while one refresh is queued; small data
are recomputed in the request; `compute_insights` refreshes every snapshot; the network of a
large registry is ranked on a deterministic sample while its figures stay exact."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import translation

from helix.insights import aggregates, network, snapshots
from helix.insights.models import Snapshot
from helix.projects.models import Project
from helix.projects.tests.factories import ProjectFactory
from tests.study_data import study_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

INVOLVEMENT = aggregates.INVOLVEMENT


@pytest.fixture(autouse=True)
def default_language():
    """Requests under /en/ leave English active in this thread: later tests reverse Dutch URLs."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def queue(settings):
    """Tasks are recorded, not run: what a page enqueues."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]
    return default_task_backend


def queued(backend) -> list[list]:
    return [list(r.args) for r in backend.results]


def version(monkeypatch, value: str) -> None:
    monkeypatch.setattr(snapshots, "data_version", lambda: value)


def fail(*args, **kwargs):
    pytest.fail("computed in the request")


def test_a_current_snapshot_is_served_as_it_is(study_data, monkeypatch, queue):  # noqa: F811
    version(monkeypatch, "v1")
    first = snapshots.serve(snapshots.get(INVOLVEMENT))
    assert first.snapshot is not None and first.snapshot.data_version == "v1" and not first.stale
    assert any(m["projects_here"] for m in first.payload["municipalities"])
    monkeypatch.setattr(aggregates, "municipality_involvement", fail)
    again = snapshots.serve(snapshots.get(INVOLVEMENT))
    assert again.snapshot.pk == first.snapshot.pk and again.payload == first.payload and not again.stale
    assert queued(queue) == []


def test_small_data_are_recomputed_in_the_request(study_data, monkeypatch, queue):  # noqa: F811
    version(monkeypatch, "v1")
    before = snapshots.serve(snapshots.get(INVOLVEMENT)).payload
    quiet = next(m for m in before["municipalities"] if not m["projects_here"])
    ProjectFactory(slug="a-new-project", title="A new project").places.set([quiet["id"]])
    version(monkeypatch, "v2")
    after = snapshots.serve(snapshots.get(INVOLVEMENT))
    assert not after.stale and after.snapshot.data_version == "v2"
    assert next(m for m in after.payload["municipalities"] if m["id"] == quiet["id"])["projects_here"] == 1
    assert queued(queue) == [], "small data need no background refresh"


def test_above_the_limit_a_stale_snapshot_is_served_with_its_date_and_one_refresh_queued(
    study_data,  # noqa: F811
    monkeypatch,
    queue,
    client,
):
    version(monkeypatch, "v1")
    fresh = snapshots.serve(snapshots.get(INVOLVEMENT))
    version(monkeypatch, "v2")
    monkeypatch.setattr(snapshots, "ROW_LIMIT", 0)
    monkeypatch.setattr(aggregates, "municipality_involvement", fail)
    stale = snapshots.serve(snapshots.get(INVOLVEMENT))
    assert stale.stale and stale.snapshot.pk == fresh.snapshot.pk and stale.payload == fresh.payload
    assert queued(queue) == [[INVOLVEMENT]]
    html = client.get("/en/inzichten/gemeenten/").content.decode()  # the page says so, and queues nothing more
    assert "The data have changed since" in html and "Computed " in html
    assert queued(queue) == [[INVOLVEMENT]], "one refresh at a time"
    # the worker runs the task: the snapshot becomes current and may be queued again later
    monkeypatch.undo()
    version(monkeypatch, "v2")
    from helix.insights.tasks import refresh_snapshot_task

    refresh_snapshot_task.call(INVOLVEMENT)
    stored = Snapshot.objects.get(key=INVOLVEMENT)
    assert stored.data_version == "v2" and stored.refresh_queued_at is None and stored.computed_at > fresh.snapshot.computed_at


def test_above_the_limit_without_a_snapshot_the_page_says_it_is_being_computed(study_data, monkeypatch, queue, client):  # noqa: F811
    version(monkeypatch, "v1")
    monkeypatch.setattr(snapshots, "ROW_LIMIT", 0)
    monkeypatch.setattr(aggregates, "domain_counts", fail)
    html = client.get("/en/inzichten/vraag-en-aanbod/").content.decode()
    assert "being computed in the background" in html
    assert queued(queue) == [[aggregates.DOMAIN_COUNTS]]
    assert Snapshot.objects.get(key=aggregates.DOMAIN_COUNTS).computed_at is None  # only the claim


def test_a_refreshed_snapshot_shows_without_a_data_change(study_data, monkeypatch, client, queue):  # noqa: F811
    """The page cache is keyed by the snapshots it read: a background refresh shows at once."""
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr("helix.core.listing.data_version", lambda using="default": "v1")
    version(monkeypatch, "v1")
    client.get("/inzichten/gemeenten/")
    stored = Snapshot.objects.get(key=INVOLVEMENT)
    payload = stored.payload
    payload["municipalities"][0]["memberships"] = 987654
    payload["municipalities"][0]["score"] = 987654
    Snapshot.objects.filter(pk=stored.pk).update(payload=payload, computed_at=stored.computed_at.replace(year=2099))
    assert "987654" in client.get("/inzichten/gemeenten/").content.decode()


def test_compute_insights_refreshes_every_snapshot(study_data, monkeypatch):  # noqa: F811
    version(monkeypatch, "v7")
    out = io.StringIO()
    call_command("compute_insights", stdout=out)
    keys = set(snapshots.registry())
    assert keys == {"network", INVOLVEMENT, aggregates.DOMAIN_COUNTS, snapshots.KNOWLEDGE_OVERVIEW}
    assert set(Snapshot.objects.filter(data_version="v7", computed_at__isnull=False).values_list("key", flat=True)) == keys
    text = out.getvalue()
    for key in keys:
        assert f"{key}: " in text and " s (data version v7)" in text
    out = io.StringIO()
    call_command("compute_insights", "--only", "network", stdout=out)
    assert out.getvalue().startswith("network: ") and len(out.getvalue().strip().splitlines()) == 1


def test_the_network_of_many_projects_is_ranked_on_a_deterministic_sample(study_data, monkeypatch):  # noqa: F811
    whole = network.compute()
    assert whole["sampled_projects"] is None
    monkeypatch.setattr(network, "SAMPLE_PROJECTS", 10)
    sample = network.sample_projects(10)
    assert len(sample) == 10 and network.sample_projects(10) == sample
    assert set(network.sample_projects(12)) > set(sample), "a project's place in the sample depends on its id alone"
    graph = network.build_graph(sample)
    assert {n for n in graph.nodes if isinstance(n, str)} == {f"p{pk}" for pk in sample}
    first, second = network.compute(), network.compute()
    assert first["sampled_projects"] == 10 and first["sample_seed"] == network.SAMPLE_SEED
    assert first["brokers"] == second["brokers"] and first["diagram"] == second["diagram"]
    for key in ("organisations", "projects", "links", "components", "largest_component"):
        assert first[key] == whole[key], f"{key} is exact whatever the sample"
    broker = first["brokers"][0]
    led_or_partner = Project.objects.live().filter(
        Q(lead__slug=broker["slug"]) | Q(partnerships__organisation__slug=broker["slug"])
    )
    assert broker["projects"] == led_or_partner.distinct().count(), "brokers' project counts are exact too"


def test_the_network_page_names_its_sample(study_data, monkeypatch, client):  # noqa: F811
    monkeypatch.setattr(network, "SAMPLE_PROJECTS", 10)
    html = client.get("/en/inzichten/netwerk/").content.decode()
    assert "fixed sample of 10 of the" in html
