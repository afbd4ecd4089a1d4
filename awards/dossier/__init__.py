"""Hồ sơ khen thưởng: the official documents of a decision (``documents``) and their generation at
scale as Celery jobs (``jobs``)."""
