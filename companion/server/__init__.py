"""The companion server: the local HTTP API the Campfire extension talks to."""
from companion.server.app import create_app
from companion.server.settings import DEFAULT_PORT, HOST, Batching, Connections, Limits, ServerConfig

__all__ = ["create_app", "ServerConfig", "Limits", "Batching", "Connections", "HOST", "DEFAULT_PORT"]
