"""factory_boy factories, one module per app (tests/factories/<app>.py), all re-exported here."""

from .agencies import *  # noqa: F403
from .awards import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .registrations import *  # noqa: F403
from .scoring import *  # noqa: F403
