"""Settings of the benchmark's server: the portal's, with the bench URLconf (the bare view)."""

from campaign_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.urls_bench"
