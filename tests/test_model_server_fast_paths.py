"""The model server's fast paths (issue 21) answer exactly what the checked paths did.

CSV: fastnumbers' fast_float over the fields, else the checked path (NumPy's parser,
the messages). JSON: orjson, else the standard library. Responses: orjson, else the
standard library's text. Each fast path is compared with the path behind it on
generated inputs; the ASGI hot path keeps Starlette's headers.
"""

from __future__ import annotations

import io
import json
import math
import shutil
import subprocess
import sys

import httpx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_server import codecs
from model_server.codecs import CSV, JSON, PayloadError, decode, serialize

from tests.model_artifacts import FEATURES, linear_onnx
from tests.server_process import CONTAINERS, model_server

BOUNDED = settings(max_examples=80, derandomize=True, deadline=None)

# Numbers as clients write them, and what is not a number.
NUMBERS = ["0", "1", "-2.5", "+3", ".5", "7.", "1e5", "-1.5E-3", "nan", "-inf", "Infinity"]
NOT_NUMBERS = ["", "x", "1,", "1 2", "0x10", "1_0", "\u0661", "true", "[1]", '"1"']
numbers = st.sampled_from(NUMBERS) | st.floats(width=32).map(repr)
# One field in 30 is not a number, so most bodies take the fast path.
fields = st.integers(0, 29).flatmap(lambda i: st.sampled_from(NOT_NUMBERS) if i == 0 else numbers)
padded = st.tuples(st.sampled_from(["", " ", "\t"]), fields, st.sampled_from(["", " "])).map(
    "".join
)


@st.composite
def csv_bodies(draw) -> bytes:
    """Mostly well-formed grids; some ragged, blank lines, CRLF, trailing newlines."""
    width = draw(st.integers(1, 6))
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        row_width = width if draw(st.integers(0, 9)) else draw(st.integers(1, 7))
        lines.append(",".join(draw(padded) for _ in range(row_width)))
        if not draw(st.integers(0, 9)):
            lines.append(draw(st.sampled_from(["", " ", "\r"])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (newline.join(lines) + draw(st.sampled_from(["", "\n", "\r\n", "\n\n"]))).encode()


def outcome(function, *args):
    try:
        return function(*args)
    except PayloadError as error:
        return str(error)


@BOUNDED
@given(csv_bodies())
def test_the_fast_csv_path_reads_what_the_checked_path_reads(body):
    checked = outcome(codecs._csv_checked, body.decode())
    fast = codecs._csv_fast(body)
    if fast is not None:  # the fast path never accepts what the checked path refuses
        assert not isinstance(checked, str), (body, checked)
        np.testing.assert_array_equal(fast, checked)
    assert_same(outcome(decode, body, CSV), checked)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
@pytest.mark.parametrize("end", [b"", b"\n", b"\r\n\r\n"])
def test_a_plain_grid_takes_the_fast_path(newline, end):
    rows = np.random.default_rng(1).random((100, 20), dtype=np.float32)
    body = newline.join(b",".join(repr(float(v)).encode() for v in row) for row in rows) + end
    np.testing.assert_array_equal(codecs._csv_fast(body), rows)
    np.testing.assert_array_equal(decode(body, CSV), rows)


def assert_same(got, expected) -> None:
    if isinstance(expected, str):
        assert got == expected
    else:
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, expected)


def stdlib_json(body: bytes):
    """The JSON decoder before orjson: the standard library all the way."""
    document = codecs._json_checked(body)
    if isinstance(document, dict):
        document = document.get("instances", document.get("inputs"))
    if document is None:
        raise PayloadError('JSON needs a list of rows or {"instances": [...]}')
    return codecs._matrix(document)


json_numbers = (
    st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-(2**70), 2**70)
    | st.sampled_from([10**400, True, None, "1"])
)
json_bodies = st.one_of(
    st.lists(st.lists(json_numbers, min_size=1, max_size=4), max_size=4).map(json.dumps),
    st.lists(st.lists(json_numbers, min_size=4, max_size=4), max_size=3).map(
        lambda rows: json.dumps({"instances": rows})
    ),
    st.sampled_from(
        [
            "[[NaN, 1, 2, 3]]",
            "[[Infinity, -Infinity, 1, 2]]",
            '{"inputs": [[1, 2, 3, 4]]}',
            '{"rows": [[1]]}',
            "[[1, 2], [3]]",
            '"\\ud800"',
            "[1, 2, 3, 4]",
            "[[1e999, 1, 2, 3]]",
        ]
    ),
).map(str.encode) | st.sampled_from([json.dumps([[1, 2, 3, 4]]).encode("utf-16")])


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
@BOUNDED
@given(json_bodies)
def test_orjson_reads_json_as_the_standard_library_did(body):
    assert_same(outcome(decode, body, JSON), outcome(stdlib_json, body))


def test_json_the_standard_library_accepts_is_still_read():
    # NaN is how XGBoost clients spell "missing"; orjson refuses it, the fallback reads it.
    rows = decode(b"[[NaN, 1, 2, 3]]", JSON)
    assert math.isnan(rows[0, 0])
    assert rows[0, 1:].tolist() == [1, 2, 3]
    assert decode(json.dumps([[1, 2]]).encode("utf-16"), JSON).tolist() == [[1, 2]]


predictions = st.one_of(
    st.lists(st.floats(width=32), min_size=1, max_size=6).map(
        lambda v: np.array(v, dtype=np.float32)
    ),
    st.lists(st.floats(), min_size=1, max_size=3).map(lambda v: np.array([v, v]).T),
    st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=6).map(np.array),
    st.lists(st.booleans(), min_size=1, max_size=3).map(np.array),
)


def stdlib_payload(values: np.ndarray, media: str) -> bytes:
    """The encoder before orjson."""
    if media == CSV:
        rows = values.reshape(len(values), -1).tolist()
        return ("\n".join(",".join(map(str, row)) for row in rows) + "\n").encode()
    return json.dumps({"predictions": values.tolist()}).encode()


def parsed(payload: bytes, media: str) -> list:
    if media == JSON:
        return json.loads(payload)["predictions"]
    return [line.split(",") for line in payload.decode().splitlines()]


@BOUNDED
@given(values=predictions, media=st.sampled_from([CSV, JSON]))
def test_responses_hold_the_numbers_the_standard_library_wrote(values, media):
    fast = parsed(serialize(values, media), media)
    slow = parsed(stdlib_payload(values, media), media)
    if media == CSV:  # the same values; orjson may lay digits out differently (1e-05)
        assert len(fast) == len(slow)
        for ours, theirs in zip(fast, slow, strict=True):
            assert all(a == b or float(a) == float(b) for a, b in zip(ours, theirs, strict=True))
    else:
        assert repr(fast) == repr(slow)


def test_float32_predictions_print_as_python_prints_them():
    values = np.array([0.1, 1e-5, 3.4028235e38], dtype=np.float32)
    expected = [float(v) for v in values]
    assert json.loads(serialize(values, JSON)) == {"predictions": expected}
    assert [float(v) for v in serialize(values, CSV).split()] == expected
    # NaN: JSON has none; the server writes what Python's json wrote before.
    assert serialize(np.array([np.nan], dtype=np.float32), JSON) == b'{"predictions": [NaN]}'
    assert serialize(np.array([[1, 2], [3, 4]]), CSV) == b"1,2\n3,4\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("onnx-fast")
    linear_onnx(work / "model" / "model.onnx")
    with model_server(work / "model", work / "server.log") as running:
        yield running


def test_the_hot_path_sends_the_headers_starlette_sent(server):
    body = b"1,2,3,4\n5,6,7,8\n"
    ok = httpx.post(f"{server.url}/invocations", content=body, headers={"Content-Type": CSV})
    assert ok.headers["content-type"] == "application/json"
    assert ok.headers["x-batch-rows"] == "2"
    assert int(ok.headers["content-length"]) == len(ok.content)
    answer = httpx.post(
        f"{server.url}/invocations", content=body, headers={"Content-Type": CSV, "Accept": CSV}
    )
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    bad = httpx.post(f"{server.url}/invocations", content=b"x", headers={"Content-Type": CSV})
    assert (bad.status_code, bad.headers["content-type"]) == (400, "application/json")
    assert "x-batch-rows" not in bad.headers


def test_other_methods_still_reach_starlette(server):
    assert httpx.get(f"{server.url}/invocations").status_code == 405
    assert httpx.get(f"{server.url}/ping").status_code == 200
    assert httpx.post(f"{server.url}/nowhere", content=b"1").status_code == 404


def test_npy_bodies_arrive_in_several_chunks(server):
    rows = np.arange(4000 * FEATURES, dtype=np.float32).reshape(-1, FEATURES)
    buffer = io.BytesIO()
    np.save(buffer, rows)
    data = buffer.getvalue()

    def chunks():
        for start in range(0, len(data), 4096):
            yield data[start : start + 4096]

    response = httpx.post(
        f"{server.url}/invocations", content=chunks(), headers={"Content-Type": "application/x-npy"}
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["predictions"]) == 4000


@pytest.mark.skipif(not shutil.which("taskset"), reason="no taskset here")
def test_model_threads_follow_the_cores_the_process_may_use():
    script = "from model_server.settings import ServerSettings as S; print(S().threads_per_worker)"
    command = ["taskset", "-c", "0", sys.executable, "-c", script]
    env = {"PYTHONPATH": str(CONTAINERS)}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "1"
