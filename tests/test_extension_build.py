"""The installable builds: dist/campfire-chromium.zip and dist/campfire-firefox.xpi from the one
extension/ source, store-ready (no `key`, Firefox id and data_collection_permissions), clean
under Mozilla's `web-ext lint`, and shipped inside the wheel, where `campfire extension`
finds them. The label thresholds the extension ships are models/labels.json's."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import build_extension  # noqa: E402

SOURCE = json.loads((REPO / "extension" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    return build_extension.build(tmp_path_factory.mktemp("dist"))


def manifest_of(archive: Path) -> dict:
    with zipfile.ZipFile(archive) as z:
        return json.loads(z.read("manifest.json"))


def names(archive: Path) -> set[str]:
    with zipfile.ZipFile(archive) as z:
        return set(z.namelist())


def test_store_builds_have_no_key_and_carry_every_file_their_manifest_names(builds):
    for browser, archive in builds.items():
        manifest = manifest_of(archive)
        assert "key" not in manifest and "key" in SOURCE
        gecko = manifest["browser_specific_settings"]["gecko"]
        assert gecko["id"] == SOURCE["browser_specific_settings"]["gecko"]["id"]
        assert gecko["data_collection_permissions"] == {"required": ["none"]}
        assert "nativeMessaging" in manifest["permissions"]
        content = manifest["content_scripts"][0]
        named = [*manifest["background"].get("scripts", []), *content["js"], *content["css"],
                 manifest["action"]["default_popup"], manifest["options_ui"]["page"],
                 "welcome/welcome.html", *manifest["icons"].values()]
        if "service_worker" in manifest["background"]:
            named.append(manifest["background"]["service_worker"])
        assert [n for n in named if n not in names(archive)] == [], browser
        assert not [n for n in names(archive) if n.endswith(".md")]
    assert manifest_of(builds["firefox"])["background"] == {"scripts": SOURCE["background"]["scripts"]}
    assert SOURCE["background"]["service_worker"] not in names(builds["firefox"])
    assert manifest_of(builds["chromium"])["background"]["service_worker"] == SOURCE["background"]["service_worker"]


def test_builds_are_reproducible(builds, tmp_path):
    again = build_extension.build(tmp_path)
    for browser, archive in builds.items():
        assert again[browser].read_bytes() == archive.read_bytes(), browser


def test_web_ext_lint_finds_no_errors(builds):
    assert build_extension.WEB_EXT.exists(), "run: (cd scripts/extension-tools && npm ci)"
    for browser, archive in builds.items():
        report = build_extension.lint(archive)
        assert report["errors"] == [], (browser, report["errors"])


def test_the_extension_ships_the_models_label_defaults():
    script = f"""
      globalThis.CampfireSettings = {{ LABEL_NAMES: [] }};
      globalThis.CampfireI18n = {{ t: (key) => key }};  // what labels.js reads at load time
      require({json.dumps(str(REPO / "extension" / "shared" / "labels.js"))});
      console.log(JSON.stringify(globalThis.CampfireLabels.SHIPPED));"""
    shipped = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True,
                                        check=True).stdout)
    declared = json.loads((REPO / "models" / "labels.json").read_text(encoding="utf-8"))["labels"]
    assert shipped == [{"name": label["name"], "threshold": label["threshold"]} for label in declared]


@pytest.mark.slow
def test_the_wheel_ships_the_extension_and_campfire_extension_prints_where(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = tmp_path.glob("campfire-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-m", "companion", "extension"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    package = site / "companion"
    assert f"Load unpacked\" and pick {package / '_extension'}" in out
    assert str(package / "_extension_builds" / "campfire-firefox.xpi") in out
    assert str(package / "_extension_builds" / "campfire-chromium.zip") in out
    assert (package / "_extension" / "welcome" / "welcome.html").is_file()
    assert "key" not in manifest_of(package / "_extension_builds" / "campfire-chromium.zip")
