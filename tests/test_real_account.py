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
