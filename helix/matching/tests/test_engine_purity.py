"""The matching engine is pure Python: no module of helix.matching.engine may pull in Django."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import helix.matching.engine as engine

ENGINE_DIR = Path(engine.__file__).parent
MODULES = sorted(f"helix.matching.engine.{m.name}" for m in pkgutil.iter_modules([str(ENGINE_DIR)]))
DJANGO_IMPORT = re.compile(r"^\s*(import\s+django\b|from\s+django\b)", re.MULTILINE)


def test_the_package_has_the_expected_modules() -> None:
    assert {"helix.matching.engine.types", "helix.matching.engine.text", "helix.matching.engine.funding"} <= set(MODULES)
    assert {"helix.matching.engine.market", "helix.matching.engine.messages"} <= set(MODULES)


def test_importing_every_engine_module_does_not_load_django() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(len(loaded))\n"
        "assert not loaded, loaded\n"
    )
    root = ENGINE_DIR.parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_no_engine_source_imports_django() -> None:
    sources = sorted(ENGINE_DIR.glob("*.py"))
    assert len(sources) >= 6
    offenders = [path.name for path in sources if DJANGO_IMPORT.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_source_scan_would_catch_a_django_import() -> None:
    assert DJANGO_IMPORT.search("from __future__ import annotations\nfrom django.db import models\n")
    assert DJANGO_IMPORT.search("    import django\n")
    assert not DJANGO_IMPORT.search('"""No Django imports here."""\nimport djangoish\n')
