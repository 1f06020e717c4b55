"""Deliveries are now outbox messages (copied by outbox 0002); the case system
configurations move to the outbox app and the call-back survey to the reporting app,
both keeping their tables (renamed by outbox 0003 and reporting 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forwarding", "0001_initial"),
        ("outbox", "0002_one_outbox"),
    ]

    operations = [
        migrations.DeleteModel(name="DeliveryAttempt"),
        migrations.DeleteModel(name="Delivery"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CaseSystemConfig"),
                migrations.DeleteModel(name="CallbackSurvey"),
            ]
        ),
    ]
