"""Build the installable extension: dist/campfire-chromium.zip and dist/campfire-firefox.xpi.

From the one source in extension/ and its one manifest:
- Both: no `key` (the stores refuse it and assign the id themselves); the fixed Firefox
  add-on id with `data_collection_permissions` (nothing is collected: post text goes to
  127.0.0.1 only), which needs Firefox 140.
- Chromium (Chrome Web Store, Edge Add-ons): the manifest as it is otherwise (Chromium runs
  the service worker and ignores background.scripts and the Firefox settings).
- Firefox (addons.mozilla.org, or a self-distributed signed .xpi): background.scripts only
  (Firefox's event page), without the service worker's file.
Archives are reproducible: sorted entries, fixed timestamps. `--lint` then runs Mozilla's
`web-ext lint` on both (scripts/extension-tools: `npm ci` there first) and fails on an error.

Usage: python scripts/build_extension.py [--out dist] [--lint]
"""
from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # companion.extension_files names the builds (stdlib only)
from companion.extension_files import CHROMIUM_BUILD, FIREFOX_BUILD

EXTENSION = REPO / "extension"
WEB_EXT = REPO / "scripts" / "extension-tools" / "node_modules" / ".bin" / "web-ext"
LEFT_OUT = {".md", ".svg"}  # notes for developers and the icon's source
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


FIREFOX_MIN_VERSION = "140.0"  # the first to know data_collection_permissions


def chromium_manifest(source: dict) -> dict:
    manifest = copy.deepcopy(source)
    manifest.pop("key", None)
    gecko = manifest["browser_specific_settings"]["gecko"]
    gecko["data_collection_permissions"] = {"required": ["none"]}
    gecko["strict_min_version"] = max(gecko.get("strict_min_version", "0"), FIREFOX_MIN_VERSION,
                                      key=lambda v: [int(p) for p in v.split(".")])
    return manifest


def firefox_manifest(source: dict) -> dict:
    manifest = chromium_manifest(source)
    manifest["background"] = {"scripts": source["background"]["scripts"]}
    return manifest


def files(source_dir: Path, manifest: dict) -> list[Path]:
    skip = {source_dir / "manifest.json"}
    if "service_worker" not in manifest["background"]:
        skip.add(source_dir / source_dir.joinpath(json.loads(
            (source_dir / "manifest.json").read_text())["background"]["service_worker"]))
    return sorted(p for p in source_dir.rglob("*")
                  if p.is_file() and p.suffix not in LEFT_OUT and p not in skip)


def write_archive(path: Path, source_dir: Path, manifest: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
        add("manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
        for file in files(source_dir, manifest):
            add(file.relative_to(source_dir).as_posix(), file.read_bytes())
    return path


def build(out: Path, source_dir: Path = EXTENSION) -> dict[str, Path]:
    source = json.loads((source_dir / "manifest.json").read_text(encoding="utf-8"))
    return {"chromium": write_archive(out / CHROMIUM_BUILD, source_dir, chromium_manifest(source)),
            "firefox": write_archive(out / FIREFOX_BUILD, source_dir, firefox_manifest(source))}


def lint(archive: Path) -> dict:
    """web-ext lint's JSON report for a built archive (unpacked into a folder beside it)."""
    if not WEB_EXT.exists():
        raise SystemExit(f"web-ext is missing: run `npm ci` in {WEB_EXT.parents[2]}")
    folder = archive.with_suffix(".lint")
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    try:
        run = subprocess.run([str(WEB_EXT), "lint", "--source-dir", str(folder), "--output", "json",
                              "--no-input", "--no-config-discovery"],
                             capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    start = run.stdout.find("{")
    return json.loads(run.stdout[start:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    parser.add_argument("--lint", action="store_true", help="run web-ext lint on both builds")
    args = parser.parse_args(argv)
    failed = False
    for browser, path in build(args.out).items():
        print(f"{browser}: {path} ({path.stat().st_size} bytes)")
        if args.lint:
            report = lint(path)
            counts = report["summary"]
            print(f"  web-ext lint: {counts['errors']} errors, {counts['warnings']} warnings, "
                  f"{counts['notices']} notices")
            for item in report["errors"] + report["warnings"]:
                print(f"    {item['_type']}: {item['code']} {item.get('file', '')}: {item['message']}")
            failed |= counts["errors"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
