"""Where results go: anomalies to EventBridge or Kinesis, unscorable records to SQS."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

EVENT_SOURCE = "sagemaker.anomaly-scorer"
EVENT_DETAIL_TYPE = "Anomaly detected"
# Message and entry size limits, with room for the envelope.
SQS_MESSAGE_LIMIT = 200 * 1024
EVENT_ENTRY_LIMIT = 200 * 1024
ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Item:
    """One record's outgoing message, and the record it speaks for."""

    position: int
    key: str  # partition key (Kinesis) or message group of nothing
    body: str


def chunks(items: Sequence[Item], size: int) -> Iterable[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def original(data: bytes) -> Any:
    """The record as it arrived: JSON when it is JSON, else text, else base64."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode()}
    try:
        return json.loads(text)
    except ValueError:
        return text


def send_with_retries(items: Sequence[Item], send_chunk: Any, chunk_size: int) -> set[int]:
    """Send in chunks, resending failed entries; the positions still failing at the end."""
    failed: set[int] = set()
    for chunk in chunks(items, chunk_size):
        pending = list(chunk)
        for _ in range(ATTEMPTS):
            pending = send_chunk(pending)
            if not pending:
                break
        failed.update(item.position for item in pending)
    return failed


class EventBridgeSink:
    def __init__(self, client: Any, bus: str) -> None:
        self.client, self.bus = client, bus

    def __call__(self, items: Sequence[Item]) -> set[int]:
        def send(chunk: list[Item]) -> list[Item]:
            response = self.client.put_events(
                Entries=[
                    {
                        "Source": EVENT_SOURCE,
                        "DetailType": EVENT_DETAIL_TYPE,
                        "Detail": item.body,
                        "EventBusName": self.bus,
                    }
                    for item in chunk
                ]
            )
            return [i for i, r in zip(chunk, response["Entries"], strict=True) if "ErrorCode" in r]

        return send_with_retries(items, send, 10)


class KinesisSink:
    def __init__(self, client: Any, stream: str) -> None:
        self.client, self.stream = client, stream

    def __call__(self, items: Sequence[Item]) -> set[int]:
        def send(chunk: list[Item]) -> list[Item]:
            response = self.client.put_records(
                StreamName=self.stream,
                Records=[{"Data": item.body.encode(), "PartitionKey": item.key} for item in chunk],
            )
            return [i for i, r in zip(chunk, response["Records"], strict=True) if "ErrorCode" in r]

        return send_with_retries(items, send, 500)


class FailureQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self.client, self.queue_url = client, queue_url

    def __call__(self, items: Sequence[Item]) -> set[int]:
        def send(chunk: list[Item]) -> list[Item]:
            response = self.client.send_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i.position), "MessageBody": i.body} for i in chunk],
            )
            failed = {entry["Id"] for entry in response.get("Failed", [])}
            return [i for i in chunk if str(i.position) in failed]

        return send_with_retries(items, send, 10)
