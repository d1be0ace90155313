"""python manage.py import_projects PATH [--dry-run] [--format json] — bulk load projects.

`--undo BATCH` reverts an earlier import_projects run instead (helix.projects.importers.undo_project_import).
"""

from __future__ import annotations

from helix.core.importing.command import PlannedImportCommand
from helix.projects.importers import commit_project_import, plan_project_import, undo_project_import

DESCRIPTION = """\
Load projects (knowledge hub) from a file in Helix's own export layout: the xlsx or json
download of the project list (/projecten/?format=xlsx). Every row is checked first; if any row
has an error, nothing is written. Otherwise all rows are written in one transaction through the
project services, recorded in the history as one batch (channel "import").

Columns (the export's keys; only title is required for a new project): slug, title, title_nl,
project_type, lead, partners, places, area, domains, sdgs, status, phase, start_date, end_date,
period_text, budget, funding, summary_nl, summary_en, objectives, success_factors, lessons,
risks, results, links, links_to, facts, notes, source, last_verified.

Lists are JSON arrays (json) or separated by ";" (xlsx). Relation items carry details after a
vertical bar: partners "organisation | role", funding "instrument | amount", results
"indicator | value | unit", links "url | title", links_to "kind | project | note".
Organisations, instruments and projects are given by identifier (slug) or exact name; taxonomy
values by code or label. A row whose slug exists (or, without a slug, whose title matches a
project of the same lead) updates that project; an empty cell changes nothing. The contact
person is never exported and never imported. See docs/projects-editing.md.

A committed run prints its history batch id. `--undo BATCH` reverts that run in one transaction
(itself a batch, channel "import"): projects it created are deleted (archived when something
else now refers to them), updated ones get back their fields, lists, partners, funding and
links. The undo is refused, and changes nothing, when a project changed after the import or the
batch was already undone.
"""

EPILOG = """\
examples:
  python manage.py import_projects projects.xlsx --dry-run      # check and show what would change
  python manage.py import_projects projects.json --user curator # write; history names the curator
  python manage.py import_projects projects.json --format json  # machine-readable report
  python manage.py import_projects --undo 3f0c...e1              # revert the run with this batch id

exit status: 0 when the file was imported (or would be, with --dry-run) or the batch was undone;
non-zero when the file was refused, a row has an error or the undo was refused (then nothing
was written).
"""


class Command(PlannedImportCommand):
    help = "Import projects from an .xlsx or .json file in Helix's export layout (all rows or none)."
    command_name = "import_projects"
    description = DESCRIPTION
    epilog = EPILOG
    plan_import = staticmethod(plan_project_import)
    commit_import = staticmethod(commit_project_import)
    undo_import = staticmethod(undo_project_import)
