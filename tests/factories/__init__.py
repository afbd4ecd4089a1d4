"""factory_boy factories, one module per app (tests/factories/<app>.py), and the worlds built from them
(hcmc.py: the city of the seed plans and of the README's tour), all re-exported here."""

from .agencies import *  # noqa: F403
from .awards import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .hcmc import *  # noqa: F403
from .registrations import *  # noqa: F403
from .scoring import *  # noqa: F403
