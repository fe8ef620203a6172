"""The SageMaker hosting contract over ASGI: GET /ping, POST /invocations.

POST /invocations is answered straight from ASGI (`Invocations`), everything else by
Starlette: the hot path builds no Request or Response object and sends headers made
once per worker. See containers/README.md, "Per-request cost".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from model_server.backends import Backend, InputMismatch, ModelNotFound, load
from model_server.batching import MicroBatcher
from model_server.codecs import CSV, JSON, PayloadError, decode, negotiated, serialize
from model_server.settings import ServerSettings

log = logging.getLogger("model_server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# What Starlette's Response sent for each media type (text/* gets a charset).
CONTENT_TYPES = {
    JSON: (b"content-type", b"application/json"),
    CSV: (b"content-type", b"text/csv; charset=utf-8"),
}


class TooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when the client went away; TooLarge past `limit` bytes.

    One chunk (most requests) is passed on as it came, without a copy."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise TooLarge
        more = message.get("more_body", False)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def respond(send: Send, status: int, payload: bytes, headers: list) -> None:
    headers.append((b"content-length", b"%d" % len(payload)))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def respond_error(send: Send, status: int, message: str) -> None:
    # The bytes Starlette's JSONResponse sent: compact, UTF-8.
    await respond(send, status, orjson.dumps({"error": message}), [CONTENT_TYPES[JSON]])


class Model:
    """The loaded model and its batcher; loading retries until the model is there."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.backend: Backend | None = None
        self.batcher: MicroBatcher | None = None

    async def load(self) -> bool:
        """Try once; False while the model is not there yet."""
        try:
            backend = await asyncio.to_thread(
                load,
                self.settings.model_dir,
                self.settings.backend,
                self.settings.device,
                self.settings.threads_per_worker,
            )
        except ModelNotFound as error:
            log.warning("waiting for the model: %s", error)
            return False
        batcher = MicroBatcher(
            backend.predict,
            max_rows=self.settings.max_batch_rows,
            max_delay=self.settings.max_batch_delay_ms / 1000,
        )
        batcher.start()
        self.batcher, self.backend = batcher, backend
        log.info("model loaded: %s", backend.describe())
        return True

    async def load_forever(self) -> None:
        while not await self.load():
            await asyncio.sleep(1)


class Invocations:
    """POST /invocations as a plain ASGI app: body -> rows -> batcher -> answer."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.limit = model.settings.max_payload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        batcher = self.model.batcher
        if batcher is None:
            await respond_error(send, 503, "the model is not loaded yet")
            return
        content_type = declared = None
        accepts = []
        for name, value in scope["headers"]:  # names arrive lower-cased
            if name == b"accept":
                accepts.append(value.decode("latin-1"))
            elif name == b"content-type" and content_type is None:
                content_type = value.decode("latin-1")
            elif name == b"content-length" and declared is None:
                declared = value
        try:
            if declared is not None and int(declared) > self.limit:
                raise TooLarge
            body = await read_body(receive, self.limit)
        except TooLarge:
            await respond_error(send, 413, "payload too large")
            return
        except ValueError:
            await respond_error(send, 400, f"bad Content-Length {declared.decode('latin-1')!r}")
            return
        if body is None:
            return  # the client went away
        try:
            # What to answer in is settled first: a 406 costs no model call. Several
            # Accept lines make one list (RFC 9110 §5.3).
            media = negotiated(", ".join(accepts))
            rows = decode(body, content_type)
            predictions, batch_rows = await batcher.submit(rows)
            payload = serialize(predictions, media)
        except PayloadError as error:
            await respond_error(send, error.status, str(error))
            return
        except InputMismatch as error:
            await respond_error(send, 400, str(error))
            return
        except Exception:
            log.exception("prediction failed")
            await respond_error(send, 500, "internal error")
            return
        # X-Batch-Rows: how many rows shared the model call, shows micro-batching at work.
        headers = [CONTENT_TYPES[media], (b"x-batch-rows", b"%d" % batch_rows)]
        await respond(send, 200, payload, headers)


class ModelApp(Starlette):
    """Starlette, with POST /invocations dispatched before its middleware and router."""

    def __init__(self, invocations: Invocations, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.invocations = invocations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/invocations"
            and scope["method"] == "POST"
        ):
            await self.invocations(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _log_to_stderr() -> None:
    # Each uvicorn worker is a fresh process: configure its logger here, not in `serve`.
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The ASGI app uvicorn runs in each worker (`serve` passes it as a factory)."""
    _log_to_stderr()
    settings = settings or ServerSettings.from_environment()
    model = Model(settings)
    invocations = Invocations(model)

    async def ping(request: Request) -> Response:
        # Healthy only once the model is loaded: SageMaker sends no traffic before.
        return Response(status_code=200 if model.backend is not None else 503)

    async def execution_parameters(request: Request) -> Response:
        # Batch transform asks how to call us.
        return JSONResponse(
            {
                "MaxConcurrentTransforms": settings.workers * 4,
                "BatchStrategy": "MULTI_RECORD",
                # Whole MB, at least 1 (0 would tell batch transform "no limit").
                "MaxPayloadInMB": max(1, settings.max_payload_bytes // (1024 * 1024)),
            }
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # A worker takes connections only after this: with the model in place, every
        # worker is ready before it answers anything. Without it, the worker answers
        # (503) while it keeps looking.
        loader = None if await model.load() else asyncio.create_task(model.load_forever())
        yield
        if loader is not None:
            loader.cancel()

    app = ModelApp(
        invocations,
        routes=[
            Route("/ping", ping, methods=["GET"]),
            # Reached only by other methods (405): POST is taken before the router.
            Route("/invocations", invocations, methods=["POST"]),
            Route("/execution-parameters", execution_parameters, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.model = model
    return app
