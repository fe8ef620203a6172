"""Real-time and serverless endpoints in the synthesized algorithm stacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk.assertions import Match, Template

from infra.catalog.instances import Use, is_offered, parse
from tests.conftest import Assembly, cfn_lint, synth_dict

pytestmark = pytest.mark.synth


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


@pytest.fixture(scope="module")
def templates(default_assembly: Assembly) -> dict[str, dict]:
    return default_assembly.templates()


# The default config's real-time instance types, one main variant per hostable algorithm.
DEFAULT_ENDPOINT_INSTANCES = {
    "dev/Blazingtext": "ml.m5.xlarge",
    "dev/FactorizationMachines": "ml.m5.xlarge",
    "dev/ForecastingDeepar": "ml.c5.xlarge",
    "dev/ImageClassification": "ml.c5.xlarge",
    "dev/Ipinsights": "ml.m5.xlarge",
    "dev/Kmeans": "ml.m5.xlarge",
    "dev/Knn": "ml.m5.xlarge",
    "dev/Lda": "ml.m5.xlarge",
    "dev/LinearLearner": "ml.m5.xlarge",
    "dev/Ntm": "ml.m5.xlarge",
    "dev/Object2vec": "ml.g4dn.xlarge",
    "dev/ObjectDetection": "ml.c5.xlarge",
    "dev/Pca": "ml.m5.xlarge",
    "dev/Randomcutforest": "ml.c5.xlarge",
    "dev/SemanticSegmentation": "ml.c5.xlarge",
    "dev/Seq2seq": "ml.g4dn.xlarge",
    "dev/Xgboost": "ml.m5.xlarge",
}


def test_every_default_endpoint_is_deployable_on_paper(templates: dict[str, dict]) -> None:
    instances = {
        stack: variant["InstanceType"]
        for stack, template in templates.items()
        for config in resources(template, "AWS::SageMaker::EndpointConfig").values()
        for variant in config["Properties"]["ProductionVariants"]
        if "InstanceType" in variant  # not serverless
    }
    assert instances == DEFAULT_ENDPOINT_INSTANCES
    for instance_type in set(instances.values()):
        assert is_offered(instance_type, Use.HOSTING), instance_type
        assert parse(instance_type) is not None


def test_models_run_isolated_in_the_private_subnets(templates: dict[str, dict]) -> None:
    template = templates["dev/Kmeans"]
    realtime = [
        m for k, m in resources(template, "AWS::SageMaker::Model").items() if "Realtime" in k
    ]
    (model,) = realtime
    assert model["Properties"]["EnableNetworkIsolation"] is True
    assert set(model["Properties"]["VpcConfig"]) == {"SecurityGroupIds", "Subnets"}
    # The registry's approved package, as recorded (tests.recorded_models).
    assert model["Properties"]["PrimaryContainer"] == {
        "ModelPackageName": "arn:aws:sagemaker:us-east-1:123456789012:model-package/"
        "dev-kmeans-models/1"
    }


def test_volume_key_except_on_local_storage(templates: dict[str, dict]) -> None:
    def realtime_config(stack: str) -> dict:
        (config,) = [
            c
            for k, c in resources(templates[stack], "AWS::SageMaker::EndpointConfig").items()
            if "Realtime" in k
        ]
        return config["Properties"]

    assert "KmsKeyId" in realtime_config("dev/Kmeans")  # ml.m5.xlarge: EBS
    seq2seq = realtime_config("dev/Seq2seq")  # ml.g4dn.xlarge: local NVMe
    assert seq2seq["ProductionVariants"][0]["InstanceType"] == "ml.g4dn.xlarge"
    assert "KmsKeyId" not in seq2seq


def test_blue_green_with_rollback_alarms(templates: dict[str, dict]) -> None:
    template = Template.from_json(templates["dev/Xgboost"])
    template.has_resource_properties(
        "AWS::SageMaker::Endpoint",
        {
            "RetainAllVariantProperties": True,
            "DeploymentConfig": {
                "BlueGreenUpdatePolicy": {
                    "TrafficRoutingConfiguration": {
                        "Type": "CANARY",
                        "WaitIntervalInSeconds": 600,
                        "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
                    },
                    "TerminationWaitInSeconds": 300,
                    "MaximumExecutionTimeoutInSeconds": 2700,
                },
                "AutoRollbackConfiguration": {"Alarms": Match.any_value()},
            },
        },
    )
    endpoint = next(
        r
        for r in resources(templates["dev/Xgboost"], "AWS::SageMaker::Endpoint").values()
        if "DeploymentConfig" in r["Properties"]
    )
    rollback = endpoint["Properties"]["DeploymentConfig"]["AutoRollbackConfiguration"]["Alarms"]
    alarms = resources(templates["dev/Xgboost"], "AWS::CloudWatch::Alarm")
    metrics = {alarms[a["AlarmName"]["Ref"]]["Properties"]["MetricName"] for a in rollback}
    assert metrics == {"Invocation5XXErrors", "ModelLatency"}


def test_autoscaling_registers_after_the_endpoint(templates: dict[str, dict]) -> None:
    template = templates["dev/Xgboost"]
    ((endpoint_id, endpoint),) = [
        (k, r)
        for k, r in resources(template, "AWS::SageMaker::Endpoint").items()
        if "Realtime" in k
    ]
    ((_, target),) = resources(template, "AWS::ApplicationAutoScaling::ScalableTarget").items()
    assert endpoint_id in target["DependsOn"]
    name = endpoint["Properties"]["EndpointName"]
    assert target["Properties"]["ResourceId"] == f"endpoint/{name}/variant/AllTraffic"
    assert "RoleARN" not in target["Properties"]  # the service-linked role
    (policy,) = resources(template, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
    tracking = policy["Properties"]["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
    }
    assert tracking["ScaleInCooldown"] > tracking["ScaleOutCooldown"]


def _synth(tmp_path: Path, name: str, body: dict) -> dict:
    assembly = synth_dict({"stages": {"dev": {"algorithms": {"xgboost": body}}}}, tmp_path / name)
    assert assembly.violations == []
    assert cfn_lint(assembly.directory) == ""
    return assembly.templates()["dev/Xgboost"]


def test_changing_the_instance_type_replaces_endpoint_and_target(tmp_path: Path) -> None:
    before = _synth(tmp_path, "before", {})
    after = _synth(tmp_path, "after", {"endpoint": {"instance_type": "ml.c5.2xlarge"}})

    def endpoint_name(template: dict) -> str:
        (endpoint,) = [
            r for k, r in resources(template, "AWS::SageMaker::Endpoint").items() if "Realtime" in k
        ]
        return endpoint["Properties"]["EndpointName"]

    old, new = endpoint_name(before), endpoint_name(after)
    assert old != new  # a new endpoint: no UpdateEndpoint on an autoscaled variant
    assert old.startswith("dev-xgboost-rt-")
    assert new.startswith("dev-xgboost-rt-")
    (target,) = resources(after, "AWS::ApplicationAutoScaling::ScalableTarget").values()
    assert target["Properties"]["ResourceId"] == f"endpoint/{new}/variant/AllTraffic"
    # A model-only change keeps the endpoint (and its scaling registration).
    model_only = _synth(
        tmp_path, "model", {"endpoint": {"model_uri": "s3://models/xgb/v2/model.tar.gz"}}
    )
    assert endpoint_name(model_only) == old


def test_scaling_variants_utilization_and_shadow(tmp_path: Path) -> None:
    template = _synth(
        tmp_path,
        "variants",
        {
            "endpoint": {
                "max_rps_per_instance": 20,
                "safety_factor": 0.5,
                "utilization_target_percent": 70,
                "deployment": {"traffic": "LINEAR", "linear_step_percent": 25},
                "variants": [
                    {
                        "name": "challenger",
                        "model_uri": "s3://models/xgb/b/model.tar.gz",
                        "weight": 0.1,
                    }
                ],
                "shadow": {"name": "shadow", "model_uri": "s3://models/xgb/c/model.tar.gz"},
            }
        },
    )
    policies = {
        p["Properties"]["PolicyName"]: p["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        for p in resources(template, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
    }
    assert policies["invocations-per-instance"]["TargetValue"] == 600  # 20 rps * 60 s * 0.5
    assert policies["cpuutilization"]["TargetValue"] == 70
    (config,) = [
        c["Properties"]
        for k, c in resources(template, "AWS::SageMaker::EndpointConfig").items()
        if "Realtime" in k
    ]
    assert [v["VariantName"] for v in config["ProductionVariants"]] == ["AllTraffic", "challenger"]
    assert [v["VariantName"] for v in config["ShadowProductionVariants"]] == ["shadow"]
    endpoint = next(
        r["Properties"]
        for k, r in resources(template, "AWS::SageMaker::Endpoint").items()
        if "Realtime" in k
    )
    routing = endpoint["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]
    assert routing["LinearStepSize"] == {"Type": "CAPACITY_PERCENT", "Value": 25}


def test_serverless_endpoint_has_no_vpc_or_isolation_and_the_stage_key(
    templates: dict[str, dict],
) -> None:
    template = templates["dev/Kmeans"]
    (serverless_model,) = [
        m for k, m in resources(template, "AWS::SageMaker::Model").items() if "Serverless" in k
    ]
    assert "VpcConfig" not in serverless_model["Properties"]
    assert "EnableNetworkIsolation" not in serverless_model["Properties"]
    (config,) = [
        c["Properties"]
        for k, c in resources(template, "AWS::SageMaker::EndpointConfig").items()
        if "Serverless" in k
    ]
    assert "Fn::GetStackOutput" in config["KmsKeyId"]  # the Foundation stack's key ARN
    assert config["ProductionVariants"][0]["ServerlessConfig"] == {
        "MaxConcurrency": 10,
        "MemorySizeInMB": 2048,
    }
    # seq2seq infers on GPU only: no serverless endpoint.
    seq2seq = resources(templates["dev/Seq2seq"], "AWS::SageMaker::Endpoint").values()
    assert [e["Properties"]["EndpointName"] for e in seq2seq] == ["dev-seq2seq-rt-c33186"]


def test_dashboard_per_real_time_endpoint(templates: dict[str, dict]) -> None:
    with_dashboards = sorted(
        stack
        for stack, template in templates.items()
        for _ in resources(template, "AWS::CloudWatch::Dashboard")
    )
    assert with_dashboards == sorted(DEFAULT_ENDPOINT_INSTANCES)


def test_a_model_server_api_alone_sets_up_api_gateway_logging(tmp_path: Path) -> None:
    # API Gateway's account-wide logging role must exist before any API stage logs.
    assembly = synth_dict(
        {
            "stages": {
                "dev": {
                    "algorithms": {"kmeans": {"serverless": {"enabled": False}}},
                    "model_servers": {
                        "custom-onnx": {
                            "endpoint": {
                                "api": {"enabled": True},
                                "model_uri": "s3://example-models/onnx/model.tar.gz",
                            }
                        }
                    },
                }
            }
        },
        tmp_path,
    )
    assert assembly.violations == []
    templates = assembly.templates()
    assert len(resources(templates["dev/Foundation"], "AWS::ApiGateway::Account")) == 1
    assert resources(templates["dev/CustomOnnx"], "AWS::ApiGateway::RestApi")


def test_optional_api_in_front_of_the_endpoint(tmp_path: Path) -> None:
    assembly = synth_dict(
        {
            "stages": {
                "dev": {
                    "algorithms": {
                        "xgboost": {"endpoint": {"api": {"enabled": True}}},
                        "image-classification": {
                            "endpoint": {"api": {"enabled": True, "throttle_rate_per_second": 5}}
                        },
                    }
                }
            }
        },
        tmp_path,
    )
    assert assembly.violations == []
    assert cfn_lint(assembly.directory) == ""
    templates = assembly.templates()
    assert len(resources(templates["dev/Foundation"], "AWS::ApiGateway::Account")) == 1
    xgboost = Template.from_json(templates["dev/Xgboost"])
    xgboost.has_resource_properties(
        "AWS::ApiGateway::Method",
        {
            "HttpMethod": "POST",
            "AuthorizationType": "AWS_IAM",
            "RequestParameters": {"method.request.header.Content-Type": True},
            "Integration": Match.object_like(
                {"Type": "AWS", "IntegrationHttpMethod": "POST", "Credentials": Match.any_value()}
            ),
        },
    )
    (method,) = resources(templates["dev/Xgboost"], "AWS::ApiGateway::Method").values()
    uri = str(method["Properties"]["Integration"]["Uri"])
    assert "runtime.sagemaker" in uri
    assert "endpoints/dev-xgboost-rt-" in uri
    images = Template.from_json(templates["dev/ImageClassification"])
    images.has_resource_properties(
        "AWS::ApiGateway::RestApi",
        {"BinaryMediaTypes": ["image/png", "image/jpeg", "application/x-image"]},
    )
    images.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "TracingEnabled": True,
            "AccessLogSetting": Match.object_like({"DestinationArn": Match.any_value()}),
            "MethodSettings": [Match.object_like({"ThrottlingRateLimit": 5})],
        },
    )
    invoke_policies = [
        s
        for p in resources(templates["dev/Xgboost"], "AWS::IAM::Policy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Action"] == "sagemaker:InvokeEndpoint"
    ]
    (statement,) = invoke_policies
    assert "endpoint/dev-xgboost-rt-" in str(statement["Resource"])
