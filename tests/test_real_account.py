"""What CloudFormation and SageMaker would reject or break on a real account, caught
at synth: permissions services use on our behalf, catalog facts a job would trip on."""

from __future__ import annotations

import pytest

from tests.conftest import Assembly

pytestmark = pytest.mark.synth

FSX_S3_ROLE = (
    "role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_*"
)


def key_statements(template: dict) -> dict[str, dict]:
    (key,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::KMS::Key"]
    return {s.get("Sid", ""): s for s in key["Properties"]["KeyPolicy"]["Statement"]}


def test_fsx_may_decrypt_the_sse_kms_data_bucket_it_links(default_assembly: Assembly):
    statements = key_statements(default_assembly.templates()["dev/Foundation"])
    fsx = statements["FsxLinksTheDataBucket"]
    assert fsx["Principal"] == {"AWS": "*"}
    assert set(fsx["Action"]) >= {"kms:Decrypt", "kms:GenerateDataKey*", "kms:Encrypt"}
    condition = fsx["Condition"]
    assert condition["ArnLike"]["aws:PrincipalArn"]["Fn::Join"][1][-1].endswith(FSX_S3_ROLE)
    assert set(condition["StringEquals"]) == {"kms:CallerAccount", "kms:ViaService"}


def test_without_fsx_the_key_admits_no_file_system_role(tmp_path):
    from tests.conftest import synth_dict

    config = {"stages": {"dev": {"fsx": {"enabled": False}, "algorithms": {"kmeans": None}}}}
    assembly = synth_dict(config, tmp_path)
    assert "FsxLinksTheDataBucket" not in key_statements(assembly.templates()["dev/Foundation"])


def test_deploy_policies_cover_what_each_template_makes_cloudformation_read(
    three_stage_assembly: Assembly, tmp_path, capsys
):
    import json

    from infra.assembly import stack_artifacts
    from infra.cli import main
    from infra.deploy_policy import Need, covers, template_needs
    from tests.conftest import THREE_STAGES

    policies = tmp_path / "policies"
    args = ["bootstrap", THREE_STAGES, "--assembly", str(three_stage_assembly.directory)]
    assert main([*args, "--policies-dir", str(policies)]) == 0
    capsys.readouterr()
    checked = 0
    for stack in stack_artifacts(three_stage_assembly.directory):
        if stack.name == "Pipeline" or stack.name.startswith("cross-region-stack"):
            continue  # deployed by hand / by CodePipeline with the tooling account's roles
        documents = [json.loads(p.read_text()) for p in policies.glob(f"{stack.account}-*.json")]
        for need in template_needs(stack):
            assert covers(documents, need), (stack.name, need)
            checked += 1
    assert checked
    dev = "111111111111"
    streaming = next(
        s for s in stack_artifacts(three_stage_assembly.directory) if s.name == "dev/Streaming"
    )
    needs = template_needs(streaming)
    assert (
        Need(
            "ssm:GetParameters",
            "arn:aws:ssm:eu-west-1::parameter/aws/service/powertools/python/arm64/python3.14/3.37.0",
        )
        in needs
    )
    assert (
        Need(
            "ssm:GetParameters",
            f"arn:aws:ssm:eu-west-1:{dev}:parameter/cdk-bootstrap/hnb659fds/version",
        )
        in needs
    )
    assert (
        Need(
            "cloudformation:DescribeStacks",
            f"arn:aws:cloudformation:eu-west-1:{dev}:stack/dev-Foundation/*",
        )
        in needs
    )
    # Without the derived statements the same needs are not covered: the check can fail.
    documents = [json.loads(p.read_text()) for p in policies.glob(f"{dev}-*.json")]
    for document in documents:
        document["Statement"] = [
            s
            for s in document["Statement"]
            if s["Sid"] not in {"TemplateParameters", "StackOutputs"}
        ]
    assert not any(covers(documents, need) for need in needs)


def test_fsx_links_only_the_training_prefix_where_jobs_look(default_assembly: Assembly):
    import json

    template = default_assembly.templates()["dev/Foundation"]
    (fs,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::FSx::FileSystem"]
    lustre = fs["Properties"]["LustreConfiguration"]
    for path in ("ImportPath", "ExportPath"):
        assert json.dumps(lustre[path]).endswith('/training/"]]}'), lustre[path]
    # Jobs read /<mount>/<algorithm>/<channel>: the linked prefix's keys, at the root.
    pipeline = default_assembly.templates()["dev/SemanticSegmentation"]
    assert "/semantic-segmentation/train" in json.dumps(pipeline)
    assert "/training/semantic-segmentation/train" not in json.dumps(pipeline)


ROLE_OF = {
    "AWS::SageMaker::Model": "ExecutionRoleArn",
    "AWS::SageMaker::Pipeline": "RoleArn",
    "AWS::SageMaker::DataQualityJobDefinition": "RoleArn",
    "AWS::SageMaker::ModelQualityJobDefinition": "RoleArn",
}


def _role_id(resource: dict) -> str | None:
    arn = resource["Properties"].get(ROLE_OF[resource["Type"]])
    return arn["Fn::GetAtt"][0] if isinstance(arn, dict) and "Fn::GetAtt" in arn else None


def test_sagemaker_resources_wait_for_every_policy_of_their_role(default_assembly: Assembly):
    checked = 0
    for stack, template in default_assembly.templates().items():
        resources = template["Resources"]
        policies: dict[str, set[str]] = {}
        for logical_id, r in resources.items():
            if r["Type"] == "AWS::IAM::Policy":
                for role in r["Properties"]["Roles"]:
                    policies.setdefault(role.get("Ref", ""), set()).add(logical_id)
        for logical_id, r in resources.items():
            if r["Type"] not in ROLE_OF:
                continue
            role = _role_id(r)
            assert role is not None, (stack, logical_id)
            depends = r.get("DependsOn", [])
            depends = {depends} if isinstance(depends, str) else set(depends)
            missing = policies.get(role, set()) - depends
            assert not missing, (stack, logical_id, missing)
            checked += 1
    assert checked > 50


def log_groups_of(template: dict, role_fragment: str) -> set[str]:
    import json

    groups = set()
    for logical_id, r in template["Resources"].items():
        if r["Type"] != "AWS::IAM::Policy" or role_fragment not in logical_id:
            continue
        for statement in r["Properties"]["PolicyDocument"]["Statement"]:
            if statement.get("Sid") == "ContainerLogs":
                text = json.dumps(statement["Resource"])
                groups |= {part.split(":*")[0] for part in text.split("log-group:")[1:]}
    return groups


def test_containers_may_write_exactly_the_log_groups_sagemaker_writes_them_to(
    default_assembly: Assembly,
):
    template = default_assembly.templates()["dev/Xgboost"]
    endpoints = sorted(
        r["Properties"]["EndpointName"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::SageMaker::Endpoint"
    )
    assert endpoints == ["dev-xgboost-rt-c01521", "dev-xgboost-serverless"]
    # The real-time endpoint's group over any digest: a new instance type (a new name)
    # keeps the grant as it is.
    assert log_groups_of(template, "HostingModelRole") == {
        "/aws/sagemaker/Endpoints/dev-xgboost-rt-*",
        "/aws/sagemaker/Endpoints/dev-xgboost-serverless",
    }
    # The job role trains, tunes and runs the pipeline's Baseline step (processing).
    assert log_groups_of(template, "PipelinesJobRole") == {
        "/aws/sagemaker/TrainingJobs",
        "/aws/sagemaker/ProcessingJobs",
    }
    # The drift checks' job role (Model Monitor's MonitoringRole with engine model-monitor).
    assert log_groups_of(template, "DriftChecksJobRole") == {"/aws/sagemaker/ProcessingJobs"}
    # No baseline, no processing logs: Object2Vec is not monitored.
    assert log_groups_of(default_assembly.templates()["dev/Object2vec"], "PipelinesJobRole") == {
        "/aws/sagemaker/TrainingJobs"
    }


def test_a_durable_stage_keeps_its_model_registry(
    three_stage_assembly: Assembly, default_assembly: Assembly
):
    def group_policies(assembly: Assembly, stack: str) -> set[tuple[str, str]]:
        return {
            (r.get("DeletionPolicy"), r.get("UpdateReplacePolicy"))
            for r in assembly.templates()[stack]["Resources"].values()
            if r["Type"] == "AWS::SageMaker::ModelPackageGroup"
        }

    # The example's dev is durable: staging and prod serve what it registered.
    assert group_policies(three_stage_assembly, "dev/Xgboost") == {("Retain", "Retain")}
    # The default config's dev is ephemeral.
    assert group_policies(default_assembly, "dev/Xgboost") == {("Delete", "Delete")}
