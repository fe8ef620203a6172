"""A local SageMaker Runtime: InvokeEndpoint over real HTTP, scored by a real RCF (rrcf).

boto3's own `sagemaker-runtime` client talks to it through `endpoint_url`, so
requests are signed, serialized and their errors parsed exactly as in AWS.
Faults can be injected per request: throttling, 5XX, a slow response (timeout).
"""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # rrcf imports the deprecated pkg_resources
    import rrcf

PATH = re.compile(r"^/endpoints/(?P<name>[^/]+)/invocations$")


# The read timeout test clients set. Scoring 500 rows takes about 3 s on an idle 2-core
# machine and several times that when the suite's other worker (pytest -n 2) or other
# tenants share the cores, so it leaves room for that; a "slow" fault sleeps past it.
CLIENT_READ_TIMEOUT = 20


class RandomCutForest:
    """A batch-built forest; a point's score is its collusive displacement, averaged."""

    def __init__(self, training: np.ndarray, trees: int = 25, tree_size: int = 256, seed: int = 7):
        rng = np.random.default_rng(seed)
        self.trees = []
        for tree in range(trees):
            sample = rng.choice(len(training), size=min(tree_size, len(training)), replace=False)
            # Each tree's own seeded generator: rrcf would draw its cuts from the global
            # np.random otherwise, and the tests' flagged points would vary run to run.
            self.trees.append(
                rrcf.RCTree(training[sample], index_labels=sample, random_state=seed * 1000 + tree)
            )
        self.lock = threading.Lock()

    def score(self, point: np.ndarray) -> float:
        total = 0.0
        with self.lock:  # rrcf trees are not thread-safe
            for tree in self.trees:
                tree.insert_point(point, index="query")
                total += tree.codisp("query")
                tree.forget_point("query")
        return total / len(self.trees)


@dataclass
class Faults:
    """Responses to give instead of scoring, consumed one per request."""

    queue: deque = field(default_factory=deque)
    calls: int = 0
    rows: int = 0


def _handler(model: RandomCutForest, faults: Faults, endpoint: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _error(self, status: int, kind: str, message: str, extra: dict | None = None) -> None:
            body = json.dumps({"message": message, **(extra or {})}).encode()
            self.send_response(status)
            self.send_header("x-amzn-ErrorType", kind)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            faults.calls += 1
            match = PATH.match(self.path)
            if not match or match["name"] != endpoint:
                return self._error(400, "ValidationError", "Endpoint not found")
            if faults.queue:
                fault = faults.queue.popleft()
                if fault == "throttle":
                    return self._error(400, "ThrottlingException", "Rate exceeded")
                if fault == "500":
                    return self._error(
                        424, "ModelError", "model crashed", {"OriginalStatusCode": 500}
                    )
                if fault == "503":
                    return self._error(503, "ServiceUnavailable", "try again")
                if fault == "slow":
                    time.sleep(CLIENT_READ_TIMEOUT + 0.5)  # past the test client's timeout
                    # The client has given up: scoring now would only hold the forest's
                    # lock against its retry (and time that out too on a slow machine).
                    return None
            if self.headers.get("Content-Type") != "text/csv":
                return self._error(400, "ValidationError", "expected text/csv")
            try:
                rows = [
                    np.array([float(v) for v in line.split(",")])
                    for line in body.decode().splitlines()
                    if line
                ]
            except ValueError as error:
                return self._error(424, "ModelError", str(error), {"OriginalStatusCode": 400})
            faults.rows += len(rows)
            scores = {"scores": [{"score": model.score(row)} for row in rows]}
            payload = json.dumps(scores).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return None

    return Handler


@contextmanager
def runtime_server(model: RandomCutForest, endpoint: str) -> Iterator[tuple[str, Faults]]:
    """Serve on 127.0.0.1 (a free port); yields the URL and the fault queue."""
    faults = Faults()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(model, faults, endpoint))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", faults
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
