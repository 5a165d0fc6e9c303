"""Where a running companion can be found: `companion.json` in the config folder.

`campfire serve` writes {"port", "pid", "version"} once it listens and removes the file when
it stops (only if the file is still its own). The native messaging host reads it to hand the
extension the right port, even after a restart on another port. The file is replaced
atomically (written aside, then renamed), never rewritten in place, and a stale one (its
process gone) reads as nothing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from companion.pairing import config_dir, write_private

RUNSTATE_FILE = "companion.json"


def path(directory: Path | None = None) -> Path:
    return (directory or config_dir()) / RUNSTATE_FILE


def write(port: int, version: str, directory: Path | None = None) -> Path:
    target = path(directory)
    write_private(target, json.dumps({"port": port, "pid": os.getpid(), "version": version}))
    return target


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, but not ours
        return True
    except OSError:  # Windows raises OSError for a pid that is gone
        return False
    return True


def read(directory: Path | None = None) -> dict | None:
    """{"port", "pid", "version"} of a live companion, else None (no file, bad file, stale)."""
    try:
        state = json.loads(path(directory).read_text(encoding="ascii"))
        port, pid = int(state["port"]), int(state["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not 0 < port < 65536 or not pid_alive(pid):
        return None
    return {"port": port, "pid": pid, "version": str(state.get("version", ""))}


def remove(directory: Path | None = None) -> None:
    """Remove the file if this process wrote it (a newer companion may have replaced it)."""
    target = path(directory)
    try:
        if json.loads(target.read_text(encoding="ascii")).get("pid") == os.getpid():
            target.unlink()
    except (OSError, ValueError, AttributeError):
        pass
