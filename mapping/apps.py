from django.apps import AppConfig


class MappingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mapping"

    def ready(self) -> None:
        from mapping.sections import borough_section, neighbourhood_section
        from standards import sections

        sections.register(sections.BOROUGH, "crime-and-asb", borough_section)
        sections.register(sections.NEIGHBOURHOOD, "crime-and-asb", neighbourhood_section)
