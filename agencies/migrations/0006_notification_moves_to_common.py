"""The notification centre moves to the platform app (``common``): its kinds come from a registry
each app fills, so the database no longer lists them. The table is handed over to ``common`` as it
is (``common.0001`` takes the model's state, ``common.0002`` renames the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0005_people_directory'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_kind_valid',
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(default='other', max_length=32, verbose_name='loại'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
