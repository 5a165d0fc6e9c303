"""The extension's words: every key the code and pages use exists in every locale, every
locale has the same keys (and the same $1..$9 values in each message), no key goes unused,
and the pages' visible text all comes from a key."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parent.parent / "extension"
LOCALES = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
           for p in sorted((EXTENSION / "_locales").glob("*/messages.json"))}
MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
SOURCES = [p for p in EXTENSION.rglob("*") if p.suffix in (".js", ".html") and "_locales" not in p.parts]
USES = [
    re.compile(r"\bt\(\s*\"([A-Za-z0-9_@]+)\""),                     # t("key", ...) in scripts
    re.compile(r"data-i18n(?:-[a-z-]+)?=\"([A-Za-z0-9_@]+)\""),       # data-i18n="key" in markup
    re.compile(r"__MSG_([A-Za-z0-9_@]+)__"),                          # the manifest
]


def used_keys() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in [*SOURCES, EXTENSION / "manifest.json"]:
        text = path.read_text(encoding="utf-8")
        for pattern in USES:
            for key in pattern.findall(text):
                used.setdefault(key, set()).add(str(path.relative_to(EXTENSION)))
    return used


def test_english_and_at_least_one_more_language_with_english_as_default():
    assert MANIFEST["default_locale"] == "en"
    assert "en" in LOCALES and len(LOCALES) >= 2
    assert MANIFEST["description"].startswith("__MSG_")
    assert all(c["description"].startswith("__MSG_") for c in MANIFEST["commands"].values())


@pytest.mark.parametrize("locale", [name for name in LOCALES if name != "en"])
def test_every_locale_has_the_same_keys_and_values(locale):
    english, other = LOCALES["en"], LOCALES[locale]
    assert sorted(other) == sorted(english)
    for key, entry in english.items():
        assert other[key]["message"].strip(), key
        assert sorted(re.findall(r"\$\d", other[key]["message"])) == \
            sorted(re.findall(r"\$\d", entry["message"])), key


def test_every_key_used_exists_in_every_locale():
    used = used_keys()
    assert len(used) > 50
    for locale, messages in LOCALES.items():
        missing = {key: sorted(files) for key, files in used.items() if key not in messages}
        assert missing == {}, locale


def test_no_key_goes_unused():
    assert sorted(set(LOCALES["en"]) - set(used_keys())) == []


class VisibleText(HTMLParser):
    """Text inside <body> (and <title>) that no data-i18n ancestor supplies."""
    EXEMPT = {"code", "kbd", "script", "style"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.loose: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "input", "br", "meta", "link"):
            return
        translated = "data-i18n" in dict(attrs) or tag in self.EXEMPT
        self.stack.append((tag, translated or any(t for _, t in self.stack)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = data.strip(" \n.,")
        if text and self.stack and not self.stack[-1][1] and text != "Campfire":
            self.loose.append(text)


@pytest.mark.parametrize("page", ["popup/popup.html", "options/options.html", "welcome/welcome.html",
                                  "report/report.html"])
def test_the_pages_show_no_untranslated_text(page):
    parser = VisibleText()
    parser.feed((EXTENSION / page).read_text(encoding="utf-8"))
    assert parser.loose == []
