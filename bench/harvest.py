"""Benchmark of issue 5 §4 (harvesting) on a SYNTHETIC catalogue (`bench/run.py --only harvest` runs it).

Generates a paged DCAT-AP catalogue of N synthetic datasets (Turtle, hydra:nextPage, one CSV
distribution each; labelled "Synthetische dataset") into a temporary directory, serves it with
`python -m http.server` on 127.0.0.1 in a child process, and measures in this process:

- parse alone: reading the same page files from disk, rdflib parsing and record extraction
  (helix.opendata.harvest_parse), no HTTP, no database — datasets per second;
- first harvest: the full run (HTTP through the address guard, parsing, writes with history) —
  datasets per second and peak RSS of this process during the run;
- unchanged re-harvest: the same catalogue again — seconds, and its ratio to the first run.

Scoring and link checks are switched off (scoring has its own benchmark, bench/quality.py).
The benchmark source and its datasets are deleted afterwards unless --keep.

Use your own database (it is migrated first), e.g.:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helix_bench_harvest \
      .venv/bin/python bench/harvest.py [--datasets 100000] [--per-page 1000] [--keep]

Targets (issue 5): >= 200 datasets/s, peak memory <= 1 GB, unchanged re-harvest <= 1/5 of the
first run. Results as JSON on stdout and in bench/results/harvest-latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helix.settings")


def write_catalogue(directory: Path, n: int, per_page: int, port: int) -> int:
    """SYNTHETIC catalogue pages page-1.ttl ... page-K.ttl; returns K."""
    pages = (n + per_page - 1) // per_page
    for page in range(1, pages + 1):
        lines = [
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
            "@prefix dct: <http://purl.org/dc/terms/> .",
            "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
            "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        ]
        if page < pages:
            lines.append(
                f"<http://127.0.0.1:{port}/page-{page}.ttl> a hydra:PagedCollection ; "
                f"hydra:nextPage <http://127.0.0.1:{port}/page-{page + 1}.ttl> ."
            )
        for i in range((page - 1) * per_page, min(n, page * per_page)):
            lines.append(
                f"<https://synthetic.invalid/dataset/{i}> a dcat:Dataset ;\n"
                f'  dct:title "Synthetische dataset {i}"@nl ;\n'
                f'  dct:description "Synthetic dataset {i} for the harvesting benchmark."@en ;\n'
                f'  dcat:keyword "synthetic", "bench{i % 10}" ;\n'
                f"  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;\n"
                f'  dct:modified "2024-01-{1 + i % 28:02d}"^^xsd:date ;\n'
                f'  dct:publisher [ a foaf:Agent ; foaf:name "Synthetic publisher {i % 50}" ] ;\n'
                f"  dcat:distribution <https://synthetic.invalid/dataset/{i}/csv> .\n"
                f"<https://synthetic.invalid/dataset/{i}/csv> a dcat:Distribution ;\n"
                f"  dcat:accessURL <https://synthetic.invalid/files/{i}.csv> ;\n"
                f'  dct:format "CSV" ; dcat:mediaType "text/csv" ; dct:license "CC BY 4.0" .'
            )
        (directory / f"page-{page}.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PeakRSS:
    """Samples this process's resident memory every 0.1 s."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--per-page", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark source and its datasets")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.HELIX_HARVEST_ALLOW_LOOPBACK = True
    settings.HELIX_LINKCHECK_ENABLED = False
    settings.HELIX_HARVEST_SCORE_AFTER_RUN = False
    settings.HELIX_HARVEST_MAX_ITEMS = max(settings.HELIX_HARVEST_MAX_ITEMS, args.datasets)
    settings.HELIX_HARVEST_MAX_PAGES = max(settings.HELIX_HARVEST_MAX_PAGES, args.datasets // args.per_page + 2)

    from helix.opendata import harvest_parse
    from helix.opendata.harvest import run_harvest
    from helix.opendata.harvest_services import start_run
    from helix.opendata.models import HarvestSource

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="helix-harvest-bench-") as tmp:
        directory = Path(tmp)
        pages = write_catalogue(directory, args.datasets, args.per_page, port)
        size = sum(p.stat().st_size for p in directory.iterdir())

        started = time.perf_counter()
        parsed = 0
        for page in range(1, pages + 1):
            body = (directory / f"page-{page}.ttl").read_bytes()
            graph = harvest_parse.parse_document(body, "turtle", f"http://127.0.0.1:{port}/page-{page}.ttl")
            for node in harvest_parse.dataset_nodes(graph):
                harvest_parse.extract_dataset(graph, node)
                parsed += 1
        parse_s = time.perf_counter() - started

        server = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", tmp],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            source = HarvestSource.objects.create(
                title="bench (synthetic)", url=f"http://127.0.0.1:{port}/page-1.ttl", format="turtle"
            )
            try:
                with PeakRSS() as memory:
                    started = time.perf_counter()
                    first = run_harvest(start_run(source, enqueue=False).pk)
                    first_s = time.perf_counter() - started
                started = time.perf_counter()
                second = run_harvest(start_run(source, enqueue=False).pk)
                second_s = time.perf_counter() - started
            finally:
                if not args.keep:
                    source.delete()
        finally:
            server.terminate()
            server.wait()

    result = {
        "synthetic": True,
        "datasets": args.datasets,
        "pages": pages,
        "catalogue_bytes": size,
        "parse_alone_s": round(parse_s, 2),
        "parse_alone_datasets_per_s": round(parsed / parse_s, 1),
        "first_run": {"status": first.status, "created": first.created, "errors": first.errors, "seconds": round(first_s, 2)},
        "first_run_datasets_per_s": round(first.seen / first_s, 1),
        "peak_rss_mb": round(memory.peak / 1024 / 1024, 1),
        "unchanged_run": {"status": second.status, "unchanged": second.unchanged, "seconds": round(second_s, 2)},
        "unchanged_ratio": round(second_s / first_s, 3),
        "targets": {
            "datasets_per_s>=200": first.seen / first_s >= 200,
            "peak_rss<=1GB": memory.peak <= 1024**3,
            "unchanged<=first/5": second_s <= first_s / 5,
        },
    }
    print(json.dumps(result, indent=2))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "harvest-latest.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
