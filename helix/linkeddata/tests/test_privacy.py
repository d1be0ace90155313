"""No personal data in any linked data: every dump, the catalogue and the record documents are
serialised and searched for personal values planted in every personal field Helix has.

The personal fields are found, not listed by hand: every text field of the user model and of
every model whose name says it is a contact (ContactPerson, ProjectContact, ...), and every
field of a public record model whose name says e-mail, phone or contact. A new personal model
or field is therefore covered without touching this test."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from helix.linkeddata.catalogue import REGISTRIES
from helix.linkeddata.dumps import write_catalog, write_dump
from helix.linkeddata.mapping import KINDS

from .conftest import DRAFT_TITLE, NOTES, PERSONAL, PROPOSAL, SAMPLE_CONTACT

pytestmark = pytest.mark.django_db

PERSONAL_FIELD = re.compile(r"e_?mail|phone|contact", re.IGNORECASE)
TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField)


def personal_models() -> list[type[models.Model]]:
    found = [get_user_model()]
    for model in apps.get_models():
        if model._meta.app_label.startswith("pghistory") or "Event" in model.__name__:
            continue
        if "contact" in model.__name__.lower() and model.__module__.startswith("helix."):
            found.append(model)
    return found


def public_models() -> list[type[models.Model]]:
    return [KINDS[k].queryset().model for k in KINDS]


def plant(sample: Any) -> list[str]:
    """Unique values in every personal field; returns them."""
    counter = itertools.count()
    secrets: list[str] = []

    def secret(field: models.Field) -> str:
        n = next(counter)
        value = f"geheim{n}@prive.example.org" if isinstance(field, models.EmailField) else f"GeheimWaarde{n}X"
        secrets.append(value)
        return value[: field.max_length] if field.max_length else value

    targets = {
        "Organisation": sample.company,
        "Project": sample.project,
        "Challenge": sample.challenge,
        "Solution": sample.solution,
    }
    for model in personal_models():
        texts = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS) and not f.choices]
        if model is get_user_model():
            user = model.objects.order_by("pk").first()
            for field in texts:
                if field.name in ("password",):
                    continue
                setattr(user, field.name, secret(field))
            user.save()
            continue
        values: dict[str, Any] = {f.name: secret(f) for f in texts}
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None:
                values[field.name] = targets[field.related_model.__name__]
        model.objects.filter(
            **{f.name: v for f, v in ((f, values[f.name]) for f in model._meta.concrete_fields if f.one_to_one)}
        ).delete()
        model.objects.create(**values)
    for model in public_models():
        for field in model._meta.concrete_fields:
            if PERSONAL_FIELD.search(field.name) and isinstance(field, TEXT_FIELDS):
                value = secret(field)
                record = targets[model.__name__]
                model.objects.filter(pk=record.pk).update(**{field.name: value})
    return secrets


def test_personal_models_are_found() -> None:
    names = {m.__name__ for m in personal_models()}
    assert {"ContactPerson", get_user_model().__name__} <= names


def test_no_personal_data_in_any_linked_data(sample: Any, client: Any, settings: Any, tmp_path: Any) -> None:
    settings.HELIX_LINKED_DATA_DIR = str(tmp_path)
    secrets = plant(sample) + list(PERSONAL.values()) + [DRAFT_TITLE, PROPOSAL, NOTES, SAMPLE_CONTACT]
    texts: dict[str, str] = {}
    for registry in REGISTRIES:
        for fmt in ("ttl", "jsonld"):
            texts[f"{registry}.{fmt}"] = write_dump(registry, fmt).read_text(encoding="utf-8")
    for path in write_catalog():
        texts[path.name] = path.read_text(encoding="utf-8")
    for kind, record in [
        ("organisation", sample.municipality),
        ("organisation", sample.company),
        ("instrument", sample.instrument),
        ("project", sample.project),
        ("challenge", sample.challenge),
        ("solution", sample.solution),
        *[("dataset", dataset) for dataset in sample.datasets],
    ]:
        for fmt in ("ttl", "jsonld"):
            key = KINDS[kind].key(record)
            response = client.get(f"/data/{kind}/{key}.{fmt}")
            assert response.status_code == 200
            texts[f"{kind}/{key}.{fmt}"] = response.content.decode()
    # The planted records are in the output (the test would notice an empty dump).
    assert sample.company.slug in texts["organisations.ttl"] and sample.project.slug in texts["projects.jsonld"]
    assert all(d.uri in texts["datasets.ttl"] for d in sample.datasets)
    leaks = [(secret, name) for secret in secrets for name, text in texts.items() if secret in text]
    assert not leaks, leaks[:10]
    assert "mailto:" not in "".join(t for n, t in texts.items() if not n.startswith("catalog"))
