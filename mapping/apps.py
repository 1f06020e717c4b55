from django.apps import AppConfig


class MappingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mapping"

    def ready(self) -> None:
        from geography import streets
        from mapping.places import street_source
        from mapping.sections import borough_section, neighbourhood_section
        from standards import sections

        streets.register_source(street_source)

        sections.register(sections.BOROUGH, "crime-and-asb", borough_section)
        sections.register(sections.NEIGHBOURHOOD, "crime-and-asb", neighbourhood_section)
