"""Typed keys for what the app holds (aiohttp's web.AppKey)."""
from __future__ import annotations

from aiohttp import web

from companion.pairing import TokenStore
from companion.server.engine import EngineLoader
from companion.server.scoring import Stats
from companion.server.settings import ServerConfig
from companion.server.validation import JsonBody

CONFIG = web.AppKey("config", ServerConfig)
TOKENS = web.AppKey("tokens", TokenStore)
LOADER = web.AppKey("loader", EngineLoader)
STATS = web.AppKey("stats", Stats)
BODIES = web.AppKey("bodies", dict[str, JsonBody])
OPENAPI = web.AppKey("openapi", dict)
