"""Demo and test content for the standards pages: the same data serves both.

Borough standards vary credibly between boroughs (first contact within 24 hours or one
working day, high-risk visits within 24 or 48 hours...), always at least as good as the
London-wide minimum. Phone numbers are Ofcom's drama range (020 7946 0xxx) and email
addresses use the reserved .invalid domain, so nothing here reaches a real person.

Ward codes: Hackney's are the 2014 wards (still current). Lambeth's, Harrow's and
Richmond's are the wards of the 2011 Home Office ASB trials (2002-2022 boundaries).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.text import slugify

LONDON_INTRO = (
    "In 2010 every London borough published minimum standards for dealing with anti-social "
    "behaviour. These are the standards every borough meets, wherever you live in London."
)

LONDON_COMMITMENTS: list[dict] = [
    {"text": "We will record every report and give you a reference", "metric": ""},
    {
        "text": "We will contact you about your report",
        "metric": "first_contact",
        "target_value": 48,
        "target_unit": "hours",
    },
    {
        "text": "We will visit you if you are at high risk of harm",
        "metric": "visit_high_risk",
        "target_value": 48,
        "target_unit": "hours",
    },
    {
        "text": "We will tell your local Safer Neighbourhoods team about your report",
        "metric": "sn_notification",
        "target_value": 72,
        "target_unit": "hours",
    },
    {
        "text": "We will keep you updated on what we are doing",
        "metric": "update_frequency",
        "target_value": 28,
        "target_unit": "days",
    },
    {
        "text": "We will answer a request for an ASB case review",
        "metric": "case_review_response",
        "target_value": 15,
        "target_unit": "working_days",
    },
    {
        "text": "We will ask you the same questions everywhere in London to find out whether you "
        "are at risk, or have reported before",
        "metric": "",
    },
    {"text": "Every borough has a named senior lead for anti-social behaviour", "metric": ""},
]

LONDON_BODY: list[dict] = [
    {"type": "heading", "value": "Where these standards come from"},
    {
        "type": "paragraph",
        "value": "<p>On 31 March 2010 all 33 London boroughs submitted ASB minimum standards, "
        "to tell local people what services are available to report anti-social behaviour, "
        "and what to expect from local partnerships if you are a victim or witness. The London "
        "ASB Board then set out to agree standards that apply everywhere, so that wherever you "
        "live in London you get the same standard of reporting and protection.</p>",
    },
    {
        "type": "callout",
        "value": {
            "style": "inset",
            "text": "<p>If you are not happy with how your reports have been handled, you can ask "
            "for an <b>ASB case review</b> (sometimes called the community trigger).</p>",
        },
    },
]


def _target(text: str, metric: str, value: int, unit: str) -> dict:
    return {"text": text, "metric": metric, "target_value": value, "target_unit": unit}


def borough_commitments(index: int) -> list[dict]:
    """A borough's standards, varied by its position in the list of boroughs."""
    first_contact = [(24, "hours"), (1, "working_days"), (48, "hours")][index % 3]
    high_risk = [(24, "hours"), (48, "hours")][index % 2]
    updates = [(14, "days"), (28, "days"), (7, "days")][index % 3]
    case_review = [(10, "working_days"), (15, "working_days")][(index // 2) % 2]
    action_plan = [(5, "working_days"), (10, "working_days")][(index // 3) % 2]
    sn_notice = [(24, "hours"), (72, "hours")][(index // 4) % 2]
    return [
        _target(
            "We will acknowledge a report made online or by email",
            "acknowledge_report",
            1,
            "working_days",
        ),
        _target("We will contact you to talk about what happened", "first_contact", *first_contact),
        _target(
            "We will visit you if you are a vulnerable or repeat victim at high risk",
            "visit_high_risk",
            *high_risk,
        ),
        _target("We will tell your Safer Neighbourhoods team", "sn_notification", *sn_notice),
        _target("We will agree an action plan with you", "action_plan", *action_plan),
        _target("We will update you on your case", "update_frequency", *updates),
        _target(
            "We will answer a request for an ASB case review", "case_review_response", *case_review
        ),
        {
            "text": "We will check whether you have reported before and ask about your safety",
            "metric": "",
        },
        {"text": "We will tell you before we close your case, and why", "metric": ""},
        {"text": "We will treat what you tell us in confidence", "metric": ""},
    ]


def borough_slug(name: str) -> str:
    return slugify(name)


KNOWN_FRONT_COUNTERS = {
    "E09000012": (
        "Stoke Newington police station",
        "33 Stoke Newington High Street\nLondon\nN16 8DS",
    ),
    "E09000022": ("Brixton police station", "367 Brixton Road\nLondon\nSW9 7DD"),
    "E09000015": ("Harrow police station", "74 Northolt Road\nHarrow\nHA2 0DN"),
    "E09000027": ("Twickenham police station", "41 London Road\nTwickenham\nTW1 3SY"),
    "E09000001": ("Bishopsgate police station", "182 Bishopsgate\nLondon\nEC2M 4NP"),
}


def front_counters(code: str, name: str, index: int) -> list[dict]:
    station, address = KNOWN_FRONT_COUNTERS.get(
        code,
        (f"{name} police station", f"The address is on the police website.\n{name}, London"),
    )
    if index % 4 == 0:
        hours = [{"days": "Every day", "opens": None, "closes": None, "open_24_hours": True}]
    elif index % 4 == 1:
        hours = [
            {
                "days": "Monday to Friday",
                "opens": "08:00",
                "closes": "22:00",
                "open_24_hours": False,
            },
            {
                "days": "Saturday and Sunday",
                "opens": "10:00",
                "closes": "18:00",
                "open_24_hours": False,
            },
        ]
    else:
        hours = [
            {"days": "Every day", "opens": "08:00", "closes": "20:00", "open_24_hours": False},
        ]
    return [{"name": station, "address": address, "opening_hours": hours}]


def reporting_channels(code: str, name: str, index: int) -> list[dict]:
    police = "City of London Police" if code == "E09000001" else "the police"
    council_line = f"020 7946 0{100 + index:03d}"
    return [
        {
            "kind": "phone",
            "label": f"Phone {police} (non-emergency)",
            "value": "101",
            "hours": "24 hours",
            "notes": "",
        },
        {
            "kind": "textphone",
            "label": "Textphone (non-emergency)",
            "value": "18001 101",
            "hours": "24 hours",
            "notes": "",
        },
        {
            "kind": "phone",
            "label": f"{name} Council ASB line",
            "value": council_line,
            "hours": "Monday to Friday, 9am to 5pm",
            "notes": "Out of hours noise: use the same number.",
        },
        {
            "kind": "email",
            "label": f"{name} Council ASB team",
            "value": f"asb@{borough_slug(name)}.council.invalid",
            "hours": "",
            "notes": "",
        },
    ]


HOUSING_PROVIDERS = [
    ("Peabody", "https://www.peabody.org.uk"),
    ("Clarion Housing", "https://www.clarionhg.com"),
    ("L&Q", "https://www.lqgroup.org.uk"),
    ("Notting Hill Genesis", "https://www.nhg.org.uk"),
]


def partners(code: str, name: str, index: int) -> list[dict]:
    provider, website = HOUSING_PROVIDERS[index % len(HOUSING_PROVIDERS)]
    return [
        {
            "name": f"{name} Council ASB team",
            "kind": "council_asb_team",
            "description": "Deals with nuisance neighbours, noise, fly-tipping and ASB in "
            "council homes; leads on ASB case reviews.",
            "phone": f"020 7946 0{100 + index:03d}",
            "email": f"asb@{borough_slug(name)}.council.invalid",
            "website": "",
        },
        {
            "name": f"{name} Council housing",
            "kind": "housing_provider",
            "description": "If you or the person causing the problem rent from the council.",
            "phone": f"020 7946 0{500 + index:03d}",
            "email": "",
            "website": "",
        },
        {
            "name": provider,
            "kind": "housing_provider",
            "description": "Housing association with homes in the borough: report ASB to your "
            "landlord as well as to us.",
            "phone": "",
            "email": "",
            "website": website,
        },
        {
            "name": "Victim Support",
            "kind": "victim_support",
            "description": "Free, confidential support for victims of crime and ASB, whether "
            "or not you have reported it.",
            "phone": settings.PHONE_NUMBERS["victim_support"],  # one number everywhere
            "email": "",
            "website": "https://www.victimsupport.org.uk",
        },
    ]


def leads(code: str, name: str, index: int) -> dict:
    if code == "E09000001":
        return {
            "asb_lead_role": "Superintendent, Communities and Partnerships, City of London Police",
            "victim_champion_role": "Community Safety Manager, City of London Corporation",
        }
    lead = ["Superintendent, Neighbourhoods", "Chief Inspector, Partnerships"][index % 2]
    champion = ["Head of Community Safety", "ASB and Victims Manager"][index % 2]
    return {
        "asb_lead_role": f"{lead}, Metropolitan Police ({name})",
        "victim_champion_role": f"{champion}, {name} Council",
    }


# Neighbourhoods ---------------------------------------------------------------------------

TEAM = [("sergeant", ""), ("dwo", ""), ("dwo", ""), ("pcso", "")]


def _p(text: str) -> str:
    return f"<p>{text}</p>"


NEIGHBOURHOODS: dict[str, list[dict]] = {
    "E09000012": [
        {
            "title": "Hackney Central",
            "ward_code": "E05009372",
            "centre": (51.5466, -0.0553),
            "intro": "Mare Street, the Narrow Way, Hackney Central station and the streets "
            "around the Town Hall.",
            "priorities": [
                {
                    "issue": "Street drinking and begging on the Narrow Way and outside "
                    "Hackney Central station, with shoppers feeling intimidated.",
                    "issue_days_ago": 40,
                    "action": "Daily high-visibility patrols at peak times; joint visits with "
                    "the council's outreach team to offer support to people sleeping rough; "
                    "the council is consulting on a public spaces protection order.",
                    "action_days_ago": 9,
                    "status": "in_progress",
                    "categories": ["street-drinking", "begging-vagrancy"],
                },
                {
                    "issue": "Mopeds ridden on the pavement and through the Town Hall square.",
                    "issue_days_ago": 12,
                    "status": "open",
                    "categories": ["vehicle-nuisance"],
                },
                {
                    "issue": "Late-night noise and fighting outside bars on Mare Street at "
                    "weekends.",
                    "issue_days_ago": 210,
                    "action": "Weekend patrols with the licensing team; two premises reviewed "
                    "and their closing times cut. Calls about noise fell by more than half.",
                    "action_days_ago": 120,
                    "status": "resolved",
                    "categories": ["rowdy-inconsiderate", "noise"],
                },
            ],
        },
        {
            "title": "Hackney Downs",
            "ward_code": "E05009373",
            "centre": (51.5560, -0.0600),
            "intro": "Hackney Downs park, the Pembury estate and the streets around Hackney "
            "Downs station.",
            "priorities": [
                {
                    "issue": "Drug dealing and anti-social behaviour in the stairwells of the "
                    "Pembury estate.",
                    "issue_days_ago": 95,
                    "action": "Weekly patrols with the housing provider's estate officers; "
                    "stairwell doors and lighting repaired; a closure order on one flat used "
                    "for dealing; two people arrested for supply.",
                    "action_days_ago": 20,
                    "status": "in_progress",
                    "categories": ["littering-drugs", "rowdy-inconsiderate"],
                },
                {
                    "issue": "Dogs off the lead and used to intimidate people in Hackney "
                    "Downs park.",
                    "issue_days_ago": 300,
                    "action": "Joint patrols with park wardens; three community protection "
                    "warnings issued to dog owners. No reports since the spring.",
                    "action_days_ago": 200,
                    "status": "resolved",
                    "categories": ["animal-problems"],
                },
            ],
        },
        {
            "title": "Homerton",
            "ward_code": "E05009376",
            "centre": (51.5490, -0.0420),
            "intro": "Homerton High Street, Homerton Hospital and the surrounding estates.",
            "priorities": [
                {
                    "issue": "Fireworks thrown at people and buses on Homerton High Street "
                    "around Bonfire Night.",
                    "issue_days_ago": 30,
                    "status": "open",
                    "categories": ["fireworks"],
                },
            ],
        },
    ],
    "E09000022": [
        {
            "title": "Coldharbour",
            "ward_code": "E05000420",
            "centre": (51.4605, -0.1075),
            "intro": "Central Brixton: Coldharbour Lane, Windrush Square, Brixton market and "
            "the Loughborough estate.",
            "priorities": [
                {
                    "issue": "Street drinking and drug use in Windrush Square and around "
                    "Brixton station.",
                    "issue_days_ago": 60,
                    "action": "Dedicated ward officers patrol the square every day; the "
                    "council's outreach team works with street drinkers; a dispersal order "
                    "was used on two weekends.",
                    "action_days_ago": 7,
                    "status": "in_progress",
                    "categories": ["street-drinking", "littering-drugs"],
                },
                {
                    "issue": "Needles and drug litter in the bin stores of the Loughborough "
                    "estate.",
                    "issue_days_ago": 250,
                    "action": "Bin stores cleared and secured by the council; a sharps "
                    "collection route added; patrols at night for six weeks.",
                    "action_days_ago": 170,
                    "status": "resolved",
                    "categories": ["littering-drugs"],
                },
            ],
        },
        {
            "title": "Stockwell",
            "ward_code": "E05000429",
            "centre": (51.4730, -0.1220),
            "intro": "Stockwell station, Stockwell Park estate and South Lambeth Road.",
            "priorities": [
                {
                    "issue": "Groups of young people gathering and shouting in the walkways "
                    "of Stockwell Park estate late at night.",
                    "issue_days_ago": 45,
                    "action": "Evening patrols with the estate's youth workers; a new youth "
                    "session opened on Friday evenings.",
                    "action_days_ago": 14,
                    "status": "in_progress",
                    "categories": ["rowdy-inconsiderate"],
                },
            ],
        },
        {
            "title": "Vassall",
            "ward_code": "E05000436",
            "centre": (51.4745, -0.1045),
            "intro": "Myatt's Fields, Loughborough Junction and the streets off Camberwell "
            "New Road.",
            "priorities": [
                {
                    "issue": "Cars abandoned and left untaxed on the streets around Myatt's "
                    "Fields.",
                    "issue_days_ago": 20,
                    "status": "open",
                    "categories": ["vehicle-abandoned"],
                },
            ],
        },
    ],
    "E09000015": [
        {
            "title": "Wealdstone",
            "ward_code": "E05000304",
            "centre": (51.5975, -0.3345),
            "intro": "Wealdstone High Street, Harrow and Wealdstone station and the streets "
            "around them.",
            "priorities": [
                {
                    "issue": "Street drinking and urinating in doorways on Wealdstone High Street.",
                    "issue_days_ago": 70,
                    "action": "Patrols with the council's community safety officers; alcohol "
                    "seized under the borough's public spaces protection order; shops "
                    "selling single cans visited by licensing.",
                    "action_days_ago": 15,
                    "status": "in_progress",
                    "categories": ["street-drinking"],
                },
                {
                    "issue": "Off-road bikes ridden on the pavements at night.",
                    "issue_days_ago": 230,
                    "action": "Two bikes seized under section 59 warnings; riders identified "
                    "and parents visited.",
                    "action_days_ago": 150,
                    "status": "resolved",
                    "categories": ["vehicle-nuisance"],
                },
            ],
        },
        {
            "title": "Greenhill",
            "ward_code": "E05000288",
            "centre": (51.5845, -0.3350),
            "intro": "Harrow town centre: St Ann's Road, Station Road and the bus station.",
            "priorities": [
                {
                    "issue": "Groups of young people fighting and shoplifting in St Ann's "
                    "Road after school.",
                    "issue_days_ago": 35,
                    "action": "Patrols at school closing time with the schools officers; "
                    "shops given radios linked to the town centre team.",
                    "action_days_ago": 6,
                    "status": "in_progress",
                    "categories": ["rowdy-inconsiderate"],
                },
            ],
        },
    ],
    "E09000027": [
        {
            "title": "South Richmond",
            "ward_code": "E05000522",
            "centre": (51.4555, -0.3010),
            "intro": "Richmond town centre, the riverside and Richmond Hill.",
            "priorities": [
                {
                    "issue": "Loud music, drinking and litter on Richmond riverside on summer "
                    "evenings.",
                    "issue_days_ago": 120,
                    "action": "Evening patrols on warm days with the council's parks team; "
                    "extra bins and a dispersal order on the busiest weekends.",
                    "action_days_ago": 50,
                    "status": "resolved",
                    "categories": ["noise", "street-drinking", "littering-drugs"],
                },
                {
                    "issue": "Rough sleepers and begging near Richmond station.",
                    "issue_days_ago": 25,
                    "status": "open",
                    "categories": ["begging-vagrancy"],
                },
            ],
        },
        {
            "title": "Twickenham Riverside",
            "ward_code": "E05000525",
            "centre": (51.4455, -0.3265),
            "intro": "Twickenham embankment, Church Street and Diamond Jubilee Gardens.",
            "priorities": [
                {
                    "issue": "Fireworks set off in Diamond Jubilee Gardens late at night.",
                    "issue_days_ago": 28,
                    "action": "Patrols in the evenings around Bonfire Night; shops reminded "
                    "not to sell fireworks to under-18s.",
                    "action_days_ago": 3,
                    "status": "in_progress",
                    "categories": ["fireworks"],
                },
            ],
        },
    ],
}


def team_email(ward_name: str) -> str:
    return f"{slugify(ward_name).replace('-', '')}.snt@met.police.invalid"


def priority_values(spec: dict, today: dt.date) -> dict:
    action = spec.get("action", "")
    return {
        "issue": _p(spec["issue"]),
        "issue_date": today - dt.timedelta(days=spec["issue_days_ago"]),
        "action": _p(action) if action else "",
        "action_date": today - dt.timedelta(days=spec["action_days_ago"]) if action else None,
        "status": spec["status"],
        "categories": list(spec["categories"]),
    }


# Advice -----------------------------------------------------------------------------------

ADVICE_INTRO = "Plain-words guidance about anti-social behaviour and what to expect."

ADVICE_PAGES: list[dict] = [
    {
        "title": "What anti-social behaviour is",
        "slug": "what-is-asb",
        "keywords": "noise, loud music, parties, neighbour, neighbours, drugs, drug "
        "dealing, graffiti, vandalism, fly-tipping, litter, begging, street drinking, "
        "rowdy, intimidation, harassment, fireworks, motorbikes, nuisance vehicles",
        "summary": "Behaviour that causes, or is likely to cause, harassment, alarm or distress.",
        "body": [
            {
                "type": "paragraph",
                "value": "<p>Anti-social behaviour (ASB) is behaviour that has caused, or is "
                "likely to cause, harassment, alarm or distress to one or more people who do "
                "not live in the same household as the person responsible.</p>",
            },
            {"type": "heading", "value": "The 13 types of anti-social behaviour"},
            {
                "type": "paragraph",
                "value": "<p>Since April 2011 the police in England and Wales record ASB in "
                "13 categories. You do not need to know which one applies: we will ask you "
                "what happened.</p>",
            },
            {"type": "categories", "value": None},
            {"type": "heading", "value": "Who or what it affects"},
            {
                "type": "paragraph",
                "value": "<p>Every report is also described by who or what it affects. This "
                "helps us decide how to respond, and spot people who are at risk.</p>",
            },
            {"type": "qualifiers", "value": None},
            {
                "type": "callout",
                "value": {
                    "style": "inset",
                    "text": "<p>Hoax calls to the emergency services stopped being recorded "
                    "as ASB in August 2011. They are still an offence.</p>",
                },
            },
        ],
    },
    {
        "title": "What happens after you report",
        "slug": "after-you-report",
        "keywords": "report, reference, what happens next, contact, update, "
        "follow my report, track, call back, risk, victim, neighbour, noise, "
        "drugs, graffiti",
        "summary": "Who will contact you, the questions we ask, and how we keep you updated.",
        "body": [
            {"type": "heading", "value": "We record your report"},
            {
                "type": "paragraph",
                "value": "<p>You get a reference. Your report goes to the police and the "
                "council's ASB team, and your local Safer Neighbourhoods team is told about "
                "it.</p>",
            },
            {"type": "heading", "value": "We check whether you are at risk"},
            {
                "type": "paragraph",
                "value": "<p>We ask some questions about how the behaviour is affecting you and "
                "check whether you have reported before. People who are vulnerable, or who "
                "keep being targeted, get more help: their case is managed by a named "
                "officer and reviewed with partners.</p>",
            },
            {"type": "heading", "value": "We contact you and agree what happens next"},
            {
                "type": "paragraph",
                "value": "<p>Each borough promises how quickly it will contact you and how "
                "often it will update you. You can see the promises on your borough's page.</p>",
            },
            {
                "type": "callout",
                "value": {
                    "style": "warning",
                    "text": "<p>If you are in danger or a crime is happening now, call 999.</p>",
                },
            },
        ],
    },
    {
        "title": "The ASB case review (community trigger)",
        "slug": "asb-case-review",
        "keywords": "community trigger, case review, complaint, nothing done, "
        "reported many times, repeat, neighbour dispute, neighbours, noise, "
        "drugs, graffiti",
        "summary": "If you have reported ASB several times and feel nothing has been done, you "
        "can ask for your case to be reviewed.",
        "body": [
            {
                "type": "paragraph",
                "value": "<p>The ASB case review, sometimes called the community trigger, lets "
                "you ask the council, police and housing providers to review how they have "
                "responded to your reports together.</p>",
            },
            {"type": "heading", "value": "When you can ask for a review"},
            {
                "type": "paragraph",
                "value": "<p>Each area sets its own threshold, but it can be no higher than "
                "three reports about the same problem in six months. You can ask for a "
                "review on behalf of someone else, with their permission.</p>",
            },
            {
                "type": "details",
                "value": {
                    "summary": "What happens at a review",
                    "text": "<p>The agencies share what they know, look at what has been done "
                    "and agree an action plan. They tell you the outcome, and you can ask for "
                    "the decision to be looked at again if you are not happy with it.</p>",
                },
            },
        ],
    },
]


# Information pages (the footer) -----------------------------------------------------------


def _hours(seconds: int) -> str:
    hours = max(1, round(seconds / 3600))
    return "1 hour" if hours == 1 else f"{hours} hours"


def information_pages() -> list[dict]:
    """The privacy notice, accessibility statement, cookies and contact pages, with the
    figures (how long things are kept) read from the settings that enforce them."""
    session = _hours(settings.SESSION_COOKIE_AGE)
    uploads = _hours(settings.REPORTING_PENDING_UPLOAD_HOURS * 3600)
    retention_days = settings.REPORTING_RETENTION_DAYS
    csrf_days = round(settings.CSRF_COOKIE_AGE / 86400)
    return [
        {
            "title": "Privacy notice",
            "slug": "privacy",
            "summary": "What this portal keeps about you when you report anti-social "
            "behaviour, who can see it, and for how long.",
            "body": [
                {"type": "heading", "value": "Who is responsible for your information"},
                {
                    "type": "paragraph",
                    "value": "<p>When you report anti-social behaviour, the council and the "
                    "police for the borough where it happened are responsible for your "
                    "information. They use it to deal with your report and to keep you and "
                    "others safe, as the Anti-social Behaviour, Crime and Policing Act 2014 "
                    "and the Crime and Disorder Act 1998 require them to.</p>",
                },
                {"type": "heading", "value": "What we keep"},
                {
                    "type": "paragraph",
                    "value": "<ul><li>what happened, where and when</li>"
                    "<li>your name and how to contact you, if you give them (you can report "
                    "anonymously)</li>"
                    "<li>your answers about how it is affecting you, so we can see if you "
                    "need more help</li>"
                    "<li>photos you add, with their location and camera details removed</li>"
                    "<li>your answers to the optional equality questions</li></ul>",
                },
                {"type": "heading", "value": "Who can see it"},
                {
                    "type": "paragraph",
                    "value": "<p>Only the staff who deal with anti-social behaviour in your "
                    "borough: the council's ASB team and the police Safer Neighbourhoods "
                    "team. Every time someone looks at your details, it is recorded. We "
                    "never publish your details, and we never sell or share them for "
                    "marketing.</p>",
                },
                {"type": "heading", "value": "How long we keep it"},
                {
                    "type": "paragraph",
                    "value": f"<ul><li>Answers you have not sent yet: {session} at most, and "
                    "they are deleted when you close your browser.</li>"
                    f"<li>Photos you uploaded but did not send: {uploads}.</li>"
                    "<li>Your name and contact details: until your report is closed, then "
                    f"{retention_days} days more in case the problem comes back. After that "
                    "they are deleted; what happened and where is kept without them, to "
                    "count and map anti-social behaviour.</li></ul>",
                },
                {"type": "heading", "value": "Your rights"},
                {
                    "type": "paragraph",
                    "value": "<p>You can ask to see the information we hold about you, to "
                    "correct it, or to delete it. Ask the data protection officer of the "
                    "council for your borough. If you are not happy with the answer, you can "
                    'complain to the <a href="https://ico.org.uk/make-a-complaint/">'
                    "Information Commissioner's Office</a>.</p>",
                },
            ],
        },
        {
            "title": "Accessibility statement",
            "slug": "accessibility",
            "summary": "How accessible this portal is, what we know is not yet right, and "
            "how to tell us about a problem.",
            "body": [
                {
                    "type": "paragraph",
                    "value": "<p>We want as many people as possible to be able to use this "
                    "portal. You should be able to:</p><ul>"
                    "<li>change colours, contrast levels and fonts</li>"
                    "<li>zoom in up to 400% without the text spilling off the screen</li>"
                    "<li>use it on a phone</li>"
                    "<li>get around it using just a keyboard or speech recognition</li>"
                    "<li>listen to it using a screen reader</li>"
                    "<li>leave quickly with the “Exit this page” button</li></ul>",
                },
                {"type": "heading", "value": "How accessible this portal is"},
                {
                    "type": "paragraph",
                    "value": "<p>We aim to meet the Web Content Accessibility Guidelines "
                    "(WCAG) version 2.2 at level AA. We check every page automatically on "
                    "phone and desktop screen sizes, and test it with a keyboard and a "
                    "screen reader.</p><p>We know some parts are not fully accessible:</p>"
                    "<ul><li>The crime and ASB map is hard to use with a screen reader. The "
                    "same figures are in a table below the map.</li>"
                    "<li>Some documents the boroughs publish, such as PDFs, may not be "
                    "accessible.</li></ul>",
                },
                {"type": "heading", "value": "Tell us about a problem"},
                {
                    "type": "paragraph",
                    "value": "<p>If you cannot use part of this portal, or find a problem "
                    "we have not listed, use our contact page. If you need to report "
                    "anti-social behaviour another way, call 101 (textphone 18001 101).</p>",
                },
                {"type": "heading", "value": "Enforcement procedure"},
                {
                    "type": "paragraph",
                    "value": "<p>The Equality and Human Rights Commission (EHRC) is "
                    "responsible for enforcing the Public Sector Bodies (Websites and Mobile "
                    "Applications) (No. 2) Accessibility Regulations 2018. If you are not "
                    "happy with how we respond to your complaint, contact the "
                    '<a href="https://www.equalityadvisoryservice.com/">Equality Advisory '
                    "and Support Service (EASS)</a>.</p>",
                },
                {"type": "heading", "value": "Compliance status"},
                {
                    "type": "paragraph",
                    "value": "<p>This portal is partially compliant with WCAG version 2.2 "
                    "AA, because of the parts listed above.</p>",
                },
            ],
        },
        {
            "title": "Cookies",
            "slug": "cookies",
            "summary": "This portal uses only the cookies it needs to work. It does not track you.",
            "body": [
                {
                    "type": "paragraph",
                    "value": "<p>Cookies are small files saved on your phone, tablet or "
                    "computer when you visit a website. We use only the cookies this portal "
                    "needs to work, so we do not ask for your permission. We do not use "
                    "analytics, advertising or any other cookies that track you, and no "
                    "other website sets cookies through this one.</p>",
                },
                {"type": "heading", "value": "Cookies we use"},
                {
                    "type": "paragraph",
                    "value": "<ul><li><strong>sessionid</strong> remembers your answers "
                    "while you fill in a report, and keeps staff signed in. It is deleted "
                    f"when you close your browser, or after {session}.</li>"
                    "<li><strong>csrftoken</strong> stops other websites sending forms here "
                    f"pretending to be you. It expires after {csrf_days} days.</li></ul>",
                },
                {
                    "type": "paragraph",
                    "value": "<p>Selecting “Exit this page” deletes your answers and what "
                    "this portal has stored in your browser.</p>",
                },
            ],
        },
        {
            "title": "Contact",
            "slug": "contact",
            "summary": "Who to contact about anti-social behaviour, your report, or this website.",
            "body": [
                {
                    "type": "callout",
                    "value": {
                        "style": "warning",
                        "text": "<p>If anyone is in immediate danger, or a crime is "
                        "happening now, call 999 (textphone 18000).</p>",
                    },
                },
                {"type": "heading", "value": "Anti-social behaviour"},
                {
                    "type": "paragraph",
                    "value": "<p>Report it online on this portal, or call the police on 101 "
                    "(textphone 18001 101). Your borough's page lists the council's ASB "
                    "team and how to reach them.</p>",
                },
                {"type": "heading", "value": "A report you have made"},
                {
                    "type": "paragraph",
                    "value": "<p>Use the private link we gave you after you sent your "
                    'report, or <a href="/report/find/">ask for it again</a> with your '
                    "reference and email address. "
                    "You can also call 101 and give your reference.</p>",
                },
                {"type": "heading", "value": "Support"},
                {
                    "type": "paragraph",
                    "value": "<p>Victim Support can help anyone affected by crime or "
                    "anti-social behaviour, whether or not it was reported: call "
                    f"{settings.PHONE_NUMBERS['victim_support']}, free, 24 hours a day.</p>",
                },
                {"type": "heading", "value": "This website"},
                {
                    "type": "paragraph",
                    "value": "<p>To tell us about a problem with this website, email "
                    '<a href="mailto:portal@asb.london.invalid">portal@asb.london.invalid'
                    "</a>. We aim to reply within 5 working days. We cannot deal with "
                    "reports of anti-social behaviour by email.</p>",
                },
            ],
        },
    ]
