"""Test-only: on PYTHONPATH with CAMPFIRE_AUDIT_LOG set, every Python process of the
companion (the server and its worker process) appends each file open and socket connection
it makes to that file, through a `sys.addaudithook` (PEP 578) hook. tests/test_promises.py
reads the file; nothing of this is ever on the path of a real `campfire serve`."""
import os
import sys

_LOG = os.environ.get("CAMPFIRE_AUDIT_LOG")
_EVENTS = ("open", "socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
           "socket.bind", "urllib.Request", "http.client.connect")

if _LOG:
    _fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def _record(event, args):
        if event not in _EVENTS:
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):
                return  # an fd already open: its opening was recorded
            fields = [os.fsdecode(path), str(mode), str(flags)]
        else:
            fields = [repr(a) for a in args[1:]] if event.startswith("socket.") else [repr(args)]
        line = "\t".join([str(os.getpid()), event, *fields]) + "\n"
        os.write(_fd, line.encode("utf-8", "backslashreplace"))

    sys.addaudithook(_record)
