"""The periodic task in django-celery-beat's database schedule: every 5 minutes, documents of a dossier
whose worker died (and whose task never came back) fail, so their job stops and offers "Tạo lại"."""

import json

from django.db import migrations
from django.utils import timezone

TASK = "awards.sweep_interrupted_dossiers"
NAME = "Hồ sơ khen thưởng: đánh dấu văn bản bị gián đoạn"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": TASK, "interval": every, "args": json.dumps([]), "enabled": True},
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0007_signing_disclosure"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
