"""A local HTTP server for harvesting tests and the benchmark: serves fixed documents from a
dict of routes, generated paged catalogues, redirects, errors and endless bodies."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = tuple[int, str, bytes] | Callable[[], tuple[int, str, bytes]]


@dataclass
class CatalogueServer:
    routes: dict[str, Any] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> CatalogueServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body_wanted: bool) -> None:
                owner.hits.append(self.path)
                route = owner.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route == "endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/turtle")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"# " + b"x" * 8190 + b"\n"
                    sent = 0
                    try:
                        while sent < 1024 * 1024 * 1024:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                            owner.sent[self.path] = sent
                    except OSError:
                        pass
                    return
                if isinstance(route, tuple) and route[0] == "redirect":
                    self.send_response(302)
                    self.send_header("Location", route[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, content_type, body = route() if callable(route) else route
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body_wanted:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(True)

            def do_HEAD(self) -> None:
                self._answer(False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def paged_turtle(
    base: str,
    path: str,
    page: int,
    pages: int,
    per_page: int,
    *,
    hydra: str = "old",
    start: int = 0,
    skip: set[int] | None = None,
) -> bytes:
    """One page of a synthetic paged catalogue (Turtle). hydra='old': hydra:PagedCollection with
    hydra:nextPage; 'new': hydra:PartialCollectionView with hydra:next."""
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    page_url = f"{base}{path}?page={page}"
    if page < pages:
        if hydra == "old":
            lines.append(f'<{page_url}> a hydra:PagedCollection ; hydra:nextPage "{base}{path}?page={page + 1}" .')
        else:
            lines.append(f"<{page_url}> a hydra:PartialCollectionView ; hydra:next <{base}{path}?page={page + 1}> .")
    for i in range(start + (page - 1) * per_page, start + page * per_page):
        if skip and i in skip:
            continue
        lines.append(
            f"<https://example.org/dataset/{i}> a dcat:Dataset ;\n"
            f'  dct:title "Synthetische dataset {i}"@nl ;\n'
            f'  dct:description "Synthetic dataset number {i}, generated for tests."@en ;\n'
            f'  dcat:keyword "synthetic", "test{i % 10}" ;\n'
            f"  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/GOVE> ;\n"
            f'  dct:modified "2024-01-{1 + i % 28:02d}"^^xsd:date ;\n'
            f'  dct:publisher [ a foaf:Agent ; foaf:name "Synthetic Publisher {i % 3}" ] ;\n'
            f"  dcat:distribution <https://example.org/dataset/{i}/csv> .\n"
            f"<https://example.org/dataset/{i}/csv> a dcat:Distribution ;\n"
            f"  dcat:accessURL <https://example.org/files/{i}.csv> ;\n"
            f'  dct:format "CSV" ; dcat:mediaType "text/csv" ; dct:license "CC BY 4.0" .'
        )
    return ("\n".join(lines) + "\n").encode()
