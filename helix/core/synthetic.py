"""Synthetic organisations and instruments for scale tests (`manage.py generate_synthetic`).

Never real data, always labelled: every synthetic record has a slug starting with
`synthetic-` and the source `SYNTHETIC_SOURCE`, and `purge()` deletes exactly those records.
Names and descriptions are composed from Dutch and English word lists so that full-text search,
trigram matching and sorting see a realistic distribution; kinds, provinces, taxonomy terms,
founding years, policy levels, dates, amounts and programme → axis → call parents follow
plausible proportions. Enterprise numbers stay empty (a generated valid number could belong to a
real company) and synthetic records are never located in a real municipality.

Rows are streamed with COPY (Django's bulk_create spent most of its time compiling SQL: ~4x
slower). pghistory's insert and update triggers are skipped with `pgtrigger.ignore`: synthetic
data needs no change history, and the events would make generation ~2.5x slower. Pass
`with_history=True` (command: --with-history) to keep them.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from helix.core.m2m_history import delete_link_events, link_triggers

SYNTHETIC_PREFIX = "synthetic-"
SYNTHETIC_SOURCE = "SYNTHETIC — generated for scale tests, not real data"

HISTORY_TRIGGERS = tuple(
    f"{model}:{event}"
    for model in ("actors.Organisation", "actors.Membership", "instruments.Instrument")
    for event in ("insert_insert", "update_update")
)
EVENT_MODELS = ("actors.OrganisationEvent", "actors.MembershipEvent", "instruments.InstrumentEvent")

# --- word lists -----------------------------------------------------------------------------

SYLLABLES = (
    "ka", "ro", "vi", "ta", "len", "mo", "dra", "ne", "xi", "lu", "ber", "go", "sen", "tri", "pa",
    "qua", "zel", "vo", "mi", "den", "ar", "ko", "lis", "ter", "no", "va", "rin", "el", "sto", "fi",
    "gra", "um", "bel", "ix", "wa", "da", "tor", "ly", "es", "cor",
)  # fmt: skip
NAME_PREFIXES = (
    "Slimme", "Smart", "Open", "Urban", "Vlaamse", "Green", "Digitale", "Data", "Future", "Blue",
    "Nieuwe", "Connected", "Circular", "Duurzame", "Civic", "Agile", "Mobile", "Bright",
)  # fmt: skip
NAME_CORES = (
    "Mobiliteit", "Mobility", "Energie", "Energy", "Sensor", "Sensors", "Water", "Logistiek",
    "Logistics", "Analytics", "Platform", "Data", "Stad", "City", "Verlichting", "Lighting",
    "Parkeren", "Parking", "Afval", "Waste", "Zorg", "Health", "Bouw", "Construction", "Netwerk",
    "Networks", "Veiligheid", "Safety", "Klimaat", "Climate", "Software", "Robotics", "Drones",
    "Geo", "Mapping", "IoT", "AI", "Twin", "Grid", "Retail",
)  # fmt: skip
COMPANY_SUFFIXES = ("BV", "NV", "BVBA", "CV", "Solutions", "Labs", "Systems", "Group", "Consult", "Technologies", "Partners")
PLACES = (
    "Gent", "Antwerpen", "Brugge", "Leuven", "Hasselt", "Kortrijk", "Mechelen", "Aalst", "Genk",
    "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout", "Geel", "Lier", "Ieper", "Tienen",
    "Dendermonde", "Waregem", "Lokeren", "Beveren", "Herentals", "Vilvoorde", "Zaventem",
)  # fmt: skip
SURNAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambert", "Vermeulen", "Van den Broeck", "De Vos", "Hermans", "Aerts",
)  # fmt: skip

# Activities are composed as verb + object + context (nl and en in parallel), so each word has
# a realistic frequency instead of a few phrases repeated in every tenth record.
VERBS = (
    ("ontwikkelt", "develops"), ("bouwt", "builds"), ("levert", "supplies"), ("beheert", "operates"),
    ("ontwerpt", "designs"), ("onderzoekt", "researches"), ("test", "tests"), ("installeert", "installs"),
    ("onderhoudt", "maintains"), ("verkoopt", "sells"), ("integreert", "integrates"), ("verbetert", "improves"),
)  # fmt: skip
OBJECTS = (
    ("sensoren voor luchtkwaliteit", "air-quality sensors"), ("dataplatformen", "data platforms"),
    ("slimme straatverlichting", "smart street lighting"), ("laadpalen", "charging stations"),
    ("parkeersystemen", "parking systems"), ("digitale tweelingen", "digital twins"),
    ("IoT-netwerken", "IoT networks"), ("energiedashboards", "energy dashboards"),
    ("mobiliteitsapps", "mobility apps"), ("verkeerslichten", "traffic lights"),
    ("camerasystemen", "camera systems"), ("warmtenetten", "heat networks"),
    ("zonnepanelen", "solar panels"), ("batterijopslag", "battery storage"),
    ("afvalcontainers met sensoren", "sensor-equipped waste bins"), ("watermeters", "water meters"),
    ("geluidsmeters", "noise meters"), ("deelfietsen", "shared bikes"), ("deelauto's", "shared cars"),
    ("drones voor inspectie", "inspection drones"), ("robots voor de zorg", "care robots"),
    ("e-loketten", "e-government counters"), ("burgerparticipatieplatformen", "citizen participation platforms"),
    ("open-datacatalogi", "open data catalogues"), ("kaarttoepassingen", "map applications"),
    ("cyberbeveiliging", "cyber security"), ("glasvezelnetwerken", "fibre networks"),
    ("5G-toepassingen", "5G applications"), ("algoritmes voor verkeersvoorspelling", "traffic forecasting algorithms"),
    ("bouwmaterialen", "building materials"), ("isolatiesystemen", "insulation systems"),
    ("slimme meters", "smart meters"), ("telezorgoplossingen", "telecare solutions"),
    ("leeromgevingen", "learning environments"), ("beslissingsondersteuning", "decision support"),
    ("logistieke software", "logistics software"), ("pakketkluizen", "parcel lockers"),
    ("overstromingsmodellen", "flood models"), ("groendaken", "green roofs"), ("waterstofsystemen", "hydrogen systems"),
    ("verkeerstellers", "traffic counters"), ("fietsparkeerplaatsen", "bicycle parking"),
    ("bodemvochtmeters", "soil moisture probes"),
    ("regenwaterbuffers", "rainwater buffers"), ("boomsensoren", "tree monitors"), ("thermische camera's", "thermal cameras"),
    ("gebouwbeheersystemen", "building management systems"), ("liftmonitoring", "lift monitoring"),
    ("warmtepompen", "heat pumps"), ("windturbines", "wind turbines"), ("publieke wifi", "public wifi"),
    ("chatbots", "chatbots"), ("betaalterminals", "payment terminals"), ("ticketingsystemen", "ticketing systems"),
    ("routeplanners", "route planners"), ("vrachtplatformen", "freight platforms"), ("elektrische bussen", "electric buses"),
    ("autonome shuttles", "autonomous shuttles"), ("slimme vuilnisbakken", "smart litter bins"),
    ("sorteerrobots", "sorting robots"),
    ("composteerinstallaties", "composting plants"), ("materiaalpaspoorten", "material passports"),
    ("3D-stadsmodellen", "3D city models"), ("satellietbeelden", "satellite imagery"), ("lidarscans", "lidar scans"),
    ("zorgplatformen", "care platforms"), ("valdetectie", "fall detection"), ("medicatiedispensers", "medication dispensers"),
    ("energiecoöperaties", "energy cooperatives"), ("buurtbatterijen", "neighbourhood batteries"),
    ("openbare verlichtingsnetten", "public lighting grids"), ("noodoproepsystemen", "emergency call systems"),
    ("crowdmanagement", "crowd management"), ("evacuatiemodellen", "evacuation models"), ("leerplatformen", "learning platforms"),
    ("archiefsystemen", "archive systems"), ("identiteitsbeheer", "identity management"), ("datakluizen", "data vaults"),
    ("API-gateways", "API gateways"), ("geluidsschermen", "noise barriers"),
)  # fmt: skip
CONTEXTS = (
    ("voor steden en gemeenten", "for cities and municipalities"), ("in de haven", "in the port"),
    ("voor zorginstellingen", "for care institutions"), ("voor scholen", "for schools"),
    ("voor woonwijken", "for residential areas"), ("voor bedrijventerreinen", "for business parks"),
    ("voor het openbaar vervoer", "for public transport"), ("voor netbeheerders", "for grid operators"),
    ("voor sociale huisvesting", "for social housing"), ("in landelijke gemeenten", "in rural municipalities"),
    ("voor evenementen", "for events"), ("voor de politie", "for the police"), ("in stadscentra", "in city centres"),
    ("voor winkelstraten", "for shopping streets"), ("voor sportinfrastructuur", "for sports facilities"),
    ("voor waterbeheerders", "for water managers"), ("voor toeristische regio's", "for tourist regions"),
    ("voor industriezones", "for industrial zones"), ("voor ziekenhuizen", "for hospitals"),
    ("voor intercommunales", "for intercommunal associations"),
)  # fmt: skip
NL_CLOSERS = (
    "Actief in heel Vlaanderen.",
    "Werkt samen met universiteiten en kenniscentra.",
    "Focust op kleine en middelgrote gemeenten.",
    "Heeft projecten lopen in verschillende centrumsteden.",
    "Richt zich op open standaarden en open data.",
    "Is lid van meerdere innovatienetwerken.",
)
EN_CLOSERS = (
    "Active across Flanders.",
    "Works with universities and research centres.",
    "Focuses on small and medium-sized municipalities.",
    "Runs projects in several regional cities.",
    "Builds on open standards and open data.",
    "Is a member of several innovation networks.",
)
ROLES = (
    "devices & sensors", "connectivity", "data platform", "analytics & AI",
    "applications & dashboards", "integration & advice", "infrastructure & utilities",
)  # fmt: skip
SUBKINDS = {
    "company": ("start-up", "scale-up", "kmo", "multinational", "spin-off"),
    "knowledge_institution": ("universiteit", "hogeschool", "onderzoekscentrum"),
    "intermediary": ("cluster", "netwerk", "incubator", "accelerator"),
    "network_or_programme": ("programma", "netwerk"),
    "government": ("agentschap", "departement", "provinciebestuur"),
    "intercommunale": ("intercommunale",),
    "foreign_organisation": ("company", "research centre", "network"),
}
# (kind, helix role, weight)
KINDS = (
    ("company", "business", 70),
    ("knowledge_institution", "academia", 5),
    ("intermediary", "civil_society", 8),
    ("network_or_programme", "civil_society", 3),
    ("government", "government", 6),
    ("intercommunale", "government", 2),
    ("foreign_organisation", "business", 6),
)
OFFERING_KINDS = {"government", "intermediary", "network_or_programme", "knowledge_institution"}

INSTRUMENT_THEMES_NL = (
    "Slimme Mobiliteit", "Energietransitie", "Digitale Overheid", "Klimaatadaptatie", "Circulaire Economie",
    "Zorginnovatie", "Open Data", "Slimme Verlichting", "Veilige Stad", "Proeftuinen", "Datadelen", "Stadslogistiek",
)  # fmt: skip
INSTRUMENT_THEMES_EN = (
    "Smart Mobility", "Energy Transition", "Digital Government", "Climate Adaptation", "Circular Economy",
    "Care Innovation", "Open Data", "Smart Lighting", "Safe City", "Living Labs", "Data Sharing", "City Logistics",
)  # fmt: skip
PROGRAMME_WORDS = ("Programma", "Fonds", "Programme", "Fund", "Initiatief", "Initiative")
AXIS_WORDS = ("Prioriteit", "Priority axis", "Speerpunt", "Pillar")
CALL_WORDS = ("Oproep", "Call", "Projectoproep", "Open call", "Subsidie", "Grant")
# (policy level, weight)
POLICY_LEVELS = (("european", 25), ("national", 10), ("flemish", 35), ("regional", 5), ("local", 15), ("private", 10))
FUNDING_FORMS = ("grant", "loan", "guarantee", "prize", "cofinancing", "equity", "coaching", "in_kind")
MUNICIPALITY_SIZES = ("small", "medium", "large")


@dataclass(frozen=True)
class SyntheticResult:
    organisations: int
    instruments: int
    memberships: int
    seconds: float


def synthetic_counts() -> dict[str, int]:
    """How many synthetic organisations, instruments and memberships the database holds."""
    from helix.actors.models import Membership, Organisation
    from helix.instruments.models import Instrument

    return {
        "organisations": Organisation.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count(),
        "instruments": Instrument.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count(),
        "memberships": Membership.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count(),
    }


@contextmanager
def _history(enabled: bool) -> Iterator[None]:
    if enabled:
        yield
    else:
        from helix.actors.models import Organisation
        from helix.instruments.models import Instrument

        with pgtrigger.ignore(*HISTORY_TRIGGERS, *link_triggers(Organisation, Instrument)):
            yield


def purge(*, with_history: bool = False) -> dict[str, int]:
    """Delete every synthetic record (slug `synthetic-…` and the synthetic source) and its
    history events, nothing else."""
    from helix.actors.models import Membership, Organisation
    from helix.core.synthetic_market import purge_market
    from helix.instruments.models import Instrument

    label = {"slug__startswith": SYNTHETIC_PREFIX, "source": SYNTHETIC_SOURCE}
    with transaction.atomic(), _history(with_history):
        purge_market()
        instruments = Instrument.objects.filter(**label)
        n_ins = instruments.count()
        if with_history:  # the link events of --with-history runs (they keep the records' keys only)
            delete_link_events(Instrument, instruments.values_list("pk", flat=True))
            delete_link_events(Organisation, Organisation.objects.filter(**label).values_list("pk", flat=True))
        instruments.delete()
        n_mem, _ = Membership.objects.filter(**label).delete()
        orgs = Organisation.objects.filter(**label)
        n_org = orgs.count()
        orgs.update(merged_into=None)
        orgs.delete()
        # History written by --with-history runs (the event rows copy slug and source).
        for label_ in EVENT_MODELS:
            apps.get_model(label_).objects.filter(**label).delete()
    return {"organisations": n_org, "instruments": n_ins, "memberships": n_mem}


def _next_number(table: str, kind: str) -> int:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT coalesce(max(substring(slug from %s)::int), 0) FROM {table} WHERE slug LIKE %s",  # noqa: S608 (fixed tables)
            [f"^{SYNTHETIC_PREFIX}{kind}-([0-9]+)$", f"{SYNTHETIC_PREFIX}{kind}-%"],
        )
        row = cur.fetchone()
    return int(row[0]) + 1 if row else 1


def _terms(scheme: str) -> list[int]:
    from helix.core.models import Term

    return list(Term.objects.filter(scheme__slug=scheme).values_list("pk", flat=True))


class _Words:
    """Composes names and texts from the word lists with one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def brand(self) -> str:
        n = self.rng.choice((2, 2, 3))
        return "".join(self.rng.choice(SYLLABLES) for _ in range(n)).capitalize()

    def org_name(self, kind: str) -> str:
        r, c = self.rng, self.rng.choice
        if kind == "company":
            form = r.random()
            if form < 0.4:
                return f"{self.brand()} {c(COMPANY_SUFFIXES)}"
            if form < 0.7:
                return f"{self.brand()} {c(NAME_CORES)} {c(COMPANY_SUFFIXES)}"
            if form < 0.85:
                return f"{c(NAME_PREFIXES)} {c(NAME_CORES)} {self.brand()}"
            return f"{c(SURNAMES)} {c(NAME_CORES)} {c(COMPANY_SUFFIXES)}"
        if kind == "knowledge_institution":
            return f"{c(('Kenniscentrum', 'Onderzoeksgroep', 'Research Lab', 'Hogeschool'))} {c(NAME_CORES)} {c(PLACES)}"
        if kind in ("intermediary", "network_or_programme"):
            return (
                f"{c(NAME_PREFIXES)} {c(NAME_CORES)} {c(('Cluster', 'Netwerk', 'Hub', 'Alliantie', 'Community'))} {self.brand()}"
            )
        if kind == "government":
            return f"{c(('Agentschap', 'Departement', 'Dienst', 'Vlaams Agentschap'))} {c(NAME_CORES)} {self.brand()}"
        if kind == "intercommunale":
            return f"Intercommunale {self.brand()} {c(PLACES)}"
        return f"{self.brand()} {c(('GmbH', 'SA', 'Ltd', 'BV', 'SAS', 'AB'))}"

    def description(self, name: str) -> tuple[str, str]:
        c = self.rng.choice
        (v1, o1, x1), (v2, o2, x2) = ((c(VERBS), c(OBJECTS), c(CONTEXTS)) for _ in range(2))
        closer = self.rng.randrange(len(NL_CLOSERS))
        nl = f"{name} {v1[0]} {o1[0]} {x1[0]}. Daarnaast {v2[0]} het {o2[0]} {x2[0]}."
        en = f"{name} {v1[1]} {o1[1]} {x1[1]}. It also {v2[1]} {o2[1]} {x2[1]}."
        if self.rng.random() < 0.3:
            nl, en = f"{nl} {NL_CLOSERS[closer]}", f"{en} {EN_CLOSERS[closer]}"
        return nl, en


def _weighted(rng: random.Random, items: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(items, weights=[i[-1] for i in items])[0]


def _reserve_ids(model: Any, count: int) -> list[int]:
    """Take `count` ids from the table's sequence, so rows can be copied with known keys."""
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [model._meta.db_table, count])
        return [int(r[0]) for r in cur.fetchall()]


def _copy(model: Any, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    """Stream `rows` (column -> value) into the model's table with COPY; other columns get the
    field's default. Triggers fire as for INSERT (search vectors are filled)."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.column not in columns)]
    defaults = {f.column: f.get_db_prep_save(f.get_default(), connection) for f in fields if f.column not in columns}
    all_columns = [*columns, *defaults]
    fixed = [defaults[c] for c in defaults]
    sql = f"COPY {model._meta.db_table} ({', '.join(all_columns)}) FROM STDIN"
    count = 0
    with connection.cursor() as cur:
        # Any statement through Django's cursor lets pgtrigger.ignore set its transaction-local switch.
        cur.execute("SELECT 1")
        with cur.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([*(row[c] for c in columns), *fixed])
                count += 1
    return count


def _m2m(field: Any, pairs: Iterable[tuple[int, int]]) -> int:
    through = field.through
    src = field.field.m2m_column_name()
    dst = field.field.m2m_reverse_name()
    return _copy(through, [src, dst], ({src: a, dst: b} for a, b in pairs))


def _pick(rng: random.Random, pool: list[int], lo: int, hi: int) -> list[int]:
    if not pool:
        return []
    return rng.sample(pool, min(len(pool), rng.randint(lo, hi)))


def generate(*, organisations: int, instruments: int, seed: int = 0, with_history: bool = False) -> SyntheticResult:
    """Add `organisations` synthetic organisations and `instruments` synthetic instruments."""
    from helix.actors.models import Organisation

    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    with transaction.atomic(), _history(with_history):
        org_ids, offering_ids, network_ids = _generate_organisations(rng, organisations)
        n_mem = _generate_memberships(rng, org_ids, network_ids)
        if not offering_ids:
            # Instruments only: offered by existing synthetic organisations.
            synthetic_orgs = Organisation.objects.filter(slug__startswith=SYNTHETIC_PREFIX, source=SYNTHETIC_SOURCE)
            offering_ids = list(synthetic_orgs.values_list("pk", flat=True)[:1000])
        n_ins = _generate_instruments(rng, instruments, offering_ids)
    return SyntheticResult(
        organisations=len(org_ids), instruments=n_ins, memberships=n_mem, seconds=time.perf_counter() - started
    )


ORG_COLUMNS = (
    "id", "slug", "source", "last_verified", "created_at", "updated_at", "name", "kind", "subkind", "helix_role",
    "sector", "founded_year", "size_class", "website", "description_nl", "description_en", "roles", "province_id",
    "country", "status",
)  # fmt: skip


def _generate_organisations(rng: random.Random, count: int) -> tuple[list[int], list[int], list[int]]:
    from helix.actors.models import Organisation, Province

    if count <= 0:
        return [], [], []
    words = _Words(rng)
    first = _next_number("actors_organisation", "org")
    today = timezone.localdate()
    now = timezone.now()
    provinces = list(Province.objects.filter(region__refnis="02000").values_list("pk", flat=True)) or list(
        Province.objects.values_list("pk", flat=True)
    )
    ids = _reserve_ids(Organisation, count)
    kinds: list[str] = []

    def rows() -> Iterator[dict[str, Any]]:
        for i, pk in enumerate(ids):
            kind, role, _w = _weighted(rng, KINDS)
            kinds.append(kind)
            name = words.org_name(kind)
            nl, en = words.description(name)
            foreign = kind == "foreign_organisation"
            number = first + i
            yield {
                "id": pk,
                "slug": f"{SYNTHETIC_PREFIX}org-{number}",
                "source": SYNTHETIC_SOURCE,
                "last_verified": today - datetime.timedelta(days=rng.randint(0, 6 * 365)),
                "created_at": now,
                "updated_at": now,
                "name": name,
                "kind": kind,
                "subkind": rng.choice(SUBKINDS[kind]),
                "helix_role": role,
                "sector": rng.choice(NAME_CORES),
                "founded_year": min(today.year, int(2024 - rng.expovariate(1 / 18))) if rng.random() < 0.85 else None,
                "size_class": rng.choice(("micro", "micro", "small", "small", "medium", "large")) if kind == "company" else "",
                "website": f"https://{SYNTHETIC_PREFIX}org-{number}.example.org",
                "description_nl": nl,
                "description_en": en if rng.random() < 0.7 else "",
                "roles": rng.sample(ROLES, rng.randint(0, 3)),
                "province_id": None if foreign or not provinces else rng.choice(provinces),
                "country": rng.choice(("NL", "DE", "FR", "GB", "ES")) if foreign else "BE",
                "status": "active" if rng.random() < 0.93 else "inactive",
            }

    _copy(Organisation, ORG_COLUMNS, rows())
    offering = [pk for pk, k in zip(ids, kinds, strict=True) if k in OFFERING_KINDS]
    networks = [pk for pk, k in zip(ids, kinds, strict=True) if k in ("intermediary", "network_or_programme")]
    # Taxonomy links, when the reference data is loaded.
    domains, sdgs, nace, chain = _terms("domains"), _terms("sdgs"), _terms("nace"), _terms("value-chain-roles")
    _m2m(Organisation.domains, ((pk, t) for pk in ids for t in _pick(rng, domains, 0, 3)))
    _m2m(Organisation.sdgs, ((pk, t) for pk in ids for t in _pick(rng, sdgs, 0, 2)))
    companies = (pk for pk, k in zip(ids, kinds, strict=True) if k == "company")
    _m2m(Organisation.nace_sections, ((pk, t) for pk in companies for t in _pick(rng, nace, 1, 1)))
    _m2m(Organisation.value_chain_roles, ((pk, t) for pk in ids for t in _pick(rng, chain, 0, 2)))
    # About 1% merged into another synthetic organisation.
    merged = rng.sample(ids, len(ids) // 100) if len(ids) > 1 else []
    if merged:
        targets = [rng.choice(ids) for _ in merged]
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE actors_organisation o SET status = 'merged', merged_into_id = m.target"
                " FROM unnest(%s::bigint[], %s::bigint[]) AS m(id, target) WHERE o.id = m.id AND m.id <> m.target",
                [merged, targets],
            )
    return ids, offering, networks


MEMBERSHIP_COLUMNS = ("slug", "subject_id", "predicate", "object_id", "start_date", "source")


def _generate_memberships(rng: random.Random, org_ids: list[int], network_ids: list[int]) -> int:
    """About 30% of the organisations are members or partners of one or two networks."""
    from helix.actors.models import Membership

    if not network_ids:
        return 0
    first = _next_number("actors_membership", "m")
    rows: list[dict[str, Any]] = []
    for pk in org_ids:
        if rng.random() >= 0.3:
            continue
        for target in sorted({rng.choice(network_ids) for _ in range(rng.randint(1, 2))} - {pk}):
            rows.append(
                {
                    "slug": f"{SYNTHETIC_PREFIX}m-{first + len(rows)}",
                    "subject_id": pk,
                    "predicate": rng.choice(("member_of", "member_of", "partner_of", "part_of")),
                    "object_id": target,
                    "start_date": datetime.date(rng.randint(2010, 2024), rng.randint(1, 12), 1) if rng.random() < 0.5 else None,
                    "source": SYNTHETIC_SOURCE,
                }
            )
    return _copy(Membership, MEMBERSHIP_COLUMNS, rows)


def _instrument_dates(rng: random.Random, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    shape = rng.random()
    if shape < 0.2:  # permanent
        return None, None
    opens = today + datetime.timedelta(days=rng.randint(-5 * 365, 200))
    if shape < 0.3:  # open-ended
        return opens, None
    return opens, opens + datetime.timedelta(days=rng.randint(30, 2 * 365))


INSTRUMENT_COLUMNS = (
    "id", "slug", "source", "last_verified", "created_at", "updated_at", "title", "title_nl", "kind",
    "instrument_type_id", "offered_by_id", "parent_id", "eu_category_id", "policy_level", "country", "description_nl",
    "description_en", "link", "target_groups", "municipality_sizes", "consortium_required", "funding_forms",
    "cofinancing_rate", "amount_min", "amount_max", "total_budget", "opens_on", "closes_on", "deadlines", "url",
)  # fmt: skip


def _generate_instruments(rng: random.Random, count: int, offering_ids: list[int]) -> int:
    """Programmes (~10%), their priority axes (~20%) and calls (the rest; 60% under an axis)."""
    from helix.instruments.models import Instrument

    if count <= 0:
        return 0
    words = _Words(rng)
    first = _next_number("instruments_instrument", "ins")
    today = timezone.localdate()
    now = timezone.now()
    types, eu_cats = _terms("instrument-types"), _terms("eu-funding-categories")
    ids = _reserve_ids(Instrument, count)
    n_prog = max(1, count // 10)
    n_axis = min(count - n_prog, count // 5)
    prog_ids, axis_ids = ids[:n_prog], ids[n_prog : n_prog + n_axis] or ids[:n_prog]

    def row(i: int, pk: int) -> dict[str, Any]:
        theme = rng.randrange(len(INSTRUMENT_THEMES_NL))
        year = rng.randint(2014, today.year + 1)
        if i < n_prog:
            parent = None
            title = f"{rng.choice(PROGRAMME_WORDS)} {INSTRUMENT_THEMES_EN[theme]} {words.brand()} {year}"
            title_nl = f"{rng.choice(PROGRAMME_WORDS[:2])} {INSTRUMENT_THEMES_NL[theme]} {year}"
        elif i < n_prog + n_axis:
            parent = rng.choice(prog_ids)
            title = f"{rng.choice(AXIS_WORDS)} {rng.randint(1, 6)}: {INSTRUMENT_THEMES_EN[theme]} {words.brand()}"
            title_nl = f"Prioriteit: {INSTRUMENT_THEMES_NL[theme]}"
        else:
            parent = rng.choice(axis_ids) if rng.random() < 0.6 else None
            title = f"{rng.choice(CALL_WORDS)} {INSTRUMENT_THEMES_EN[theme]} {words.brand()} {year}"
            title_nl = f"Oproep {INSTRUMENT_THEMES_NL[theme]} {year}"
        nl, en = words.description(title)
        opens, closes = _instrument_dates(rng, today)
        financial = rng.random() < 0.7
        amount_min = Decimal(rng.choice((0, 5_000, 10_000, 25_000, 50_000))) if rng.random() < 0.6 else None
        amount_max = (amount_min or Decimal(0)) + Decimal(rng.choice((50_000, 100_000, 250_000, 1_000_000)))
        number = first + i
        return {
            "id": pk,
            "slug": f"{SYNTHETIC_PREFIX}ins-{number}",
            "source": SYNTHETIC_SOURCE,
            "last_verified": today - datetime.timedelta(days=rng.randint(0, 4 * 365)),
            "created_at": now,
            "updated_at": now,
            "title": title,
            "title_nl": title_nl if rng.random() < 0.6 else "",
            "kind": "financial" if financial else "matchmaking",
            "instrument_type_id": rng.choice(types) if types else None,
            "offered_by_id": rng.choice(offering_ids) if offering_ids else None,
            "parent_id": parent,
            "eu_category_id": rng.choice(eu_cats) if eu_cats and rng.random() < 0.3 else None,
            "policy_level": _weighted(rng, POLICY_LEVELS)[0],
            "country": "BE",
            "description_nl": nl,
            "description_en": en,
            "link": rng.choice(("direct", "indirect")),
            "target_groups": rng.sample(("gemeenten", "kmo's", "start-ups", "onderzoekers", "burgers"), rng.randint(0, 2)),
            "municipality_sizes": rng.sample(MUNICIPALITY_SIZES, rng.randint(0, 2)),
            "consortium_required": rng.choice((True, False, None)),
            "funding_forms": rng.sample(FUNDING_FORMS, rng.randint(1, 2)) if financial else ["coaching"],
            "cofinancing_rate": Decimal(rng.choice((25, 40, 50, 60, 75, 100))) if rng.random() < 0.5 else None,
            "amount_min": amount_min if financial else None,
            "amount_max": amount_max if financial else None,
            "total_budget": amount_max * rng.randint(5, 200) if financial and rng.random() < 0.5 else None,
            "opens_on": opens,
            "closes_on": closes,
            "deadlines": [closes] if closes else [],
            "url": f"https://{SYNTHETIC_PREFIX}ins-{number}.example.org",
        }

    # Parents are copied before their children (the parent key is checked per row).
    n = _copy(Instrument, INSTRUMENT_COLUMNS, (row(i, pk) for i, pk in enumerate(ids)))
    phases, applicants, domains = _terms("phases"), _terms("applicant-types"), _terms("domains")
    _m2m(Instrument.phases, ((pk, t) for pk in ids for t in _pick(rng, phases, 1, 3)))
    _m2m(Instrument.applicant_types, ((pk, t) for pk in ids for t in _pick(rng, applicants, 1, 3)))
    _m2m(Instrument.domains, ((pk, t) for pk in ids for t in _pick(rng, domains, 0, 3)))
    return n
