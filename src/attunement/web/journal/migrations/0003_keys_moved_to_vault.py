# The encryption keys now belong to the vault app; their tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0002_key_check'),
        ('vault', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='UserKey'),
                migrations.DeleteModel(name='KeyCheck'),
            ],
            database_operations=[],
        ),
    ]
