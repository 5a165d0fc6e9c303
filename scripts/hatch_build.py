"""Hatch build hook: the wheel carries the installable extension builds.

`pip install .` (or building a wheel) runs scripts/build_extension.py and puts
campfire-chromium.zip and campfire-firefox.xpi in the package as companion/_extension_builds/
(the unpacked extension goes in as companion/_extension through pyproject's force-include);
`campfire extension` prints where they are.
"""
from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "scripts"))
        try:
            import build_extension
        finally:
            sys.path.pop(0)
        built = build_extension.build(root / "build" / "extension", root / "extension")
        for path in built.values():
            build_data["force_include"][str(path)] = f"companion/_extension_builds/{path.name}"
