"""The API is a layer on top: domain apps never import helix.api (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import helix

HELIX = Path(helix.__file__).parent


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def domain_files() -> list[Path]:
    """Every Python file of helix except the API package itself and the project-level wiring."""
    wiring = {"settings.py", "urls.py", "wsgi.py", "asgi.py", "__init__.py"}
    files = []
    for path in HELIX.rglob("*.py"):
        relative = path.relative_to(HELIX)
        if relative.parts[0] == "api" or (len(relative.parts) == 1 and relative.name in wiring):
            continue
        files.append(path)
    return files


def test_domain_apps_never_import_the_api():
    files = domain_files()
    assert any(p.relative_to(HELIX).parts[0] == "core" for p in files)
    assert any(p.relative_to(HELIX).parts[0] == "actors" for p in files)
    offenders = [
        f"{path.relative_to(HELIX.parent)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path))
        if module == "helix.api" or module.startswith("helix.api.")
    ]
    assert offenders == []


def test_the_rule_detects_an_offender(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from helix.api.serializers import OrganisationSerializer\nimport helix.api\n")
    assert {"helix.api.serializers", "helix.api"} <= imported_modules(sample)
