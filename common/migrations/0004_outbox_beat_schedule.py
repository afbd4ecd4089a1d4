"""The periodic task in django-celery-beat's database schedule: the outbox relayed every minute.

Operators may change the interval in the admin; this migration only creates it.
"""

import json

from django.db import migrations
from django.utils import timezone

TASK = "common.relay_outbox"
NAME = "Hàng đợi: gửi lại các tác vụ hàng đợi chưa nhận"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": TASK, "interval": every, "args": json.dumps([]), "enabled": True},
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0003_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
