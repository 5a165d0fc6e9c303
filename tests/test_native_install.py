"""`campfire native install|uninstall|status` and `campfire service`: the files they write for
each browser and platform, into a temporary home, checked field by field; the systemd unit
checked by `systemd-analyze verify` where it is installed."""
from __future__ import annotations

import contextlib
import json
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion import native_install, service
from companion.cli import main
from companion.extension_files import chromium_id, extension_ids, manifest

EXTENSION = Path(__file__).resolve().parents[1] / "extension"
NATIVE_JS = EXTENSION / "background" / "native.js"


@pytest.fixture
def home(tmp_path, monkeypatch, config_dir):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return tmp_path / "home"


def test_the_ids_come_from_the_extensions_manifest():
    data = manifest(EXTENSION)
    ids = extension_ids(EXTENSION)
    assert ids["firefox"] == data["browser_specific_settings"]["gecko"]["id"]
    # Chromium's rule, checked against an id Chromium itself reported for a known key
    assert chromium_id("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAs0pSj5yMn1dQFoKxN7tc7oh093LkNpoAQyv7q5lWYTO0iuA2yVJa5qsKcokCWxXF3Vaczn6Oog4QKPwhK2nEyiWuGhCAkTGg5XX4avSUFBad0J2Xm2p4RboQLeS++8VOJcEcpUd5HnXEcoE9cg4H+IiTIuwkJ/5d/QksOYKIg8w395QF7UJ3WYJ7MtmCPOTeP0RNmKoytg4Dh5bKWkdFSJ9lOa/+GwOqH4sek7yLBdb9Ubjb/nMKNwUEMtWVZgS6UA23hXBYTnF4vqlqj+JV05VT79bTW8T6FQW7oya89CQvthb6Sxu654DmpoA1B0oeGeYSeo3LEfnW3Z6dORXHpQIDAQAB") \
        == "jhadgfanfgkicdogicobhhdpbgkjnman"
    # the extension asks for the host by the same name the manifests register
    assert f'"{native_install.HOST_NAME}"' in NATIVE_JS.read_text(encoding="utf-8")


@pytest.mark.parametrize("platform,folders", [
    ("linux", native_install.LINUX_DIRS), ("darwin", native_install.MAC_DIRS)])
def test_install_writes_a_manifest_per_browser_allowing_only_campfire(home, platform, folders):
    targets = native_install.places(native_install.BROWSERS, platform=platform, home=home)
    written = native_install.install(targets, extra_chromium=["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"])
    assert written == [home / folders[b] / "campfire.companion.json" for b in native_install.BROWSERS]
    ids = extension_ids()
    launcher = native_install.launcher_path()
    for browser, path in zip(native_install.BROWSERS, written):
        host = json.loads(path.read_text())
        assert (host["name"], host["type"], host["path"]) == ("campfire.companion", "stdio", str(launcher))
        if browser == "firefox":
            assert host["allowed_extensions"] == [ids["firefox"]] and "allowed_origins" not in host
        else:
            assert host["allowed_origins"] == [f"chrome-extension://{ids['chromium']}/",
                                               "chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/"]
    text = launcher.read_text()
    assert text.startswith("#!/bin/sh\n") and os.access(launcher, os.X_OK)
    assert f"export CAMPFIRE_CONFIG_DIR={os.environ['CAMPFIRE_CONFIG_DIR']}" in text
    assert f"{sys.executable} -m companion native-host --port=47800" in text
    assert f"--allow={ids['chromium']}" in text and f"--allow={ids['firefox']}" in text
    assert all("registered (" in line for line in native_install.status(targets))
    assert native_install.uninstall(targets) == written
    assert all("not registered" in line for line in native_install.status(targets))


class FakeWinreg:
    """Stands in for Windows' registry (this machine has none): records what would be written."""
    HKEY_CURRENT_USER, REG_SZ = "HKCU", 1

    def __init__(self):
        self.keys = {}

    def CreateKey(self, root, key):  # noqa: N802 (winreg's names)
        return contextlib.nullcontext(key)

    def SetValueEx(self, handle, name, reserved, kind, value):  # noqa: N802
        self.keys[("HKCU", handle)] = value

    def DeleteKey(self, root, key):  # noqa: N802
        del self.keys[(root, key)]


def test_windows_gets_a_registry_key_per_browser_pointing_at_its_manifest(home):
    registry = FakeWinreg()
    targets = native_install.places(native_install.BROWSERS, platform="win32", home=home)
    native_install.install(targets, winreg=registry)
    assert registry.keys == {
        ("HKCU", rf"{native_install.WINDOWS_KEYS[p.browser]}\campfire.companion"): str(p.manifest)
        for p in targets}
    assert json.loads(targets[-1].manifest.read_text())["allowed_extensions"] == [extension_ids()["firefox"]]
    assert native_install.launcher_text(["x"], platform="win32").startswith("@echo off\r\n")
    native_install.uninstall(targets, winreg=registry)
    assert registry.keys == {}


def test_the_cli_installs_into_a_profiles_own_folder(home, tmp_path, capsys):
    profile_hosts = tmp_path / "profile" / "NativeMessagingHosts"
    assert main(["native", "install", "--browser", "chromium", "--dir", str(profile_hosts), "--port", "0"]) == 0
    host = json.loads((profile_hosts / "campfire.companion.json").read_text())
    assert "--port=0" in Path(host["path"]).read_text()
    assert "registered" in capsys.readouterr().out


def test_service_unit_runs_this_companion_and_passes_systemd_analyze(home):
    path, notes = service.install(start=False, platform="linux")
    assert path == home / ".config" / "systemd" / "user" / "campfire.service" and notes == []
    unit = path.read_text()
    assert f"ExecStart={sys.executable} -m companion serve\n" in unit
    assert f"Environment=CAMPFIRE_CONFIG_DIR={os.environ['CAMPFIRE_CONFIG_DIR']}" in unit
    assert "WantedBy=default.target" in unit and "Restart=on-failure" in unit
    if shutil.which("systemd-analyze"):
        check = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True)
        assert (check.returncode, check.stderr) == (0, "")
    assert "installed:" in service.status(platform="linux")
    assert service.uninstall(platform="linux") == path and not path.exists()


def test_launchd_agent_is_a_valid_plist_that_keeps_the_companion_up(home):
    path, _ = service.install(start=False, platform="darwin")
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == "campfire.companion"
    assert agent["ProgramArguments"] == [sys.executable, "-m", "companion", "serve"]
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
