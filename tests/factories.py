"""Factories for tests. Synthetic values are for tests only, never loaded into the product."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from helix.actors.choices import HelixRole, OrganisationKind
from helix.actors.models import ContactPerson, Membership, Organisation, OrganisationEditor
from helix.core.models import Scheme, Term
from helix.core.permissions import CURATOR_GROUP
from helix.instruments.choices import InstrumentKind, PolicyLevel
from helix.instruments.models import Instrument


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("slug",)

    slug = "domains"
    name_nl = factory.LazyAttribute(lambda o: o.slug)
    name_en = factory.LazyAttribute(lambda o: o.slug)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("scheme", "code")

    scheme = factory.SubFactory(SchemeFactory)
    code = factory.Sequence(lambda n: f"term-{n}")
    label_nl = factory.LazyAttribute(lambda o: f"{o.code} (nl)")
    label_en = factory.LazyAttribute(lambda o: f"{o.code} (en)")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"test-org-{n}")
    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    kind = OrganisationKind.COMPANY
    helix_role = HelixRole.BUSINESS
    country = "BE"
    source = "test"


class MunicipalityFactory(OrganisationFactory):
    kind = OrganisationKind.MUNICIPALITY
    helix_role = HelixRole.MUNICIPALITY
    refnis = factory.Sequence(lambda n: f"{90000 + n}")
    in_region = True


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    slug = factory.Sequence(lambda n: f"test-instrument-{n}")
    title = factory.Sequence(lambda n: f"Test Instrument {n}")
    kind = InstrumentKind.FINANCIAL
    policy_level = PolicyLevel.FLEMISH
    offered_by = factory.SubFactory(OrganisationFactory)
    source = "test"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    slug = factory.Sequence(lambda n: f"m-test-{n}")
    subject = factory.SubFactory(OrganisationFactory)
    predicate = "member_of"
    object = factory.SubFactory(OrganisationFactory)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Contact Testperson"
    email = "contact.testperson@example.org"
    phone = "+32 9 000 00 00"


def make_editor(username: str, organisation: Organisation):
    user = UserFactory(username=username)
    OrganisationEditor.objects.create(user=user, organisation=organisation)
    return user


def make_curator(username: str = "curator"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=CURATOR_GROUP)[0])
    return user


# --- Marketplace (helix.market) ----------------------------------------------------------------


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A challenge; pass `owners=[lead, co_owner, ...]` (the first leads). Open unless told otherwise."""

    class Meta:
        model = "market.Challenge"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"test-challenge-{n}")
    title = factory.Sequence(lambda n: f"Test Challenge {n}")
    description_en = "A problem the municipality wants solved."
    status = "open"
    published_at = factory.LazyFunction(timezone.now)
    source = "test"

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        from helix.market.models import ChallengeOwner

        if not create:
            return
        owners = list(extracted) if extracted else [MunicipalityFactory()]
        for index, organisation in enumerate(owners):
            ChallengeOwner.objects.create(challenge=obj, organisation=organisation, role="lead" if index == 0 else "co_owner")


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "market.Solution"

    slug = factory.Sequence(lambda n: f"test-solution-{n}")
    title = factory.Sequence(lambda n: f"Test Solution {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    description_en = "A product that solves problems."
    source = "test"


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "market.Response"

    challenge = factory.SubFactory(ChallengeFactory)
    solution = factory.SubFactory(SolutionFactory)
    organisation = factory.LazyAttribute(lambda o: o.solution.organisation)
    proposal = "We can help with this."
