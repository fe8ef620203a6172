"""A CloudWatch dashboard for one algorithm's endpoints."""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra.catalog.model import Processor
from infra.constructs.endpoint import ENDPOINT_NAMESPACE, RealtimeEndpoint
from infra.names import physical_name


class EndpointDashboard(Construct):
    """Invocations, latency, errors, instance count and utilization of the endpoint."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        algorithm: str,
        endpoint: RealtimeEndpoint,
        processor: Processor,
    ) -> None:
        super().__init__(scope, construct_id)
        m = endpoint.metric
        invocations = m("Invocations", "Sum")
        per_instance = m("InvocationsPerInstance", "Sum")
        utilization = [
            m(name, "Average", ENDPOINT_NAMESPACE)
            for name in ("CPUUtilization", "MemoryUtilization", "DiskUtilization")
        ]
        if processor is Processor.GPU:
            utilization += [
                m(name, "Average", ENDPOINT_NAMESPACE)
                for name in ("GPUUtilization", "GPUMemoryUtilization")
            ]
        width = 12
        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=physical_name(prefix, algorithm, "endpoint", max_length=255),
            widgets=[
                [
                    cloudwatch.GraphWidget(
                        title="Invocations", left=[invocations, per_instance], width=width
                    ),
                    cloudwatch.GraphWidget(
                        title="Latency (µs)",
                        left=[m("ModelLatency", "Average"), m("OverheadLatency", "Average")],
                        width=width,
                    ),
                ],
                [
                    cloudwatch.GraphWidget(
                        title="Errors",
                        left=[m("Invocation4XXErrors", "Sum"), m("Invocation5XXErrors", "Sum")],
                        width=width,
                    ),
                    cloudwatch.GraphWidget(
                        title="Instances (invocations ÷ per instance)",
                        left=[
                            cloudwatch.MathExpression(
                                expression="invocations / perInstance",
                                using_metrics={
                                    "invocations": invocations,
                                    "perInstance": per_instance,
                                },
                                label="instances",
                                # The metrics' own period: the default (5 min)
                                # would override theirs, with a synth warning.
                                period=invocations.period,
                            )
                        ],
                        width=width,
                    ),
                ],
                [
                    cloudwatch.GraphWidget(
                        title="Utilization (%)", left=utilization, width=2 * width
                    )
                ],
            ],
        )
