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
