# The journal app held the encryption keys first: their tables keep the names it gave
# them, so moving the models here changes the state only and no row moves.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("keycheck", "userkey")


def move_content_types(apps, schema_editor):
    """Keep the content types (and any permissions on them) of the moved models."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label="vault", model=model).exists():
            content_type.objects.filter(app_label="journal", model=model).update(
                app_label="vault"
            )


def return_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label="journal", model=model).exists():
            content_type.objects.filter(app_label="vault", model=model).update(
                app_label="journal"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('journal', '0002_key_check'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='KeyCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sealed', models.TextField()),
                        ('created', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name': 'encryption key check',
                        'db_table': 'journal_keycheck',
                    },
                ),
                migrations.CreateModel(
                    name='UserKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('wrapped', models.TextField()),
                        ('created', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='encryption_key', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'encryption key',
                        'db_table': 'journal_userkey',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
