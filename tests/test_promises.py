"""What docs/SECURITY.md promises, checked on a real `campfire serve` during a feed session:
no outbound connection of any kind, and no file opened outside the model, config and data
folders (besides Python's own code and a few read-only system files); and a cache that
cannot mix up two texts sharing a long prefix.

Every Python process of the companion (server and model worker) records each file open and
socket call through an audit hook (tests/audit/sitecustomize.py, put on PYTHONPATH for this
test only). Native code (onnxruntime, tokenizers) does not go through Python's audit hooks,
so at the end of the session the processes' open descriptors and sockets are read from /proc
as well."""
import os
import re
import sys
from pathlib import Path

import pytest

import companion
from companion.model import default_model_dir
from companion.server.engine import analyse_texts
from companion_harness import REPO, running_companion

AUDIT_DIR = REPO / "tests" / "audit"
SYSTEM_FILES = {"/etc/os-release", "/usr/lib/os-release", "/etc/mime.types", "/dev/null",
                "/dev/urandom", "/etc/localtime"}
SYSTEM_TREES = ("/proc/", "/sys/")  # read-only kernel views (CPU count, memory)
NETWORK_EVENTS = {"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                  "urllib.Request", "http.client.connect"}
FEED = [
    "Has anyone tried switching to a standing desk? Worth it?",
    "Obsessed with my new @glowco serum!! Use my code GLOW20 amzn.to/3xYz",
    "My book is out today, link in bio. Buy it now! https://example.com/book",
    "@sam totally agree, the second half dragged for me too",
]


def real(path) -> str:
    return os.path.realpath(path)


def under(path: str, roots) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def python_roots() -> set[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(companion.__file__).parent), str(AUDIT_DIR)}
    return roots | {real(r) for r in roots}


def is_write(mode: str, flags: str) -> bool:
    if mode not in ("None", ""):
        return any(c in mode for c in "wax+")
    return bool(int(flags) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))


def process_tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(p for c in children for p in process_tree(int(c)))]


def loopback_only_sockets(pids: list[int]) -> list[str]:
    """The sockets these processes hold that are not 127.0.0.1 on both ends (or listening)."""
    inodes = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if found := re.fullmatch(r"socket:\[(\d+)\]", target):
                inodes.add(found.group(1))
    foreign = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if inode not in inodes:
                continue
            loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
            unset = {"00000000", "00000000000000000000000000000000"}
            if local.split(":")[0] not in loopback or remote.split(":")[0] not in loopback | unset:
                foreign.append(f"{table} {local} -> {remote}")
    return foreign


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc (Linux)")
def test_a_feed_session_connects_nowhere_and_opens_nothing_outside_its_folders(tmp_path):
    log = tmp_path / "audit.log"
    config_dir, data_home, cache_home = tmp_path / "config", tmp_path / "data", tmp_path / "cache"
    env = {"CAMPFIRE_AUDIT_LOG": str(log), "XDG_DATA_HOME": str(data_home),
           "XDG_CACHE_HOME": str(cache_home),
           # onnxruntime's telemetry stays quiet where CI is set; the user's machine has no CI.
           "CI": None, "ORT_DISABLE_TELEMETRY": None,
           "PYTHONPATH": os.pathsep.join(p for p in (str(AUDIT_DIR), os.environ.get("PYTHONPATH")) if p)}
    with running_companion(config_dir, env=env) as running:
        assert running.port, running.output()
        auth = running.auth
        posts = [{"id": str(i), "text": t} for i, t in enumerate(FEED)]
        assert running.request("GET", "/v1/health")[0] == 200
        assert running.request("GET", "/v1/labels", headers=auth)[0] == 200
        for path in ("/v1/classify", "/v1/rank", "/v1/classify"):  # the last from the cache
            assert running.request("POST", path, {"posts": posts}, auth)[0] == 200
        assert running.request("POST", "/v1/check", {"text": FEED[1]}, auth)[0] == 200
        pids = process_tree(running.process.pid)
        assert len(pids) >= 2  # the server and its model worker
        open_files = []
        for pid in pids:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    open_files.append(os.readlink(fd))
                except OSError:
                    pass
        foreign_sockets = loopback_only_sockets(pids)
    assert foreign_sockets == []

    events = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    recorded_pids = {int(e[0]) for e in events}
    assert set(pids) <= recorded_pids, "every process of the companion was audited"
    assert [e for e in events if e[1] in NETWORK_EVENTS] == []
    assert {e[2] for e in events if e[1] == "socket.bind"} == {"('127.0.0.1', 0)"}  # --port 0

    own = {real(config_dir), real(data_home), real(default_model_dir())}
    allowed = own | python_roots()
    opened = [(e[2], e[3], e[4]) for e in events if e[1] == "open"]
    assert opened, "the audit hook saw the companion open files"
    outside = sorted({p for p, _, _ in opened
                      if not (under(real(p), allowed) or p in SYSTEM_FILES or real(p) in SYSTEM_FILES
                              or p.startswith(SYSTEM_TREES))})
    assert outside == []
    written = sorted({p for p, mode, flags in opened if is_write(mode, flags)})
    assert written and all(under(real(p), own) for p in written), written
    held = [f for f in open_files if f.startswith("/")
            and not (under(real(f), allowed) or f in SYSTEM_FILES or f.startswith(SYSTEM_TREES))]
    assert [f for f in held if f != str(log)] == [], held
    # Native code too: onnxruntime's telemetry keeps its device id under the cache folder.
    assert not cache_home.exists() or not any(cache_home.rglob("*")), list(cache_home.rglob("*"))


async def test_texts_sharing_a_long_prefix_are_not_confused(api, classifier):
    prefix = "Spent the weekend reorganising the garage and finally found my old records. " * 40
    texts = [prefix + "Use my code GARAGE20 for 20% off shelving amzn.to/4abc #sponsored",
             prefix + "Does anyone else still play vinyl? What are you listening to?"]
    # One at a time, as the server runs them (int8 activations are quantized per batch).
    expected = [analyse_texts(classifier, [text])[0] for text in texts]
    assert expected[0] != expected[1]  # the endings are what differ
    for text, want in zip(texts, expected):
        for _ in range(2):  # computed, then from the cache
            response = await api.client.post("/v1/classify", json={"posts": [{"id": "a", "text": text}]},
                                             headers=api.auth)
            result = (await response.json())["results"][0]
            assert (result["labels"], result["evidence"]) == (want.labels, want.evidence)
    assert api.stats.cache_misses == 2 and api.stats.cache_hits == 2
