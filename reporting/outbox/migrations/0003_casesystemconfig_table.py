"""The case system configurations' table takes the outbox's name, now that the
forwarding app has let go of the model; its content type follows."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="outbox", model="casesystemconfig").exists():
        ContentType.objects.filter(app_label="forwarding", model="casesystemconfig").update(
            app_label="outbox"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_one_outbox"),
        ("forwarding", "0002_outbound_moves_to_the_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="casesystemconfig", table=None),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
