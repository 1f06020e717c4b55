"""Attributions the data's licences require, each written once.

Show :data:`POSTCODES` on every page that shows an answer from postcode data: the
offline postcode file (OS Code-Point Open) or postcodes.io (built on the same OS, Royal
Mail and ONS data). A :class:`geography.place.Place` from such an answer carries it in
its ``attribution``.
"""

POSTCODES = (
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Contains National Statistics data © Crown copyright and database right 2025."
)
