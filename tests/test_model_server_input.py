"""Every request the model server cannot serve gets a 4XX with a message: never a 5XX,
never a silent guess at what the client meant.

Examples pin each class of bad input (ragged CSV, deeply nested JSON, empty, truncated
or oversized .npy, weighted Accept lists) against the real server process; hypothesis
then generates bodies and headers of each class, over HTTP where a request is cheap
and through the codec functions for the heavy generators. All derandomized and bounded.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import time
import tracemalloc

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_server import serve as serve_module
from model_server.codecs import (
    CSV,
    JSON,
    OFFERED,
    NotAcceptable,
    PayloadError,
    accept_ranges,
    decode,
    negotiate,
)
from model_server.settings import ServerSettings

from tests.model_artifacts import FEATURES, linear_onnx
from tests.server_process import model_server

BOUNDED = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header(shape: tuple[int, ...], descr: str = "<f4", fortran: bool = False) -> bytes:
    """A well-formed .npy header (version 1.0) declaring `shape`, with no data after it."""
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": fortran, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("onnx-input")
    linear_onnx(work / "model" / "model.onnx")
    with model_server(work / "model", work / "server.log", MAX_PAYLOAD_BYTES="65536") as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as session:
        yield session


def post(client: httpx.Client, body: bytes, content_type: str, **headers: str) -> httpx.Response:
    return client.post(
        "/invocations", content=body, headers={"Content-Type": content_type, **headers}
    )


def assert_answered(response: httpx.Response) -> None:
    """2XX, or 4XX with a message in {"error": ...}; never 5XX."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        message = response.json()["error"]
        assert isinstance(message, str)
        assert message.strip()


# 1. CSV whose rows have different lengths.


def test_ragged_csv_is_refused_naming_the_first_bad_line(client):
    # 12 numbers, 3 lines, 4 columns in the first: it used to be reshaped and predicted.
    response = post(client, b"1,2,3,4\n5,6,7\n8,9,10,11,12", CSV)
    assert response.status_code == 400
    assert response.json()["error"] == (
        "bad CSV: line 2 has 3 columns, expected 4 like line 1"
        " (every row needs the same number of columns)"
    )


def test_csv_line_numbers_count_blank_lines(client):
    response = post(client, b"\n1,2,3,4\n\n1,2,3,4\n1,2,3,4,5\n", CSV)
    assert response.status_code == 400
    assert "line 5 has 5 columns, expected 4 like line 2" in response.json()["error"]


def test_csv_names_the_first_line_that_is_not_numbers(client):
    response = post(client, b"1,2,3,4\n1,2,x,4\n1,,3,4", CSV)
    assert response.status_code == 400
    assert "line 2 is not 4 numbers: '1,2,x,4'" in response.json()["error"]


# 2. Deeply nested JSON.


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 10_000,
        b"[" * 10_000 + b"1" + b"]" * 10_000,
        b'{"x": ' * 10_000,
        b'{"a": [' * 5_000,
    ],
    ids=["open", "closed", "objects", "mixed"],
)
def test_deeply_nested_json_is_refused_quickly(client, body):
    started = time.monotonic()
    response = post(client, body, JSON)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("bad JSON: nested too deeply")
    assert time.monotonic() - started < 2


def test_json_within_the_recursion_limit_is_still_a_400(client):
    response = post(client, b"[" * 500 + b"1" + b"]" * 500, JSON)
    assert response.status_code == 400
    assert "not a numeric matrix" in response.json()["error"]


def test_json_integers_beyond_float_range_are_a_400(client):
    response = post(client, json.dumps([[10**400, 1, 2, 3]]).encode(), JSON)
    assert response.status_code == 400
    assert "not a numeric matrix" in response.json()["error"]


# 3 and 4. Empty, truncated and oversized .npy bodies.

ROWS = np.arange(12, dtype=np.float32).reshape(3, FEATURES)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "bad .npy: empty body"),
        (npy(ROWS)[:5], "bad .npy: EOF"),  # inside the magic string
        (npy(ROWS)[:40], "bad .npy: EOF"),  # inside the header
        (npy(ROWS)[:-1], "declares shape [3, 4] of float32 (48 bytes) but the body has 47"),
        (npy(ROWS) + b"\0" * 4, "declares shape [3, 4] of float32 (48 bytes) but the body has 52"),
        (npy_header((10**9, 10**9)), "declares shape [1000000000, 1000000000] of float32"),
        (npy_header((10**9, 10**9)) + b"\0" * 1000, "but the body has 1000 bytes"),
        (npy(ROWS.astype(np.complex64)), "dtype '<c8' is not numeric"),
        (npy(np.array([["a", "b"]])), "is not numeric"),
        (npy(ROWS.reshape(3, 2, 2)), "expected rows of features, got shape [3, 2, 2]"),
        (npy(np.zeros((0, FEATURES), np.float32)), "expected rows of features, got shape [0, 4]"),
    ],
    ids=[
        "empty",
        "truncated-magic",
        "truncated-header",
        "truncated-data",
        "trailing-bytes",
        "huge-shape",
        "huge-shape-some-data",
        "complex",
        "strings",
        "3d",
        "no-rows",
    ],
)
def test_bad_npy_bodies_get_a_400(client, body, message):
    response = post(client, body, "application/x-npy")
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.uint8, np.bool_])
@pytest.mark.parametrize("order", ["C", "F"])
def test_numeric_npy_of_any_layout_is_read(dtype, order):
    rows = np.asfortranarray(ROWS.astype(dtype)) if order == "F" else ROWS.astype(dtype)
    np.testing.assert_array_equal(decode(npy(rows), "application/x-npy"), rows.astype(np.float32))


def test_an_npy_header_is_checked_before_anything_is_allocated():
    # 10**4 x 10**4 float32 is 400 MB: NumPy's own np.load allocates it, then finds
    # the data missing. The server compares the header with the bytes present first.
    body = npy_header((10**4, 10**4)) + b"\0" * 64
    tracemalloc.start()
    try:
        with pytest.raises(PayloadError, match="declares shape"):
            decode(body, "application/x-npy")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak


# 5. Accept lists with weights (RFC 9110 §12.5.1).


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/json;q=0.9", JSON),
        ("application/json;q=0.5, text/csv;q=0.9", CSV),
        ("text/csv, application/json", JSON),  # a tie: the server's preference
        ("*/*;q=0.1", JSON),
        ("*/*;q=0.1, text/csv;q=0.2", CSV),
        ("application/json;q=0, */*", CSV),
        ("APPLICATION/JSON;Q=0, TEXT/*", CSV),
        ("text/*", CSV),
        ("text/*;q=1, text/csv;q=0.001", CSV),
        ("application/json;charset=utf-8", JSON),
        ('text/csv;header="a,b;c";q=0.8, application/json;q=0.7', CSV),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        (", text/csv ,,", CSV),
        ("", JSON),
    ],
)
def test_accept_picks_the_best_offered_type(client, accept, expected):
    response = post(client, b"1,2,3,4", CSV, Accept=accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize(
    "accept",
    [
        "application/json;q=0",
        "application/json;q=0.000, text/csv;q=0",
        "text/*;q=0.5, text/csv;q=0",
        "*/*;q=0",
        "application/json;q=0, text/csv;q=0, */*",
        "image/png",
        "application/x-npy, text/plain",
    ],
)
def test_accept_with_nothing_acceptable_is_a_406(client, accept):
    response = post(client, b"1,2,3,4", CSV, Accept=accept)
    assert response.status_code == 406
    assert response.json()["error"].startswith("cannot answer in")


@pytest.mark.parametrize(
    ("accept", "message"),
    [
        ("text/csv;q=2", "q=2 is not a weight"),
        ("text/csv;q=0.5000", "q=0.5000 is not a weight"),
        ("text/csv;q=", "q= is not a weight"),
        ("json", "'json' is not a media range"),
        ("*/csv", "'*/csv' is not a media range"),
        ("text/csv;charset", "'charset' is not a parameter"),
        ('text/csv;a="b', "unterminated quoted string"),
    ],
)
def test_a_malformed_accept_is_a_400(client, accept, message):
    response = post(client, b"1,2,3,4", CSV, Accept=accept)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_several_accept_lines_make_one_list(client):
    response = client.post(
        "/invocations",
        content=b"1,2,3,4",
        headers=[
            ("Content-Type", CSV),
            ("Accept", "application/json;q=0"),
            ("Accept", "text/csv"),
        ],
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(CSV)


# 6. Where the server binds.


def test_the_container_binds_every_interface_on_8080():
    settings_ = ServerSettings.from_environment({})
    assert (settings_.host, settings_.port) == ("0.0.0.0", 8080)
    loopback = ServerSettings.from_environment(
        {"BIND_HOST": "127.0.0.1", "SAGEMAKER_BIND_TO_PORT": "9000"}
    )
    assert (loopback.host, loopback.port) == ("127.0.0.1", 9000)


def test_serve_passes_the_host_to_uvicorn(monkeypatch):
    calls = []
    monkeypatch.setattr(serve_module.uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.setenv("BIND_HOST", "127.0.0.1")
    serve_module.main()
    assert calls[0]["host"] == "127.0.0.1"


def test_the_server_listens_only_where_it_is_told(tmp_path):
    # 127.0.0.2 is loopback too (127.0.0.0/8) but another address: bound there, the
    # server is not reachable on 127.0.0.1, as bound to 127.0.0.1 it is not on the network.
    model = tmp_path / "model" / "model.onnx"
    linear_onnx(model)
    with model_server(model.parent, tmp_path / "server.log", host="127.0.0.2") as server:
        assert httpx.get(f"{server.url}/ping").status_code == 200
        port = int(server.url.rsplit(":", 1)[1])
        with pytest.raises(ConnectionRefusedError), socket.socket() as probe:
            probe.connect(("127.0.0.1", port))


# Property-based: generated bodies and headers of each class.

finite32 = st.floats(allow_nan=False, allow_infinity=False, width=32)


@st.composite
def csv_grids(draw, max_rows: int = 6, max_width: int = 6):
    """(body, rows, line numbers): rows of numbers, widths from 1 to max_width, some
    blank lines and CRLF endings; ragged in most draws."""
    rows = draw(
        st.lists(st.lists(finite32, min_size=1, max_size=max_width), min_size=1, max_size=max_rows)
    )
    lines, numbers = [], []
    for row in rows:
        while draw(st.booleans()) and draw(st.booleans()):
            lines.append("")
        lines.append(",".join(map(repr, row)))
        numbers.append(len(lines))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines).encode(), rows, numbers


def check_grid(body: bytes, rows: list[list[float]], numbers: list[int]) -> None:
    width = len(rows[0])
    bad = next((i for i, row in enumerate(rows) if len(row) != width), None)
    if bad is None:
        np.testing.assert_array_equal(decode(body, CSV), np.array(rows, dtype=np.float32))
    else:
        with pytest.raises(PayloadError) as refused:
            decode(body, CSV)
        assert str(refused.value).startswith(
            f"bad CSV: line {numbers[bad]} has {len(rows[bad])} columns,"
            f" expected {width} like line {numbers[0]}"
        )


@BOUNDED
@given(csv_grids(max_rows=40, max_width=12))
def test_csv_grids_decode_exactly_or_name_the_first_ragged_line(grid):
    check_grid(*grid)


@BOUNDED
@given(grid=csv_grids(max_width=5))
def test_csv_grids_over_http(client, grid):
    body, rows, _ = grid
    response = post(client, body, CSV)
    assert_answered(response)
    widths = {len(row) for row in rows}
    assert (response.status_code == 200) == (widths == {FEATURES})
    if len(widths) > 1:
        assert "columns, expected" in response.json()["error"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=9), inner),
    max_leaves=30,
)


@st.composite
def nested_json(draw) -> bytes:
    """Brackets and braces up to 20,000 deep, closed or not, around a value or a matrix."""
    depth = draw(st.integers(1, 20_000))
    opener = draw(st.sampled_from([b"[", b'{"instances": ', b'{"a": [']))
    inner = draw(st.sampled_from([b"", b"1", b"[1, 2, 3, 4]", b"[[1, 2, 3, 4]]"]))
    closer = {b"[": b"]", b'{"instances": ': b"}", b'{"a": [': b"]}"}[opener]
    return opener * depth + inner + closer * draw(st.sampled_from([0, depth]))


@BOUNDED
@given(body=nested_json())
def test_nested_json_is_answered_quickly(body):
    started = time.monotonic()
    with contextlib.suppress(PayloadError):  # the message itself is checked over HTTP
        decode(body, JSON)
    assert time.monotonic() - started < 1


@BOUNDED
@given(body=st.one_of(nested_json(), json_values.map(lambda v: json.dumps(v).encode())))
def test_json_documents_over_http(client, body):
    assert_answered(post(client, body, JSON))


DTYPES = ["<f4", ">f8", "<i8", "|u1", "|b1", "<f2", "<c8", "<U3", "|O", "<M8[s]", "|V8"]


@st.composite
def npy_bodies(draw) -> bytes:
    """A real header (any dtype, shapes up to 10**12 per axis and 4 axes) with any
    number of data bytes, or random bytes after the magic string, or random bytes."""
    kind = draw(st.sampled_from(["header", "magic", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "magic":
        return np.lib.format.magic(1, 0) + draw(st.binary(max_size=200))
    shape = tuple(draw(st.lists(st.integers(0, 10**12) | st.integers(0, 5), max_size=4)))
    header = npy_header(shape, draw(st.sampled_from(DTYPES)), draw(st.booleans()))
    return header + draw(st.binary(max_size=256))


@BOUNDED
@given(body=npy_bodies())
def test_npy_bodies_are_read_or_refused_without_allocating(body):
    tracemalloc.start()
    try:
        try:
            matrix = decode(body, "application/x-npy")
        except PayloadError as refused:
            message = str(refused)
        else:
            message = f"read as {matrix.dtype}, {matrix.ndim} dimensions"
            assert matrix.dtype == np.float32
            assert matrix.ndim == 2
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message
    assert peak < 1_000_000 + 64 * len(body)


@BOUNDED
@given(body=npy_bodies())
def test_npy_bodies_over_http(client, body):
    assert_answered(post(client, body, "application/x-npy"))


MEDIA_RANGES = ["text/csv", "application/json", "*/*", "text/*", "application/*", "image/png"]
QVALUES = ["0", "0.0", "0.001", "0.5", "0.9", "1", "1.0", "1.000"]


@st.composite
def accept_headers(draw) -> tuple[str, list[tuple[str, str | None]]]:
    """A well-formed Accept list and its (range, q) elements."""
    elements = draw(
        st.lists(
            st.tuples(st.sampled_from(MEDIA_RANGES), st.none() | st.sampled_from(QVALUES)),
            min_size=1,
            max_size=6,
        )
    )
    spaced = draw(st.sampled_from([",", ", ", " , "]))
    header = spaced.join(media + ("" if q is None else f";q={q}") for media, q in elements)
    return header, elements


def outcome(header: str) -> str:
    try:
        return negotiate(header)
    except NotAcceptable:
        return "406"


def rfc_9110(elements: list[tuple[str, str | None]]) -> str:
    """The answer spelled out from RFC 9110 §12.5.1 for the generated elements: each
    offered type weighs what its most specific matching range says (the highest such
    weight where a range repeats), q=0 refuses, ties go to the first offered."""
    weights = {}
    for media in OFFERED:
        kind = media.split("/")[0]
        for candidate in (media, f"{kind}/*", "*/*"):
            qs = [float(q or 1) for m, q in elements if m == candidate]
            if qs:
                weights[media] = max(qs)
                break
    best = max(OFFERED, key=lambda media: (weights.get(media, 0), -OFFERED.index(media)))
    return best if weights.get(best, 0) > 0 else "406"


def joined(elements: list[tuple[str, str | None]]) -> str:
    return ", ".join(media + ("" if q is None else f";q={q}") for media, q in elements)


@BOUNDED
@given(accept=accept_headers(), data=st.data())
def test_accept_negotiation_follows_rfc_9110(accept, data):
    header, elements = accept
    chosen = outcome(header)
    assert chosen == rfc_9110(elements)
    assert len(accept_ranges(header)) == len(elements)
    # The order of the list does not matter, only weights and specificity.
    assert outcome(joined(data.draw(st.permutations(elements)))) == chosen
    if chosen != "406":
        # Refusing the chosen type by name moves the answer elsewhere.
        refused = [(m, "0" if m == chosen else q) for m, q in elements] + [(chosen, "0")]
        assert outcome(joined(refused)) != chosen


@BOUNDED
@given(
    accept=accept_headers().map(lambda pair: pair[0])
    # h11 refuses to send a header value with whitespace at either end
    | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.strip)
)
def test_accept_headers_over_http(client, accept):
    response = post(client, b"1,2,3,4", CSV, Accept=accept)
    assert_answered(response)
    assert response.status_code in (200, 400, 406)
    if response.status_code == 200:
        assert response.headers["content-type"].split(";")[0] == negotiate(accept)
    else:
        assert response.status_code == (406 if outcome_is_406(accept) else 400)


def outcome_is_406(accept: str) -> bool:
    try:
        negotiate(accept)
    except NotAcceptable:
        return True
    except PayloadError:
        return False
    return False
