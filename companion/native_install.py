"""`campfire native install|uninstall|status`: register the native messaging host with browsers.

A host manifest names the command the browser may start (`campfire native-host`, through a
small launcher this writes next to the token) and the only extensions that may start it:
Campfire's Chromium id (from its manifest `key`) for Chrome, Chromium, Edge and Brave, and
its Firefox add-on id for Firefox. On Linux and macOS the manifests go in each browser's
per-user folder; on Windows in the config folder, with a registry key per browser that
points at them (HKEY_CURRENT_USER, no administrator needed).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from companion.pairing import CONFIG_DIR_ENV, config_dir
from companion.extension_files import extension_ids
from companion.server.settings import DEFAULT_PORT

HOST_NAME = "campfire.companion"  # also in extension/background/native.js (a test compares)
DESCRIPTION = "Campfire companion: hands the Campfire extension its port and token, starts it when needed"
CHROMIUM_FAMILY = ("chrome", "chromium", "edge", "brave")
BROWSERS = (*CHROMIUM_FAMILY, "firefox")

# Per-user folders for host manifests, relative to the home folder.
LINUX_DIRS = {
    "chrome": ".config/google-chrome/NativeMessagingHosts",
    "chromium": ".config/chromium/NativeMessagingHosts",
    "edge": ".config/microsoft-edge/NativeMessagingHosts",
    "brave": ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "firefox": ".mozilla/native-messaging-hosts",
}
MAC_DIRS = {
    "chrome": "Library/Application Support/Google/Chrome/NativeMessagingHosts",
    "chromium": "Library/Application Support/Chromium/NativeMessagingHosts",
    "edge": "Library/Application Support/Microsoft Edge/NativeMessagingHosts",
    "brave": "Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "firefox": "Library/Application Support/Mozilla/NativeMessagingHosts",
}
WINDOWS_KEYS = {
    "chrome": r"Software\Google\Chrome\NativeMessagingHosts",
    "chromium": r"Software\Chromium\NativeMessagingHosts",
    "edge": r"Software\Microsoft\Edge\NativeMessagingHosts",
    "brave": r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
    "firefox": r"Software\Mozilla\NativeMessagingHosts",
}


@dataclass(frozen=True)
class Place:
    browser: str
    manifest: Path
    registry_key: str | None = None  # Windows: HKCU key whose default value is the manifest path


def host_dir() -> Path:
    return config_dir() / "native-host"


def places(browsers, platform: str = sys.platform, home: Path | None = None,
           directory: Path | None = None) -> list[Place]:
    home = home or Path.home()
    name = f"{HOST_NAME}.json"
    if directory is not None:  # one profile's own folder (Chromium reads <user-data-dir>/NativeMessagingHosts)
        return [Place(b, directory / name) for b in browsers]
    if platform == "win32":
        return [Place(b, host_dir() / f"{b}.json", rf"{WINDOWS_KEYS[b]}\{HOST_NAME}") for b in browsers]
    table = MAC_DIRS if platform == "darwin" else LINUX_DIRS
    return [Place(b, home / table[b] / name) for b in browsers]


def launcher_path(platform: str = sys.platform) -> Path:
    return host_dir() / ("campfire-native-host.bat" if platform == "win32" else "campfire-native-host")


def launcher_text(allowed: list[str], platform: str = sys.platform, port: int = DEFAULT_PORT) -> str:
    """A launcher that runs this Python's `campfire native-host` with this config folder.
    (Browsers start hosts with their own environment, so what matters is written in.)"""
    env = {CONFIG_DIR_ENV: str(config_dir())}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    args = [sys.executable, "-m", "companion", "native-host", f"--port={port}",
            *[f"--allow={a}" for a in allowed]]
    if platform == "win32":
        sets = "".join(f'set "{k}={v}"\r\n' for k, v in env.items())
        return f"@echo off\r\n{sets}" + " ".join(f'"{a}"' for a in args) + " %*\r\n"
    exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items())
    return f"#!/bin/sh\n{exports}exec {shlex.join(args)} \"$@\"\n"


def host_manifest(browser: str, launcher: Path, ids: dict[str, list[str]]) -> dict:
    manifest = {"name": HOST_NAME, "description": DESCRIPTION, "path": str(launcher), "type": "stdio"}
    if browser == "firefox":
        manifest["allowed_extensions"] = ids["firefox"]
    else:
        manifest["allowed_origins"] = [f"chrome-extension://{i}/" for i in ids["chromium"]]
    return manifest


def allowed_ids(extra_chromium: list[str]) -> dict[str, list[str]]:
    own = extension_ids()
    return {"chromium": [own["chromium"], *[i for i in extra_chromium if i != own["chromium"]]],
            "firefox": [own["firefox"]]}


def _registry(winreg, key: str, value: str | None) -> None:
    if value is None:
        try:
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
        except FileNotFoundError:
            pass
        return
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
        winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)


def install(targets: list[Place], extra_chromium: list[str] = (), winreg=None,
            port: int = DEFAULT_PORT) -> list[Path]:
    ids = allowed_ids(list(extra_chromium))
    launcher = launcher_path()
    launcher.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    launcher.write_text(launcher_text(sorted({*ids["chromium"], *ids["firefox"]}), port=port),
                        encoding="utf-8")
    launcher.chmod(0o700)
    written = []
    for place in targets:
        place.manifest.parent.mkdir(parents=True, exist_ok=True)
        place.manifest.write_text(json.dumps(host_manifest(place.browser, launcher, ids), indent=2) + "\n",
                                  encoding="utf-8")
        if place.registry_key:
            _registry(winreg or _winreg(), place.registry_key, str(place.manifest))
        written.append(place.manifest)
    return written


def uninstall(targets: list[Place], winreg=None) -> list[Path]:
    removed = []
    for place in targets:
        if place.manifest.exists():
            place.manifest.unlink()
            removed.append(place.manifest)
        if place.registry_key:
            _registry(winreg or _winreg(), place.registry_key, None)
    return removed


def status(targets: list[Place]) -> list[str]:
    lines = []
    for place in targets:
        if not place.manifest.is_file():
            lines.append(f"{place.browser:9} not registered ({place.manifest})")
            continue
        manifest = json.loads(place.manifest.read_text(encoding="utf-8"))
        ok = Path(manifest.get("path", "")).is_file()
        ids = manifest.get("allowed_origins") or manifest.get("allowed_extensions") or []
        lines.append(f"{place.browser:9} {'registered' if ok else 'BROKEN: launcher missing'} "
                     f"({place.manifest}; allows {', '.join(ids)})")
    return lines


def _winreg():
    import winreg  # Windows only
    return winreg


def register(commands) -> None:
    native = commands.add_parser(
        "native", help="let the browser start and pair the companion itself (native messaging)",
        description="Registers Campfire's native messaging host with Chrome, Chromium, Edge, Brave and "
                    "Firefox for your user account. The extension then finds the companion, starts it "
                    "when it is not running and pairs itself: no token to copy.")
    native.add_argument("action", choices=("install", "uninstall", "status"))
    native.add_argument("--browser", action="append", choices=BROWSERS,
                        help="only this browser (repeatable; default: all of them)")
    native.add_argument("--chromium-id", action="append", default=[],
                        help="also allow this Chromium extension id (a store install's own id)")
    native.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port the host starts the companion on (default {DEFAULT_PORT}; 0: any free one)")
    native.add_argument("--dir", type=Path,
                        help="write the manifest into this folder instead (a browser profile's own "
                             "NativeMessagingHosts folder)")
    native.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    targets = places(args.browser or BROWSERS, directory=args.dir)
    if args.action == "install":
        for path in install(targets, args.chromium_id, port=args.port):
            print(f"registered: {path}")
        print(f"launcher: {launcher_path()}\nReload the Campfire extension (or restart the browser): "
              "it now starts and pairs the companion by itself.")
    elif args.action == "uninstall":
        for path in uninstall(targets):
            print(f"removed: {path}")
        if not args.browser and not args.dir:
            launcher_path().unlink(missing_ok=True)
    else:
        print("\n".join(status(targets)))
    return 0
