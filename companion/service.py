"""`campfire service install|uninstall|status`: keep the companion always on (optional).

Linux: a systemd user unit, `~/.config/systemd/user/campfire.service` (XDG_CONFIG_HOME is
followed), enabled and started with `systemctl --user`. macOS: a launchd agent,
`~/Library/LaunchAgents/campfire.companion.plist`, loaded with `launchctl`. Both run this
Python's `campfire serve` on the default port and restart it if it stops. Without a service
the native messaging host (`campfire native install`) starts the companion on demand.
"""
from __future__ import annotations

import argparse
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from companion.pairing import CONFIG_DIR_ENV

UNIT_NAME = "campfire.service"
AGENT_LABEL = "campfire.companion"


def serve_command() -> list[str]:
    return [sys.executable, "-m", "companion", "serve"]


def _environment() -> dict[str, str]:
    names = (CONFIG_DIR_ENV, "PYTHONPATH")
    return {name: os.environ[name] for name in names if os.environ.get(name)}


def unit_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user" / UNIT_NAME


def unit_text() -> str:
    env = "".join(f"Environment={shlex.quote(f'{k}={v}')}\n" for k, v in _environment().items())
    return f"""[Unit]
Description=Campfire companion (labels posts for the Campfire browser extension, on 127.0.0.1 only)

[Service]
Type=simple
ExecStart={shlex.join(serve_command())}
{env}Restart=on-failure
RestartSec=5
NoNewPrivileges=yes

[Install]
WantedBy=default.target
"""


def agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def agent_plist() -> bytes:
    agent = {"Label": AGENT_LABEL, "ProgramArguments": serve_command(), "RunAtLoad": True,
             "KeepAlive": {"SuccessfulExit": False}, "ProcessType": "Background"}
    if _environment():
        agent["EnvironmentVariables"] = _environment()
    return plistlib.dumps(agent)


def _run(command: list[str]) -> subprocess.CompletedProcess | None:
    """Run a service manager command if it is there; None when it is not."""
    if shutil.which(command[0]) is None:
        return None
    return subprocess.run(command, capture_output=True, text=True)


def install(start: bool = True, platform: str = sys.platform) -> tuple[Path, list[str]]:
    notes = []
    if platform == "darwin":
        path = agent_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(agent_plist())
        commands = [["launchctl", "bootstrap", f"gui/{os.getuid()}", str(path)]]
    elif platform.startswith("linux"):
        path = unit_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(unit_text(), encoding="utf-8")
        commands = [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", UNIT_NAME]]
    else:
        raise SystemExit("campfire service: Linux (systemd) and macOS (launchd) only; on Windows "
                         "`campfire native install` lets the browser start the companion")
    for command in commands if start else []:
        done = _run(command)
        if done is None or done.returncode != 0:
            why = "not found" if done is None else (done.stderr.strip() or f"exit {done.returncode}")
            notes.append(f"`{shlex.join(command)}` failed ({why}); run it yourself once the session has it")
            break
    return path, notes


def uninstall(platform: str = sys.platform) -> Path | None:
    if platform == "darwin":
        path = agent_path()
        _run(["launchctl", "bootout", f"gui/{os.getuid()}", str(path)])
    else:
        path = unit_path()
        _run(["systemctl", "--user", "disable", "--now", UNIT_NAME])
    if path.exists():
        path.unlink()
        if platform != "darwin":
            _run(["systemctl", "--user", "daemon-reload"])
        return path
    return None


def status(platform: str = sys.platform) -> str:
    path = agent_path() if platform == "darwin" else unit_path()
    if not path.exists():
        return f"not installed ({path} does not exist)"
    query = (["launchctl", "print", f"gui/{os.getuid()}/{AGENT_LABEL}"] if platform == "darwin"
             else ["systemctl", "--user", "is-active", UNIT_NAME])
    done = _run(query)
    state = "unknown (no service manager here)" if done is None else (
        "running" if done.returncode == 0 else (done.stdout.strip() or "not running"))
    return f"installed: {path}; {state}"


def register(commands) -> None:
    service = commands.add_parser(
        "service", help="run the companion as an always-on user service (systemd or launchd)",
        description="Installs the companion as a per-user service that starts when you log in and "
                    "restarts if it stops. Optional: with `campfire native install` the browser "
                    "starts the companion when it needs it.")
    service.add_argument("action", choices=("install", "uninstall", "status"))
    service.add_argument("--no-start", action="store_true", help="write the service file only")
    service.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "install":
        path, notes = install(start=not args.no_start)
        print(f"wrote {path}")
        for note in notes:
            print(note, file=sys.stderr)
        return 1 if notes else 0
    if args.action == "uninstall":
        path = uninstall()
        print(f"removed {path}" if path else "no service was installed")
        return 0
    print(status())
    return 0
