"""Custom model servers in the catalog, the plan and the synthesized stacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from aws_cdk.assertions import Template

from infra.catalog.model import Processor
from infra.catalog.servers import DOCKERFILES, MODEL_SERVERS
from infra.config.load import parse_config
from infra.errors import ConfigError
from infra.plan.endpoint import EndpointPlan
from infra.plan.serverless import ServerlessPlan
from tests.cfn_values import ACCOUNT, REGION, resolve
from tests.conftest import Assembly, cfn_lint, synth_config
from tests.recorded_models import approved_everywhere, plan_approved

EXAMPLE = "config/examples/custom-servers.yaml"
CONTAINERS = Path(__file__).resolve().parent.parent / "containers"
ARN = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn/3"


def plan(servers: dict, algorithms: dict | None = None):
    stage = {"algorithms": algorithms or {"xgboost": {}}, "model_servers": servers}
    text = yaml.safe_dump({"stages": {"dev": stage}})
    return plan_approved(parse_config(text, "test.yaml"), "test.yaml").stages[0]


def plan_error(servers: dict) -> str:
    with pytest.raises(ConfigError) as error:
        plan(servers)
    return str(error.value)


def test_both_backends_are_catalogued_on_cpu_and_gpu():
    assert set(MODEL_SERVERS) == {"custom-xgboost", "custom-onnx"}
    for server in MODEL_SERVERS.values():
        assert server.hosting.processors == frozenset(Processor)
        assert dict(server.hosting.environment)["MODEL_BACKEND"] == server.backend
    assert {p: (Path("containers") / f).exists() for p, f in DOCKERFILES.items()} == {
        Processor.CPU: True,
        Processor.GPU: True,
    }


def test_a_server_gets_both_endpoints_by_default_like_an_algorithm_but_no_model_monitor():
    (server,) = plan(
        {"custom-onnx": {"endpoint": {"model_uri": "s3://models/onnx.tar.gz"}}}
    ).model_servers
    assert isinstance(server.endpoint, EndpointPlan)
    assert server.serverless.source.model_uri == "s3://models/onnx.tar.gz"  # the endpoint's
    assert server.endpoint.processor is Processor.CPU
    assert isinstance(server.serverless, ServerlessPlan)
    assert "trained elsewhere" in server.server.hosting.monitoring.reason


def test_a_server_serves_the_approved_artifact_of_the_algorithm_it_serves_or_waits():
    (xgboost,) = plan({"custom-xgboost": {}}).model_servers
    source = xgboost.endpoint.main.source
    assert (source.model_package_arn, source.registry.group, source.version) == (
        None,
        "dev-xgboost-models",
        1,
    )
    assert source.model_uri.endswith("/models/xgboost/pipelines-run1/output/model.tar.gz")
    (onnx,) = plan({"custom-onnx": {}}).model_servers
    reason = "waiting for endpoint.model_uri: no pipeline here trains custom-onnx's models"
    assert (onnx.endpoint.reason, onnx.serverless.reason) == (reason, reason)
    (untrained,) = plan({"custom-xgboost": {}}, algorithms={"kmeans": {}}).model_servers
    assert untrained.endpoint.reason == (
        "waiting for endpoint.model_uri: no pipeline here trains xgboost's models"
    )


def test_gpu_variant_and_serverless_on_the_cpu_image():
    (server,) = plan(
        {
            "custom-xgboost": {
                "endpoint": {"instance_type": "ml.g5.2xlarge"},
                "serverless": {"enabled": True},
            }
        }
    ).model_servers
    assert server.endpoint.processor is Processor.GPU
    assert isinstance(server.serverless, ServerlessPlan)


@pytest.mark.parametrize(
    ("servers", "message"),
    [
        (
            {"custom-torch": {}},
            "stages.dev.model_servers.custom-torch — unknown model server "
            "(allowed: custom-xgboost, custom-onnx)",
        ),
        (
            {"custom-onnx": {"endpoint": {"instance_type": "ml.p2.xlarge"}}},
            "stages.dev.model_servers.custom-onnx.endpoint.instance_type: ml.p2.xlarge — "
            "custom-onnx hosts on GPU families it documents only (allowed: ml.g4dn.*, "
            "ml.g5.*, ml.g6.*, ml.g6e.*, ml.p3.*, ml.p4d.*, ml.p5.*)",
        ),
        (
            {"custom-onnx": {"endpoint": {"enabled": False}, "serverless": {"enabled": False}}},
            "custom-onnx serves nothing: enable its endpoint or serverless",
        ),
        (
            {
                "custom-xgboost": {
                    "endpoint": {
                        "model_uri": "s3://models-bucket/m/model.tar.gz",
                        "model_package_arn": ARN,
                    }
                }
            },
            f"stages.dev.model_servers.custom-xgboost.endpoint.model_package_arn: {ARN} — "
            "give model_uri or model_package_arn, not both",
        ),
    ],
)
def test_bad_server_configs_are_refused_at_plan_time(servers: dict, message: str):
    assert message in plan_error(servers)


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return synth_config(
        EXAMPLE, tmp_path_factory.mktemp("cdk.out"), records=approved_everywhere(EXAMPLE)
    )


def stack_files(assembly: Assembly, stack: str, suffix: str) -> dict:
    (path,) = assembly.directory.glob(f"assembly-dev/dev{stack}*.{suffix}.json")
    return json.loads(path.read_text())


def test_images_are_linux_amd64_assets_of_the_two_dockerfiles(assembly: Assembly):
    images = stack_files(assembly, "CustomXgboost", "assets")["dockerImages"]
    sources = sorted((i["source"]["dockerFile"], i["source"]["platform"]) for i in images.values())
    assert sources == [("Dockerfile.cpu", "linux/amd64"), ("Dockerfile.gpu", "linux/amd64")]
    for image in images.values():
        staged = assembly.directory / Path(image["source"]["directory"]).name
        files = {str(f.relative_to(staged)) for f in staged.rglob("*") if f.is_file()}
        # Only the server and its locks (.dockerignore): no caches to move the hash.
        server = {f"model_server/{f.name}" for f in CONTAINERS.glob("model_server/*.py")}
        locks = {"requirements-cpu.txt", "requirements-gpu.txt"}
        assert files == {image["source"]["dockerFile"], ".dockerignore", "serve", *locks, *server}


def test_models_run_the_asset_images_with_their_backend(assembly: Assembly):
    template = Template.from_json(assembly.templates()["dev/CustomXgboost"])
    models = template.find_resources("AWS::SageMaker::Model")
    images = stack_files(assembly, "CustomXgboost", "assets")["dockerImages"]
    tags = {i["source"]["dockerFile"]: tag for tag, i in images.items()}
    by_name = {name.removeprefix("Hosting"): m["Properties"] for name, m in models.items()}
    main = next(p for n, p in by_name.items() if n.startswith("RealtimeModelAllTraffic"))
    gpu = next(p for n, p in by_name.items() if n.startswith("RealtimeModelGpu"))
    serverless = next(p for n, p in by_name.items() if n.startswith("ServerlessModel"))
    assert tags["Dockerfile.cpu"] in json.dumps(main["PrimaryContainer"]["Image"])
    assert tags["Dockerfile.gpu"] in json.dumps(gpu["PrimaryContainer"]["Image"])
    assert tags["Dockerfile.cpu"] in json.dumps(serverless["PrimaryContainer"]["Image"])
    # By default it serves what the built-in XGBoost pipeline trained and was approved.
    assert main["PrimaryContainer"]["ModelDataUrl"] == (
        "s3://dev-artifacts-123456789012/models/xgboost/pipelines-run1/output/model.tar.gz"
    )
    assert main["PrimaryContainer"]["Environment"] == {"MODEL_BACKEND": "xgboost"}
    assert main["EnableNetworkIsolation"] is True


def test_the_model_role_pulls_only_the_asset_repository(assembly: Assembly):
    template = Template.from_json(assembly.templates()["dev/CustomOnnx"])
    statements = {
        statement.get("Sid"): statement
        for policy in template.find_resources("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    }
    pull = statements["PullImages"]
    assert sorted(pull["Action"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]
    assert resolve(pull["Resource"], {}) == (
        f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/"
        f"cdk-hnb659fds-container-assets-{ACCOUNT}-{REGION}"
    )
    token = statements["EcrToken"]
    assert (token["Action"], token["Resource"]) == ("ecr:GetAuthorizationToken", "*")


def test_servers_reuse_the_hosting_construct(assembly: Assembly):
    template = Template.from_json(assembly.templates()["dev/CustomXgboost"])
    template.resource_count_is("AWS::SageMaker::Endpoint", 2)  # real-time and serverless
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 1)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    config = template.find_resources("AWS::SageMaker::Endpoint")
    blue_green = [e for e in config.values() if "DeploymentConfig" in e["Properties"]]
    assert len(blue_green) == 1
    assert "AutoRollbackConfiguration" in blue_green[0]["Properties"]["DeploymentConfig"]


def test_nag_and_cfn_lint_are_clean(assembly: Assembly):
    assert assembly.violations == []
    assert cfn_lint(assembly.directory) == ""


def test_synth_is_byte_identical(assembly: Assembly, tmp_path: Path):
    again = synth_config(EXAMPLE, tmp_path / "again", records=approved_everywhere(EXAMPLE))
    assert again.templates() == assembly.templates()
    first = stack_files(assembly, "CustomXgboost", "assets")["dockerImages"]
    second = stack_files(again, "CustomXgboost", "assets")["dockerImages"]
    assert set(first) == set(second)


def test_summary_lists_servers_after_the_algorithms():
    from infra.plan.summary import stage_rows

    rows = stage_rows(plan({"custom-xgboost": {"serverless": {"enabled": False}}}))
    assert rows[-1][:5] == (
        "custom-xgboost",
        "trained elsewhere (xgboost artifacts)",
        "—",
        "ml.c5.xlarge 1\u20132, canary, serves dev-xgboost-models v1",
        "off (config)",
    )
