"""The notification table takes the platform app's name, and its content type follows (so the
admin's history and permissions of notifications stay attached)."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="common", model="notification").exists():
        ContentType.objects.filter(app_label="agencies", model="notification").update(app_label="common")


def move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="agencies", model="notification").exists():
        ContentType.objects.filter(app_label="common", model="notification").update(app_label="agencies")


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='notification', table=None),
        migrations.RunPython(move_content_type, move_back),
    ]
