"""The table takes the app's name; a user is told once per key, now held by the database.

Before the constraint is added, the rows are checked: if a user was told twice under one key (a race the
old Python check could lose), the migration stops and names them rather than failing with a bare
IntegrityError or deleting anything.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def check_keys_are_unique(apps, schema_editor):
    from django.db.models import Count

    Notification = apps.get_model("notifications", "Notification")
    twice = (Notification.objects.exclude(key="").values("user_id", "key").annotate(n=Count("id"))
             .filter(n__gt=1).order_by("user_id", "key"))
    if twice:
        lines = []
        for row in twice[:20]:
            ids = list(Notification.objects.filter(user_id=row["user_id"], key=row["key"]).order_by("pk")
                       .values_list("pk", flat=True))
            lines.append(f"user {row['user_id']}, key {row['key']!r}: notifications {ids}")
        raise RuntimeError(
            "Cannot add the constraint one_notification_per_key: some users were told twice under the same key. "
            "Keep one notification of each and delete the others (admin, Notifications), then migrate again:\n  "
            + "\n  ".join(lines))


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(
            name='notification',
            table=None,
        ),
        migrations.AlterModelOptions(
            name='notification',
            options={'ordering': ['-created_at', '-pk'], 'verbose_name': 'notification', 'verbose_name_plural': 'notifications'},
        ),
        migrations.AddField(
            model_name='notification',
            name='mailed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='e-mailed at'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='body',
            field=models.TextField(blank=True, verbose_name='text'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='key',
            field=models.CharField(blank=True, help_text='With a key, a user is told once: a second notice with the same key is not sent.', max_length=200, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('dossier_returned', 'Dossier returned for completion'), ('deadline', 'Deadline near'), ('scoring_open', 'Scoring open'), ('results', 'Results decided'), ('other', 'Other')], max_length=30, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='read_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='read at'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='subject',
            field=models.CharField(max_length=300, verbose_name='subject'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='url',
            field=models.CharField(blank=True, max_length=300, verbose_name='link'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.RunPython(check_keys_are_unique, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('user', 'key'), name='one_notification_per_key'),
        ),
    ]
