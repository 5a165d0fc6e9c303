"""Faults a user can fix are answered in one line that names the path and what to do, with
exit status 2 and no traceback: `campfire serve` and `campfire pair` as real processes."""
import os
import shutil
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from companion.pairing import CONFIG_DIR_ENV, TokenStore
from companion_harness import REPO, campfire_command

MODELS = REPO / "models"


def campfire(config_dir, *args, timeout=90) -> subprocess.CompletedProcess:
    return subprocess.run([*campfire_command(), *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, CONFIG_DIR_ENV: str(config_dir)})


def one_line_fault(done: subprocess.CompletedProcess, command: str, *words: str) -> str:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr + done.stdout
    lines = [l for l in done.stderr.splitlines() if l.startswith(f"campfire {command}: ")]
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def read_only_folder(tmp_path) -> Path:
    """A folder this process cannot write in; root writes anywhere on a normal disk."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o500)
        return folder
    folder = Path("/sys/kernel")  # sysfs refuses new files even to root
    if not folder.is_dir() or os.access(folder, os.W_OK) and _can_create(folder):
        pytest.skip("no folder that root cannot write to")
    return folder


def _can_create(folder: Path) -> bool:
    try:
        (folder / ".campfire-probe").touch()
    except OSError:
        return False
    (folder / ".campfire-probe").unlink()
    return True


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["pair"]])
def test_a_config_path_that_is_a_file(tmp_path, command):
    config = tmp_path / "config"
    config.write_text("not a folder")
    one_line_fault(campfire(config, *command), command[0], str(config), "is a file",
                   CONFIG_DIR_ENV)


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["pair", "--rotate"]])
def test_a_read_only_config_folder(tmp_path, command):
    folder = read_only_folder(tmp_path)
    one_line_fault(campfire(folder, *command), command[0], str(folder), CONFIG_DIR_ENV)


def test_an_unreadable_config_folder(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o000)
    try:
        one_line_fault(campfire(folder, "serve", "--port", "0"), "serve", str(folder))
    finally:
        folder.chmod(0o700)


def test_a_token_path_that_is_a_folder(tmp_path):
    (tmp_path / "token").mkdir()
    one_line_fault(campfire(tmp_path, "serve", "--port", "0"), "serve",
                   str(tmp_path / "token"), "not a file")


def test_a_damaged_token_file(tmp_path):
    (tmp_path / "token").write_bytes("tökén\n".encode())
    one_line_fault(campfire(tmp_path, "pair"), "pair", str(tmp_path / "token"),
                   "campfire pair --rotate")
    assert campfire(tmp_path, "pair", "--rotate").returncode == 0  # what it says works
    assert campfire(tmp_path, "pair").returncode == 0


def test_a_taken_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = campfire(tmp_path, "serve", "--port", str(port))
    one_line_fault(done, "serve", f"cannot listen on 127.0.0.1:{port}", "--port")


def damaged_model(tmp_path, name: str, content: bytes | None) -> Path:
    model_dir = tmp_path / "model"
    shutil.copytree(MODELS, model_dir, ignore=shutil.ignore_patterns("*.md"))
    if content is None:
        (model_dir / name).unlink()
    else:
        (model_dir / name).write_bytes(content)
    return model_dir


@pytest.mark.parametrize("name, content", [
    ("campfire.int8.onnx", None),
    ("campfire.int8.onnx", b"\x08\x07 not a model" * 100),
    ("tokenizer.json", b'{"version": "1.0", "model": '),
    ("labels.json", None),
])
def test_missing_or_damaged_model_files(tmp_path, name, content):
    model_dir = damaged_model(tmp_path, name, content)
    done = campfire(tmp_path / "config", "serve", "--port", "0", "--model-dir", str(model_dir))
    one_line_fault(done, "serve", str(model_dir), "--model-dir")


def test_a_model_folder_that_is_not_there(tmp_path):
    done = campfire(tmp_path / "config", "serve", "--port", "0", "--model-dir", str(tmp_path / "none"))
    one_line_fault(done, "serve", str(tmp_path / "none"), "--model-dir")


async def test_the_token_file_mode_is_put_back_on_every_read(api):
    path = TokenStore().path
    path.chmod(0o644)
    assert (await api.client.get("/v1/labels", headers=api.auth)).status == 200
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
