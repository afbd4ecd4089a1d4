from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and its commands (``load_demo``, ``render_samples``); no models."""

    name = "demo"
