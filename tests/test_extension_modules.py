"""The extension's files share globals (MV3 content scripts cannot be ES modules), so the
order each entry point loads them in is their dependency list: the manifest's content
scripts and background scripts, background/worker.js's importScripts, and each HTML page's
script tags. For every entry point, every `CampfireX` a file uses must be defined
(`globalThis.CampfireX =`) by that file or one loaded before it. No browser needed."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXTENSION = REPO / "extension"
MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
DEFINES = re.compile(r"\bglobalThis\.(Campfire\w+)\s*=(?!=)")
USES = re.compile(r"\b(Campfire\w+)\b")
COMMENTS = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)
STRINGS = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')


def own_files() -> list[str]:
    return sorted(str(p.relative_to(EXTENSION)) for p in EXTENSION.rglob("*.js") if "vendor" not in p.parts)


def code_of(path: str) -> str:
    return STRINGS.sub('""', COMMENTS.sub("", (EXTENSION / path).read_text(encoding="utf-8")))


def defined(path: str) -> set[str]:
    return set(DEFINES.findall(code_of(path)))


def used(path: str) -> set[str]:
    return set(USES.findall(code_of(path)))


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        if tag == "script" and src:
            self.sources.append(src)


def page_scripts(page: Path) -> list[str]:
    parser = _Scripts()
    parser.feed(page.read_text(encoding="utf-8"))
    return [str((page.parent / src).resolve().relative_to(EXTENSION.resolve())) for src in parser.sources]


def worker_scripts() -> list[str]:
    source = (EXTENSION / "background" / "worker.js").read_text(encoding="utf-8")
    (args,) = re.findall(r"importScripts\(([^)]*)\)", source)
    return [path.lstrip("/") for path in re.findall(r'"([^"]+)"', args)]


def entry_points() -> dict[str, list[str]]:
    entries = {f"manifest content_scripts[{i}]": list(cs["js"]) for i, cs in enumerate(MANIFEST["content_scripts"])}
    entries["manifest background.scripts"] = list(MANIFEST["background"].get("scripts", []))
    entries["background/worker.js importScripts"] = worker_scripts()
    for page in sorted(EXTENSION.rglob("*.html")):
        entries[str(page.relative_to(EXTENSION))] = page_scripts(page)
    return entries


ENTRIES = entry_points()


def undefined_uses(paths: list[str]) -> list[str]:
    """"<file> uses <global>" for each global not defined by the file or one before it."""
    seen: set[str] = set()
    missing = []
    for path in paths:
        if "vendor" in Path(path).parts:
            continue
        seen |= defined(path)
        missing += [f"{path} uses {name}" for name in sorted(used(path) - seen)]
    return missing


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_every_global_a_file_uses_is_defined_before_it(entry):
    for path in ENTRIES[entry]:
        assert (EXTENSION / path).is_file(), f"{entry} loads {path}, which does not exist"
    missing = undefined_uses(ENTRIES[entry])
    assert not missing, f"{entry}: not defined by this file or one loaded before it: {missing}"


def test_each_global_is_defined_by_one_file():
    owners: dict[str, list[str]] = {}
    for path in own_files():
        for name in defined(path):
            owners.setdefault(name, []).append(path)
    assert owners and {n: p for n, p in owners.items() if len(p) > 1} == {}


def test_every_file_is_loaded_by_an_entry_point():
    loaded = {path for paths in ENTRIES.values() for path in paths} | {"background/worker.js"}
    assert set(own_files()) - loaded == set()


def test_the_service_worker_loads_what_firefox_loads():
    assert worker_scripts() == MANIFEST["background"]["scripts"]


def test_the_check_sees_uses_and_definitions():
    # The parser itself: a file that uses a global it does not define, and one that defines it.
    assert "CampfireSettings" in used("shared/labels.js") and "CampfireSettings" not in defined("shared/labels.js")
    assert defined("shared/settings.js") == {"CampfireSettings"}
    order = ["shared/i18n.js", "shared/settings.js", "shared/labels.js"]
    assert undefined_uses(order) == []
    assert undefined_uses(order[::-1]) == ["shared/labels.js uses CampfireI18n", "shared/labels.js uses CampfireSettings",
                                           "shared/settings.js uses CampfireI18n"]
