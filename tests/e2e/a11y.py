"""Accessibility and usability checks run over every page the browser suite touches.

- axe-core (vendored from npm under tests/e2e/vendor/, injected into the page): no serious or critical
  violation;
- every visible form field has a label (label[for], a wrapping label, aria-label or aria-labelledby);
- no horizontal scroll at 375 px (a phone);
- the Vietnamese pages show no untranslated English or developer words (raw codes, snake_case,
  Python values, English UI words), with a small allow-list.

Each distinct page (its path with the numbers replaced) is checked once per test, so a page visited
ten times costs one check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Set as AbstractSet
from pathlib import Path

AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

# Words that betray an untranslated string or a developer's value on a Vietnamese page.
ENGLISH_WORDS = {
    "the",
    "and",
    "or",
    "of",
    "to",
    "is",
    "are",
    "not",
    "with",
    "for",
    "from",
    "this",
    "that",
    "your",
    "submit",
    "save",
    "cancel",
    "delete",
    "edit",
    "add",
    "remove",
    "back",
    "next",
    "previous",
    "search",
    "login",
    "logout",
    "log",
    "sign",
    "password",
    "username",
    "user",
    "home",
    "page",
    "error",
    "errors",
    "required",
    "field",
    "invalid",
    "select",
    "choose",
    "file",
    "upload",
    "download",
    "none",
    "true",
    "false",
    "null",
    "nan",
    "undefined",
    "draft",
    "submitted",
    "accepted",
    "returned",
    "approved",
    "published",
    "pending",
    "campaign",
    "registration",
    "report",
    "score",
    "results",
    "list",
    "vote",
    "council",
    "agency",
    "agencies",
    "todo",
    "fixme",
    "traceback",
    "exception",
    "debug",
    "object",
    "yes",
    "no",
    "name",
    "date",
    "status",
    "state",
    "view",
    "details",
    "close",
    "open",
}
# Words that look English but belong on a Vietnamese page: names of formats, products and units.
ALLOWED_WORDS = {
    "pdf",
    "xlsx",
    "csv",
    "yaml",
    "zip",
    "excel",
    "email",
    "e-mail",
    "cchc",
    "par",
    "index",
    "ubnd",
    "hđnd",
    "kh-ubnd",
    "qđ-ubnd",
    "tm",
    "kt",
    "mb",
    "kb",
    "gb",
    "online",
    "website",
    "internet",
}
DEVELOPER_PATTERNS = [
    re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),  # snake_case: a raw code or field name
    re.compile(r"\b(?:None|True|False|NaN|undefined|null)\b"),
    re.compile(r"\{\{|\}\}|\{%|%\}"),  # template syntax leaking
    re.compile(r"%\(\w+\)s"),  # an unfilled gettext placeholder
    re.compile(r"(?:/[\w.-]+){2,}\.(?:py|html|txt|pdf|xlsx)\b"),  # a file path
]

LABELS_JS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('[hidden], .d-none')) continue;
    const labelled = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) bad.push(el.outerHTML.slice(0, 160));
  }
  return bad;
}
"""

OVERFLOW_JS = """
() => {
  const doc = document.documentElement;
  const over = doc.scrollWidth - doc.clientWidth;
  if (over <= 1) return null;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > doc.clientWidth + 1 && !el.closest('.table-responsive, pre')) {
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className);
      if (wide.length > 5) break;
    }
  }
  return {over: over, elements: wide};
}
"""

VISIBLE_TEXT_JS = "() => document.body.innerText"  # what the user sees (rendered, visible text only)


def page_key(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def untranslated(text: str, allow: AbstractSet[str] = frozenset()) -> list[str]:
    found = []
    # Whole words, Vietnamese letters included ("toàn" is not "to"); only plain-ASCII words can be English.
    for word in re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", text):
        if not word.isascii():
            continue
        w = word.lower()
        if w in ENGLISH_WORDS and w not in ALLOWED_WORDS and w not in allow:
            at = text.find(word)
            found.append(f"{word} (…{text[max(0, at - 30) : at + 30]}…)")
    for pattern in DEVELOPER_PATTERNS:
        found += pattern.findall(text)
    return found


class PageChecks:
    def __init__(self):
        self.done: set[str] = set()
        self.allow_words: set[str] = set()  # names typed by the test itself (codes of test data)

    def check(self, page, force: bool = False) -> None:
        key = page_key(page.url)
        if key in self.done and not force:
            return
        self.done.add(key)
        where = f"{key} ({page.url})"
        lang = page.evaluate("document.documentElement.lang")
        assert lang in ("vi", "en"), f"{where}: <html lang> is {lang!r}"

        missing = page.evaluate(LABELS_JS)
        assert not missing, f"{where}: fields without a label: {missing}"

        if lang == "vi":
            words = untranslated(page.evaluate(VISIBLE_TEXT_JS), self.allow_words)
            assert not words, f"{where}: untranslated or developer words on a Vietnamese page: {words}"

        page.add_script_tag(content=AXE_JS)
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
        )
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not serious, (
            f"{where}: axe-core violations:\n{json.dumps(serious, ensure_ascii=False, indent=1)}"
        )

        size = page.viewport_size
        page.set_viewport_size({"width": 375, "height": 800})
        try:
            overflow = page.evaluate(OVERFLOW_JS)
        finally:
            page.set_viewport_size(size)
        assert overflow is None, f"{where}: horizontal scroll at 375 px: {overflow}"
