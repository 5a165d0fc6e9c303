"""Where the companion keeps its settings, and the pairing token the extension presents.

The token is the only secret: it is made on first start with `secrets.token_urlsafe`, kept
in the user's config directory in a file only the user can read (0600), shown by
`campfire pair`, and replaced by `campfire pair --rotate`. A running server notices a
rotated token at once, so rotating also revokes the old one without a restart.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs

CONFIG_DIR_ENV = "CAMPFIRE_CONFIG_DIR"
TOKEN_FILE = "token"
TOKEN_BYTES = 32


def config_dir() -> Path:
    """CAMPFIRE_CONFIG_DIR when set (tests, portable installs), else the platform's own place."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("campfire", appauthor=False))


def write_private(path: Path, text: str) -> None:
    """Write a file that is 0600 from its first byte, then move it into place."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(text + "\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class TokenStore:
    """The pairing token on disk, re-read whenever the file changes."""

    def __init__(self, directory: Path | None = None):
        self.path = (directory or config_dir()) / TOKEN_FILE
        self._seen: tuple[int, int] | None = None
        self._token = ""

    def load_or_create(self) -> str:
        if not self.path.exists():
            write_private(self.path, secrets.token_urlsafe(TOKEN_BYTES))
        # A token file someone loosened by hand goes back to owner-only.
        if self.path.stat().st_mode & 0o077:
            self.path.chmod(0o600)
        return self.current()

    def rotate(self) -> str:
        write_private(self.path, secrets.token_urlsafe(TOKEN_BYTES))
        return self.current()

    def current(self) -> str:
        """The token now on disk ("" if the file is gone: nobody is paired then).

        A stat per call and a read only when the file changed, so a rotation takes effect
        on the next request."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return ""
        seen = (stat.st_mtime_ns, stat.st_ino)
        if seen != self._seen:
            self._token = self.path.read_text(encoding="ascii").strip()
            self._seen = seen
        return self._token
