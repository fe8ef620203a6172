"""The HTTP floor: the model server's own stack answering a constant.

`create_app`: uvicorn (run by `model_server.serve.run`, as `serve` runs it), the same
ASGI dispatch, body reader and response writer as POST /invocations, and nothing
else: no decode, no model, no encode. `create_starlette_app`: the stack the server
used before (a Starlette route, Request.stream(), a Response), for comparison.
Run by bench/serving.py through bench/floor_serve.py.
"""

from __future__ import annotations

from model_server.app import CONTENT_TYPES, ModelApp, read_body, respond
from model_server.codecs import CSV
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# About the size of 100 predictions as CSV.
CONSTANT = b"0.5000000000000000\n" * 100
LIMIT = 6 * 1024 * 1024


async def ping(request: Request) -> Response:
    return Response(status_code=200)


class Constant:
    async def __call__(self, scope, receive, send) -> None:
        for _name, _value in scope["headers"]:  # the server reads its headers too
            pass
        await read_body(receive, LIMIT)
        await respond(send, 200, CONSTANT, [CONTENT_TYPES[CSV], (b"x-batch-rows", b"1")])


def create_app() -> Starlette:
    return ModelApp(Constant(), routes=[Route("/ping", ping, methods=["GET"])])


def create_starlette_app() -> Starlette:
    async def invocations(request: Request) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
        return Response(CONSTANT, media_type=CSV, headers={"X-Batch-Rows": "1"})

    return Starlette(
        routes=[
            Route("/ping", ping, methods=["GET"]),
            Route("/invocations", invocations, methods=["POST"]),
        ]
    )
