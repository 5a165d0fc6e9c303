"""Where the browser extension is on this machine, its ids, and `campfire extension`.

A wheel (pip, pipx) carries the unpacked extension in `companion/_extension` and the
installable builds in `companion/_extension_builds` (the hatch build hook puts them there);
a source checkout has `extension/` and, once `scripts/build_extension.py` ran, `dist/`.
The extension's ids are read from its manifest, the one place they are declared: Chromium's
from the manifest `key`, Firefox's from `browser_specific_settings.gecko.id`.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent
CHROMIUM_BUILD = "campfire-chromium.zip"
FIREFOX_BUILD = "campfire-firefox.xpi"


def unpacked_dir() -> Path:
    packaged = PACKAGE / "_extension"
    return packaged if packaged.is_dir() else REPO / "extension"


def builds_dir() -> Path:
    packaged = PACKAGE / "_extension_builds"
    return packaged if packaged.is_dir() else REPO / "dist"


def manifest(directory: Path | None = None) -> dict:
    return json.loads(((directory or unpacked_dir()) / "manifest.json").read_text(encoding="utf-8"))


def chromium_id(key: str) -> str:
    """Chromium's extension id for a manifest `key`: sha256 of the key, 32 hex digits as a-p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def extension_ids(directory: Path | None = None) -> dict[str, str]:
    """{"chromium": id, "firefox": id} of the extension in `directory` (default: the shipped one)."""
    data = manifest(directory)
    return {"chromium": chromium_id(data["key"]),
            "firefox": data["browser_specific_settings"]["gecko"]["id"]}


def describe() -> str:
    unpacked, builds = unpacked_dir(), builds_dir()
    zip_, xpi = builds / CHROMIUM_BUILD, builds / FIREFOX_BUILD
    lines = [
        f"Unpacked extension: {unpacked}",
        "  Chrome, Chromium, Edge, Brave: open chrome://extensions, switch on Developer mode,",
        f"  click \"Load unpacked\" and pick {unpacked}",
    ]
    if xpi.is_file():
        lines += [f"Firefox build: {xpi}",
                  "  Firefox: open about:addons, gear menu > \"Install Add-on From File...\", pick it",
                  "  (Firefox ESR, Developer Edition and Nightly take it as it is once",
                  "  xpinstall.signatures.required is false in about:config; release Firefox only",
                  "  takes it signed by Mozilla: `web-ext sign --channel unlisted`, see README)"]
    else:
        lines += ["Firefox: no .xpi here yet (build it with: python scripts/build_extension.py);",
                  f"  for now about:debugging > This Firefox > \"Load Temporary Add-on\" > {unpacked}/manifest.json"]
    if zip_.is_file():
        lines.append(f"Store build (Chrome Web Store / Edge Add-ons upload): {zip_}")
    lines.append("Then run `campfire native install` once, so the browser starts and pairs the companion itself.")
    return "\n".join(lines)


def register(commands) -> None:
    cmd = commands.add_parser("extension", help="print where the browser extension is and how to install it",
                              description="Prints the folder of the unpacked extension and the paths of "
                                          "the installable builds that came with this install.")
    cmd.add_argument("--path", action="store_true", help="print the unpacked extension's folder alone")
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(unpacked_dir() if args.path else describe())
    return 0
