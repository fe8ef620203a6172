"""The SageMaker hosting contract over ASGI: GET /ping, POST /invocations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from model_server.backends import Backend, InputMismatch, ModelNotFound, load
from model_server.batching import MicroBatcher
from model_server.codecs import PayloadError, decode, encode, negotiate
from model_server.settings import ServerSettings

log = logging.getLogger("model_server")


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

    async def ping(request: Request) -> Response:
        # Healthy only once the model is loaded: SageMaker sends no traffic before.
        return Response(status_code=200 if model.backend is not None else 503)

    async def invocations(request: Request) -> Response:
        if model.batcher is None:
            return JSONResponse({"error": "the model is not loaded yet"}, status_code=503)
        declared = request.headers.get("content-length")
        if declared is not None and int(declared) > settings.max_payload_bytes:
            return JSONResponse({"error": "payload too large"}, status_code=413)
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > settings.max_payload_bytes:
                return JSONResponse({"error": "payload too large"}, status_code=413)
        try:
            # What to answer in is settled first: a 406 costs no model call. Several
            # Accept lines make one list (RFC 9110 §5.3).
            media = negotiate(", ".join(request.headers.getlist("accept")))
            rows = decode(bytes(body), request.headers.get("content-type"))
            predictions, batch_rows = await model.batcher.submit(rows)
            payload, media = encode(predictions, media)
        except PayloadError as error:
            return JSONResponse({"error": str(error)}, status_code=error.status)
        except InputMismatch as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        except Exception:
            log.exception("prediction failed")
            return JSONResponse({"error": "internal error"}, status_code=500)
        # How many rows shared the model call: shows micro-batching at work.
        return Response(payload, media_type=media, headers={"X-Batch-Rows": str(batch_rows)})

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

    app = Starlette(
        routes=[
            Route("/ping", ping, methods=["GET"]),
            Route("/invocations", invocations, methods=["POST"]),
            Route("/execution-parameters", execution_parameters, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.model = model
    return app
