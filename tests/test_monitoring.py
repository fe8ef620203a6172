"""Model Monitor (engine model-monitor): data capture, job definitions, schedules,
notifications. The default engine, drift checks, is in tests/test_drift.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from aws_cdk.assertions import Match, Template

from infra.catalog import CATALOG
from infra.catalog.model import HostingSpec
from tests.conftest import DEFAULT, cfn_lint, in_operation, synth_config, synth_dict

pytestmark = pytest.mark.synth

# Tabular inference data (README, "Model Monitor"): the others are not monitored.
MONITORED = {
    "ipinsights",
    "kmeans",
    "knn",
    "lda",
    "linear-learner",
    "ntm",
    "pca",
    "randomcutforest",
    "xgboost",
}


def resources(template: dict, kind: str) -> list[dict]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == kind]


def with_engine(config: str, engine: str) -> str:
    """Set `monitoring.engine` on every algorithm of `config` (a copy), in place."""
    data = yaml.safe_load(Path(config).read_text())
    for stage in data["stages"].values():
        for algorithm in stage["algorithms"].values():
            algorithm.setdefault("monitoring", {})["engine"] = engine
    Path(config).write_text(yaml.safe_dump(data, sort_keys=False))
    return config


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The default config in operation, every algorithm on engine model-monitor."""
    from tests.recorded_models import approved_everywhere

    config = with_engine(in_operation(DEFAULT, tmp_path_factory.mktemp("mm")), "model-monitor")
    assembly = synth_config(
        config, tmp_path_factory.mktemp("mm-out"), records=approved_everywhere(config)
    )
    assert assembly.violations == []
    return assembly.templates()


def stack(name: str) -> str:
    return f"dev/{''.join(p.capitalize() for p in name.split('-'))}"


def test_capture_only_on_monitored_endpoints(templates: dict[str, dict]) -> None:
    for name, algorithm in CATALOG.items():
        if not isinstance(algorithm.hosting, HostingSpec):
            continue
        configs = resources(templates[stack(name)], "AWS::SageMaker::EndpointConfig")
        captured = [c for c in configs if "DataCaptureConfig" in c]
        assert len(captured) == (1 if name in MONITORED else 0), name


def test_capture_is_tabular_encrypted_and_under_the_convention(templates: dict[str, dict]) -> None:
    template = Template.from_json(templates["dev/Kmeans"])
    template.has_resource_properties(
        "AWS::SageMaker::EndpointConfig",
        {
            "DataCaptureConfig": {
                "EnableCapture": True,
                "InitialSamplingPercentage": 20,
                "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
                "CaptureContentTypeHeader": {
                    "CsvContentTypes": ["text/csv"],
                    "JsonContentTypes": ["application/json"],
                },
                "KmsKeyId": Match.any_value(),
                "DestinationS3Uri": {"Fn::Join": ["", Match.array_with(["/capture/kmeans"])]},
            }
        },
    )


def test_data_quality_for_every_monitored_algorithm(templates: dict[str, dict]) -> None:
    for name in MONITORED:
        (definition,) = resources(
            templates[stack(name)], "AWS::SageMaker::DataQualityJobDefinition"
        )
        assert definition["NetworkConfig"]["EnableNetworkIsolation"] is True
        assert set(definition["NetworkConfig"]["VpcConfig"]) == {"SecurityGroupIds", "Subnets"}
        assert "VolumeKmsKeyId" in definition["JobResources"]["ClusterConfig"]
        assert "KmsKeyId" in definition["DataQualityJobOutputConfig"]
        baseline = str(definition["DataQualityBaselineConfig"])
        assert f"/baselines/{name}/constraints.json" in baseline
        assert f"/baselines/{name}/statistics.json" in baseline
        image = str(definition["DataQualityAppSpecification"]["ImageUri"])
        assert "Fn::FindInMap" in image
        assert "sagemaker-model-monitor-analyzer" in image


def test_model_quality_for_supervised_algorithms(templates: dict[str, dict]) -> None:
    problem_types = {
        name: [
            d["ModelQualityAppSpecification"]["ProblemType"]
            for d in resources(templates[stack(name)], "AWS::SageMaker::ModelQualityJobDefinition")
        ]
        for name in MONITORED
    }
    assert {n: t for n, t in problem_types.items() if t} == {
        "linear-learner": ["BinaryClassification"],
        "xgboost": ["Regression"],
        "knn": ["MulticlassClassification"],
    }
    (definition,) = resources(
        templates["dev/LinearLearner"], "AWS::SageMaker::ModelQualityJobDefinition"
    )
    endpoint_input = definition["ModelQualityJobInput"]["EndpointInput"]
    assert (endpoint_input["InferenceAttribute"], endpoint_input["ProbabilityAttribute"]) == (
        "predicted_label",
        "score",
    )
    assert "/monitoring/linear-learner/ground-truth/" in str(
        definition["ModelQualityJobInput"]["GroundTruthS3Input"]
    )


def test_schedules_of_ready_baselines(templates: dict[str, dict]) -> None:
    schedules = [
        s
        for name in MONITORED
        for s in resources(templates[stack(name)], "AWS::SageMaker::MonitoringSchedule")
    ]
    # Data quality for all nine, model quality for linear-learner, xgboost and knn.
    assert len(schedules) == 12
    assert {
        s["MonitoringScheduleConfig"]["ScheduleConfig"]["ScheduleExpression"] for s in schedules
    } == {"cron(0 0 ? * * *)"}


def test_stage_notifications(templates: dict[str, dict]) -> None:
    foundation = Template.from_json(templates["dev/Foundation"])
    foundation.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    rules = resources(templates["dev/Foundation"], "AWS::Events::Rule")
    patterns = [r["EventPattern"] for r in rules]
    assert all(p["detail-type"] == ["SageMaker Processing Job State Change"] for p in patterns)
    conditions = [
        {k: v for k, v in p["detail"].items() if k != "MonitoringScheduleArn"} for p in patterns
    ]
    assert conditions == [
        {"ProcessingJobStatus": ["Failed"]},
        {"ExitMessage": [{"prefix": "CompletedWithViolations"}]},
    ]
    prefix = str(patterns[0]["detail"]["MonitoringScheduleArn"])
    assert ":monitoring-schedule/dev-" in prefix
    alarms = resources(templates["dev/Foundation"], "AWS::CloudWatch::Alarm")
    assert {a["MetricName"] for a in alarms} == {"TriggeredRules"}
    assert all(a["AlarmActions"] for a in alarms)


def test_ready_baseline_hourly_schedule_and_quality_alarm(tmp_path: Path) -> None:
    assembly = synth_dict(
        {
            "stages": {
                "dev": {
                    "algorithms": {
                        "linear-learner": {
                            "monitoring": {
                                "engine": "model-monitor",
                                "schedule": "hourly",
                                "baseline_ready": True,
                                "sampling_percent": 50,
                                "model_quality": {"alarm_metric": "f1", "alarm_threshold": 0.8},
                            }
                        }
                    }
                }
            }
        },
        tmp_path,
    )
    assert assembly.violations == []
    assert cfn_lint(assembly.directory) == ""
    template = assembly.templates()["dev/LinearLearner"]
    schedules = resources(template, "AWS::SageMaker::MonitoringSchedule")
    # CloudFormation's handler sends no MonitoringScheduleStatus: none is written.
    assert [s.get("MonitoringScheduleStatus") for s in schedules] == [None, None]
    assert {
        s["MonitoringScheduleConfig"]["ScheduleConfig"]["ScheduleExpression"] for s in schedules
    } == {"cron(0 * ? * * *)"}
    (alarm,) = [
        a for a in resources(template, "AWS::CloudWatch::Alarm") if a.get("MetricName") == "f1"
    ]
    assert alarm["Namespace"] == "aws/sagemaker/Endpoints/model-metrics"
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 0.8
    assert alarm["AlarmActions"]


def test_no_job_definition_or_schedule_before_the_baseline(tmp_path: Path) -> None:
    assembly = synth_dict(
        {
            "stages": {
                "dev": {
                    "algorithms": {"linear-learner": {"monitoring": {"engine": "model-monitor"}}}
                }
            }
        },
        tmp_path,
    )
    template = Template.from_json(assembly.templates()["dev/LinearLearner"])
    template.resource_count_is("AWS::SageMaker::Endpoint", 2)  # real-time and serverless
    for kind in (
        "AWS::SageMaker::MonitoringSchedule",
        "AWS::SageMaker::DataQualityJobDefinition",
        "AWS::SageMaker::ModelQualityJobDefinition",
    ):
        template.resource_count_is(kind, 0)
    # The endpoint captures from its first request; the pipeline computes the baseline.
    config = resources(assembly.templates()["dev/LinearLearner"], "AWS::SageMaker::EndpointConfig")
    assert [
        c["DataCaptureConfig"]["EnableCapture"] for c in config if "DataCaptureConfig" in c
    ] == [True]
