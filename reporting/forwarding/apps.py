from django.apps import AppConfig


class ForwardingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting.forwarding"
    label = "forwarding"
    verbose_name = "Case system forwarding"
