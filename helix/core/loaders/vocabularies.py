"""Fixed vocabularies that are public facts or Helix's own documented sets (nl + en labels).

The study-specific schemes (domains, building blocks, EU funding categories) are read from
`data/seed/`; see `helix.core.loaders.reference`.
"""

from __future__ import annotations

from typing import NamedTuple


class TermSpec(NamedTuple):
    code: str
    label_nl: str
    label_en: str
    definition: str = ""


# The 17 UN Sustainable Development Goals, official short names (en: un.org; nl: sdgs.be).
SDGS: list[TermSpec] = [
    TermSpec("1", "Geen armoede", "No poverty"),
    TermSpec("2", "Geen honger", "Zero hunger"),
    TermSpec("3", "Goede gezondheid en welzijn", "Good health and well-being"),
    TermSpec("4", "Kwaliteitsonderwijs", "Quality education"),
    TermSpec("5", "Gendergelijkheid", "Gender equality"),
    TermSpec("6", "Schoon water en sanitair", "Clean water and sanitation"),
    TermSpec("7", "Betaalbare en duurzame energie", "Affordable and clean energy"),
    TermSpec("8", "Waardig werk en economische groei", "Decent work and economic growth"),
    TermSpec("9", "Industrie, innovatie en infrastructuur", "Industry, innovation and infrastructure"),
    TermSpec("10", "Ongelijkheid verminderen", "Reduced inequalities"),
    TermSpec("11", "Duurzame steden en gemeenschappen", "Sustainable cities and communities"),
    TermSpec("12", "Verantwoorde consumptie en productie", "Responsible consumption and production"),
    TermSpec("13", "Klimaatactie", "Climate action"),
    TermSpec("14", "Leven in het water", "Life below water"),
    TermSpec("15", "Leven op het land", "Life on land"),
    TermSpec("16", "Vrede, justitie en sterke publieke diensten", "Peace, justice and strong institutions"),
    TermSpec("17", "Partnerschap om doelstellingen te bereiken", "Partnerships for the goals"),
]
SDGS_SOURCE = "United Nations, Sustainable Development Goals (2015); Dutch names as used by sdgs.be"

# NACE Rev. 2 sections (Regulation (EC) No 1893/2006); Dutch labels of NACE-BEL 2008 (Statbel).
NACE_SECTIONS: list[TermSpec] = [
    TermSpec("A", "Landbouw, bosbouw en visserij", "Agriculture, forestry and fishing"),
    TermSpec("B", "Winning van delfstoffen", "Mining and quarrying"),
    TermSpec("C", "Industrie", "Manufacturing"),
    TermSpec(
        "D",
        "Productie en distributie van elektriciteit, gas, stoom en gekoelde lucht",
        "Electricity, gas, steam and air conditioning supply",
    ),
    TermSpec(
        "E",
        "Distributie van water; afval- en afvalwaterbeheer en sanering",
        "Water supply; sewerage, waste management and remediation activities",
    ),
    TermSpec("F", "Bouwnijverheid", "Construction"),
    TermSpec(
        "G",
        "Groot- en detailhandel; reparatie van auto's en motorfietsen",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    TermSpec("H", "Vervoer en opslag", "Transportation and storage"),
    TermSpec("I", "Verschaffen van accommodatie en maaltijden", "Accommodation and food service activities"),
    TermSpec("J", "Informatie en communicatie", "Information and communication"),
    TermSpec("K", "Financiële activiteiten en verzekeringen", "Financial and insurance activities"),
    TermSpec("L", "Exploitatie van en handel in onroerend goed", "Real estate activities"),
    TermSpec(
        "M",
        "Vrije beroepen en wetenschappelijke en technische activiteiten",
        "Professional, scientific and technical activities",
    ),
    TermSpec("N", "Administratieve en ondersteunende diensten", "Administrative and support service activities"),
    TermSpec(
        "O",
        "Openbaar bestuur en defensie; verplichte sociale verzekeringen",
        "Public administration and defence; compulsory social security",
    ),
    TermSpec("P", "Onderwijs", "Education"),
    TermSpec(
        "Q",
        "Menselijke gezondheidszorg en maatschappelijke dienstverlening",
        "Human health and social work activities",
    ),
    TermSpec("R", "Kunst, amusement en recreatie", "Arts, entertainment and recreation"),
    TermSpec("S", "Overige diensten", "Other service activities"),
    TermSpec(
        "T",
        "Huishoudens als werkgever; niet-gedifferentieerde productie van goederen en diensten door huishoudens "
        "voor eigen gebruik",
        "Activities of households as employers; undifferentiated goods- and services-producing activities of "
        "households for own use",
    ),
    TermSpec("U", "Extraterritoriale organisaties en lichamen", "Activities of extraterritorial organisations and bodies"),
]
NACE_SOURCE = "NACE Rev. 2 (Eurostat, Regulation (EC) No 1893/2006); Dutch labels from NACE-BEL 2008 (Statbel)"

# Instrument types: the ten the study uses (data/seed/instruments.yaml) plus two for later imports.
INSTRUMENT_TYPES: list[TermSpec] = [
    TermSpec("programme", "Programma", "Programme", "A funding or support programme, often with calls or sub-programmes."),
    TermSpec("call", "Oproep", "Call", "A call for proposals with a submission period."),
    TermSpec("fund", "Fonds", "Fund", "A fund that finances projects, directly or through programmes."),
    TermSpec("grant", "Subsidie", "Grant", "A grant scheme outside a call (e.g. open all year)."),
    TermSpec("loan", "Lening", "Loan", "Loans or other repayable finance."),
    TermSpec("prize", "Prijs", "Prize", "A prize or award with money."),
    TermSpec(
        "procurement_support",
        "Ondersteuning bij aankopen",
        "Procurement support",
        "Help with (innovative) public procurement: framework contracts, purchasing centres, co-financing.",
    ),
    TermSpec("network", "Netwerk", "Network", "A network or cluster that connects actors."),
    TermSpec("matchmaking", "Matchmaking", "Matchmaking", "Bringing demand and supply together."),
    TermSpec("coaching", "Coaching en opleiding", "Coaching and training", "Coaching, training or advice."),
    TermSpec("other", "Andere", "Other", "Any other instrument."),
]

PHASES: list[TermSpec] = [
    TermSpec("research", "Onderzoek", "Research", "Fundamental or applied research."),
    TermSpec("study", "Studie", "Study", "Feasibility, preparatory or strategy study."),
    TermSpec("pilot", "Proefproject", "Pilot", "A test in real conditions on a limited scale."),
    TermSpec(
        "implementation",
        "Implementatie en opschaling",
        "Implementation and scale-up",
        "Rolling out a tested solution, or scaling it up to more places.",
    ),
    TermSpec("operation", "Exploitatie", "Operation", "Running and maintaining a solution in production."),
]

# Who may apply for an instrument (instruments.applicant_types). Helix's own set, chosen so that
# the study's target groups map onto it; documented in docs/data-model.md.
APPLICANT_TYPES: list[TermSpec] = [
    TermSpec("municipality", "Stad of gemeente", "City or municipality"),
    TermSpec("intercommunale", "Intercommunale", "Intercommunale", "Inter-municipal association."),
    TermSpec(
        "other-local-government",
        "Andere lokale overheid",
        "Other local government",
        "Provinces, OCMWs (public centres for social welfare), police and rescue zones, autonomous municipal companies.",
    ),
    TermSpec("regional-government", "Vlaamse of federale overheid", "Flemish or federal government"),
    TermSpec("company", "Onderneming", "Company", "Any company, whatever its size."),
    TermSpec("sme", "Kmo", "SME", "Small or medium-sized enterprise (EU definition)."),
    TermSpec("start-up", "Start-up of scale-up", "Start-up or scale-up"),
    TermSpec(
        "knowledge-institution", "Kennisinstelling", "Knowledge institution", "University, university college, research centre."
    ),
    TermSpec("non-profit", "Vzw of non-profit", "Non-profit organisation"),
    TermSpec("consortium", "Consortium", "Consortium", "Several partners applying together."),
    TermSpec("citizen", "Burger of burgerinitiatief", "Citizen or citizen initiative", "Including citizen cooperatives."),
]

VALUE_CHAIN_ROLES: list[TermSpec] = [
    TermSpec("devices-sensors", "Toestellen en sensoren", "Devices and sensors"),
    TermSpec("connectivity", "Connectiviteit", "Connectivity"),
    TermSpec("data-platform", "Dataplatform", "Data platform"),
    TermSpec("analytics-ai", "Analyse en AI", "Analytics and AI"),
    TermSpec("applications-dashboards", "Toepassingen en dashboards", "Applications and dashboards"),
    TermSpec("integration-advice", "Integratie en advies", "Integration and advice"),
    TermSpec("infrastructure-utilities", "Infrastructuur en nutsvoorzieningen", "Infrastructure and utilities"),
]

# Why an organisation is in the inventory (actors.inclusion_reasons).
INCLUSION_REASONS: list[TermSpec] = [
    TermSpec("study-mention", "Vermeld in de landschapsstudie", "Named in the landscape study", "Named in the 2020 study."),
    TermSpec("consulted", "Geconsulteerd voor de studie", "Consulted for the study", "Interviewed or at a round table."),
    TermSpec("membership", "Lid van een smart-city-netwerk", "Member of a smart-city network"),
    TermSpec("award", "Prijs of erkenning", "Award or recognition"),
    TermSpec("project-call", "Project in een oproep", "Project in a call", "Took part in a funded call."),
    TermSpec("coordinator-appointed", "Smart-city-coördinator aangesteld", "Smart-city coordinator appointed"),
    TermSpec("self-registered", "Zelf geregistreerd", "Registered itself", "Signed up on Helix."),
    TermSpec("curator-added", "Toegevoegd door een curator", "Added by a curator"),
]

# The policy levels of instruments.PolicyLevel, as terms (for faceting and imports).
POLICY_LEVELS: list[TermSpec] = [
    TermSpec("european", "Europees", "European"),
    TermSpec("national", "Federaal", "National (federal)"),
    TermSpec("flemish", "Vlaams", "Flemish"),
    TermSpec("regional", "Regionaal (ander gewest)", "Regional (other region)"),
    TermSpec("local", "Lokaal", "Local"),
    TermSpec("private", "Privaat", "Private"),
]

# EU funding categories: seed label (taxonomy.yaml eu_funding_categories[].id) -> term.
EU_FUNDING_CATEGORIES: dict[str, TermSpec] = {
    "ESIF": TermSpec(
        "esif", "Europese structuur- en investeringsfondsen (ESIF)", "European Structural and Investment Funds (ESIF)"
    ),
    "EU funding programme": TermSpec("eu-funding-programme", "Europese financieringsprogramma's", "European funding programmes"),
    "Project development assistance": TermSpec(
        "project-development-assistance", "Projectontwikkelingshulp", "Project development assistance"
    ),
    "Financial institution instrument": TermSpec(
        "financial-institution-instrument", "Instrumenten van financiële instellingen", "Financial institution instruments"
    ),
    "Alternative financing": TermSpec(
        "alternative-financing", "Alternatieve financieringsregelingen", "Alternative financing schemes"
    ),
}


# --------------------------------------------------------------------------------------------
# Instrument eligibility as Helix reads it from the study (the funding finder, issue 3).
#
# The study states who an instrument is for only as free text (`target_groups` in
# data/seed/instruments.yaml). `load_study` turns that text into structured eligibility with
# the tables below: applicant types (scheme "applicant-types"), territorial areas and, where
# the text names them, the only organisations that may apply. Every reading is an
# interpretation by Helix, documented here and in docs/data-model.md ("Eligibility as
# interpreted by Helix"); the instrument's notes say so too. A target group that is not in the
# table gives no structured eligibility: the funding finder then answers "unknown" for it.
#
# Area codes (the same codes the funding finder gives applicants, helix/matching/adapters.py):
# - a municipality, province or region: its Statbel REFNIS code ("44021" Gent, "70000"
#   Limburg, "02000" the Flemish Region);
# - a country: its ISO 3166-1 alpha-2 code in lower case ("be", "nl");
# - a named area that is no administrative unit: a code of NAMED_AREAS ("kempen").
# --------------------------------------------------------------------------------------------

BELGIUM = "be"
FLEMISH_REGION = "02000"
BRUSSELS_REGION = "04000"
PROVINCE_LIMBURG = "70000"
PROVINCE_WEST_FLANDERS = "30000"
REFNIS_ANTWERPEN = "11002"
REFNIS_GENT = "44021"


class NamedArea(NamedTuple):
    """An area that is no administrative unit, with its member municipalities (REFNIS, name)."""

    code: str
    label_nl: str
    label_en: str
    members: tuple[tuple[str, str], ...]
    source: str


# The Kempen (Campine) as used by the ERDF "integrated territorial investment" (GTI) Kempen.
# The study names the area ("actors in the Kempen region") but not its municipalities; Helix
# takes the definition of the Kempen's own regional bodies: "Het Streekplatform Kempen werkt
# voor 29 Kempense gemeenten: het arrondissement Turnhout en Heist-op-den-Berg en Nijlen."
# (the arrondissement Turnhout, REFNIS 13xxx, plus Heist-op-den-Berg and Nijlen).
KEMPEN = NamedArea(
    code="kempen",
    label_nl="Kempen",
    label_en="Kempen (Campine)",
    members=(
        ("12014", "Heist-op-den-Berg"),
        ("12026", "Nijlen"),
        ("13001", "Arendonk"),
        ("13002", "Baarle-Hertog"),
        ("13003", "Balen"),
        ("13004", "Beerse"),
        ("13006", "Dessel"),
        ("13008", "Geel"),
        ("13010", "Grobbendonk"),
        ("13011", "Herentals"),
        ("13012", "Herenthout"),
        ("13013", "Herselt"),
        ("13014", "Hoogstraten"),
        ("13016", "Hulshout"),
        ("13017", "Kasterlee"),
        ("13019", "Lille"),
        ("13021", "Meerhout"),
        ("13023", "Merksplas"),
        ("13025", "Mol"),
        ("13029", "Olen"),
        ("13031", "Oud-Turnhout"),
        ("13035", "Ravels"),
        ("13036", "Retie"),
        ("13037", "Rijkevorsel"),
        ("13040", "Turnhout"),
        ("13044", "Vorselaar"),
        ("13046", "Vosselaar"),
        ("13049", "Westerlo"),
        ("13053", "Laakdal"),
    ),
    source=(
        "Streekplatform Kempen: 'Het Streekplatform Kempen werkt voor 29 Kempense gemeenten: het "
        "arrondissement Turnhout en Heist-op-den-Berg en Nijlen.' The study names the Kempen GTI "
        "(data/seed/instruments.yaml: gti-kempen, 'actors in the Kempen region') without listing its municipalities."
    ),
)

NAMED_AREAS: dict[str, NamedArea] = {KEMPEN.code: KEMPEN}


# Country area codes the study's instruments use, with Dutch and English names.
COUNTRY_AREAS: dict[str, tuple[str, str]] = {
    "be": ("België", "Belgium"),
    "nl": ("Nederland", "The Netherlands"),
    "fr": ("Frankrijk", "France"),
    "de": ("Duitsland", "Germany"),
    "dk": ("Denemarken", "Denmark"),
    "fi": ("Finland", "Finland"),
    "us": ("Verenigde Staten", "United States"),
    "in": ("India", "India"),
    "ca": ("Canada", "Canada"),
}


def named_areas_of(refnis: str) -> list[str]:
    """The codes of the named areas a municipality (by REFNIS code) belongs to."""
    return [area.code for area in NAMED_AREAS.values() if any(code == refnis for code, _name in area.members)]


# Groups of applicant types the readings below share.
LOCAL_GOVERNMENT = ("municipality", "intercommunale", "other-local-government")
PUBLIC_ACTORS = (*LOCAL_GOVERNMENT, "regional-government")
COMPANIES = ("company",)  # an SME or start-up is a company too (the engine's TYPE_IMPLIES)
ACTORS = (*PUBLIC_ACTORS, "company", "knowledge-institution", "non-profit")  # "actors": any organisation


class TargetGroupReading(NamedTuple):
    """How Helix reads one of the study's target groups.

    applicant_types: codes of the "applicant-types" scheme that may apply;
    areas: the area codes the applicants must lie in (empty: no territorial restriction);
    organisations: seed ids (organisations.yaml) of the only organisations that may apply;
    municipality_sizes: the only municipality size classes that may apply (empty: every size);
    basis: why, when the reading goes beyond the words of the target group.
    """

    applicant_types: tuple[str, ...]
    areas: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    municipality_sizes: tuple[str, ...] = ()
    basis: str = ""


# Target group (as in data/seed/instruments.yaml, compared case- and accent-insensitively) ->
# reading. Every target group of the study is either here or in UNINTERPRETED_TARGET_GROUPS
# (a test checks this).
TARGET_GROUPS: dict[str, TargetGroupReading] = {
    # Cities and municipalities.
    "cities": TargetGroupReading(("municipality",)),
    "cities and municipalities": TargetGroupReading(("municipality",)),
    "municipalities and cities": TargetGroupReading(("municipality",)),
    "European cities": TargetGroupReading(("municipality",)),
    "city and municipal officials": TargetGroupReading(("municipality",), basis="officials apply through their municipality"),
    "mayors and aldermen": TargetGroupReading(("municipality",), basis="mayors and aldermen act for their municipality"),
    "urban authorities": TargetGroupReading(
        ("municipality",),
        municipality_sizes=("large",),
        basis="Urban Innovative Actions accept urban authorities of at least 50 000 inhabitants (UIA terms of "
        "reference); Helix's 'large' class is 50 000 or more, or a centrumstad",
    ),
    "municipalities and cities in the Kempen": TargetGroupReading(("municipality",), areas=(KEMPEN.code,)),
    "Antwerp": TargetGroupReading(("municipality",), organisations=("antwerpen",)),
    "Copenhagen": TargetGroupReading(("municipality",), organisations=("copenhagen",)),
    "Helsinki": TargetGroupReading(("municipality",), organisations=("helsinki",)),
    # Local and other governments.
    "local governments": TargetGroupReading(LOCAL_GOVERNMENT),
    "local governments (as matchmaking counterpart)": TargetGroupReading(LOCAL_GOVERNMENT),
    "local administrations": TargetGroupReading(LOCAL_GOVERNMENT),
    "member local governments": TargetGroupReading(
        LOCAL_GOVERNMENT, basis="the members of an intercommunale are local governments"
    ),
    "local officials": TargetGroupReading(LOCAL_GOVERNMENT, basis="officials apply through their local government"),
    "general and financial directors": TargetGroupReading(
        LOCAL_GOVERNMENT, basis="the general and financial directors of local governments (VVSG's audience)"
    ),
    "Belgian local governments": TargetGroupReading(LOCAL_GOVERNMENT, areas=(BELGIUM,)),
    "local and provincial governments in the Kempen": TargetGroupReading(LOCAL_GOVERNMENT, areas=(KEMPEN.code,)),
    "intercommunales": TargetGroupReading(("intercommunale",)),
    "OCMWs": TargetGroupReading(("other-local-government",)),
    "police zones": TargetGroupReading(("other-local-government",)),
    "hospitals": TargetGroupReading(
        ("other-local-government", "non-profit"), basis="Flemish hospitals are public (OCMW) or non-profit"
    ),
    "government": TargetGroupReading(PUBLIC_ACTORS),
    "governments posting contracts": TargetGroupReading(PUBLIC_ACTORS),
    "all Flemish public actors": TargetGroupReading(PUBLIC_ACTORS, areas=(FLEMISH_REGION,)),
    "Flemish public contracting authorities": TargetGroupReading(PUBLIC_ACTORS, areas=(FLEMISH_REGION,)),
    "public actors, including Flemish local governments": TargetGroupReading(PUBLIC_ACTORS, areas=(FLEMISH_REGION,)),
    "Flemish administrations": TargetGroupReading(("regional-government",), areas=(FLEMISH_REGION,)),
    "Flemish authorities": TargetGroupReading(("regional-government",), areas=(FLEMISH_REGION,)),
    "Flemish government entities with challenges": TargetGroupReading(("regional-government",), areas=(FLEMISH_REGION,)),
    "De Watergroep": TargetGroupReading(("regional-government",), basis="a Flemish public water company"),
    "VRT and De Lijn": TargetGroupReading(("regional-government",), basis="Flemish public companies"),
    "public bodies such as the Port of Antwerp": TargetGroupReading(
        ("regional-government", "other-local-government"),
        basis="public bodies; the Port of Antwerp was an autonomous municipal company",
    ),
    # Companies.
    "companies": TargetGroupReading(COMPANIES),
    "smart-city companies": TargetGroupReading(COMPANIES),
    "suppliers": TargetGroupReading(COMPANIES, basis="suppliers of smart-city solutions are companies"),
    "supplying industry": TargetGroupReading(COMPANIES),
    "SMEs": TargetGroupReading(("sme",)),
    "SMEs in the Kempen": TargetGroupReading(("sme",), areas=(KEMPEN.code,)),
    "start-ups": TargetGroupReading(("start-up",)),
    "scale-ups": TargetGroupReading(("start-up",), basis="the applicant type 'start-up' covers scale-ups"),
    "innovative start-ups": TargetGroupReading(("start-up",)),
    "Flemish smart-city start-ups": TargetGroupReading(("start-up",), areas=(FLEMISH_REGION,)),
    "private actors with legal personality in Flanders that respect EU state-aid rules": TargetGroupReading(
        ("company", "non-profit"), areas=(FLEMISH_REGION,), basis="private legal persons are companies and non-profits"
    ),
    # Knowledge institutions, non-profits, citizens.
    "knowledge institutions": TargetGroupReading(("knowledge-institution",)),
    "non-profits in education": TargetGroupReading(("non-profit",)),
    "non-profits in the social sector": TargetGroupReading(("non-profit",)),
    "civil society": TargetGroupReading(("non-profit", "citizen")),
    "citizens": TargetGroupReading(("citizen",)),
    "existing citizen initiatives": TargetGroupReading(("citizen",)),
    "neighbourhood citizen cooperatives": TargetGroupReading(("citizen",)),
    # "Actors" of a place: any organisation there.
    "Flemish stakeholders": TargetGroupReading(ACTORS, areas=(FLEMISH_REGION,)),
    "actors from Gent": TargetGroupReading(ACTORS, areas=(REFNIS_GENT,)),
    "actors from Antwerpen": TargetGroupReading(ACTORS, areas=(REFNIS_ANTWERPEN,)),
    "actors in Limburg": TargetGroupReading(ACTORS, areas=(PROVINCE_LIMBURG,)),
    "actors in West Flanders": TargetGroupReading(ACTORS, areas=(PROVINCE_WEST_FLANDERS,)),
    "actors in the Kempen region": TargetGroupReading(ACTORS, areas=(KEMPEN.code,)),
}

# Target groups that name no applicant: left without structured eligibility, on purpose.
UNINTERPRETED_TARGET_GROUPS: dict[str, str] = {
    "rural areas of the EU": "names a kind of area, not who may apply",
    "sustainable urban development projects": "names a kind of project, not who may apply",
    "spearhead clusters": "names the clusters a project must belong to, not who may apply",
}

# Instruments whose territory follows from who offers them rather than from a target group.
# Flemish-government instruments (policy level "flemish") are for applicants in Flanders unless
# a target group names a smaller area; instruments of a foreign country are for that country
# (the `country` field); these are the exceptions that need a word of explanation.
POLICY_LEVEL_AREAS: dict[str, tuple[str, ...]] = {"flemish": (FLEMISH_REGION,)}
INSTRUMENT_AREAS: dict[str, tuple[tuple[str, ...], str]] = {
    "brussels-neighbourhood-cooperative-budget": (
        (BRUSSELS_REGION,),
        "a budget of the Brussels-Capital Region for its own neighbourhoods",
    ),
}

# The study's `domains_covered` (Belfius-EIB programme) -> terms of the "domains" scheme.
DOMAINS_COVERED: dict[str, tuple[str, ...]] = {
    "energy": ("affordable-and-sustainable-energy",),
    "mobility": ("smart-mobility",),
    "urban development": ("sustainable-cities-and-communities",),
    "water": ("water-use-clean-water-and-sanitation",),
    "waste": ("waste-management",),
    "e-government incl. open data": ("digital-transformation-and-use-of-data", "strong-public-services"),
}
