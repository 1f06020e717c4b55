"""The 13 national ASB categories and the three qualifiers, as data in one place.

National Standard for Incident Recording (NSIR), since April 2011. Hoax calls to the
emergency services stopped being ASB in August 2011. Codes are stable identifiers used
in the database, URLs and APIs; labels and explanations are what residents read.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    explanation: str


@dataclass(frozen=True)
class Qualifier:
    code: str
    label: str
    question: str
    explanation: str


CATEGORIES: tuple[Category, ...] = (
    Category(
        "vehicle-abandoned",
        "Vehicle abandoned (not stolen)",
        "A car, van or motorbike left in the street or on land, not stolen, often with no "
        "tax, flat tyres or damage.",
    ),
    Category(
        "vehicle-nuisance",
        "Vehicle nuisance or inappropriate use",
        "Cars or bikes driven or ridden in a way that is dangerous or annoying: racing, "
        "revving, off-road bikes in parks, or cars used as a meeting point for trouble.",
    ),
    Category(
        "rowdy-inconsiderate",
        "Rowdy or inconsiderate behaviour",
        "Shouting, swearing, fighting, being drunk and disorderly, or groups causing "
        "trouble in public places.",
    ),
    Category(
        "rowdy-neighbours",
        "Rowdy or nuisance neighbours",
        "Neighbours whose behaviour causes you harassment, alarm or distress, such as "
        "threats, verbal abuse or persistent disturbance.",
    ),
    Category(
        "littering-drugs",
        "Littering or drug paraphernalia",
        "Dumped rubbish or fly-tipping, or needles and other drug-taking equipment left "
        "in public places.",
    ),
    Category(
        "animal-problems",
        "Animal problems",
        "Animals that are out of control or used to intimidate people, such as "
        "dangerous dogs, or persistent fouling and barking.",
    ),
    Category(
        "trespass",
        "Trespass",
        "People entering or staying on land or in buildings without permission, "
        "including unauthorised encampments.",
    ),
    Category(
        "nuisance-communications",
        "Nuisance or malicious communications",
        "Offensive, threatening or persistent phone calls, texts, letters, emails or "
        "social media messages.",
    ),
    Category(
        "street-drinking",
        "Street drinking",
        "Drinking alcohol in the street or public places in a way that causes trouble "
        "or makes people feel unsafe.",
    ),
    Category(
        "prostitution",
        "Prostitution-related activity",
        "Kerb crawling, soliciting, cards placed in phone boxes, or discarded condoms "
        "linked to sex work.",
    ),
    Category(
        "noise",
        "Noise",
        "Loud music, parties, alarms, shouting or other noise that disturbs you, from a "
        "home, business, vehicle or the street.",
    ),
    Category(
        "begging-vagrancy",
        "Begging or vagrancy",
        "Begging in the street or near cash machines and shops, or rough sleeping that "
        "is causing problems.",
    ),
    Category(
        "fireworks",
        "Fireworks",
        "Fireworks set off in the street, late at night, or thrown at people, animals or property.",
    ),
)

QUALIFIERS: tuple[Qualifier, ...] = (
    Qualifier(
        "personal",
        "Personal",
        "It was aimed at me, or at someone specific",
        "The behaviour is aimed at an individual or a group, not the community at large.",
    ),
    Qualifier(
        "nuisance",
        "Nuisance",
        "It affects the community or the people around here in general",
        "The behaviour causes trouble, annoyance or suffering to the community at large.",
    ),
    Qualifier(
        "environmental",
        "Environmental",
        "It affects a place: a street, a park, a building or a public space",
        "The behaviour affects the wider environment, such as public spaces or buildings.",
    ),
)

CATEGORY_BY_CODE: dict[str, Category] = {category.code: category for category in CATEGORIES}
QUALIFIER_BY_CODE: dict[str, Qualifier] = {qualifier.code: qualifier for qualifier in QUALIFIERS}
CATEGORY_CHOICES: list[tuple[str, str]] = [(c.code, c.label) for c in CATEGORIES]
QUALIFIER_CHOICES: list[tuple[str, str]] = [(q.code, q.label) for q in QUALIFIERS]


def category_label(code: str) -> str:
    category = CATEGORY_BY_CODE.get(code)
    return category.label if category else code
