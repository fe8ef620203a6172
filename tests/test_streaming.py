"""The streaming stack: stream, scorer Lambda and its bounded event source, alarms."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from aws_cdk.assertions import Match, Template

from infra.constructs.streaming import POWERTOOLS_LAYER, POWERTOOLS_VERSION
from infra.names import SCORER_FUNCTION_OUTPUT
from tests.conftest import Assembly, cfn_lint, synth_dict

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def streaming(default_assembly: Assembly) -> Template:
    return Template.from_json(default_assembly.templates()["dev/Streaming"])


def test_the_stack_names_its_scorer_for_preflight(streaming: Template) -> None:
    # `preflight` reads the deployed scorer's reservation through this output
    # (infra.preflight_lambda): it must name the scorer, the function that reserves it.
    (function,) = streaming.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Handler": "anomaly_scorer.app.handler"}}
    )
    output = streaming.find_outputs(SCORER_FUNCTION_OUTPUT)[SCORER_FUNCTION_OUTPUT]
    assert output["Value"] == {"Ref": function}


def test_the_layer_is_the_tested_powertools_version() -> None:
    assert version("aws-lambda-powertools") == POWERTOOLS_VERSION


def test_encrypted_on_demand_stream(streaming: Template) -> None:
    streaming.has_resource_properties(
        "AWS::Kinesis::Stream",
        {
            "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
            "RetentionPeriodHours": 24,
            "StreamEncryption": {"EncryptionType": "KMS", "KeyId": Match.any_value()},
        },
    )


def test_scorer_function(streaming: Template) -> None:
    streaming.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "Handler": "anomaly_scorer.app.handler",
            "MemorySize": 512,
            # Unset by default: a new account cannot reserve any (preflight checks it).
            "ReservedConcurrentExecutions": Match.absent(),
            "TracingConfig": {"Mode": "Active"},
            "VpcConfig": Match.object_like({"SubnetIds": Match.any_value()}),
            "KmsKeyArn": Match.any_value(),
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "ENDPOINT_KIND": "realtime",
                        "FEATURE_FORMAT": "json",
                        "FEATURE_FIELDS": "value",
                        "THRESHOLD": "2.5",  # mean 1.0 + 3 x std 0.5
                        "ANOMALY_SINK": "eventbridge",
                        "ENDPOINT_NAME": Match.string_like_regexp("^dev-randomcutforest-rt-"),
                    }
                )
            },
        },
    )
    parameters = streaming.to_json()["Parameters"]
    resolved = [
        p["Default"]
        for p in parameters.values()
        if p["Type"] == "AWS::SSM::Parameter::Value<String>"
        and p["Default"].startswith("/aws/service/powertools/")
    ]
    assert resolved == [POWERTOOLS_LAYER.format(version=POWERTOOLS_VERSION)]


def test_event_source_is_bounded_and_reports_item_failures(streaming: Template) -> None:
    streaming.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "BatchSize": 1000,
            "MaximumBatchingWindowInSeconds": 1,
            "ParallelizationFactor": 1,
            "StartingPosition": "LATEST",
            "BisectBatchOnFunctionError": True,
            "MaximumRetryAttempts": 3,
            "MaximumRecordAgeInSeconds": 3600,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "DestinationConfig": {"OnFailure": {"Destination": Match.any_value()}},
        },
    )
    streaming.has_resource_properties("AWS::SQS::Queue", {"KmsMasterKeyId": Match.any_value()})


def test_scorer_may_invoke_only_the_rcf_endpoint(streaming: Template) -> None:
    policies = streaming.find_resources("AWS::IAM::Policy")
    statements = [
        s for p in policies.values() for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    (invoke,) = [s for s in statements if s["Action"] == "sagemaker:InvokeEndpoint"]
    assert "endpoint/dev-randomcutforest-rt-" in str(invoke["Resource"])


def test_alarms_go_to_the_stage_topic(streaming: Template) -> None:
    alarms = streaming.find_resources("AWS::CloudWatch::Alarm")
    metrics = sorted(a["Properties"]["MetricName"] for a in alarms.values())
    assert metrics == [
        "ApproximateNumberOfMessagesVisible",
        "Errors",
        "Invocation5XXErrors",
        "IteratorAge",
        "Throttles",
    ]
    assert all(a["Properties"]["AlarmActions"] for a in alarms.values())


def test_foundation_adds_the_endpoints_the_scorer_calls(default_assembly: Assembly) -> None:
    foundation = default_assembly.templates()["dev/Foundation"]
    services = {
        str(r["Properties"]["ServiceName"])
        for r in foundation["Resources"].values()
        if r["Type"] == "AWS::EC2::VPCEndpoint"
    }
    for service in (".sqs", ".events", ".xray", ".sagemaker.runtime", ".kinesis-streams"):
        assert any(service in s for s in services), service


def test_anomalies_to_a_second_stream(tmp_path: Path) -> None:
    assembly = synth_dict(
        {
            "stages": {
                "dev": {
                    "streaming": {
                        "anomalies": "kinesis",
                        "stream": {"mode": "provisioned", "shards": 4, "retention_hours": 48},
                        "features": {"format": "csv", "columns": [1, 3]},
                        "threshold": {"fixed": 3.2},
                        "scorer": {"batch_size": 200, "parallelization_factor": 4},
                    },
                    "algorithms": {
                        "randomcutforest": {"training": {"hyperparameters": {"feature_dim": 2}}}
                    },
                }
            }
        },
        tmp_path,
    )
    assert assembly.violations == []
    assert cfn_lint(assembly.directory) == ""
    template = Template.from_json(assembly.templates()["dev/Streaming"])
    template.resource_count_is("AWS::Kinesis::Stream", 2)
    template.resource_count_is("AWS::Events::EventBus", 0)
    template.has_resource_properties(
        "AWS::Kinesis::Stream", {"ShardCount": 4, "RetentionPeriodHours": 48}
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like(
                    {"FEATURE_COLUMNS": "1,3", "THRESHOLD": "3.2", "ANOMALY_SINK": "kinesis"}
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping", {"BatchSize": 200, "ParallelizationFactor": 4}
    )
