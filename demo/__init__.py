"""The demo (dữ liệu mẫu) that ``make run`` loads with ``python manage.py load_demo``: the directory of
Hồ Chí Minh City with the accounts of the README's tour, the five seed plans and the current plan
``demo-2027``, its registrations and reminders, the PAR Index results and computed results of
``hcmc-par-2022``, and the City's council.

The package sits on top of every app (``tests/test_layers.py``): it imports the apps, no app imports
it. One module per app it fills, loaded in the order of the layers (``management/commands/load_demo.py``);
every step is idempotent. The tests build their own worlds with factories (``tests/factories``); only
``tests/demo`` and the browser suite's tour of the homes load this demo.
"""

from typing import Protocol


class Output(Protocol):
    """Where a step says what it loaded: the command's ``self.stdout``, a ``StringIO`` in tests."""

    def write(self, msg: str, /) -> object: ...
