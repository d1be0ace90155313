"""Forms of the saved-search pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DigestFrequency, Target
from .models import SavedSearch
from .sources import MAX_QUERY_LENGTH


class SaveSearchForm(forms.Form):
    """The small form on list pages (follow/save_search_form.html)."""

    target = forms.ChoiceField(choices=Target.choices)
    query = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH * 2)
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=200)
    digest = forms.ChoiceField(
        label=_("E-mail digest"), choices=DigestFrequency.choices, initial=DigestFrequency.WEEKLY, required=False
    )
    next = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH * 2)


class SavedSearchForm(forms.ModelForm):
    """Rename a saved search and choose how often its digest comes."""

    class Meta:
        model = SavedSearch
        fields = ["name", "digest"]
        help_texts = {
            "digest": _("An e-mail with what is new or changed in the results, sent only when there is something new."),
        }
