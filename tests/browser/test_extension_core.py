"""The extension's own rules: one manifest for both browsers, every site adapter registered,
no network access but the service worker's, settings defaults and migrations, the options
page, and content scripts for hosts the user adds."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ARTIFACTS, EXTENSION, FIXTURES

MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
CONTENT = MANIFEST["content_scripts"][0]
LOOPBACK_PERMISSIONS = {"http://127.0.0.1/*", "http://localhost/*"}


@pytest.fixture(scope="module")
def options(browser):
    page = browser.extension_page("options/options.html")
    page.wait_for_selector("body[data-ready='true']")
    return page


@pytest.fixture
def fresh(browser, options):
    """Empty storage, options page reloaded on it."""
    browser.worker.evaluate("() => chrome.storage.local.clear()")
    options.bring_to_front()  # a background tab gets few animation frames, which Playwright waits on
    options.reload()
    options.wait_for_selector("body[data-ready='true']")
    return options


def test_one_manifest_carries_both_browsers_backgrounds():
    background = MANIFEST["background"]
    worker = (EXTENSION / background["service_worker"]).read_text(encoding="utf-8")
    imported = [path.lstrip("/") for path in re.findall(r'"(/[^"]+\.js)"', worker)]
    # Firefox runs background.scripts; Chromium's worker imports the same files in the same order.
    assert imported == background["scripts"]
    assert MANIFEST["browser_specific_settings"]["gecko"]["id"]
    assert MANIFEST["key"]


def test_every_file_the_manifest_names_exists():
    named = [MANIFEST["background"]["service_worker"], *MANIFEST["background"]["scripts"],
             *CONTENT["js"], *CONTENT["css"], MANIFEST["action"]["default_popup"],
             MANIFEST["options_ui"]["page"], *MANIFEST["icons"].values()]
    assert [path for path in named if not (EXTENSION / path).is_file()] == []


def test_no_remote_code_and_no_network_access_beyond_the_companion():
    assert "content_security_policy" not in MANIFEST  # MV3's default: script-src 'self'
    assert set(MANIFEST["host_permissions"]) == LOOPBACK_PERMISSIONS
    talkers = {}
    for path in EXTENSION.rglob("*.js"):
        source = path.read_text(encoding="utf-8")
        found = re.findall(r"\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|\beval\(|new Function\(",
                           source)
        if found:
            talkers[str(path.relative_to(EXTENSION))] = sorted(set(found))
    assert talkers == {"background/companion.js": ["fetch("]}
    for page in EXTENSION.rglob("*.html"):
        assert not re.search(r'<script[^>]+src="https?:', page.read_text(encoding="utf-8")), page


def site_files() -> list[str]:
    return sorted(f"sites/{p.name}" for p in (EXTENSION / "sites").glob("*.js") if p.name != "index.js")


def test_every_site_file_is_a_content_script_between_the_registry_and_the_scanner():
    scripts = CONTENT["js"]
    missing = [f for f in site_files() if f not in scripts]
    assert missing == [], "add these to manifest.json content_scripts[0].js"
    registry = scripts.index("sites/index.js")
    first_content = min(i for i, f in enumerate(scripts) if f.startswith("content/"))
    assert all(registry < scripts.index(f) < first_content for f in site_files())


def pattern_regex(pattern: str) -> re.Pattern:
    scheme, _, rest = pattern.partition("://")
    host, _, _ = rest.partition("/")
    host_re = re.escape(host).replace(r"\*\.", r"(?:[^.]+\.)*")
    return re.compile(f"^{host_re}$")


def test_every_adapter_registers_and_its_hosts_are_matched(options):
    adapters = options.evaluate("() => CampfireSites.all().map((a) => ({id: a.id, hosts: a.hosts}))")
    assert len(adapters) == len(site_files())
    host_patterns = [pattern_regex(p) for p in CONTENT["matches"]]
    for adapter in adapters:
        unmatched = [h for h in adapter["hosts"] if not any(p.match(h) for p in host_patterns)]
        assert unmatched == [], adapter["id"]
        assert (FIXTURES / adapter["id"] / "expected.json").is_file(), f"{adapter['id']} has no test pages"


def test_the_registry_refuses_a_malformed_adapter_and_finds_sites_by_host(options):
    error = options.evaluate("""() => { try { CampfireSites.register({id: 'Bad', hosts: 'x'}); }
                                       catch (e) { return e.message; } }""")
    assert "strategies must be a list" in error and "hosts must be a list" in error
    found = options.evaluate("""() => [CampfireSites.forHost('mobile.twitter.com')?.id,
        CampfireSites.forHost('notx.com')?.id ?? null,
        CampfireSites.forHost('social.example', {'social.example': 'x'})?.id]""")
    assert found == ["x", None, "x"]


def migrate(page, stored, migrations=None):
    if migrations is None:
        return page.evaluate("(stored) => CampfireSettings.migrate(stored)", stored)
    return page.evaluate("([stored, body]) => CampfireSettings.migrate(stored, {0: new Function('s', body)})",
                         [stored, migrations])


def test_a_fresh_install_gets_the_defaults(options):
    defaults = options.evaluate("() => CampfireSettings.DEFAULTS")
    assert migrate(options, None) == defaults
    assert defaults["companionUrl"] == "http://127.0.0.1:47800"
    assert defaults["schemaVersion"] == options.evaluate("() => CampfireSettings.SCHEMA_VERSION") == 1
    assert all(v == {"action": "badge", "threshold": None} for v in defaults["labels"].values())


def test_unversioned_settings_migrate_keeping_good_values_and_dropping_bad_ones(options):
    stored = {
        "companionUrl": "http://localhost:47801/", "token": "  abc ",
        "labels": {"self_promotion": {"action": "hide", "threshold": 0.7},
                   "conversational": {"action": "explode", "threshold": 3}},
        "allowAuthors": ["@Jane", "bob", ""], "disabledSites": ["x", "x"], "hideAds": ["reddit", 3, "reddit"],
        "sinkLabels": ["conversational", "self_promotion"],
        "extraHosts": {"Fosstodon.org": "mastodon", "not a host": "mastodon"},
        "conversationFirst": "yes", "retired": True,
    }
    assert migrate(options, stored) == {
        "schemaVersion": 1, "companionUrl": "http://localhost:47801", "token": "abc",
        "labels": {"self_promotion": {"action": "hide", "threshold": 0.7},
                   "missing_disclosure": {"action": "badge", "threshold": None},
                   "conversational": {"action": "badge", "threshold": None}},
        "allowAuthors": ["@jane", "@bob"], "disabledSites": ["x"], "hideAds": ["reddit"],
        "sinkLabels": ["self_promotion"], "extraHosts": {"fosstodon.org": "mastodon"}, "conversationFirst": False,
    }


def test_migrations_run_from_the_stored_version(options):
    # Version 0 (no schemaVersion) goes through step 0; a current one does not.
    step = "return {...s, token: 'set-by-step-0', schemaVersion: 1};"
    assert migrate(options, {"token": "old"}, step)["token"] == "set-by-step-0"
    assert migrate(options, {"schemaVersion": 1, "token": "old"}, step)["token"] == "old"


def test_settings_from_a_newer_version_keep_what_this_one_understands(options):
    migrated = migrate(options, {"schemaVersion": 99, "token": "t", "futureOnly": 1})
    assert migrated["token"] == "t" and "futureOnly" not in migrated


def test_loading_writes_migrated_settings_back(browser, fresh):
    browser.worker.evaluate("() => chrome.storage.local.set({settings: {token: 'kept'}})")
    loaded = fresh.evaluate("() => CampfireSettings.load()")
    stored = browser.worker.evaluate("async () => (await chrome.storage.local.get('settings')).settings")
    assert stored == loaded and stored["schemaVersion"] == 1 and stored["token"] == "kept"


@pytest.mark.parametrize("address", ["https://127.0.0.1:47800", "http://example.com:47800", "http://192.168.1.5:47800", "nonsense"])
def test_only_a_companion_on_this_machine_can_be_set(fresh, address):
    fresh.fill("#companion-url", address)
    fresh.press("#companion-url", "Tab")  # saved on change, like every setting
    fresh.wait_for_function("() => document.getElementById('address-error').textContent !== ''")
    assert fresh.evaluate("async () => (await CampfireSettings.load()).companionUrl") == "http://127.0.0.1:47800"


def test_options_page_saves_address_labels_sites_and_allow_list(fresh):
    fresh.fill("#companion-url", "http://localhost:47999/")
    fresh.press("#companion-url", "Tab")
    fresh.wait_for_function("() => document.getElementById('companion-url').value === 'http://localhost:47999'")
    fresh.select_option('fieldset[data-label="conversational"] select.action', "collapse")
    fresh.fill('fieldset[data-label="missing_disclosure"] input.threshold', "72")
    fresh.check('#sink label:has-text("Self-promotion") input')
    fresh.uncheck('#sites label:has-text("Label posts on X") input')
    fresh.fill("#allow-authors", "@Friend\nneighbour, @friend")
    fresh.press("#allow-authors", "Tab")
    fresh.wait_for_function("() => document.getElementById('allow-authors').value === '@friend\\n@neighbour'")
    assert fresh.locator("#saved").text_content() == "Saved"
    settings = fresh.evaluate("() => CampfireSettings.load()")
    assert settings["companionUrl"] == "http://localhost:47999"
    assert settings["labels"]["conversational"]["action"] == "collapse"
    assert settings["labels"]["missing_disclosure"]["threshold"] == 0.72
    assert settings["sinkLabels"] == ["self_promotion"]
    assert settings["disabledSites"] == ["x"]
    assert settings["allowAuthors"] == ["@friend", "@neighbour"]
    ARTIFACTS.mkdir(exist_ok=True)
    fresh.screenshot(path=str(ARTIFACTS / "options.png"), full_page=True)


def test_adding_an_instance_the_extension_already_reads_is_refused(fresh):
    for host, message in [("x.com", "already supported"), ("not a host!", "not a host name")]:
        fresh.fill("#instance", host)
        fresh.click("#instance-form button")
        fresh.wait_for_function("(m) => document.getElementById('instance-error').textContent.includes(m)", arg=message)
    assert fresh.evaluate("async () => (await CampfireSettings.load()).extraHosts") == {}


def registered(browser):
    return browser.worker.evaluate("""async () => (await chrome.scripting.getRegisteredContentScripts())
        .map((s) => ({id: s.id, matches: s.matches}))""")


def test_a_host_the_user_did_not_grant_gets_no_content_scripts(browser):
    # A registration left from before (the user since revoked the permission) goes away.
    browser.worker.evaluate("""() => chrome.scripting.registerContentScripts([{id: CampfireExtraHosts.SCRIPT_ID,
        matches: ['https://x.com/*'], js: ['sites/index.js']}])""")
    assert registered(browser) == [{"id": "campfire-extra-hosts", "matches": ["https://x.com/*"]}]
    synced = browser.worker.evaluate("() => CampfireExtraHosts.sync({extraHosts: {'fosstodon.org': 'mastodon'}})")
    assert synced == []
    assert registered(browser) == []
