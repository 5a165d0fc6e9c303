"""The pairing token the extension presents, and the config folder that keeps it.

The token is the only secret: it is made on first start with `secrets.token_urlsafe`, kept
in the user's config directory in a file only the user can read (0600), shown by
`campfire pair`, and replaced by `campfire pair --rotate`. A running server notices a
rotated token at once, so rotating also revokes the old one without a restart.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from stat import S_ISREG

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


class TokenFileError(Exception):
    """The config folder or the token file is unusable; the message, one line, names the
    path and says what to do."""


def _folder_problem(folder: Path, exc: OSError) -> TokenFileError:
    if folder.exists() and not folder.is_dir():
        what = "is a file, not a folder"
    else:
        what = f"cannot be used ({exc.strerror or exc})"
    return TokenFileError(f"the config folder {folder} {what}; make it a folder you can read "
                          f"and write, or set {CONFIG_DIR_ENV} to one")


class TokenStore:
    """The pairing token on disk, re-read whenever the file changes."""

    def __init__(self, directory: Path | None = None):
        self.path = (directory or config_dir()) / TOKEN_FILE
        self._seen: tuple[int, int] | None = None
        self._token = ""

    def load_or_create(self) -> str:
        try:
            if not self.path.exists():
                write_private(self.path, secrets.token_urlsafe(TOKEN_BYTES))
        except OSError as exc:
            raise _folder_problem(self.path.parent, exc) from None
        return self.current()

    def rotate(self) -> str:
        try:
            write_private(self.path, secrets.token_urlsafe(TOKEN_BYTES))
        except OSError as exc:
            raise _folder_problem(self.path.parent, exc) from None
        return self.current()

    def current(self) -> str:
        """The token now on disk ("" if the file is gone: nobody is paired then).

        A stat per call and a read only when the file changed, so a rotation takes effect
        on the next request. A file loosened to others' reading is put back to 0600 here
        too, on every read. Raises TokenFileError when the file cannot serve as a token."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return ""
        except OSError as exc:
            raise TokenFileError(f"cannot read the pairing token file {self.path}: "
                                 f"{exc.strerror}; fix its folder's permissions") from None
        if not S_ISREG(stat.st_mode):
            raise TokenFileError(f"the pairing token file {self.path} is not a file; remove it "
                                 "and run `campfire pair`")
        if stat.st_mode & 0o077:
            self._make_private()
        seen = (stat.st_mtime_ns, stat.st_ino)
        if seen != self._seen:
            self._token = self._read()
            self._seen = seen
        return self._token

    def _make_private(self) -> None:
        try:
            self.path.chmod(0o600)
        except OSError as exc:
            raise TokenFileError(f"the pairing token file {self.path} is readable by others "
                                 f"and cannot be made private ({exc.strerror}); run "
                                 "`campfire pair --rotate`") from None

    def _read(self) -> str:
        try:
            token = self.path.read_bytes().decode("ascii").strip()
        except UnicodeDecodeError:
            raise TokenFileError(f"the pairing token file {self.path} is damaged (not ASCII); "
                                 "run `campfire pair --rotate`") from None
        except OSError as exc:
            raise TokenFileError(f"cannot read the pairing token file {self.path}: "
                                 f"{exc.strerror}; fix its permissions or run "
                                 "`campfire pair --rotate`") from None
        if not token or any(c.isspace() for c in token):
            raise TokenFileError(f"the pairing token file {self.path} is damaged; run "
                                 "`campfire pair --rotate`")
        return token
