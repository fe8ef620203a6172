"""`python -m infra.review`: the pull-request report, from pairs of real synths.

The baseline of most pairs is the default app in operation (the session's
`default_assembly`); each change is one config edit synthesized once per module.
Each test asserts the verdict block, the part a reviewer reads first, exactly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from infra.review.__main__ import main
from infra.review.markdown import render
from infra.review.report import Review, review
from tests.conftest import DEFAULT, Assembly, in_operation, synth_dict

pytestmark = pytest.mark.synth


def _default(directory: Path) -> dict:
    return yaml.safe_load(Path(in_operation(DEFAULT, directory)).read_text())


def _synth(config: dict, directory: Path) -> Assembly:
    assembly = synth_dict(config, directory)
    assert assembly.violations == []
    return assembly


def verdict(markdown: str) -> str:
    """The verdict block: from its heading to the first blank line after it."""
    start = markdown.index("## Verdict\n\n") + len("## Verdict\n\n")
    return markdown[start : markdown.index("\n\n", start)]


def floor_rows(markdown: str) -> list[str]:
    """The rows of the idle cost floor section (none when no floor changed)."""
    if "## Idle cost floor\n" not in markdown:
        return []
    section = markdown[markdown.index("## Idle cost floor\n") :]
    section = section[: section.index("\n\n## ")]
    return [line for line in section.splitlines() if line.startswith("| dev ")]


@pytest.fixture(scope="module")
def resized(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    directory = tmp_path_factory.mktemp("resized")
    config = _default(directory)
    config["stages"]["dev"]["algorithms"]["xgboost"] = {
        "endpoint": {"instance_type": "ml.m5.2xlarge", "max_instances": 4},
        "monitoring": {"baseline_ready": True},
    }
    return _synth(config, directory)


@pytest.fixture(scope="module")
def persistent_fsx(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    directory = tmp_path_factory.mktemp("fsx")
    config = _default(directory)
    config["stages"]["dev"]["fsx"] = {"deployment_type": "PERSISTENT_2"}
    return _synth(config, directory)


@pytest.fixture(scope="module")
def widened(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    directory = tmp_path_factory.mktemp("widened")
    config = _default(directory)
    config["stages"]["dev"]["algorithms"]["image-classification"] = {
        "training": {"incremental_from": "s3://shared-models/ic/model.tar.gz"},
        "monitoring": {"baseline_ready": True},
    }
    return _synth(config, directory)


def _small(stages: dict[str, bool]) -> dict:
    """Stages with one algorithm each, no FSx; ephemeral or not as given."""
    return {
        "stages": {
            name: {"ephemeral": ephemeral, "fsx": {"enabled": False}, "algorithms": {"kmeans": {}}}
            for name, ephemeral in stages.items()
        }
    }


@pytest.fixture(scope="module")
def three_stages(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return _synth(
        _small({"dev": True, "scratch": True, "qa": False}), tmp_path_factory.mktemp("three")
    )


@pytest.fixture(scope="module")
def dev_only(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return _synth(_small({"dev": True}), tmp_path_factory.mktemp("dev-only"))


@pytest.fixture(scope="module")
def resized_review(resized: Assembly, default_assembly: Assembly) -> Review:
    return review(resized.directory, default_assembly.directory)


def test_an_instance_type_change_replaces_the_endpoint_which_holds_no_data(
    resized_review: Review,
):
    markdown = render(resized_review)
    assert verdict(markdown) == (
        "- Resources holding data replaced, destroyed or orphaned: none\n"
        "- Other resources replaced, destroyed or orphaned: 6\n"
        "  - `dev/Xgboost` replaced: AWS::ApplicationAutoScaling::ScalableTarget, "
        "AWS::ApplicationAutoScaling::ScalingPolicy, AWS::CloudWatch::Alarm (2), "
        "AWS::SageMaker::Endpoint, AWS::SageMaker::EndpointConfig\n"
        "- Permissions broadened: no\n"
        "- Public or cross-account exposure added: none"
    )
    assert resized_review.categories() == {"replace"}
    assert [s.name for s in resized_review.stacks] == ["dev/Xgboost"]
    # The endpoint keeps its logical id: capacity and model before and after, on one row.
    (row,) = [line for line in markdown.splitlines() if line.startswith("| `dev-xgboost-rt-")]
    assert row.endswith(
        " | AllTraffic | ml.m5.xlarge x 1, autoscaling 1-2 | ml.m5.2xlarge x 1, autoscaling 1-4"
        " | `dev-xgboost-models v1` | `dev-xgboost-models v1` |"
    )
    assert "` → `dev-xgboost-rt-" in row  # renamed: a new endpoint, then the old one goes
    assert "| replaced | `HostingRealtimeEndpoint" in markdown
    # The idle cost floor before and after: one ml.m5.xlarge becomes an ml.m5.2xlarge.
    unknown = "unknown (no sourced price for ml.c5.xlarge, ml.g4dn.xlarge"
    eu_unknown = "unknown (no sourced price for ml.c5.xlarge"
    assert floor_rows(markdown) == [
        f"| dev | us-east-1 | $1,679.00/month + {unknown}) | $1,847.63/month + {unknown}) |",
        # eu-west-1 has no ml.m5.2xlarge figure: the resized endpoint becomes unknown there.
        f"| dev | eu-west-1 | $3,074.76/month + {eu_unknown}) "
        f"| $2,887.15/month + {eu_unknown}, ml.m5.2xlarge) |",
    ]
    # Everything else collapses.
    assert "<summary>Unchanged stacks (19)</summary>" in markdown
    assert "<summary>Unchanged acknowledged rule findings (" in markdown


def test_an_fsx_deployment_type_change_replaces_a_file_system_first(
    persistent_fsx: Assembly, default_assembly: Assembly, tmp_path: Path
):
    result = review(persistent_fsx.directory, default_assembly.directory)
    assert verdict(render(result)) == (
        "- **Resources holding data replaced, destroyed or orphaned: 1**\n"
        "  - `dev/Foundation`: `FsxFileSystemBE73FC7C` AWS::FSx::FileSystem **replaced** "
        "(KmsKeyId) — UpdateReplacePolicy Delete: the old one is deleted with its data\n"
        "- Other resources replaced, destroyed or orphaned: none\n"
        "- Permissions broadened: no\n"
        "- Public or cross-account exposure added: none"
    )
    assert result.categories() == {"replace", "replace-stateful"}
    args = [str(persistent_fsx.directory), "--baseline", str(default_assembly.directory)]
    out = tmp_path / "review.md"
    assert main([*args, "--output", str(out), "--fail-on", "broadening,replace-stateful"]) == 1
    assert out.read_text().startswith("# Infrastructure review")  # written all the same
    assert main([*args, "--output", str(out), "--fail-on", "broadening,exposure"]) == 0


def test_a_widened_statement_is_broadening(widened: Assembly, default_assembly: Assembly):
    result = review(widened.directory, default_assembly.directory)
    block = verdict(render(result))
    assert block == (
        "- Resources holding data replaced, destroyed or orphaned: none\n"
        "- Other resources replaced, destroyed or orphaned: none\n"
        "- **Permissions broadened** (the CDK diff engine's judgement):\n"
        "  - `dev/ImageClassification`:\n"
        "    - + Allow `s3:GetObject` on `arn:${AWS::Partition}:s3:::shared-models/ic/model.tar.gz`"
        " for `AWS:${PipelinesJobRole2CB4C71A}`\n"
        "- Public or cross-account exposure added: none"
    )
    assert result.categories() == {"broadening"}


def _add(template_path: Path, resources: dict) -> None:
    template = json.loads(template_path.read_text())
    template["Resources"].update(resources)
    template_path.write_text(json.dumps(template))


def _named(follow: bool) -> dict:
    """dev and qa in two accounts; with `follow`, qa serves dev's registry (models_from)."""
    stage = {"region": "eu-west-1", "fsx": {"enabled": False}, "algorithms": {"kmeans": {}}}
    qa = {**stage, "account": "222222222222", **({"models_from": "dev"} if follow else {})}
    return {"stages": {"dev": {**stage, "account": "111111111111"}, "qa": qa}}


@pytest.fixture(scope="module")
def qa_trains(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return _synth(_named(follow=False), tmp_path_factory.mktemp("qa-trains"))


@pytest.fixture(scope="module")
def qa_follows_dev(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    return _synth(_named(follow=True), tmp_path_factory.mktemp("qa-follows"))


def test_serving_another_accounts_registry_is_cross_account_exposure(
    qa_follows_dev: Assembly, qa_trains: Assembly
):
    # A real config change: qa in another account now serves dev's approved packages,
    # so dev shares its registry, artifacts and key with qa's account.
    result = review(qa_follows_dev.directory, qa_trains.directory)
    dev_group = "arn:aws:sagemaker:eu-west-1:111111111111:model-package-group/dev-kmeans-models"
    dev_packages = "arn:aws:sagemaker:eu-west-1:111111111111:model-package/dev-kmeans-models/*"
    qa_root = "`AWS:arn:aws:iam::222222222222:root`"
    assert verdict(render(result)) == "\n".join(
        [
            "- Resources holding data replaced, destroyed or orphaned: none",
            "- Other resources replaced, destroyed or orphaned: 4",
            "  - `qa/Kmeans` replaced: AWS::SageMaker::EndpointConfig (2), "
            "AWS::SageMaker::Model (2)",
            "- **Permissions broadened** (the CDK diff engine's judgement):",
            "  - `dev/Foundation`:",
            f"    - + Allow `kms:Decrypt` on `${{Key9BCD29C7.Arn}}` for {qa_root} when "
            '`"StringEquals": {, "kms:ViaService": "s3.eu-west-1.${AWS::URLSuffix}", }`',
            "    - + Allow `s3:GetObject` on `${BucketsArtifactsB9EE6400.Arn}/models/kmeans/*` "
            f"for {qa_root}",
            "  - `dev/Kmeans`:",
            f"    - + Allow `sagemaker:DescribeModelPackageGroup` on `{dev_group}` for {qa_root}",
            "    - + Allow `sagemaker:CreateModel, sagemaker:DescribeModelPackage, "
            f"sagemaker:ListModelPackages` on `{dev_packages}` for {qa_root}",
            "  - `qa/Kmeans`:",
            "    - + Allow `kms:Decrypt` on `arn:aws:kms:eu-west-1:111111111111:key/*` for "
            '`AWS:${HostingModelRoleCA12A55E}` when `"StringEquals": {, "kms:ViaService": [, '
            '"s3.eu-west-1.${AWS::URLSuffix}", ], }`',
            "    - + Allow `s3:GetObject` on `arn:aws:s3:::dev-artifacts-111111111111/models/"
            "kmeans/pipelines-run1/output/model.tar.gz` for `AWS:${HostingModelRoleCA12A55E}`",
            "- **Public or cross-account exposure added: 4**",
            "  - `dev/Foundation`: cross-account: Allow kms:Decrypt on ${Key9BCD29C7.Arn} to "
            "account 222222222222",
            "  - `dev/Foundation`: cross-account: Allow s3:GetObject on "
            "${BucketsArtifactsB9EE6400.Arn}/models/kmeans/* to account 222222222222",
            "  - `dev/Kmeans`: cross-account: Allow sagemaker:DescribeModelPackageGroup on "
            f"{dev_group} to account 222222222222",
            "  - `dev/Kmeans`: cross-account: Allow sagemaker:CreateModel, "
            "sagemaker:DescribeModelPackage, sagemaker:ListModelPackages on "
            f"{dev_packages} to account 222222222222",
        ]
    )
    assert result.categories() == {"broadening", "exposure", "replace"}


def _add(template_path: Path, resources: dict) -> None:
    template = json.loads(template_path.read_text())
    template["Resources"].update(resources)
    template_path.write_text(json.dumps(template))


def test_ingress_from_anywhere_is_exposure(default_assembly: Assembly, tmp_path: Path):
    # No config opens ingress from 0.0.0.0/0: the only CIDR a config gives (a brought
    # VPC's `network.cidr`, for the endpoints' HTTPS rule) must be a VPC's own block,
    # /16 to /28 (tests/config_errors/test_cost.py). So this change edits a copy of the
    # synthesized template, as a code change would: one ingress rule.
    changed = tmp_path / "changed"
    shutil.copytree(default_assembly.directory, changed)
    (foundation,) = changed.glob("assembly-dev/devFoundation*.template.json")
    group = {"Fn::GetAtt": ["NetworkEndpointSecurityGroup6DEF6240", "GroupId"]}
    _add(
        foundation,
        {
            "OpenIngress": {
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {
                    "GroupId": group,
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "CidrIp": "0.0.0.0/0",
                },
            },
        },
    )
    result = review(changed, default_assembly.directory)
    assert verdict(render(result)) == (
        "- Resources holding data replaced, destroyed or orphaned: none\n"
        "- Other resources replaced, destroyed or orphaned: none\n"
        "- **Permissions broadened** (the CDK diff engine's judgement):\n"
        "  - `dev/Foundation`:\n"
        "    - + ingress TCP 443 from `Everyone (IPv4)` on "
        "`${NetworkEndpointSecurityGroup6DEF6240.GroupId}`\n"
        "- **Public or cross-account exposure added: 1**\n"
        "  - `dev/Foundation`: public: ingress TCP 443 from 0.0.0.0/0 to "
        "${NetworkEndpointSecurityGroup6DEF6240.GroupId}"
    )
    assert result.categories() == {"broadening", "exposure"}


def test_removed_buckets_are_destroyed_when_ephemeral_and_kept_when_not(
    dev_only: Assembly, three_stages: Assembly
):
    # No config removes a bucket from a stack it keeps; removing a stage removes its
    # buckets. A deploy leaves the stacks; deleting them does what the verdict says.
    result = review(dev_only.directory, three_stages.directory)
    removed = "(stack removed from the app; when it is deleted)"
    kept = (
        "**orphaned** — DeletionPolicy Retain: kept with its data, no longer managed by the stack"
    )
    lost = "**destroyed** — DeletionPolicy Delete: deleted with its data"
    foundation = [
        "`BucketsAccessLogsA5F88218` AWS::S3::Bucket",
        "`BucketsArtifactsB9EE6400` AWS::S3::Bucket",
        "`BucketsData941F65F0` AWS::S3::Bucket",
        "`Key9BCD29C7` AWS::KMS::Key",
        "`NetworkFlowLogs2BEC3212` AWS::Logs::LogGroup",
    ]
    queue = "`NotificationsUndeliveredNotifications18151CA5` AWS::SQS::Queue"
    group = "`PipelinesModelPackageGroupC13851AD` AWS::SageMaker::ModelPackageGroup"
    assert verdict(render(result)) == "\n".join(
        [
            "- **Resources holding data replaced, destroyed or orphaned: 14**",
            # Not ephemeral: buckets, key, logs, undelivered notifications and the
            # registry's model history are kept.
            *(f"  - `qa/Foundation` {removed}: {r} {kept}" for r in [*foundation, queue]),
            f"  - `qa/Kmeans` {removed}: {group} {kept}",
            # Ephemeral: everything goes.
            *(f"  - `scratch/Foundation` {removed}: {r} {lost}" for r in [*foundation, queue]),
            f"  - `scratch/Kmeans` {removed}: {group} {lost}",
            "- Other resources replaced, destroyed or orphaned: 125",
            *(
                f"  - `{stack}` removed from the app (a deploy leaves it; deleting it): "
                f"destroyed {count}"
                for stack, count in (
                    ("qa/Foundation", 41),
                    ("qa/Kmeans", 19),
                    ("scratch/Foundation", 46),
                    ("scratch/Kmeans", 19),
                )
            ),
            "- Permissions broadened: no",
            "- Public or cross-account exposure added: none",
        ]
    )
    assert result.categories() == {"replace", "replace-stateful"}


def test_a_stack_moved_in_the_construct_tree_compares_with_itself(
    default_assembly: Assembly, tmp_path: Path
):
    # The baseline names the stack differently but deploys it as the same
    # CloudFormation stack in the same environment: same stack, no change.
    baseline = tmp_path / "baseline"
    shutil.copytree(default_assembly.directory, baseline)
    manifest_path = baseline / "assembly-dev" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    (kmeans,) = [a for a in manifest["artifacts"].values() if a.get("displayName") == "dev/Kmeans"]
    kmeans["displayName"] = "old-tree/Kmeans"
    manifest_path.write_text(json.dumps(manifest))
    result = review(default_assembly.directory, baseline)
    assert result.stacks == []
    assert "dev/Kmeans" in result.unchanged
    assert verdict(render(result)) == NOTHING


NOTHING = (
    "- Resources holding data replaced, destroyed or orphaned: none\n"
    "- Other resources replaced, destroyed or orphaned: none\n"
    "- Permissions broadened: no\n"
    "- Public or cross-account exposure added: none"
)


def test_no_change_is_a_report_of_a_few_lines(default_assembly: Assembly):
    result = review(default_assembly.directory, default_assembly.directory)
    markdown = render(result)
    assert verdict(markdown) == NOTHING
    assert floor_rows(markdown) == []
    assert result.categories() == set()
    assert markdown.splitlines()[-1].startswith("No change: 20 stacks, ")
    assert len(markdown.splitlines()) == 12


def test_cli_refuses_a_missing_assembly_and_an_unknown_category(
    default_assembly: Assembly, tmp_path: Path, capsys: pytest.CaptureFixture
):
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "not a cloud assembly" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main([str(default_assembly.directory), "--fail-on", "broadening,everything"])
    assert exit_.value.code == 2
    assert "unknown categories everything" in capsys.readouterr().err
