"""The outbox. CaseSystemConfig moves here from the forwarding app: its table is kept
(renamed in 0003, once forwarding has let go of it), so configurations are not lost."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import geography.boundaries
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reporting', '0001_initial'),
        ('forwarding', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table exists (forwarding 0001): only the state moves.
            state_operations=[
                migrations.CreateModel(
                    name='CaseSystemConfig',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('borough_code', models.CharField(choices=geography.boundaries.borough_choices, max_length=9, unique=True, verbose_name='borough')),
                        ('enabled', models.BooleanField(default=True, help_text='Untick to stop sending new reports to this system.')),
                        ('kind', models.CharField(choices=[('open311', 'Open311 GeoReport v2'), ('webhook', 'Signed JSON webhook'), ('email', 'Email to a case inbox')], max_length=8, verbose_name='how reports are sent')),
                        ('endpoint_url', models.URLField(blank=True, help_text='Open311: the GeoReport v2 base URL (ending /open311/v2/ or similar). Webhook: the URL reports are POSTed to. Not used for email.', max_length=500)),
                        ('jurisdiction_id', models.CharField(blank=True, max_length=100)),
                        ('service_codes', models.JSONField(blank=True, default=dict, help_text='Open311 service code for each ASB category code, e.g. {"noise": "ASB-NOISE"}. Categories not listed are sent with their own code.')),
                        ('email_to', models.EmailField(blank=True, help_text="Email: the case system's intake address (required for email).", max_length=254)),
                        ('credential_env', models.CharField(blank=True, help_text="The NAME of the environment variable holding the Open311 api_key or the webhook's HMAC secret (never the secret itself).", max_length=100, validators=[django.core.validators.RegexValidator('^[A-Z][A-Z0-9_]{0,99}$', 'The name of an environment variable: capital letters, digits and underscores.')])),
                        ('inbound_secret_env', models.CharField(blank=True, help_text='The NAME of the environment variable holding the secret this borough signs status updates with (HMAC-SHA256) or sends as its API key.', max_length=100, validators=[django.core.validators.RegexValidator('^[A-Z][A-Z0-9_]{0,99}$', 'The name of an environment variable: capital letters, digits and underscores.')])),
                        ('poll_updates', models.BooleanField(default=False, help_text='Open311 only: fetch servicerequestupdates from the case system regularly.')),
                        ('last_polled_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('poll_cursor', models.DateTimeField(blank=True, editable=False, help_text='The latest updated_datetime seen when polling.', null=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'forwarding_casesystemconfig',
                        'verbose_name': 'case system',
                        'verbose_name_plural': 'case systems',
                        'ordering': ['borough_code'],
                    },
                ),
            ],
        ),
        migrations.CreateModel(
            name='DrainSlot',
            fields=[
                ('slot', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('lease_until', models.DateTimeField()),
                ('holder', models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(help_text='The registered message kind.', max_length=40)),
                ('audience', models.CharField(choices=[('borough', 'Borough ASB inbox'), ('team', 'Safer Neighbourhoods team'), ('case_system', 'Borough case system'), ('resident', 'Resident'), ('staff', 'Portal staff')], max_length=12)),
                ('channel', models.CharField(choices=[('email', 'Email'), ('open311', 'Open311'), ('webhook', 'Signed webhook')], max_length=8)),
                ('destination', models.CharField(help_text='Where it goes out: "email", or "case:<id>" for a case system.', max_length=40)),
                ('borough_code', models.CharField(blank=True, choices=geography.boundaries.borough_choices, max_length=9)),
                ('recipient', models.CharField(blank=True, help_text="The address of an organisation's inbox or of staff; blank for residents.", max_length=254)),
                ('dedupe_key', models.CharField(editable=False, max_length=255, unique=True)),
                ('idempotency_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('priority', models.PositiveSmallIntegerField(default=5, help_text='0 goes first (urgent reports), 9 last.')),
                ('state', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('retrying', 'Waiting to retry'), ('delivered', 'Delivered'), ('dead', 'Failed (needs staff)'), ('cancelled', 'Not sent (nothing to send)')], default='queued', max_length=9)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('lease_until', models.DateTimeField(blank=True, null=True)),
                ('claimed_by', models.CharField(blank=True, max_length=80)),
                ('last_error', models.TextField(blank=True)),
                ('last_status', models.PositiveSmallIntegerField(blank=True, help_text='The last SMTP or HTTP status code.', null=True)),
                ('external_id', models.CharField(blank=True, help_text="The case system's reference for the case.", max_length=200)),
                ('token', models.CharField(blank=True, help_text='Open311 token, until it resolves to an id.', max_length=200)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('dead_at', models.DateTimeField(blank=True, null=True)),
                ('about', models.ForeignKey(blank=True, help_text='The message a dead-letter alert or an apology is about.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='outbox.message')),
                ('config', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='messages', to='outbox.casesystemconfig')),
                ('event', models.ForeignKey(blank=True, help_text='The timeline event the message is about (a status change, new information).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reporting.reportevent')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outbox_messages', to='reporting.report')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'permissions': [('retry_message', 'Can send a failed message again')],
            },
        ),
        migrations.CreateModel(
            name='Attempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField()),
                ('started_at', models.DateTimeField()),
                ('duration_ms', models.PositiveIntegerField(default=0)),
                ('outcome', models.CharField(choices=[('delivered', 'Delivered'), ('failed', 'Failed, will retry'), ('rejected', 'Rejected (will not succeed by retrying)'), ('interrupted', 'The worker stopped during the attempt'), ('cancelled', 'Nothing to send')], max_length=11)),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('error', models.TextField(blank=True)),
                ('worker', models.CharField(blank=True, max_length=80)),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='outbox.message')),
            ],
            options={
                'ordering': ['message', 'number', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('state__in', ['queued', 'retrying'])), fields=['priority', 'next_attempt_at', 'id'], name='outbox_message_due'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['borough_code', 'state'], name='outbox_message_borough'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['destination', 'state'], name='outbox_message_destination'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['state', 'lease_until'], name='outbox_message_lease'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['borough_code', 'external_id'], name='outbox_message_case'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['report', 'kind'], name='outbox_message_report'),
        ),
    ]
