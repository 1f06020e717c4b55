"""London's geography, below every app: boundaries (which borough a point is in),
geocoding (a place name or postcode to coordinates) and the offline gazetteer.

A leaf: it imports no app of the portal. Apps that know more places (the standards
app's neighbourhood pages) register them with :func:`geography.gazetteer.register_source`.
"""
