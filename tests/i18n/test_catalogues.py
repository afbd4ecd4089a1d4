"""The English catalogues are complete: every Vietnamese source string has a translation.

Source strings are Vietnamese (the default language); ``en`` is the second language.
"""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_every_layer_has_a_catalogue():
    owners = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"locale", "agencies"} <= owners


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_survive_translation(path):
    import re

    pattern = re.compile(r"%\((\w+)\)s")
    for entry in polib.pofile(str(path)).translated_entries():
        expected = sorted(set(pattern.findall(entry.msgid)))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(pattern.findall(text))) == expected, entry.msgid
