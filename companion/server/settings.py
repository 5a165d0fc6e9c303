"""The companion's settings as data: one place feeds the CLI, the app, the schemas and the docs."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Loopback only: the companion reads the text of everything you scroll past, so it must never
# be reachable from another machine on the network.
HOST = "127.0.0.1"
DEFAULT_PORT = 47800


@dataclass(frozen=True)
class Limits:
    """What one request may carry; each rejection has its own error code (see docs/API.md)."""
    max_posts: int = 256            # posts per /v1/classify or /v1/rank request
    max_text_chars: int = 20_000    # characters (Unicode code points) per post or draft
    max_field_chars: int = 2048     # characters per post id, site, author or url
    max_body_bytes: int = 2 * 1024 * 1024
    max_json_depth: int = 32        # nesting of arrays and objects in a body


@dataclass(frozen=True)
class Batching:
    """Concurrent requests share one model run: wait this long for company, up to max_posts."""
    max_wait_s: float = 0.005
    max_posts: int = 512
    chunk_posts: int = 32           # posts per model call; a request over budget gets those done
    chunk_chars: int = 20_000       # characters per model call: a post this long runs alone
    cache_entries: int = 4096
    worker: str = "process"         # where rules and model run: "process" or "thread" (workers.py)


@dataclass(frozen=True)
class Connections:
    """How long a client may take, how long its request may take us, and how many clients may
    be connected (docs/SECURITY.md, docs/API.md)."""
    headers_timeout_s: float = 10.0   # from a request's first byte to its last header: else 408
    body_timeout_s: float = 10.0      # to read a request's body: else 408
    idle_timeout_s: float = 15.0      # a connection with no request under way is closed then
    max_connections: int = 64         # more at once are answered 503 and closed
    request_budget_s: float = 10.0    # from a body's arrival; posts not done are `over_budget`


@dataclass(frozen=True)
class ServerConfig:
    config_dir: Path | None = None    # None: the user's config dir (see companion.pairing)
    data_dir: Path | None = None      # None: the user's data dir (see companion.store.store)
    model_dir: Path | None = None     # None: the shipped model
    threads: int | None = None        # onnxruntime intra-op threads; None: the model's default
    limits: Limits = field(default_factory=Limits)
    batching: Batching = field(default_factory=Batching)
    connections: Connections = field(default_factory=Connections)
