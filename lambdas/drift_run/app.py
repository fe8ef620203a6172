"""Lambda entry point of the drift pipeline's two Lambda steps (Powertools logging).

SageMaker Pipelines invokes the function with the step's Arguments as the event and
reads the returned JSON object's keys as the step's output parameters.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from drift_run.environment import METRICS_NAMESPACE
from drift_run.publish import publish
from drift_run.window import run_window

logger = Logger()


@functools.cache
def _clients() -> dict[str, Any]:
    return {"s3": boto3.client("s3"), "cloudwatch": boto3.client("cloudwatch")}


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    action = event.get("action")
    clients = _clients()
    if action == "window":
        result = run_window(clients["s3"], event)
    elif action == "publish":
        result = publish(clients["s3"], clients["cloudwatch"], os.environ[METRICS_NAMESPACE], event)
    else:
        raise ValueError(f"unknown action {action!r} (allowed: window, publish)")
    logger.info("done", extra={"action": action, **result})
    return result
