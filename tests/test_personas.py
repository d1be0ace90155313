import pytest

from helix.core.permissions import can_edit, is_curator

pytestmark = pytest.mark.django_db


def test_editors_may_edit_only_their_own_organisation_and_its_instruments(cast):
    assert can_edit(cast.editor_a, cast.org_a)
    assert can_edit(cast.editor_a, cast.instrument_a)
    assert not can_edit(cast.editor_a, cast.org_b)
    assert not can_edit(cast.editor_a, cast.instrument_b)
    assert can_edit(cast.curator, cast.org_b)
    assert is_curator(cast.admin)
    assert not is_curator(cast.editor_b)
