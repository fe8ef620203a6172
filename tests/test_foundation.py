"""The stage foundation stack: key, buckets, network, FSx, retention."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk.assertions import Match, Template

from infra.config import parse_config
from infra.plan import build_plan
from stacks.foundation import FoundationStack
from tests.conftest import Assembly, cdk_context, synth_dict
from tests.imported_network import IMPORTED

pytestmark = pytest.mark.synth

# The stage's buckets by logical id (stable across synths).
ACCESS_LOGS_BUCKET = "BucketsAccessLogsA5F88218"
ARTIFACTS_BUCKET = "BucketsArtifactsB9EE6400"
DATA_BUCKET = "BucketsData941F65F0"


@pytest.fixture(scope="module")
def template(default_assembly: Assembly) -> Template:
    return Template.from_json(default_assembly.templates()["dev/Foundation"])


def resources(template: Template, kind: str) -> dict[str, dict]:
    return template.find_resources(kind)


def test_key_rotates_and_only_root_gets_kms_star(template: Template) -> None:
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    ((_, key),) = resources(template, "AWS::KMS::Key").items()
    for statement in key["Properties"]["KeyPolicy"]["Statement"]:
        if statement["Action"] == "kms:*":
            assert statement["Principal"]["AWS"]["Fn::Join"][1][-1] == ":root"
    sids = {s.get("Sid") for s in key["Properties"]["KeyPolicy"]["Statement"]}
    assert {"UseThroughStageServices", "CloudWatchLogsForThisAccount"} <= sids


def test_data_and_artifacts_buckets_use_the_key_with_bucket_keys(template: Template) -> None:
    encrypted = {
        logical_id: b
        for logical_id, b in resources(template, "AWS::S3::Bucket").items()
        if b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
            "ServerSideEncryptionByDefault"
        ]["SSEAlgorithm"]
        == "aws:kms"
    }
    assert sorted(encrypted) == [ARTIFACTS_BUCKET, DATA_BUCKET]
    for bucket in encrypted.values():
        rule = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["BucketKeyEnabled"] is True
        assert "LoggingConfiguration" in bucket["Properties"]


def test_every_bucket_is_private_versioned_and_tls_only(template: Template) -> None:
    buckets = resources(template, "AWS::S3::Bucket")
    assert sorted(buckets) == [ACCESS_LOGS_BUCKET, ARTIFACTS_BUCKET, DATA_BUCKET]
    for bucket in buckets.values():
        properties = bucket["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    policies = resources(template, "AWS::S3::BucketPolicy").values()
    tls_only = [
        p["Properties"]["Bucket"]["Ref"]
        for p in policies
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny"
        and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
    ]
    assert sorted(tls_only) == [ACCESS_LOGS_BUCKET, ARTIFACTS_BUCKET, DATA_BUCKET]


def test_lifecycle_ages_out_capture_and_reports(template: Template) -> None:
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Id": "expire-data-capture",
                                "Prefix": "capture/",
                                "ExpirationInDays": 30,
                            }
                        ),
                        Match.object_like(
                            {
                                "Id": "expire-monitoring-reports",
                                "Prefix": "monitoring/",
                                "ExpirationInDays": 90,
                            }
                        ),
                    ]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_network_is_isolated_with_endpoints_and_flow_logs(template: Template) -> None:
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::EC2::InternetGateway", 0)
    template.resource_count_is("AWS::EC2::Subnet", 2)
    template.resource_count_is("AWS::EC2::FlowLog", 1)
    endpoints = resources(template, "AWS::EC2::VPCEndpoint").values()
    services = sorted(
        e["Properties"]["ServiceName"]
        if isinstance(e["Properties"]["ServiceName"], str)
        else e["Properties"]["ServiceName"]["Fn::Join"][1][-1]
        for e in endpoints
    )
    assert services == [
        ".ecr.api",
        ".ecr.dkr",
        ".events",  # these three for the stream scorer: the default stage streams
        ".kinesis-streams",
        ".kms",
        ".logs",
        ".monitoring",
        ".s3",
        ".sagemaker.api",
        ".sagemaker.runtime",
        ".sqs",
        ".sts",
        ".xray",
    ]


def test_fsx_admits_lustre_only_from_the_training_group(template: Template) -> None:
    ingress = resources(template, "AWS::EC2::SecurityGroupIngress").values()
    lustre = sorted(
        (r["Properties"]["FromPort"], r["Properties"]["ToPort"])
        for r in ingress
        if "Training" in r["Properties"]["SourceSecurityGroupId"]["Fn::GetAtt"][0]
        and "Fsx" in r["Properties"]["GroupId"]["Fn::GetAtt"][0]
    )
    assert lustre == [(988, 988), (1018, 1023)]
    template.has_resource_properties(
        "AWS::FSx::FileSystem",
        {
            "FileSystemType": "LUSTRE",
            "StorageCapacity": 1200,
            "LustreConfiguration": Match.object_like(
                {"DeploymentType": "SCRATCH_2", "AutoImportPolicy": "NEW_CHANGED_DELETED"}
            ),
        },
    )


def _foundation(**stage: object) -> Template:
    text = yaml.safe_dump({"stages": {"prod": {"algorithms": {"kmeans": {}}, **stage}}})
    (plan,) = build_plan(parse_config(text, "t.yaml"), "t.yaml").stages
    app = cdk.App(context=cdk_context())
    return Template.from_stack(FoundationStack(app, "Foundation", plan=plan))


def test_durable_stage_retains_data_and_ephemeral_destroys_it(template: Template) -> None:
    durable = _foundation()
    for kind in ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::FSx::FileSystem"):
        for resource in resources(durable, kind).values():
            assert resource["DeletionPolicy"] == "Retain", kind
    durable.resource_count_is("Custom::S3AutoDeleteObjects", 0)
    # The default config's dev stage is ephemeral.
    for resource in resources(template, "AWS::S3::Bucket").values():
        assert resource["DeletionPolicy"] == "Delete"
    template.resource_count_is("Custom::S3AutoDeleteObjects", 3)


def test_persistent_fsx_links_through_a_data_repository_association() -> None:
    persistent = _foundation(fsx={"deployment_type": "PERSISTENT_2", "storage_capacity_gib": 2400})
    persistent.has_resource_properties(
        "AWS::FSx::FileSystem",
        {
            "LustreConfiguration": Match.object_like(
                {"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 125}
            ),
            "KmsKeyId": Match.any_value(),
        },
    )
    persistent.has_resource_properties(
        "AWS::FSx::DataRepositoryAssociation",
        {"FileSystemPath": "/", "BatchImportMetaDataOnCreate": True},
    )


def test_fsx_can_be_switched_off() -> None:
    _foundation(fsx={"enabled": False}).resource_count_is("AWS::FSx::FileSystem", 0)


def test_imported_vpc_is_used_by_id_with_endpoints_and_flow_logs() -> None:
    imported = _foundation(network=IMPORTED, fsx={"subnet_id": "subnet-0bbbbbbbbbbbbbbbb"})
    imported.resource_count_is("AWS::EC2::VPC", 0)
    imported.resource_count_is("AWS::EC2::Subnet", 0)
    imported.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {
            "VpcId": "vpc-0123456789abcdef0",
            "VpcEndpointType": "Gateway",
            "RouteTableIds": ["rtb-0aaaaaaaaaaaaaaaa", "rtb-0bbbbbbbbbbbbbbbb"],
        },
    )
    imported.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {
            "VpcEndpointType": "Interface",
            "SubnetIds": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
        },
    )
    imported.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {"SecurityGroupIngress": [Match.object_like({"CidrIp": "10.1.0.0/16", "FromPort": 443})]},
    )
    imported.has_resource_properties(
        "AWS::EC2::FlowLog", {"ResourceId": "vpc-0123456789abcdef0", "ResourceType": "VPC"}
    )
    imported.has_resource_properties(
        "AWS::FSx::FileSystem", {"SubnetIds": ["subnet-0bbbbbbbbbbbbbbbb"]}
    )


def test_imported_vpc_can_keep_its_own_endpoints() -> None:
    bare = _foundation(network={**IMPORTED, "endpoints": False, "flow_logs": False})
    bare.resource_count_is("AWS::EC2::VPCEndpoint", 0)
    bare.resource_count_is("AWS::EC2::FlowLog", 0)


def test_imported_vpc_stage_is_clean_under_nag(tmp_path: Path) -> None:
    assembly = synth_dict(
        {
            "stages": {
                "prod": {
                    "account": "123456789012",
                    "region": "eu-west-1",
                    "network": IMPORTED,
                    "fsx": {"deployment_type": "PERSISTENT_2", "storage_capacity_gib": 1200},
                    "algorithms": {"kmeans": {}},
                }
            }
        },
        tmp_path,
    )
    assert assembly.violations == []
    assert list(assembly.templates()) == ["prod/Foundation", "prod/Kmeans"]
