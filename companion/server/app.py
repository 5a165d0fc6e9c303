"""`create_app(config)`: the companion as an aiohttp application, for the CLI and the tests."""
from __future__ import annotations

import asyncio

from aiohttp import web

from companion.pairing import TokenStore
from companion.model import Classifier
from companion.server import keys, user_data
from companion.server.engine import EngineLoader
from companion.server.errors import error_middleware
from companion.server.routes import add_routes, all_routes, components, public_routes
from companion.server.schemas import openapi_document
from companion.server.scoring import Stats
from companion.server.security import cors_middleware, guard_middleware
from companion.server.settings import ServerConfig
from companion.server.validation import JsonBody


async def engine_context(app: web.Application):
    """Starts the model load and returns at once; the load finishes in the background."""
    loader = app[keys.LOADER]
    task = asyncio.create_task(loader.load(), name="campfire-model-load")
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await loader.close()


def create_app(config: ServerConfig | None = None, classifier: Classifier | None = None) -> web.Application:
    """The companion app. `classifier`: a model already loaded, used instead of loading one
    from `config.model_dir` (tests share one model across many apps)."""
    config = config or ServerConfig()
    tokens = TokenStore(config.config_dir)
    tokens.load_or_create()
    stats = Stats()
    routes = all_routes()
    app = web.Application(
        middlewares=[cors_middleware, error_middleware, guard_middleware(tokens, public_routes(routes))],
        client_max_size=config.limits.max_body_bytes,
    )
    app[keys.CONFIG] = config
    app[keys.TOKENS] = tokens
    app[keys.STATS] = stats
    app[keys.LOADER] = EngineLoader(config, stats, classifier)
    app[keys.BODIES] = {name: JsonBody(schema, config.limits, config.connections)
                        for name, schema in components(config.limits)[0].items()}
    app[keys.OPENAPI] = openapi_document(config.limits)
    add_routes(app, routes)
    user_data.install(app, config.data_dir)
    app.cleanup_ctx.append(engine_context)
    return app
