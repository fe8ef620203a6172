"""The scorer end to end over real HTTP: boto3 → local SageMaker Runtime → rrcf."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import numpy as np
import pytest
from botocore.config import Config

from tests.fake_runtime import CLIENT_READ_TIMEOUT, Faults, RandomCutForest, runtime_server

ENDPOINT = "dev-randomcutforest-rt-test"
SPIKES = (57, 130, 211, 288, 333, 402, 470)


def series(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 5 * np.sin(t / 12) + rng.normal(0, 0.3, n)


@pytest.fixture(scope="module")
def model() -> tuple[RandomCutForest, float]:
    training = series(2000, seed=1)[:, None]
    forest = RandomCutForest(training)
    # The score distribution published at deploy time: mean + 3 sigma (README).
    scores = np.array([forest.score(p) for p in series(300, seed=2)[:, None]])
    return forest, float(scores.mean() + 3 * scores.std())


@dataclass
class Context:
    """A Lambda context whose time budget really runs down."""

    budget_ms: int = 60_000
    function_name: str = "anomaly-scorer"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:anomaly-scorer"
    aws_request_id: str = "request-1"

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.budget_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


class FakeEvents:
    def __init__(self) -> None:
        self.details: list[dict] = []

    def put_events(self, Entries: list[dict]) -> dict:
        self.details.extend(json.loads(e["Detail"]) for e in Entries)
        return {"Entries": [{"EventId": "e"} for _ in Entries], "FailedEntryCount": 0}


class FakeSqs:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    def send_message_batch(self, QueueUrl: str, Entries: list[dict]) -> dict:
        self.messages.extend(json.loads(e["MessageBody"]) for e in Entries)
        return {"Successful": [{"Id": e["Id"]} for e in Entries], "Failed": []}


def kinesis_event(values: list[bytes]) -> dict:
    """Records exactly as Lambda delivers them from a Kinesis data stream."""
    return {
        "Records": [
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": f"sensor-{i % 4}",
                    "sequenceNumber": f"4959{i:020d}",
                    "data": base64.b64encode(value).decode(),
                    "approximateArrivalTimestamp": 1_700_000_000.0 + i,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"shardId-000000000000:4959{i:020d}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": "arn:aws:iam::123456789012:role/scorer",
                "awsRegion": "us-east-1",
                "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/dev-records",
            }
            for i, value in enumerate(values)
        ]
    }


@pytest.fixture
def scorer_app(
    model: tuple[RandomCutForest, float], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[object, Faults, FakeEvents, FakeSqs]]:
    forest, threshold = model
    env = {
        "ENDPOINT_NAME": ENDPOINT,
        "FEATURE_FORMAT": "json",
        "FEATURE_FIELDS": "value",
        "THRESHOLD": str(threshold),
        "ANOMALY_SINK": "eventbridge",
        "ANOMALY_TARGET": "dev-anomalies",
        "FAILURE_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/dev-failures",
        "SAFETY_MARGIN_MS": "1000",
        "POWERTOOLS_METRICS_NAMESPACE": "AnomalyScorer",
        "POWERTOOLS_SERVICE_NAME": "anomaly-scorer",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from anomaly_scorer import app

    app._settings.cache_clear()
    with runtime_server(forest, ENDPOINT) as (url, faults):
        runtime = boto3.client(
            "sagemaker-runtime",
            endpoint_url=url,
            region_name="us-east-1",
            config=Config(
                retries={"total_max_attempts": 1},
                read_timeout=CLIENT_READ_TIMEOUT,
                connect_timeout=1,
            ),
        )
        events, sqs = FakeEvents(), FakeSqs()
        clients = {"runtime": runtime, "events": events, "sqs": sqs, "kinesis": None}
        monkeypatch.setattr(app, "_clients", lambda: clients)
        monkeypatch.setattr(app, "sleep", lambda seconds: None)  # backoff without waiting
        yield app, faults, events, sqs


def labelled_values() -> list[bytes]:
    values = series(500, seed=3)
    for i in SPIKES:
        values[i] += 18
    return [json.dumps({"value": float(v), "sensor": i % 4}).encode() for i, v in enumerate(values)]


def flagged(events: FakeEvents) -> set[int]:
    return {int(d["sequenceNumber"][4:]) for d in events.details}


def test_spikes_are_flagged_in_one_call(scorer_app: tuple) -> None:
    app, faults, events, sqs = scorer_app
    response = app.handler(kinesis_event(labelled_values()), Context())
    assert response == {"batchItemFailures": []}
    assert set(SPIKES) <= flagged(events)
    false_alarms = flagged(events) - set(SPIKES)
    assert len(false_alarms) <= 10  # at most 2 % of the 493 normal points
    assert faults.calls == 1  # 500 records, one InvokeEndpoint call
    assert faults.rows == 500
    assert sqs.messages == []
    detail = next(d for d in events.details if d["sequenceNumber"].endswith(f"{SPIKES[0]:020d}"))
    assert detail["record"]["sensor"] == SPIKES[0] % 4
    assert detail["score"] > detail["threshold"]
    assert detail["stream"].endswith(":stream/dev-records")


def test_faults_lose_nothing_and_block_nothing(scorer_app: tuple) -> None:
    app, faults, events, sqs = scorer_app
    values = labelled_values()
    bad = {3: b"not json", 99: b'{"value": "NaN"}', 250: b"\xff\xfe", 404: b'{"other": 1}'}
    for i, value in bad.items():
        values[i] = value
    faults.queue.extend(["throttle", "500", "503", "slow"])
    response = app.handler(kinesis_event(values), Context())
    assert response == {"batchItemFailures": []}  # every fault retried within the budget
    assert not faults.queue  # throttling, 500, 503 and a timeout were all met
    assert faults.calls >= 5
    parked = {int(m["sequenceNumber"][4:]): m["reason"] for m in sqs.messages}
    assert set(parked) == set(bad)
    assert parked[250] == "not UTF-8"
    # Records in = records scored + records parked: no failures left, none parked twice.
    assert len(sqs.messages) == len(parked)
    assert set(SPIKES) <= flagged(events)


def test_an_endpoint_that_stays_down_leaves_records_for_redelivery(scorer_app: tuple) -> None:
    app, faults, events, sqs = scorer_app
    faults.queue.extend(["503"] * 1000)
    values = [*labelled_values()[:50], b"garbage"]
    response = app.handler(kinesis_event(values), Context(budget_ms=3_000))
    failures = {f["itemIdentifier"] for f in response["batchItemFailures"]}
    assert failures == {f"4959{i:020d}" for i in range(50)}  # every scorable record, again
    assert [m["reason"] for m in sqs.messages] == ["not JSON"]  # parked, not retried
    assert events.details == []


def test_unreadable_records_are_parked_with_their_reason_and_the_batch_goes_on(
    scorer_app: tuple,
) -> None:
    app, faults, _, sqs = scorer_app
    values = labelled_values()[:20]
    values[5] = b"[" * 100_000 + b"]" * 100_000  # JSON nested past any parser's depth
    event = kinesis_event(values)
    event["Records"][3]["kinesis"]["data"] = "%%% not base64 %%%"
    response = app.handler(event, Context())
    assert response == {"batchItemFailures": []}
    parked = {int(m["sequenceNumber"][4:]): m["reason"] for m in sqs.messages}
    assert parked == {3: "not base64", 5: "JSON nested too deeply"}
    assert faults.rows == 18  # the other records were scored


def test_an_empty_batch_has_no_failures(scorer_app: tuple) -> None:
    app, faults, events, sqs = scorer_app
    assert app.handler({"Records": []}, Context()) == {"batchItemFailures": []}
    assert (faults.calls, events.details, sqs.messages) == (0, [], [])
