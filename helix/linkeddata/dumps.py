"""Full dumps of each registry as Turtle and JSON-LD, written chunk by chunk into a cache folder.

Memory stays flat whatever the registry's size: records are read `CHUNK` at a time (with their
prefetches), each chunk is described and serialised on its own and appended to the file. A
file is written under a temporary name and renamed when complete, so a reader never sees half
a dump. `export_linked_data` (management command) writes them all; a dump that is requested
before it exists is written on the spot.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings

from .catalogue import DUMP_FORMATS, REGISTRIES, Registry, catalog_graph
from .mapping import describe
from .vocab import jsonld_context

CHUNK = 500
PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>\s*\.\s*$")


def dump_dir() -> Path:
    configured = getattr(settings, "HELIX_LINKED_DATA_DIR", "")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "linked-data"


def dump_file(registry: str, fmt: str) -> Path:
    return dump_dir() / f"{registry}.{fmt}"


def _chunks(registry: Registry) -> Iterator[list[Any]]:
    rows = registry.rows().iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _write_turtle(registry: Registry, out: Any) -> None:
    """Turtle: each chunk serialised alone; its @prefix lines are gathered into one header."""
    prefixes: dict[str, str] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as body:
        for chunk in _chunks(registry):
            text = describe(registry.kind, chunk).serialize(format="turtle")
            for line in text.splitlines(keepends=True):
                match = PREFIX_LINE.match(line)
                if match is None:
                    body.write(line)
                    continue
                prefix, namespace = match.group(1) or "", match.group(2)
                if prefixes.setdefault(prefix, namespace) != namespace:
                    raise ValueError(f"Prefix {prefix!r} bound to two namespaces in one dump.")
        for prefix, namespace in sorted(prefixes.items()):
            out.write(f"@prefix {prefix}: <{namespace}> .\n")
        out.write("\n")
        body.seek(0)
        while block := body.read(1 << 20):
            out.write(block)


def _write_jsonld(registry: Registry, out: Any) -> None:
    """JSON-LD: one @context (inline, no remote context) and one @graph of every chunk's nodes."""
    context = jsonld_context()
    out.write('{"@context": ' + json.dumps(context, sort_keys=True) + ', "@graph": [\n')
    first = True
    for chunk in _chunks(registry):
        text = describe(registry.kind, chunk).serialize(format="json-ld", context=context, auto_compact=True)
        data = json.loads(text)
        nodes = data.get("@graph", [data] if isinstance(data, dict) else data)
        for node in nodes:
            if isinstance(node, dict):
                node.pop("@context", None)
            out.write(("" if first else ",\n") + json.dumps(node, ensure_ascii=False, sort_keys=True))
            first = False
    out.write("\n]}\n")


def write_dump(registry_slug: str, fmt: str) -> Path:
    """Write one registry's dump (fmt: "ttl" or "jsonld") and return its path."""
    if fmt not in DUMP_FORMATS:
        raise ValueError(f"Unknown dump format {fmt!r}.")
    registry = REGISTRIES[registry_slug]
    target = dump_file(registry_slug, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{registry_slug}.", suffix=f".{fmt}")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            (_write_turtle if fmt == "ttl" else _write_jsonld)(registry, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_catalog() -> list[Path]:
    """The catalogue itself, as catalog.ttl and catalog.jsonld in the dump folder."""
    graph = catalog_graph()
    written = []
    for fmt, rdflib_format in (("ttl", "turtle"), ("jsonld", "json-ld")):
        target = dump_dir() / f"catalog.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        extra: dict[str, Any] = {"context": jsonld_context(), "auto_compact": True} if fmt == "jsonld" else {}
        text = graph.serialize(format=rdflib_format, encoding=None, **extra)
        target.write_text(str(text), encoding="utf-8")
        written.append(target)
    return written


__all__ = ["dump_dir", "dump_file", "write_catalog", "write_dump"]
