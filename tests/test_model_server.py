"""The custom inference server as a real process on localhost, spoken to over HTTP.

Every behaviour runs on CPU; the same suite runs with MODEL_DEVICE=gpu (CUDA
providers) where a GPU and onnxruntime-gpu are present, and is skipped otherwise.
"""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import time

import httpx
import numpy as np
import onnxruntime
import pytest
from model_server.backends import load
from model_server.codecs import PayloadError, decode, encode

from tests.model_artifacts import FEATURES, extract, linear_onnx, xgboost_archive, xgboost_booster
from tests.server_process import model_server


def gpu_present() -> bool:
    return bool(shutil.which("nvidia-smi")) and (
        "CUDAExecutionProvider" in onnxruntime.get_available_providers()
    )


DEVICES = [
    "cpu",
    pytest.param(
        "gpu",
        marks=pytest.mark.skipif(not gpu_present(), reason="no GPU with onnxruntime-gpu here"),
    ),
]
ROWS = np.random.default_rng(3).random((7, FEATURES), dtype=np.float32)


def csv(rows: np.ndarray) -> bytes:
    return "\n".join(",".join(repr(float(v)) for v in row) for row in rows).encode()


def npy(rows: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, rows, allow_pickle=False)
    return buffer.getvalue()


@pytest.fixture(scope="module", params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def xgboost_server(tmp_path_factory: pytest.TempPathFactory, device: str):
    work = tmp_path_factory.mktemp(f"xgboost-{device}")
    model_dir = extract(xgboost_archive(work / "artifact"), work / "model")
    with model_server(model_dir, work / "server.log", MODEL_DEVICE=device) as server:
        yield server


@pytest.fixture(scope="module")
def onnx_server(tmp_path_factory: pytest.TempPathFactory, device: str):
    work = tmp_path_factory.mktemp(f"onnx-{device}")
    parameters = linear_onnx(work / "model" / "model.onnx")
    env = {"MODEL_DEVICE": device, "MAX_PAYLOAD_BYTES": "65536", "MAX_BATCH_DELAY_MS": "50"}
    with model_server(work / "model", work / "server.log", **env) as server:
        yield server, parameters


def expected_xgboost(rows: np.ndarray) -> np.ndarray:
    return xgboost_booster().inplace_predict(rows)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/csv", csv(ROWS)),
        ("application/json", json.dumps(ROWS.tolist()).encode()),
        ("application/json", json.dumps({"instances": ROWS.tolist()}).encode()),
        ("application/x-npy", npy(ROWS)),
    ],
)
def test_built_in_xgboost_artifact_answers_each_content_type(xgboost_server, content_type, body):
    response = httpx.post(
        f"{xgboost_server.url}/invocations", content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    predictions = np.array(response.json()["predictions"])
    np.testing.assert_allclose(predictions, expected_xgboost(ROWS), rtol=1e-6)


def test_csv_out_when_accept_asks(xgboost_server):
    response = httpx.post(
        f"{xgboost_server.url}/invocations",
        content=csv(ROWS),
        headers={"Content-Type": "text/csv", "Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    values = [float(line) for line in response.text.splitlines()]
    np.testing.assert_allclose(values, expected_xgboost(ROWS), rtol=1e-6)


def linear(parameters: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return rows @ parameters[:-1] + parameters[-1]


def test_onnx_model_answers_with_its_outputs(onnx_server):
    server, parameters = onnx_server
    response = httpx.post(
        f"{server.url}/invocations",
        content=npy(ROWS),
        headers={"Content-Type": "application/x-npy", "Accept": "text/csv"},
    )
    assert response.status_code == 200, response.text
    rows = [[float(v) for v in line.split(",")] for line in response.text.splitlines()]
    np.testing.assert_allclose(rows, linear(parameters, ROWS), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("headers", "body", "status", "message"),
    [
        ({"Content-Type": "text/csv"}, b"1,2,x,4", 400, "bad CSV"),
        ({"Content-Type": "text/csv"}, b"1,2,3,4\n1,2", 400, "line 2 has 2 columns, expected 4"),
        ({"Content-Type": "text/csv"}, b"a,b,c,d\n1,2,3,4", 400, "no header"),
        ({"Content-Type": "text/csv"}, b"1,2,3", 400, "the model takes 4 features, got 3"),
        ({"Content-Type": "application/json"}, b"{not json", 400, "bad JSON"),
        ({"Content-Type": "application/json"}, b'{"rows": [[1]]}', 400, "instances"),
        ({"Content-Type": "application/json"}, b'[["a", "b"]]', 400, "not a numeric matrix"),
        ({"Content-Type": "application/json"}, b"[[[1, 2]]]", 400, "expected rows"),
        ({"Content-Type": "application/x-npy"}, b"not npy", 400, "bad .npy"),
        ({"Content-Type": "image/png"}, b"1", 415, "unsupported Content-Type 'image/png'"),
        ({}, b"1,2,3,4", 415, "unsupported Content-Type"),
        ({"Content-Type": "text/csv", "Accept": "image/png"}, b"1,2,3,4", 406, "cannot answer"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(onnx_server, headers, body, status, message):
    server, _ = onnx_server
    response = httpx.post(f"{server.url}/invocations", content=body, headers=headers)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_a_bad_request_does_not_disturb_the_next(onnx_server):
    server, parameters = onnx_server
    bad = httpx.post(
        f"{server.url}/invocations", content=b"1,2", headers={"Content-Type": "text/csv"}
    )
    good = httpx.post(
        f"{server.url}/invocations", content=csv(ROWS), headers={"Content-Type": "text/csv"}
    )
    assert (bad.status_code, good.status_code) == (400, 200)
    np.testing.assert_allclose(good.json()["predictions"], linear(parameters, ROWS), atol=1e-5)


def test_oversized_payloads_are_refused(onnx_server):
    server, _ = onnx_server
    big = csv(np.zeros((5000, FEATURES), dtype=np.float32))
    assert len(big) > 65536
    response = httpx.post(
        f"{server.url}/invocations", content=big, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 413

    def chunks():  # no Content-Length: the limit holds while streaming too
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    streamed = httpx.post(
        f"{server.url}/invocations", content=chunks(), headers={"Content-Type": "text/csv"}
    )
    assert streamed.status_code == 413


def test_concurrent_requests_share_model_calls(onnx_server):
    server, parameters = onnx_server

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        "/invocations",
                        content=csv(ROWS[i : i + 1]),
                        headers={"Content-Type": "text/csv"},
                    )
                    for i in range(len(ROWS))
                    for _ in range(8)
                )
            )

    responses = asyncio.run(burst())
    assert all(r.status_code == 200 for r in responses)
    batch_rows = [int(r.headers["x-batch-rows"]) for r in responses]
    assert max(batch_rows) > 1  # 56 single-row requests did not make 56 model calls
    for index, response in enumerate(responses):
        row = ROWS[index // 8 : index // 8 + 1]
        np.testing.assert_allclose(
            response.json()["predictions"], linear(parameters, row), atol=1e-5
        )


def test_execution_parameters_for_batch_transform(onnx_server):
    server, _ = onnx_server
    answer = httpx.get(f"{server.url}/execution-parameters").json()
    assert answer == {
        "MaxConcurrentTransforms": 4,
        "BatchStrategy": "MULTI_RECORD",
        "MaxPayloadInMB": 1,
    }


def test_ping_is_healthy_only_once_the_model_is_loaded(tmp_path, device):
    model_dir = tmp_path / "model"
    with model_server(
        model_dir, tmp_path / "server.log", ready=False, MODEL_DEVICE=device
    ) as server:
        deadline = time.monotonic() + 30
        while True:  # the process is up before the model is there
            try:
                ping = httpx.get(f"{server.url}/ping", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert ping.status_code == 503
        early = httpx.post(
            f"{server.url}/invocations", content=csv(ROWS), headers={"Content-Type": "text/csv"}
        )
        assert early.status_code == 503

        # The artifact arrives unextracted: the server unpacks model.tar.gz itself.
        xgboost_archive(model_dir)
        while httpx.get(f"{server.url}/ping", timeout=1).status_code != 200:
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.1)
        late = httpx.post(
            f"{server.url}/invocations", content=csv(ROWS), headers={"Content-Type": "text/csv"}
        )
        assert late.status_code == 200
    assert "model loaded: xgboost" in server.output()


def test_uvicorn_workers_serve_the_model(tmp_path):
    model_dir = extract(xgboost_archive(tmp_path / "artifact"), tmp_path / "model")
    log = tmp_path / "server.log"
    # A new connection per request, from the first healthy ping on, lands on either
    # worker: each must be serving by then (SageMaker sends traffic right after /ping).
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with (
        model_server(model_dir, log, MODEL_SERVER_WORKERS="2") as server,
        httpx.Client(base_url=server.url, limits=no_reuse) as client,
    ):
        statuses = [
            client.post(
                "/invocations", content=csv(ROWS), headers={"Content-Type": "text/csv"}
            ).status_code
            for _ in range(100)
        ]
    assert set(statuses) == {200}
    assert server.output().count("model loaded: xgboost") == 2


def test_gpu_backends_use_cuda(tmp_path, device):
    if device != "gpu":
        pytest.skip("CUDA providers are checked on the GPU run")
    linear_onnx(tmp_path / "onnx" / "model.onnx")
    assert load(tmp_path / "onnx", device="gpu").providers[0] == "CUDAExecutionProvider"
    model_dir = extract(xgboost_archive(tmp_path / "artifact"), tmp_path / "xgb")
    assert "cuda" in load(model_dir, device="gpu").booster.save_config()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"", "text/csv"), (b"[]", "application/json"), (b"\xff\xfe", "text/csv")],
)
def test_decode_rejects_empty_or_undecodable_bodies(body, content_type):
    with pytest.raises(PayloadError):
        decode(body, content_type)


def test_encode_defaults_to_json():
    payload, media = encode(np.array([0.5, 0.25]), None)
    assert (json.loads(payload), media) == ({"predictions": [0.5, 0.25]}, "application/json")


def test_a_worker_with_its_model_in_place_is_ready_before_it_takes_connections(tmp_path):
    # uvicorn accepts connections on a worker only after its lifespan startup: the model
    # must be loaded by then, or a sibling worker's healthy /ping would route traffic
    # to a worker that answers 503.
    from model_server.app import create_app
    from model_server.settings import ServerSettings

    model_dir = extract(xgboost_archive(tmp_path / "artifact"), tmp_path / "model")
    app = create_app(ServerSettings(model_dir=model_dir))

    async def start_up() -> bool:
        async with app.router.lifespan_context(app):
            return app.state.model.backend is not None

    assert asyncio.run(start_up())
