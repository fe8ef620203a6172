"""One stack per algorithm: its training and tuning definitions and its endpoints."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.drift import DriftMonitoring
from infra.constructs.hosting import AlgorithmHosting
from infra.constructs.monitoring import EndpointMonitoring, data_capture
from infra.constructs.pipelines import AlgorithmPipelines
from infra.constructs.transform import TransformPipeline
from infra.plan import AlgorithmPlan, StagePlan
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.monitoring import MonitorPlan
from infra.plan.serverless import ServerlessPlan
from infra.plan.transform import TransformPlan
from stacks.base import StageStack


class AlgorithmStack(StageStack):
    """Everything one algorithm needs in a stage, on the stage's shared data plane."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StagePlan,
        plan: AlgorithmPlan,
        data_plane: DataPlane,
    ) -> None:
        super().__init__(scope, construct_id, stage=stage, purpose=plan.algorithm.title)
        self.pipelines = AlgorithmPipelines(
            self,
            "Pipelines",
            stage=stage.prefix,
            plan=plan,
            data_plane=data_plane,
            shared_with=stage.consumers_of(plan.name),
            removal_policy=cdk.RemovalPolicy.DESTROY
            if stage.ephemeral
            else cdk.RemovalPolicy.RETAIN,
        )
        outputs = dict(self.pipelines.outputs)
        self.hosting = None
        if (
            isinstance(plan.endpoint, EndpointPlan)
            or isinstance(plan.serverless, ServerlessPlan)
            or isinstance(plan.async_endpoint, AsyncPlan)
        ):
            monitor = plan.monitor if isinstance(plan.monitor, MonitorPlan) else None
            self.hosting = AlgorithmHosting(
                self,
                "Hosting",
                prefix=stage.prefix,
                plan=plan,
                data_plane=data_plane,
                log_retention_days=stage.retention.logs_days,
                data_capture=data_capture(plan, monitor, data_plane) if monitor else None,
            )
            outputs.update(self.hosting.outputs)
            realtime = self.hosting.realtime
            ready = monitor is not None and monitor.schedules is None and realtime is not None
            if ready and monitor.drift_checks:
                self.drift = DriftMonitoring(
                    self,
                    "DriftChecks",
                    stage=stage.prefix,
                    plan=plan,
                    monitor=monitor,
                    endpoint=realtime.endpoint,
                    endpoint_name=realtime.endpoint_name,
                    data_plane=data_plane,
                    log_retention_days=stage.retention.logs_days,
                )
                outputs["DriftPipelineName"] = self.drift.pipeline_name
            elif ready:
                assert isinstance(plan.endpoint, EndpointPlan)
                self.monitoring = EndpointMonitoring(
                    self,
                    "Monitoring",
                    stage=stage.prefix,
                    plan=plan,
                    monitor=monitor,
                    endpoint=realtime.endpoint,
                    endpoint_name=realtime.endpoint_name,
                    digest=plan.endpoint.name_digest,
                    data_plane=data_plane,
                )
        self.transform = None
        if isinstance(plan.transform, TransformPlan):
            self.transform = TransformPipeline(
                self,
                "Transform",
                stage=stage.prefix,
                algorithm=plan.name,
                plan=plan.transform,
                data_plane=data_plane,
            )
            outputs.update(self.transform.outputs)
        for output, value in outputs.items():
            cdk.CfnOutput(self, output, value=value)


def stack_id(algorithm: str) -> str:
    """`linear-learner` -> `LinearLearner`: readable, stable stack ids."""
    return "".join(part.capitalize() for part in algorithm.split("-"))
