"""Every site adapter is registered, documented and given test pages (no browser needed).

Like Refined GitHub's feature checks: adding `extension/sites/<id>.js` without its manifest
entry, its section in `extension/sites/NOTES.md` or its fixture pages fails here.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES_DIR = REPO / "extension" / "sites"
FIXTURES = REPO / "tests" / "fixtures" / "sites"
NOTES = (SITES_DIR / "NOTES.md").read_text(encoding="utf-8")
MANIFEST = json.loads((REPO / "extension" / "manifest.json").read_text(encoding="utf-8"))
# Sites on hosts the user adds (the options page's instances, settings.extraHosts): their
# fixture pages' other hosts ("also_at") are not the adapter's own.
USER_ADDED_HOSTS = {"mastodon"}
ADAPTERS = sorted(p.stem for p in SITES_DIR.glob("*.js") if p.name != "index.js")
REGISTER = re.compile(r'CampfireSites\.register\(\{\s*id: "([a-z][a-z0-9_]*)",\s*name: "[^"]+",\s*'
                      r'hosts: \[((?:"[a-z0-9.-]+",?\s*)+)\]')


def source(site: str) -> str:
    return (SITES_DIR / f"{site}.js").read_text(encoding="utf-8")


def hosts_of(site: str) -> list[str]:
    match = REGISTER.search(source(site))
    assert match, f"sites/{site}.js does not register an adapter with id, name and hosts"
    return re.findall(r'"([a-z0-9.-]+)"', match.group(2))


def notes_section(site: str) -> str:
    match = re.search(rf"^## {site} — `sites/{site}\.js`.*?(?=^## |\Z)", NOTES, re.M | re.S)
    assert match, f"NOTES.md has no '## {site} — `sites/{site}.js`' section"
    return match.group(0)


def fixture_pages(site: str) -> dict[str, dict]:
    listing = FIXTURES / site / "expected.json"
    assert listing.is_file(), f"sites/{site}.js has no tests/fixtures/sites/{site}/expected.json"
    return json.loads(listing.read_text(encoding="utf-8"))


def covers(hosts: list[str], url: str) -> bool:
    hostname = url.split("/")[2]
    return any(hostname == host or hostname.endswith(f".{host}") for host in hosts)


def test_there_are_adapters_to_check():
    assert {"x", "reddit", "mastodon", "bluesky", "linkedin", "youtube", "facebook", "instagram"} <= set(ADAPTERS)


@pytest.mark.parametrize("site", ADAPTERS)
def test_adapter_registers_itself_under_its_file_name(site):
    match = REGISTER.search(source(site))
    assert match and match.group(1) == site
    assert source(site).count("CampfireSites.register(") == 1


@pytest.mark.parametrize("site", ADAPTERS)
def test_adapter_is_loaded_by_the_manifest_after_the_registry_and_its_helpers(site):
    [entry] = MANIFEST["content_scripts"]
    scripts = entry["js"]
    assert f"sites/{site}.js" in scripts
    position = scripts.index(f"sites/{site}.js")
    assert scripts.index("sites/index.js") < position
    assert all(position < i for i, name in enumerate(scripts) if name.startswith("content/"))
    if "CampfirePostText" in source(site):
        assert scripts.index("shared/post-text.js") < position


@pytest.mark.parametrize("site", ADAPTERS)
def test_manifest_matches_cover_the_adapters_hosts(site):
    [entry] = MANIFEST["content_scripts"]
    for host in hosts_of(site):
        assert f"https://{host}/*" in entry["matches"] or f"https://*.{host}/*" in entry["matches"], host


@pytest.mark.parametrize("site", ADAPTERS)
def test_adapter_is_documented_with_the_date_it_was_checked(site):
    section = notes_section(site)
    assert re.search(r"Checked \d{4}-\d{2}-\d{2}", section), f"NOTES.md: {site} has no 'Checked <date>'"
    for page in fixture_pages(site):
        assert f"`{page}`" in section or page in section, f"NOTES.md: {site} does not describe {page}"


@pytest.mark.parametrize("site", ADAPTERS)
def test_adapter_has_fixture_pages_that_say_what_to_find(site):
    pages = fixture_pages(site)
    on_disk = {p.name for p in (FIXTURES / site).glob("*.html")}
    assert pages and set(pages) == on_disk, "every fixture page is listed in expected.json, and only those"
    hosts = hosts_of(site)
    for name, page in pages.items():
        assert page["posts"] == len(page["ids"]) == len(set(page["ids"])), name
        for field in ("texts", "authors", "permalinks"):
            assert set(page.get(field, {})) <= set(page["ids"]), (name, field)
        urls = [page["url"], *page.get("also_at", [])] if "url" in page else []
        dynamic = site in USER_ADDED_HOSTS
        for url in urls[:1] if dynamic else urls:
            assert covers(hosts, url), f"{name} is served at {url}, a host sites/{site}.js does not claim"


def test_fixture_urls_are_unique_so_each_serves_one_page():
    urls = [page["url"] for site in ADAPTERS for page in fixture_pages(site).values() if "url" in page]
    assert len(urls) == len(set(urls))


def test_every_fixture_folder_belongs_to_an_adapter():
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders <= set(ADAPTERS)
