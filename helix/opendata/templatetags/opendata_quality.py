"""{% quality_panel dataset %}: the stars and MQA of a dataset (used by opendata/partials/quality.html)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("opendata/quality/panel.html")
def quality_panel(dataset: Any) -> dict[str, Any]:
    from helix.opendata.quality_views import dataset_quality_context

    return dataset_quality_context(dataset)
