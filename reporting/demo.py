"""Demo content for the reporting app: two borough ASB officers and a few reports.

Idempotent: accounts are created or refreshed; reports are made only when none exist.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts.demo import ensure_demo_factors
from reporting.drafts import ContactDetails, ReportDraft
from reporting.models import BoroughStaff, Report
from reporting.services import add_staff_note, apply_update, submit_report
from standards.demo import demo_password

OFFICERS = {"hackney-asb-officer": "E09000012", "lambeth-asb-officer": "E09000022"}
OFFICER_GROUP = "Borough ASB officers"
# A lead also reads the borough's access log and the outbox, and may send messages again.
LEADS = {"hackney-asb-lead": "E09000012"}
LEAD_GROUP = "Borough ASB leads"
LEAD_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("reporting", "view_accesslog"),
    ("outbox", "view_message"),
    ("outbox", "retry_message"),
)

NOISE_NEAR_MARE_STREET = {
    "how_often": "daily",
    "reported_before": "recent",
    "effects": ["sleep", "work"],
    "unsafe_at_home": "no",
    "targeted": ["no"],
    "health_worsened": "yes",
    "vulnerable_people": "no",
}
CALM = {
    "how_often": "first",
    "reported_before": "no",
    "effects": ["none"],
    "unsafe_at_home": "not_home",
    "targeted": ["no"],
    "health_worsened": "no",
    "vulnerable_people": "no",
}


def load(*, stdout) -> None:
    officers = _officers(stdout)
    if Report.objects.exists():
        stdout.write("Demo reports already exist: left as they are.")
        return
    _reports(stdout, officers)


def _officers(stdout) -> dict[str, object]:
    officers = _staff(stdout, OFFICERS, OFFICER_GROUP, LEAD_PERMISSIONS[:1])
    _staff(stdout, LEADS, LEAD_GROUP, LEAD_PERMISSIONS)
    return officers


def _staff(stdout, accounts: dict[str, str], group_name: str, permissions) -> dict[str, object]:
    password = demo_password()
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in permissions:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    users = {}
    for username, code in accounts.items():
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@council.invalid",
                "first_name": username.split("-")[0].title(),
            },
        )
        if created:
            user.set_password(password)
            user.save()
            stdout.write(f"Created staff account {username}")
        user.groups.add(group)
        ensure_demo_factors(user)  # the demo authenticator app and recovery code
        BoroughStaff.objects.get_or_create(user=user, borough_code=code)
        users[code] = user
    return users


def _reports(stdout, officers) -> None:
    resident = ContactDetails(
        name="Sam Taylor",
        email="sam.taylor@example.com",
        phone="07700 900461",
        preferred_method="email",
        contact_times="Weekday evenings",
        safe_to_contact=True,
    )
    first = submit_report(
        draft=ReportDraft(
            category="noise",
            qualifier="personal",
            description="Very loud music and shouting from the flat below from 11pm to 4am, "
            "most nights this month. I cannot sleep and I have work at 7am.",
            latitude=51.54505,
            longitude=-0.05545,
            location_source="map",
            location_description="Flats above the shops on Mare Street, near the Town Hall",
            still_happening=True,
            happened_before="yes",
            screening={**NOISE_NEAR_MARE_STREET, "reported_before": "no", "health_worsened": "no"},
            contact=resident,
        )
    ).report
    apply_update(
        report=first,
        status="assigned",
        message="An officer from the noise team has your report and will contact you.",
        user=officers["E09000012"],
    )
    repeat = submit_report(
        draft=ReportDraft(
            category="noise",
            qualifier="personal",
            description="The music started again last night until 5am. My anxiety is much "
            "worse and my doctor has signed me off work.",
            latitude=51.54512,
            longitude=-0.05551,
            location_source="map",
            still_happening=True,
            happened_before="yes",
            earlier_references=first.reference,
            screening=NOISE_NEAR_MARE_STREET,
            contact=resident,
        )
    ).report
    add_staff_note(
        report=repeat,
        user=officers["E09000012"],
        note="Repeat caller, health worsening: case conference with housing on Thursday.",
    )
    high = submit_report(
        draft=ReportDraft(
            category="rowdy-neighbours",
            qualifier="personal",
            description="A group of neighbours shout abuse about my religion whenever I leave "
            "the house, and someone pushed rubbish through my letterbox.",
            latitude=51.4622,
            longitude=-0.1150,
            location_source="search",
            location_description="Estate off Coldharbour Lane",
            still_happening=True,
            happened_before="yes",
            screening={
                "how_often": "weekly",
                "reported_before": "earlier",
                "effects": ["health", "daily_life"],
                "unsafe_at_home": "yes",
                "targeted": ["religion"],
                "health_worsened": "no",
                "vulnerable_people": "yes",
            },
            contact=ContactDetails(
                name="Amira Haddad",
                phone="07700 900782",
                preferred_method="phone",
                contact_times="Mornings",
                safe_to_contact=True,
            ),
        )
    ).report
    closed = submit_report(
        draft=ReportDraft(
            category="littering-drugs",
            qualifier="environmental",
            description="Needles and foil left in the stairwell of the car park every morning.",
            location_source="description",
            location_description="Multi-storey car park behind Brixton station, level 2 stairs",
            borough_code="E09000022",
            screening=CALM,
            contact=None,
        )
    ).report
    apply_update(
        report=closed,
        status="closed",
        message="The council cleared the stairwell, fitted a better light and added the car "
        "park to the Safer Neighbourhoods team's patrol route.",
        user=officers["E09000022"],
    )
    stdout.write(
        "Created demo reports "
        + ", ".join(r.reference for r in (first, repeat, high, closed))
        + f" ({high.reference} is high risk; {repeat.reference} repeats {first.reference})"
    )
