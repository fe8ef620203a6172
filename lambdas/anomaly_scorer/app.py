"""Lambda entry point: Powertools for the event model, logs and metrics; partial batch
responses (`batchItemFailures`) from the records the batch left unprocessed."""

from __future__ import annotations

import functools
import time
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.kinesis_stream_event import KinesisStreamEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from anomaly_scorer.batch import IncomingRecord, process
from anomaly_scorer.records import Rejected, kinesis_data
from anomaly_scorer.scoring import EndpointRejected, Retryable, Scorer
from anomaly_scorer.settings import Settings
from anomaly_scorer.sinks import EventBridgeSink, FailureQueue, KinesisSink

logger = Logger()
metrics = Metrics()
# The scorer retries with its own backoff inside the invocation's time budget.
RUNTIME_CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=20)
RETRYABLE_CODES = frozenset(
    {"ThrottlingException", "ServiceUnavailable", "InternalFailure", "ModelNotReadyException"}
)


# Backoff waits; a module attribute so tests can skip the waiting.
sleep = time.sleep


@functools.cache
def _settings() -> Settings:
    return Settings.from_environment()


@functools.cache
def _clients() -> dict[str, Any]:
    return {
        "runtime": boto3.client("sagemaker-runtime", config=RUNTIME_CONFIG),
        "events": boto3.client("events"),
        "kinesis": boto3.client("kinesis"),
        "sqs": boto3.client("sqs"),
    }


def invoke_endpoint(runtime: Any, endpoint_name: str, body: bytes) -> bytes:
    """InvokeEndpoint with text/csv rows; errors sorted into retryable and rejected."""
    try:
        response = runtime.invoke_endpoint(
            EndpointName=endpoint_name, ContentType="text/csv", Accept="application/json", Body=body
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        original = error.response.get("OriginalStatusCode", status)
        if code in RETRYABLE_CODES or status >= 500 or (code == "ModelError" and original >= 500):
            raise Retryable(code) from error
        raise EndpointRejected(
            f"{code}: {error.response.get('Error', {}).get('Message', '')}"
        ) from error
    except BotoCoreError as error:  # timeouts, dropped connections
        raise Retryable(type(error).__name__) from error
    return response["Body"].read()


def _incoming(record: Any) -> IncomingRecord:
    """One delivered record; one whose base64 does not decode is parked, not fatal."""
    data = kinesis_data(record.kinesis.data)
    return IncomingRecord(
        sequence_number=record.kinesis.sequence_number,
        partition_key=record.kinesis.partition_key,
        data=record.kinesis.data.encode() if isinstance(data, Rejected) else data,
        stream_arn=record.event_source_arn,
        arrival=record.kinesis.approximate_arrival_timestamp,
        unreadable=data if isinstance(data, Rejected) else None,
    )


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    settings, clients = _settings(), _clients()
    records = [_incoming(r) for r in KinesisStreamEvent(event).records]
    scorer = Scorer(
        invoke=lambda body: invoke_endpoint(clients["runtime"], settings.endpoint_name, body),
        remaining_ms=context.get_remaining_time_in_millis,
        safety_margin_ms=settings.safety_margin_ms,
        sleep=lambda seconds: sleep(seconds),
    )
    sink = (
        EventBridgeSink(clients["events"], settings.anomaly_target)
        if settings.anomaly_sink == "eventbridge"
        else KinesisSink(clients["kinesis"], settings.anomaly_target)
    )
    result = process(
        records, settings, scorer, sink, FailureQueue(clients["sqs"], settings.failure_queue_url)
    )
    for name, value in result.counts.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    metrics.add_metric(name="Anomalies", unit=MetricUnit.Count, value=result.anomalies)
    if result.counts["RecordsRejected"]:
        logger.warning(
            "records parked on the failure queue", extra={"count": result.counts["RecordsRejected"]}
        )

    # Lambda delivers these again (ReportBatchItemFailures): the records left unprocessed.
    return {
        "batchItemFailures": [
            {"itemIdentifier": records[p].sequence_number} for p in result.unprocessed
        ]
    }
