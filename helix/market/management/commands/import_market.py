"""python manage.py import_market PATH [--dry-run] [--format json] — bulk load challenges and solutions.

`--undo BATCH` reverts an earlier import_market run instead (helix.market.importers.undo_market_import).
"""

from __future__ import annotations

from helix.core.importing.command import PlannedImportCommand
from helix.market.importers import commit_market_import, plan_market_import, undo_market_import

DESCRIPTION = """\
Load marketplace challenges and solutions from a file, for example after a reverse-pitching
event. Every row is checked first; if any row has an error, nothing is written. Otherwise all
rows are written in one transaction, recorded in the history as one batch (channel "import").

The file is an Excel workbook (.xlsx) with a sheet "challenges" and/or a sheet "solutions", or a
JSON file {"challenges": [{...}, ...], "solutions": [{...}, ...]}. The first row of a sheet (or
the keys of a JSON object) name the columns:

  challenges: title and lead_owner are required for a new challenge; optional: slug, title_nl,
              description_nl, description_en, co_owners, format, status (draft, open, closed,
              awarded; default draft), domains, sdgs, roles_needed, phase_sought, budget_min,
              budget_max, deadline, source, last_verified
  solutions:  title and organisation are required for a new solution; optional: slug, title_nl,
              description_nl, description_en, domains, sdgs, value_chain_roles, maturity,
              references (municipalities), open_standards, pricing_model, website, source,
              last_verified

Organisations (lead_owner, co_owners, organisation, references) are given by their Helix
identifier (e.g. gemeente-gent-44021), their Belgian enterprise number or their exact name.
Lists (co_owners, domains, references, ...) are separated by ";" (or are JSON lists). Taxonomy
values are codes or labels (e.g. smart-mobility). A row with a slug that exists, or with the
title of an existing record of the same owner, updates that record; an empty cell changes
nothing. The full description is in docs/import-formats.md, section "Marketplace".

A committed run prints its history batch id. `--undo BATCH` reverts that run in one transaction
(itself recorded as a batch, channel "import"): the challenges, solutions and owners it created
are deleted (archived when something else, such as a response, now refers to them), and the
records it updated get back their earlier values, lists and owners. The undo is refused, and
changes nothing, when one of those records was changed after the import or was already undone.
"""

EPILOG = """\
examples:
  python manage.py import_market pitch-day.xlsx --dry-run      # check and show what would change
  python manage.py import_market pitch-day.xlsx --user curator # write; history names the curator
  python manage.py import_market market.json --format json     # machine-readable report
  python manage.py import_market --undo 3f0c...e1               # revert the run with this batch id

exit status: 0 when the file was imported (or would be, with --dry-run) or the batch was undone;
non-zero when the file was refused, a row has an error or the undo was refused (then nothing
was written).
"""


class Command(PlannedImportCommand):
    help = "Import marketplace challenges and solutions from an .xlsx or .json file (all rows or none)."
    command_name = "import_market"
    description = DESCRIPTION
    epilog = EPILOG
    plan_import = staticmethod(plan_market_import)
    commit_import = staticmethod(commit_market_import)
    undo_import = staticmethod(undo_market_import)
