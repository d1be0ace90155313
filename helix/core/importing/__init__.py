"""Import pipeline for inventory workbooks, CSV and JSON (see docs/import-formats.md).

check_upload (guards) → plan_import (parse, map, match, validate, diff; writes nothing)
→ commit_import (one transaction, one history batch) → revert_batch (undo a batch).
Targets and layouts are declared by each domain app in its `importers.py`.
"""

from __future__ import annotations

from .guards import CheckedFile, ImportRefused, check_upload
from .pipeline import CommitFailed, Decision, ImportPlan, Issue, RowPlan, Status, commit_import, plan_import
from .revert import RevertRefused, RevertReport, revert_batch

__all__ = [
    "CheckedFile",
    "CommitFailed",
    "Decision",
    "ImportPlan",
    "ImportRefused",
    "Issue",
    "RevertRefused",
    "RevertReport",
    "RowPlan",
    "Status",
    "check_upload",
    "commit_import",
    "plan_import",
    "revert_batch",
]
