"""The call-back survey moves here from the forwarding app (its table kept and renamed,
its content type moved); whether the invitation went is now its outbox message, so
``emailed_at`` goes. Notifications are outbox messages now (copied by outbox 0002)."""

import django.db.models.deletion
from django.db import migrations, models

import geography.boundaries


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="reporting", model="callbacksurvey").exists():
        ContentType.objects.filter(app_label="forwarding", model="callbacksurvey").update(
            app_label="reporting"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("outbox", "0002_one_outbox"),
        ("forwarding", "0002_outbound_moves_to_the_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CallbackSurvey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "borough_code",
                            models.CharField(
                                choices=geography.boundaries.borough_choices,
                                db_index=True,
                                max_length=9,
                            ),
                        ),
                        ("nonce", models.CharField(max_length=32)),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("invited_at", models.DateTimeField(auto_now_add=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        ("answered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "told_action",
                            models.CharField(
                                blank=True,
                                choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                                max_length=8,
                                verbose_name="Were you told what action would be taken?",
                            ),
                        ),
                        (
                            "seriousness",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("very", "Very seriously"),
                                    ("fairly", "Fairly seriously"),
                                    ("not_very", "Not very seriously"),
                                    ("not_at_all", "Not at all seriously"),
                                ],
                                max_length=10,
                                verbose_name="How seriously was your report taken?",
                            ),
                        ),
                        (
                            "know_action",
                            models.CharField(
                                blank=True,
                                choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                                max_length=8,
                                verbose_name="Do you know what action was taken?",
                            ),
                        ),
                        (
                            "satisfaction",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("very_satisfied", "Very satisfied"),
                                    ("fairly_satisfied", "Fairly satisfied"),
                                    ("neither", "Neither satisfied nor dissatisfied"),
                                    ("fairly_dissatisfied", "Fairly dissatisfied"),
                                    ("very_dissatisfied", "Very dissatisfied"),
                                ],
                                max_length=19,
                                verbose_name=(
                                    "Overall, how satisfied are you with how your report was "
                                    "handled?"
                                ),
                            ),
                        ),
                        (
                            "report",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="callback_survey",
                                to="reporting.report",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "forwarding_callbacksurvey",
                        "verbose_name": "call-back survey",
                        "ordering": ["-invited_at"],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="callbacksurvey", table=None),
        migrations.RemoveField(model_name="callbacksurvey", name="emailed_at"),
        migrations.DeleteModel(name="Notification"),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
