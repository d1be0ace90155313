"""Fail when the API's OpenAPI description differs from the committed docs/api/openapi.yaml.

An intended API change is committed by running `make openapi` and reviewing the diff.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "api" / "openapi.yaml"


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "helix.settings"}
    current = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    committed = COMMITTED.read_text() if COMMITTED.exists() else ""
    if current == committed:
        print("OpenAPI description matches docs/api/openapi.yaml")
        return 0
    diff = difflib.unified_diff(committed.splitlines(), current.splitlines(), "committed", "current", lineterm="")
    print("The API changed but docs/api/openapi.yaml did not. Review and run `make openapi`:", file=sys.stderr)
    print("\n".join(list(diff)[:200]), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
