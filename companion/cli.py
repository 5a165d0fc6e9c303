"""`campfire`: the command line. Each command lives in its own module and registers itself."""
from __future__ import annotations

import argparse
import importlib
import sys

from companion import __version__

# Each module has register(subparsers), which adds its command and sets `run` on it.
COMMAND_MODULES = (
    "companion.label_cli",
    "companion.server.cli",
    "companion.check_cli",
    "companion.native_install",
    "companion.native_host",
    "companion.service",
    "companion.extension_files",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="campfire",
        description="Campfire companion: labels self-promotion, undisclosed ads and real "
                    "conversation in your feeds, on your own machine.",
    )
    parser.add_argument("--version", action="version", version=f"campfire {__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND",
                                     description='"campfire COMMAND --help" tells more about each.')
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `campfire`: show what there is rather than a usage error
        parser.print_help()
        return 0
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
