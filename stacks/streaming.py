"""The stage's streaming stack: anomaly scoring of a Kinesis stream with RCF."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.endpoint import realtime_endpoint_name
from infra.constructs.streaming import AnomalyStream
from infra.names import SCORER_FUNCTION_OUTPUT, STREAM_OUTPUT
from infra.plan import StagePlan
from infra.plan.streaming import StreamingStagePlan
from stacks.base import StageStack


class StreamingStack(StageStack):
    """Kinesis → Lambda → the Random Cut Forest endpoint of the stage's RCF stack."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StagePlan,
        plan: StreamingStagePlan,
        data_plane: DataPlane,
    ) -> None:
        super().__init__(scope, construct_id, stage=stage, purpose="stream anomaly scoring")
        self.anomalies = AnomalyStream(
            self,
            "AnomalyStream",
            prefix=stage.prefix,
            plan=plan.plan,
            # The endpoint is named, not referenced: the stage orders the stacks.
            endpoint_name=realtime_endpoint_name(stage.prefix, plan.scorer, plan.endpoint_digest),
            data_plane=data_plane,
            log_retention_days=stage.retention.logs_days,
        )
        outputs = {
            STREAM_OUTPUT: self.anomalies.stream.stream_name,
            "FailureQueueUrl": self.anomalies.failures.queue_url,
            SCORER_FUNCTION_OUTPUT: self.anomalies.function.function_name,
        }
        if self.anomalies.bus is not None:
            outputs["AnomalyBusName"] = self.anomalies.bus.event_bus_name
        if self.anomalies.anomaly_stream is not None:
            outputs["AnomalyStreamName"] = self.anomalies.anomaly_stream.stream_name
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)
