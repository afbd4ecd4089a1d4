"""`make bench`: runs every benchmark module (tests/bench_*.py) and prints its figures.

Each module has a ``run()`` that sets up its own data in a throw-away database and prints
timings, ratios and query counts. Benchmarks never run inside the test suite.
"""

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
    import django

    django.setup()
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = sys.argv[1:]
    if wanted:
        names = [n for n in names if n in wanted or n.removeprefix("bench_") in wanted]
    if not names:
        print("no benchmark found")
        return 1
    for name in names:
        print(f"== {name}")
        started = time.perf_counter()
        importlib.import_module(f"tests.{name}").run()
        print(f"== {name} done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
