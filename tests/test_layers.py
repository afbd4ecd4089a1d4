"""Imports go one way only: common <- agencies <- campaigns <- registrations <- scoring <- awards <- demo.

The demo package is the top floor: it fills every app with the demo data, and no app imports it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["common", "agencies", "campaigns", "registrations", "scoring", "awards", "demo"]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(n.split(".")[0] for n in names if n.split(".")[0] in LAYERS)
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_no_import_points_right(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    offending = []
    for path in sorted((ROOT / app).rglob("*.py")):
        wrong = imported_apps(path) - allowed
        if wrong:
            offending.append(f"{path.relative_to(ROOT)} imports {sorted(wrong)}")
    assert offending == []


def test_settings_package_holds_no_models():
    assert not (ROOT / "campaign_portal" / "models.py").exists()


#: The platform's modules: they live in ``common`` (the ground floor), never in the directory.
PLATFORM_MODULES = [
    "workflow", "audit", "notifications", "tabular", "spreadsheets", "parsing", "display", "staging",
    "import_pages", "worklist", "pages", "fields", "tasks",
]  # fmt: skip


def test_the_directory_holds_no_platform_code():
    assert [m for m in PLATFORM_MODULES if (ROOT / "agencies" / f"{m}.py").exists()] == []
    assert all((ROOT / "common" / f"{m}.py").exists() for m in PLATFORM_MODULES)


def test_the_demo_lives_in_its_own_package_only():
    """No app keeps demo data or a demo command of its own: the demo is one package on top."""
    apps = LAYERS[:-1]
    assert sorted(str(p.relative_to(ROOT)) for a in apps for p in (ROOT / a).rglob("*demo*.py")) == []
