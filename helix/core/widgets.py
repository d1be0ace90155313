"""Form widgets shared by the edit pages."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """The browser's date picker (`<input type="date">`). Its value must be ISO (yyyy-mm-dd)
    whatever the page's language: with the locale's format (01-07-2020 on Dutch pages) the
    browser shows an empty field, and saving the form clears the date."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
