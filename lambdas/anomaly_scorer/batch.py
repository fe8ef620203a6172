"""One Kinesis batch, end to end: parse, pack, score, publish; nothing silently lost.

Every record ends as exactly one of: scored (an anomaly is published when its score
is above the threshold), parked on the failure queue with its reason, or left
unprocessed for Lambda to deliver again.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from anomaly_scorer.packing import pack
from anomaly_scorer.records import Rejected, parse
from anomaly_scorer.scoring import UNPROCESSED, Outcome, Scorer
from anomaly_scorer.settings import Settings
from anomaly_scorer.sinks import SQS_MESSAGE_LIMIT, Item, original

Sink = Callable[[Sequence[Item]], set[int]]


@dataclass(frozen=True, slots=True)
class IncomingRecord:
    sequence_number: str
    partition_key: str
    data: bytes
    stream_arn: str
    arrival: float | None = None
    # Why the record cannot even be read (its data as delivered is then in `data`).
    unreadable: Rejected | None = None


@dataclass
class BatchResult:
    outcomes: dict[int, Outcome]
    anomalies: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def unprocessed(self) -> list[int]:
        return sorted(p for p, o in self.outcomes.items() if o is UNPROCESSED)


def _failure_message(record: IncomingRecord, reason: str) -> str:
    message = {
        "reason": reason,
        "sequenceNumber": record.sequence_number,
        "partitionKey": record.partition_key,
        "stream": record.stream_arn,
        "data": base64.b64encode(record.data).decode(),
    }
    text = json.dumps(message)
    if len(text) > SQS_MESSAGE_LIMIT:  # keep the reason and ids; drop what does not fit
        message["data"] = message["data"][: SQS_MESSAGE_LIMIT // 2]
        message["truncated"] = True
        text = json.dumps(message)
    return text


def process(
    records: Sequence[IncomingRecord],
    settings: Settings,
    scorer: Scorer,
    anomaly_sink: Sink,
    failure_queue: Sink,
) -> BatchResult:
    outcomes: dict[int, Outcome] = {}
    rows: list[tuple[int, bytes]] = []
    for position, record in enumerate(records):
        parsed = record.unreadable or parse(record.data, settings)
        if isinstance(parsed, Rejected):
            outcomes[position] = parsed
        else:
            rows.append((position, parsed))
    packs, oversized = pack(rows, settings.payload_limit)
    for position in oversized:
        outcomes[position] = Rejected("record larger than the endpoint's payload limit")
    outcomes.update(scorer.score(packs))

    rejected = [
        Item(p, records[p].partition_key, _failure_message(records[p], o.reason))
        for p, o in sorted(outcomes.items())
        if isinstance(o, Rejected)
    ]
    for position in failure_queue(rejected):
        outcomes[position] = UNPROCESSED  # could not park it: let Lambda deliver it again

    anomalies = [
        Item(
            p,
            records[p].partition_key,
            json.dumps(
                {
                    "record": original(records[p].data),
                    "score": score,
                    "threshold": settings.threshold,
                    "stream": records[p].stream_arn,
                    "sequenceNumber": records[p].sequence_number,
                    "partitionKey": records[p].partition_key,
                    "approximateArrivalTimestamp": records[p].arrival,
                }
            ),
        )
        for p, score in sorted(outcomes.items())
        if isinstance(score, float) and score > settings.threshold
    ]
    for position in anomaly_sink(anomalies):
        outcomes[position] = UNPROCESSED
    scored = sum(isinstance(o, float) for o in outcomes.values())
    return BatchResult(
        outcomes=outcomes,
        anomalies=len(anomalies),
        counts={
            "RecordsIn": len(records),
            "RecordsScored": scored,
            "RecordsRejected": sum(isinstance(o, Rejected) for o in outcomes.values()),
            "RecordsUnprocessed": sum(o is UNPROCESSED for o in outcomes.values()),
            "EndpointCalls": scorer.calls,
            "EndpointRetries": scorer.retries,
        },
    )
