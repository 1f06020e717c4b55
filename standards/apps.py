from django.apps import AppConfig


class StandardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "standards"
    verbose_name = "Standards and neighbourhoods"

    def ready(self) -> None:
        from geography import gazetteer
        from standards import selectors, signals

        signals.connect()
        gazetteer.register_source(selectors.neighbourhood_places)
