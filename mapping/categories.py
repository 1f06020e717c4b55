"""police.uk crime types ("categories") as data, with the older names mapped onto them.

police.uk street-level files name each row's type in the ``Crime type`` column; the API
uses slugs (``anti-social-behaviour``). The 14 current types are below, in police.uk's
order. Each has a short ``field``: the name of its count column in the database.

Older names and slugs (police.uk changed its categories in 2011 and May 2013) are mapped
onto the current type that now holds those crimes:

| old name / slug                                   | current type                   |
|---------------------------------------------------|--------------------------------|
| "Violent crime", ``violent-crime``                | Violence and sexual offences   |
| "Public disorder and weapons",                    | Public order (from May 2013    |
| ``public-disorder-weapons``                       | split into Public order and    |
|                                                   | Possession of weapons)         |
| "Criminal damage & arson" (API spelling)          | Criminal damage and arson      |
| "Anti social behaviour", "ASB"                    | Anti-social behaviour          |

("Other crime" and "Other theft" kept their names.) Matching ignores case and
surrounding space. Unknown names are rejected by the importer, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrimeType:
    slug: str  # the police.uk API slug, used in our URLs and JSON
    name: str  # the name in police.uk CSV files, shown to people
    field: str  # count column in mapping's tables
    is_asb: bool = False


CRIME_TYPES: tuple[CrimeType, ...] = (
    CrimeType("anti-social-behaviour", "Anti-social behaviour", "asb", is_asb=True),
    CrimeType("bicycle-theft", "Bicycle theft", "bicycle_theft"),
    CrimeType("burglary", "Burglary", "burglary"),
    CrimeType("criminal-damage-arson", "Criminal damage and arson", "criminal_damage"),
    CrimeType("drugs", "Drugs", "drugs"),
    CrimeType("other-theft", "Other theft", "other_theft"),
    CrimeType("possession-of-weapons", "Possession of weapons", "weapons"),
    CrimeType("public-order", "Public order", "public_order"),
    CrimeType("robbery", "Robbery", "robbery"),
    CrimeType("shoplifting", "Shoplifting", "shoplifting"),
    CrimeType("theft-from-the-person", "Theft from the person", "theft_from_person"),
    CrimeType("vehicle-crime", "Vehicle crime", "vehicle_crime"),
    CrimeType("violent-crime", "Violence and sexual offences", "violence"),
    CrimeType("other-crime", "Other crime", "other_crime"),
)

BY_SLUG: dict[str, CrimeType] = {crime_type.slug: crime_type for crime_type in CRIME_TYPES}
FIELDS: tuple[str, ...] = tuple(crime_type.field for crime_type in CRIME_TYPES)
ASB = BY_SLUG["anti-social-behaviour"]

# Older names and spellings -> current slug (keys lower-case).
OLD_NAMES: dict[str, str] = {
    "violent crime": "violent-crime",
    "violence and sexual offences": "violent-crime",
    "public disorder and weapons": "public-order",
    "public-disorder-weapons": "public-order",
    "criminal damage & arson": "criminal-damage-arson",
    "anti social behaviour": "anti-social-behaviour",
    "asb": "anti-social-behaviour",
}


def _lookup_table() -> dict[str, CrimeType]:
    table: dict[str, CrimeType] = {}
    for crime_type in CRIME_TYPES:
        table[crime_type.name.lower()] = crime_type
        table[crime_type.slug] = crime_type
    for old, slug in OLD_NAMES.items():
        table[old] = BY_SLUG[slug]
    return table


_LOOKUP = _lookup_table()


def crime_type_for(name: str) -> CrimeType | None:
    """The current crime type for a police.uk name or slug, old or new; None if unknown."""
    return _LOOKUP.get(name.strip().lower())
