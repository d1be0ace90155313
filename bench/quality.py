"""Benchmark of issue 5 §2: quality scoring per second (`score_datasets`).

Called with Django set up on the benchmark database. The datasets are SYNTHETIC copies of the two
real sample records (data/spec/samples/), extracted by the harvester's own parser and stored
with their distributions under a source titled "bench (synthetic)"; they are removed afterwards.
Half are the Madrid record (1 distribution), half the Rostock record (9 distributions).

Reports: datasets per second the first time (DCAT-AP validation included), when re-scoring
unchanged records (the stored DCAT-AP outcome is reused, as after a link check), and the pure
engine alone on facts in memory (no database).
"""

from __future__ import annotations

import time
from typing import Any


def _create(n: int) -> tuple[Any, list[int]]:
    import rdflib

    from helix.opendata import harvest_parse
    from helix.opendata.models import Dataset, Distribution, HarvestSource
    from helix.opendata.quality.vocab import SPEC_DIR

    source = HarvestSource.objects.create(title="bench (synthetic)", url="https://bench.invalid/catalogue.ttl")
    ids: list[int] = []
    samples = ("dataset_gob_es.ttl", "dataset_gov_de.rdf")
    records = []
    for sample in samples:
        g = rdflib.Graph().parse(SPEC_DIR / "samples" / sample)
        records.append(harvest_parse.extract_dataset(g, next(harvest_parse.dataset_nodes(g))))
    for i in range(n):
        rec = records[i % 2]
        ds = Dataset.objects.create(source=source, uri=f"{rec.uri}#synthetic-{i}", rdf=rec.rdf, **rec.fields)
        Distribution.objects.bulk_create([Distribution(dataset=ds, **vars(d)) for d in rec.distributions])
        ids.append(ds.pk)
    return source, ids


def bench_quality(n: int = 200) -> dict[str, Any]:
    import rdflib

    from helix.opendata.models import Dataset
    from helix.opendata.quality import assess
    from helix.opendata.quality.rdf_facts import facts_from_graph
    from helix.opendata.quality.vocab import SPEC_DIR
    from helix.opendata.scoring import score_datasets

    source, ids = _create(n)
    try:
        score_datasets(ids[:2])  # warm up: spec files and shapes graph parsed once per process
        Dataset.objects.filter(pk__in=ids).update(mqa={}, scored_at=None)
        started = time.perf_counter()
        scored = score_datasets(ids)
        first = time.perf_counter() - started
        started = time.perf_counter()
        score_datasets(ids)
        again = time.perf_counter() - started
    finally:
        Dataset.objects.filter(source=source).delete()
        source.delete()
    facts = [
        facts_from_graph(rdflib.Graph().parse(SPEC_DIR / "samples" / s)) for s in ("dataset_gob_es.ttl", "dataset_gov_de.rdf")
    ]
    reps = max(10, n // 10)
    started = time.perf_counter()
    for i in range(reps):
        assess(facts[i % 2])
    engine = time.perf_counter() - started
    return {
        "datasets": scored,
        "first_per_s": round(scored / first, 1),
        "rescore_per_s": round(scored / again, 1),
        "engine_per_s": round(reps / engine, 1),
        "synthetic": "copies of data/spec/samples (Madrid, Rostock)",
    }


def rows(results: dict[str, Any]) -> list[str]:
    """Lines for run.py's table."""
    q = results.get("quality")
    if not q:
        return []
    return [
        f"{'quality scoring (datasets/s)':44} first {q['first_per_s']} / re-score {q['rescore_per_s']} / "
        f"engine only {q['engine_per_s']}  ({q['datasets']} synthetic)"
    ]
