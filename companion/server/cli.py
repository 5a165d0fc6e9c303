"""`campfire serve` (run the companion) and `campfire pair` (show or rotate the pairing token)."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from aiohttp import web

from companion import __version__, runstate
from companion.pairing import TokenFileError, TokenStore
from companion.extension_files import unpacked_dir
from companion.server import keys
from companion.server.app import create_app
from companion.server.protocol import CompanionRunner
from companion.server.settings import DEFAULT_PORT, HOST, ServerConfig


def register(commands) -> None:
    serve = commands.add_parser(
        "serve", help="run the companion the browser extension talks to",
        description=f"Runs the companion on {HOST} (this machine only: it sees the text of "
                    "every post you scroll past, so it never listens on the network). Only the "
                    "paired Campfire extension may use it.")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one and "
                            "prints it)")
    serve.add_argument("--model-dir", type=Path, help="model folder (default: the shipped model)")
    serve.add_argument("--threads", type=int, help="CPU threads for the model (default: one per core, up to 4)")
    serve.set_defaults(run=run_serve)

    pair = commands.add_parser(
        "pair", help="show the token that pairs the extension with this companion",
        description="Prints the pairing token to paste into the Campfire extension's popup.")
    pair.add_argument("--rotate", action="store_true",
                      help="make a new token; the old one stops working at once")
    pair.add_argument("-q", "--quiet", action="store_true", help="print the token alone")
    pair.set_defaults(run=run_pair)


def pairing_steps(token: str, port: int) -> str:
    where = unpacked_dir()
    port_note = "" if port == DEFAULT_PORT else (
        f"\n   This companion is on port {port}, not {DEFAULT_PORT}: give the extension that port.")
    return f"""
Next steps
1. Load the extension (once):
   Chrome, Chromium, Edge: open chrome://extensions, switch on Developer mode,
     click "Load unpacked" and pick {where}
   Firefox: open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on..."
     and pick {where}/manifest.json
   (`campfire extension` shows this folder and the installable .zip/.xpi builds.)
2. Pair it (once): run `campfire native install`; the extension then pairs itself, and
   starts the companion when it is not running.
   Or open the Campfire extension's popup and paste this token:
     {token}
   (`campfire pair` shows it again; `campfire pair --rotate` replaces it.){port_note}

Press Ctrl-C to stop.""".lstrip("\n")


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl-C arrives as KeyboardInterrupt
            pass


def fail(command: str, message: str) -> int:
    """A fault the user can fix: one line on stderr, exit status 2."""
    print(f"campfire {command}: {message}", file=sys.stderr, flush=True)
    return 2


async def serve(config: ServerConfig, port: int) -> int:
    try:
        app = create_app(config)
    except TokenFileError as exc:
        return fail("serve", str(exc))
    runner = CompanionRunner(app, handle_signals=False)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, HOST, port).start()
        except OSError as exc:  # the port is taken, most likely by a companion already running
            return fail("serve", f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; is a "
                                 "companion already running? Stop it, or pick another port "
                                 "with --port")
        port = runner.addresses[0][1]
        runstate.write(port, __version__)  # where the native messaging host finds us
        print(f"Campfire companion listening on http://{HOST}:{port} (loading the model...)",
              flush=True)
        stop = asyncio.Event()
        _stop_on_signals(stop)
        loader = app[keys.LOADER]
        waiting = [asyncio.create_task(e.wait()) for e in (loader.done, stop)]
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        for task in waiting:
            task.cancel()
        if loader.error:
            return fail("serve", loader.error)
        if loader.engine:
            model = loader.engine.info
            print(f"Model {model.name} {model.version} ready.\n", flush=True)
            print(pairing_steps(app[keys.TOKENS].current(), port), flush=True)
            await stop.wait()
        print("Campfire companion stopped.", flush=True)
        return 0
    finally:
        runstate.remove()
        await runner.cleanup()


def run_serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not 0 <= args.port <= 65535:
        return fail("serve", f"--port must be 0-65535, not {args.port}")
    return asyncio.run(serve(ServerConfig(model_dir=args.model_dir, threads=args.threads), args.port))


def run_pair(args: argparse.Namespace) -> int:
    tokens = TokenStore()
    try:
        token = tokens.rotate() if args.rotate else tokens.load_or_create()
    except TokenFileError as exc:
        return fail("pair", str(exc))
    if args.quiet:
        print(token)
        return 0
    if args.rotate:
        print("New pairing token (the old one no longer works):")
    else:
        print("Pairing token:")
    print(f"  {token}\n")
    print("Paste it into the Campfire extension's popup. It is kept in "
          f"{tokens.path} (readable by you alone).")
    return 0
