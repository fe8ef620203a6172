"""The stream scorer's logic, without AWS: parsing, packing, scoring, accounting."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from anomaly_scorer.batch import IncomingRecord, process
from anomaly_scorer.packing import halves, pack
from anomaly_scorer.records import Rejected, parse
from anomaly_scorer.scoring import UNPROCESSED, EndpointRejected, Retryable, Scorer, parse_scores
from anomaly_scorer.settings import PAYLOAD_LIMITS, Settings
from anomaly_scorer.sinks import EventBridgeSink, FailureQueue, KinesisSink
from hypothesis import given, settings
from hypothesis import strategies as st

JSON = Settings(
    endpoint_name="rcf",
    feature_format="json",
    feature_fields=("a", "b"),
    feature_columns=(),
    threshold=2.0,
    payload_limit=PAYLOAD_LIMITS["realtime"],
    anomaly_sink="eventbridge",
    anomaly_target="bus",
    failure_queue_url="https://sqs/queue",
)
CSV = replace(JSON, feature_format="csv", feature_fields=(), feature_columns=(2, 0))


def test_settings_from_the_environment() -> None:
    settings = Settings.from_environment(
        {
            "ENDPOINT_NAME": "dev-rcf",
            "FEATURE_FORMAT": "csv",
            "FEATURE_COLUMNS": "1,3",
            "THRESHOLD": "2.5",
            "ENDPOINT_KIND": "serverless",
            "ANOMALY_SINK": "kinesis",
            "ANOMALY_TARGET": "anomalies",
            "FAILURE_QUEUE_URL": "https://sqs/q",
        }
    )
    assert settings.feature_columns == (1, 3)
    assert settings.payload_limit == PAYLOAD_LIMITS["serverless"] < 4 * 1024 * 1024


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": 1, "b": 2.5}', b"1.0,2.5\n"),
        (b'{"b": "3", "a": -1e3, "c": "ignored"}', b"-1000.0,3.0\n"),
        (b'{"a": 1}', Rejected("b is missing or not a finite number")),
        (b'{"a": 1, "b": NaN}', Rejected("b is missing or not a finite number")),
        (b'{"a": true, "b": 1}', Rejected("a is missing or not a finite number")),
        (b"[1, 2]", Rejected("not a JSON object")),
        (b"{oops", Rejected("not JSON")),
        (b"\xff\xfe", Rejected("not UTF-8")),
    ],
)
def test_parse_json(data: bytes, expected: object) -> None:
    assert parse(data, JSON) == expected


def test_parse_csv_picks_columns_in_order() -> None:
    assert parse(b"1,x,3\n", CSV) == b"3.0,1.0\n"
    assert parse(b"1,2", CSV) == Rejected("column 2 is missing or not a finite number")


def test_packing_keeps_order_and_fills_to_the_limit() -> None:
    rows = [(i, b"1.0,2.0\n") for i in range(10)]  # 8 bytes each
    packs, oversized = pack(rows, limit=32)
    assert [p.positions for p in packs] == [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)]
    assert all(len(p.body) <= 32 for p in packs)
    assert oversized == []
    exactly, _ = pack(rows[:4], limit=32)
    assert len(exactly) == 1  # 32 bytes fit a 32-byte limit
    over, _ = pack(rows[:4], limit=31)
    assert len(over) == 2  # one byte less does not
    _, too_big = pack([(0, b"x" * 40), (1, b"1\n")], limit=32)
    assert too_big == [0]
    left, right = halves(packs[0])
    assert (left.positions, right.positions) == ((0, 1), (2, 3))
    assert left.body + right.body == packs[0].body


def test_10000_records_need_the_fewest_calls_the_limit_allows() -> None:
    row = b"0.123456789,1.23456789\n"
    packs, _ = pack([(i, row) for i in range(10_000)], limit=PAYLOAD_LIMITS["realtime"])
    assert len(packs) == 1  # 230 KB: one InvokeEndpoint call instead of 10,000


def test_parse_scores() -> None:
    assert parse_scores(b'{"scores": [{"score": 1.5}, {"score": 0.2}]}', 2) == [1.5, 0.2]
    with pytest.raises(Retryable, match="1 scores for 2 rows"):
        parse_scores(b'{"scores": [{"score": 1.5}]}', 2)
    with pytest.raises(Retryable, match="malformed"):
        parse_scores(b"<html>", 1)


def _scores(body: bytes) -> bytes:
    return json.dumps(
        {"scores": [{"score": float(r.split(b",")[0])} for r in body.splitlines()]}
    ).encode()


def test_scorer_retries_then_scores() -> None:
    failures = iter([Retryable("throttled"), Retryable("503")])
    delays: list[float] = []

    def invoke(body: bytes) -> bytes:
        error = next(failures, None)
        if error:
            raise error
        return _scores(body)

    scorer = Scorer(invoke=invoke, remaining_ms=lambda: 60_000, sleep=delays.append)
    packs, _ = pack([(0, b"1.0\n"), (1, b"5.0\n")], limit=100)
    assert scorer.score(packs) == {0: 1.0, 1: 5.0}
    assert (scorer.calls, scorer.retries, len(delays)) == (3, 2, 2)


def test_scorer_leaves_the_rest_unprocessed_when_time_runs_out() -> None:
    def invoke(body: bytes) -> bytes:
        raise Retryable("down")

    scorer = Scorer(invoke=invoke, remaining_ms=lambda: 5_100, safety_margin_ms=5_000)
    packs, _ = pack([(i, b"1.0\n") for i in range(4)], limit=8)
    assert scorer.score(packs) == dict.fromkeys(range(4), UNPROCESSED)


def test_scorer_bisects_to_the_rows_the_endpoint_rejects() -> None:
    def invoke(body: bytes) -> bytes:
        if b"666" in body:
            raise EndpointRejected("ModelError: bad row")
        return _scores(body)

    scorer = Scorer(invoke=invoke, remaining_ms=lambda: 60_000)
    rows = [(i, f"{666 if i == 5 else i}.0\n".encode()) for i in range(8)]
    packs, _ = pack(rows, limit=1000)
    outcomes = scorer.score(packs)
    assert outcomes[5] == Rejected("endpoint rejected it: ModelError: bad row")
    assert {p: o for p, o in outcomes.items() if p != 5} == {
        i: float(i) for i in range(8) if i != 5
    }


class RecordingSink:
    def __init__(self, fail: set[int] | None = None) -> None:
        self.items: list = []
        self.fail = fail or set()

    def __call__(self, items: list) -> set[int]:
        self.items.extend(items)
        return {i.position for i in items} & self.fail


def _records(values: list[bytes]) -> list[IncomingRecord]:
    return [
        IncomingRecord(str(1000 + i), f"key-{i}", v, "arn:aws:kinesis:us-east-1:1:stream/in")
        for i, v in enumerate(values)
    ]


def test_every_record_is_scored_parked_or_left_for_redelivery() -> None:
    records = _records(
        [b'{"a": 1, "b": 0}', b"garbage", b'{"a": 3, "b": 0}', b'{"a": 0.5, "b": 1}']
    )
    anomalies, failures = RecordingSink(), RecordingSink()
    scorer = Scorer(invoke=_scores, remaining_ms=lambda: 60_000)
    result = process(records, JSON, scorer, anomalies, failures)
    assert result.outcomes == {0: 1.0, 1: Rejected("not JSON"), 2: 3.0, 3: 0.5}
    (anomaly,) = [json.loads(i.body) for i in anomalies.items]
    assert anomaly == {
        "record": {"a": 3, "b": 0},
        "score": 3.0,
        "threshold": 2.0,
        "stream": "arn:aws:kinesis:us-east-1:1:stream/in",
        "sequenceNumber": "1002",
        "partitionKey": "key-2",
        "approximateArrivalTimestamp": None,
    }
    (parked,) = [json.loads(i.body) for i in failures.items]
    assert (parked["reason"], parked["sequenceNumber"]) == ("not JSON", "1001")
    assert result.counts["EndpointCalls"] == 1


def test_what_cannot_be_published_is_delivered_again() -> None:
    records = _records([b'{"a": 9, "b": 0}', b"garbage"])
    scorer = Scorer(invoke=_scores, remaining_ms=lambda: 60_000)
    result = process(records, JSON, scorer, RecordingSink(fail={0}), RecordingSink(fail={1}))
    assert result.unprocessed == [0, 1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=40))
def test_arbitrary_bytes_never_break_the_batch(values: list[bytes]) -> None:
    records = _records(values)
    anomalies, failures = RecordingSink(), RecordingSink()
    scorer = Scorer(invoke=_scores, remaining_ms=lambda: 60_000)
    result = process(records, JSON, scorer, anomalies, failures)
    assert sorted(result.outcomes) == list(range(len(values)))
    counts = result.counts
    assert counts["RecordsScored"] + counts["RecordsRejected"] + counts[
        "RecordsUnprocessed"
    ] == len(values)
    assert len(failures.items) == counts["RecordsRejected"]


class FakeEvents:
    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[list[dict]] = []
        self.fail_first = fail_first

    def put_events(self, Entries: list[dict]) -> dict:
        self.calls.append(Entries)
        results = [{"EventId": "e"} for _ in Entries]
        for i in range(min(self.fail_first, len(results))):
            results[i] = {"ErrorCode": "ThrottlingException"}
        self.fail_first = 0
        return {"Entries": results, "FailedEntryCount": 0}


def test_sinks_chunk_to_api_limits_and_resend_failed_entries() -> None:
    from anomaly_scorer.sinks import Item

    events = FakeEvents(fail_first=2)
    items = [Item(i, "k", "{}") for i in range(25)]
    assert EventBridgeSink(events, "bus")(items) == set()
    assert [len(c) for c in events.calls] == [10, 2, 10, 5]  # chunk 1 resent its 2 failures

    class FakeKinesis:
        def put_records(self, StreamName: str, Records: list[dict]) -> dict:
            assert len(Records) <= 500
            return {
                "Records": [{"ErrorCode": "ProvisionedThroughputExceededException"}] * len(Records)
            }

    assert KinesisSink(FakeKinesis(), "out")(items[:3]) == {0, 1, 2}

    class FakeSqs:
        def send_message_batch(self, QueueUrl: str, Entries: list[dict]) -> dict:
            return {"Successful": [{"Id": e["Id"]} for e in Entries], "Failed": []}

    assert FailureQueue(FakeSqs(), "url")(items) == set()
