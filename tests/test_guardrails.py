"""The SageMaker rule pack: each rule passes on the synthesized default app and fails
on a minimal edit of it, and the pack reports through the CDK like cdk-nag does.

The failing cases change one property of a real template (the way an escape
hatch or a careless edit would), so a rule cannot pass by never matching.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sagemaker as sagemaker

import infra.guardrails.rules as rules_package
from infra.guardrails.pack import SageMakerChecks
from infra.guardrails.rule import Rule
from infra.guardrails.rules import (
    RULES,
    async_outputs,
    async_scale_to_zero,
    data_capture,
    deployment_guardrails,
    endpoint_encryption,
    input_mode,
    instance_types,
    processing_isolation,
    schedule_encryption,
    serverless_limits,
    spot_checkpointing,
    training_isolation,
    transform_encryption,
    transform_isolation,
    tuning_early_stopping,
)
from infra.guardrails.template import Template, text
from infra.nag import acknowledge, synth_and_validate
from tests.conftest import Assembly

Json = dict[str, Any]
Edit = Callable[[Json], None]


@pytest.fixture(scope="module")
def templates(default_assembly: Assembly, three_stage_assembly: Assembly) -> dict[str, Json]:
    """The default app's templates, and the three-stage example's (asynchronous endpoints
    and inference pipelines) under `three-stages:`."""
    three_stages = {f"three-stages:{k}": v for k, v in three_stage_assembly.templates().items()}
    return {**default_assembly.templates(), **three_stages}


def findings(rule: Rule, body: Json) -> list[str]:
    return [f"{f.resource.logical_id}: {f.message}" for f in rule.findings(Template.parse(body))]


def properties(body: Json, prefix: str) -> Json:
    """The properties of the one resource whose logical id starts with `prefix`."""
    (match,) = [r for lid, r in body["Resources"].items() if lid.startswith(prefix)]
    return match["Properties"]


def of_type(body: Json, kind: str) -> Json:
    """The properties of the one resource of this type."""
    (match,) = [r for r in body["Resources"].values() if r["Type"] == kind]
    return match["Properties"]


def edit_pipeline(body: Json, prefix: str, edit: Callable[[Json], None]) -> None:
    """Apply `edit` to a pipeline's parsed definition and write it back as plain JSON."""
    definition_property = properties(body, prefix)["PipelineDefinition"]
    definition = json.loads(text(definition_property["PipelineDefinitionBody"]))
    edit(definition)
    definition_property["PipelineDefinitionBody"] = json.dumps(definition)


def step(definition: Json, name: str) -> Json:
    return next(s for s in definition["Steps"] if s["Name"] == name)["Arguments"]


def parameter(definition: Json, name: str, value: object) -> None:
    next(p for p in definition["Parameters"] if p["Name"] == name)["DefaultValue"] = value


def training(edit: Callable[[Json], None]) -> Edit:
    return lambda body: edit_pipeline(
        body, "PipelinesTrainingPipeline", lambda d: edit(step(d, "Train"))
    )


def tuning(edit: Callable[[Json], None]) -> Edit:
    return lambda body: edit_pipeline(
        body,
        "PipelinesTuningPipeline",
        lambda d: edit(step(d, "Tune")["HyperParameterTuningJobConfig"]),
    )


def realtime_config(edit: Callable[[Json], None]) -> Edit:
    return lambda body: edit(properties(body, "HostingRealtimeConfig"))


def async_config(edit: Callable[[Json], None]) -> Edit:
    return lambda body: edit(properties(body, "HostingAsyncConfig"))


def without(prefix: str) -> Edit:
    """Remove the one resource whose logical id starts with `prefix`."""

    def edit(body: Json) -> None:
        (logical_id,) = [lid for lid in body["Resources"] if lid.startswith(prefix)]
        del body["Resources"][logical_id]

    return edit


def serverless_config(edit: Callable[[Json], None]) -> Edit:
    return lambda body: edit(properties(body, "HostingServerlessConfig"))


def first_variant(edit: Callable[[Json], None]) -> Callable[[Json], None]:
    return lambda config: edit(config["ProductionVariants"][0])


def spot_without_checkpoints(job: Json) -> None:
    job["EnableManagedSpotTraining"] = True
    job["StoppingCondition"] = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200}


def input_mode_pipe(job: Json) -> None:
    job["AlgorithmSpecification"]["TrainingInputMode"] = "Pipe"
    for channel in job["InputDataConfig"]:
        channel["InputMode"] = "Pipe"


FAILING = {
    "encryption: no key on an EBS-backed instance": (
        endpoint_encryption,
        "dev/Xgboost",
        realtime_config(lambda c: c.pop("KmsKeyId")),
        "no KmsKeyId: the storage volume of ml.m5.xlarge",
    ),
    "encryption: a key on an NVMe instance": (
        endpoint_encryption,
        "dev/Xgboost",
        realtime_config(first_variant(lambda v: v.update(InstanceType="ml.g5.xlarge"))),
        "ml.g5.xlarge has local NVMe storage",
    ),
    "capture: none on a monitorable endpoint": (
        data_capture,
        "dev/Xgboost",
        realtime_config(lambda c: c.pop("DataCaptureConfig")),
        "xgboost can be monitored but the endpoint captures no data",
    ),
    "capture: input only, unencrypted": (
        data_capture,
        "dev/LinearLearner",
        realtime_config(
            lambda c: (
                c["DataCaptureConfig"].update(CaptureOptions=[{"CaptureMode": "Input"}]),
                c["DataCaptureConfig"].pop("KmsKeyId"),
            )
        ),
        "capture misses Output",
    ),
    "guardrails: no rollback alarms": (
        deployment_guardrails,
        "dev/Xgboost",
        lambda body: properties(body, "HostingRealtimeEndpoint")["DeploymentConfig"].pop(
            "AutoRollbackConfiguration"
        ),
        "no rollback alarms",
    ),
    "guardrails: no deployment config": (
        deployment_guardrails,
        "dev/Kmeans",
        lambda body: properties(body, "HostingRealtimeEndpoint").pop("DeploymentConfig"),
        "no blue/green or rolling update policy",
    ),
    "isolation: network isolation off": (
        training_isolation,
        "dev/Xgboost",
        training(lambda job: job.update(EnableNetworkIsolation=False)),
        "network isolation is off",
    ),
    "isolation: on for a container that needs S3 from inside": (
        training_isolation,
        "dev/ReinforcementLearning",
        training(lambda job: job.update(EnableNetworkIsolation=True)),
        "network isolation is on, which reinforcement-learning cannot train with",
    ),
    "isolation: outside the VPC": (
        training_isolation,
        "dev/Pca",
        training(lambda job: job.pop("VpcConfig")),
        "training runs outside the VPC",
    ),
    "isolation: distributable without encryption": (
        training_isolation,
        "dev/Xgboost",
        training(lambda job: job.update(EnableInterContainerTrafficEncryption=False)),
        "may run on several instances without inter-container encryption",
    ),
    "spot: checkpointing algorithm without CheckpointConfig": (
        spot_checkpointing,
        "dev/Xgboost",
        training(lambda job: job.pop("CheckpointConfig")),
        "xgboost can checkpoint but spot training has no CheckpointConfig",
    ),
    "spot: a long wait without checkpoints": (
        spot_checkpointing,
        "dev/Kmeans",
        training(spot_without_checkpoints),
        "kmeans does not checkpoint, so its spot wait must be at most 3600 s, not 7200",
    ),
    "tuning: Bayesian without early stopping": (
        tuning_early_stopping,
        "dev/Xgboost",
        tuning(lambda config: config.update(TrainingJobEarlyStoppingType="Off")),
        "a Bayesian search without early stopping",
    ),
    "tuning: early stopping for an objective reported once": (
        tuning_early_stopping,
        "dev/Kmeans",
        tuning(lambda config: config.update(TrainingJobEarlyStoppingType="Auto")),
        "kmeans does not emit test:msd per epoch, so its trials cannot stop early",
    ),
    "tuning: Grid with early stopping": (
        tuning_early_stopping,
        "dev/Kmeans",
        tuning(lambda config: config.update(Strategy="Grid", TrainingJobEarlyStoppingType="Auto")),
        "the Grid strategy does not take early stopping",
    ),
    "encryption: serverless config without the stage key": (
        endpoint_encryption,
        "dev/Xgboost",
        serverless_config(lambda c: c.pop("KmsKeyId")),
        "no KmsKeyId on a serverless endpoint config",
    ),
    "serverless: memory size": (
        serverless_limits,
        "dev/Xgboost",
        serverless_config(
            first_variant(lambda v: v["ServerlessConfig"].update(MemorySizeInMB=1000))
        ),
        "MemorySizeInMB 1000 is not one of 1024, 2048",
    ),
    "serverless: data capture": (
        serverless_limits,
        "dev/Xgboost",
        serverless_config(lambda c: c.update(DataCaptureConfig={"EnableCapture": True})),
        "serverless endpoints cannot capture data",
    ),
    "serverless: model in a VPC": (
        serverless_limits,
        "dev/Xgboost",
        lambda body: properties(body, "HostingServerlessModel").update(
            VpcConfig={"Subnets": ["s"], "SecurityGroupIds": ["g"]}
        ),
        "serverless models cannot run in a VPC",
    ),
    "instance type: GPU-only training on a CPU": (
        instance_types,
        "dev/ObjectDetection",
        lambda body: edit_pipeline(
            body,
            "PipelinesTrainingPipeline",
            lambda d: parameter(d, "TrainingInstanceType", "ml.m5.xlarge"),
        ),
        "ml.m5.xlarge: object-detection trains on GPU only",
    ),
    "instance type: CPU-only hosting on a GPU": (
        instance_types,
        "dev/ForecastingDeepar",
        realtime_config(first_variant(lambda v: v.update(InstanceType="ml.g4dn.xlarge"))),
        "ml.g4dn.xlarge: forecasting-deepar hosts on CPU only",
    ),
    "processing: drift check without network isolation": (
        processing_isolation,
        "dev/Kmeans",
        lambda body: edit_pipeline(
            body,
            "DriftChecksPipeline",
            lambda d: step(d, "Check")["NetworkConfig"].update(EnableNetworkIsolation=False),
        ),
        "pipeline step 'Check': network isolation is off",
    ),
    "processing: baseline without a volume key": (
        processing_isolation,
        "dev/Kmeans",
        lambda body: edit_pipeline(
            body,
            "PipelinesTrainingPipeline",
            lambda d: step(d, "Baseline")["ProcessingResources"]["ClusterConfig"].pop(
                "VolumeKmsKeyId"
            ),
        ),
        "the volume of ml.m5.xlarge has no KMS key",
    ),
    "schedule: drift schedule without the stage key": (
        schedule_encryption,
        "dev/Kmeans",
        lambda body: of_type(body, "AWS::Scheduler::Schedule").pop("KmsKeyArn"),
        "a pipeline schedule without KmsKeyArn",
    ),
    "async: results not encrypted with our key": (
        async_outputs,
        "three-stages:dev/ImageClassification",
        async_config(lambda c: c["AsyncInferenceConfig"]["OutputConfig"].pop("KmsKeyId")),
        "asynchronous results are not encrypted with our key",
    ),
    "async: scales to zero with no way back out": (
        async_scale_to_zero,
        "three-stages:dev/ImageClassification",
        without("HostingAsyncBacklogWithoutCapacity"),
        "scales to zero but no step policy on HasBacklogWithoutCapacity scales it back out",
    ),
    "input mode: CSV in Pipe mode for IP Insights": (
        input_mode,
        "dev/Ipinsights",
        training(input_mode_pipe),
        "reads text/csv in Pipe mode; ipinsights takes it in File",
    ),
}


@pytest.mark.synth
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_each_rule_passes_on_the_default_app(rule: Rule, templates: dict[str, Json]):
    for name, body in templates.items():
        assert findings(rule, body) == [], name


@pytest.mark.synth
@pytest.mark.parametrize("case", FAILING, ids=str)
def test_each_rule_fails_on_a_minimal_edit(case: str, templates: dict[str, Json]):
    module, stack, edit, expected = FAILING[case]
    body = copy.deepcopy(templates[stack])
    edit(body)
    found = findings(module.RULE, body)
    assert any(expected in line for line in found), found


# The default app has no batch transform (opt-in): these rules fail on minimal edits of
# the three-stage example instead (tests/test_transform.py).
FAILING_ELSEWHERE = {transform_encryption.RULE.id, transform_isolation.RULE.id}


def test_every_rule_has_a_failing_case():
    failing = {module.RULE.id for module, *_ in FAILING.values()} | FAILING_ELSEWHERE
    assert failing == {rule.id for rule in RULES}


def test_one_rule_per_module_and_the_pack_composes_them_all():
    modules = [
        importlib.import_module(f"{rules_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(rules_package.__path__)
    ]
    assert sorted(m.RULE.id for m in modules) == sorted(r.id for r in RULES)
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.id.startswith("SageMaker-") for r in RULES)


@pytest.mark.synth
def test_non_distributable_training_needs_no_inter_container_encryption(
    templates: dict[str, Json],
):
    # k-means trains on one instance only, so a run cannot make it distributed.
    body = copy.deepcopy(templates["dev/Kmeans"])
    edit = training(lambda job: job.update(EnableInterContainerTrafficEncryption=False))
    edit(body)
    assert findings(training_isolation.RULE, body) == []


@pytest.mark.synth
def test_nvme_endpoints_of_the_default_app_carry_no_key(templates: dict[str, Json]):
    config = properties(templates["dev/Seq2seq"], "HostingRealtimeConfig")
    assert config["ProductionVariants"][0]["InstanceType"].startswith("ml.g")
    assert "KmsKeyId" not in config


def test_text_writes_intrinsics_as_placeholders():
    assert text({"Fn::Sub": "arn:${AWS::Partition}:s3:::b"}) == "arn:${AWS::Partition}:s3:::b"
    assert text({"Fn::Join": ["", ["a-", {"Ref": "X"}, "-", {"Fn::GetAtt": ["Y", "Arn"]}]]}) == (
        "a-${X}-${Y.Arn}"
    )
    assert '"' not in text({"Fn::FindInMap": ["M", "k", "v"]})


def custom_server_template(instance_type: str) -> Json:
    return {
        "Resources": {
            "Model": {
                "Type": "AWS::SageMaker::Model",
                "Properties": {
                    "PrimaryContainer": {
                        "Image": {"Fn::Sub": "asset-image"},
                        "Environment": {"MODEL_BACKEND": "onnx"},
                    }
                },
            },
            "Config": {
                "Type": "AWS::SageMaker::EndpointConfig",
                "Properties": {
                    "KmsKeyId": "key",
                    "ProductionVariants": [
                        {
                            "InstanceType": instance_type,
                            "ModelName": {"Fn::GetAtt": ["Model", "ModelName"]},
                            "VariantName": "AllTraffic",
                        }
                    ],
                },
            },
        }
    }


def test_custom_servers_are_recognised_by_their_backend():
    # CUDA 12 does not run on p2 (K80): the catalog leaves that family out.
    assert findings(instance_types.RULE, custom_server_template("ml.g4dn.xlarge")) == []
    (line,) = findings(instance_types.RULE, custom_server_template("ml.p2.xlarge"))
    assert "custom-onnx hosts on GPU families it documents only" in line


# The pack as a CDK validation plugin: findings map to constructs and honour
# acknowledgments, like cdk-nag's.


def unencrypted_endpoint_app(outdir: Path, acknowledged: bool) -> list[str]:
    app = cdk.App(outdir=str(outdir))
    stage = cdk.Stage(app, "dev")
    cdk.Validations.of(stage).add_plugins(SageMakerChecks())
    stack = cdk.Stack(stage, "Hosting")
    config = sagemaker.CfnEndpointConfig(
        stack,
        "Config",
        production_variants=[
            sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name="AllTraffic",
                model_name="model",
                instance_type="ml.m5.large",
                initial_instance_count=1,
            )
        ],
    )
    if acknowledged:
        acknowledge(
            config,
            "SageMaker::SageMaker-EndpointEncryption",
            "a test of the acknowledgment path, never deployed",
        )
    return synth_and_validate(app)


def test_the_pack_fails_the_synth_on_a_finding(tmp_path: Path):
    (line,) = unencrypted_endpoint_app(tmp_path, acknowledged=False)
    assert line.startswith("dev/Hosting/Config: SageMaker-EndpointEncryption — no KmsKeyId")


def test_an_acknowledged_finding_does_not_fail_the_synth(tmp_path: Path):
    assert unencrypted_endpoint_app(tmp_path, acknowledged=True) == []
    report = json.loads((tmp_path / "validation-report.json").read_text())
    (suppressed,) = [
        v for plugin in report["pluginReports"] for v in plugin.get("suppressedViolations", [])
    ]
    assert suppressed["acknowledgedId"] == "SageMaker::SageMaker-EndpointEncryption"
