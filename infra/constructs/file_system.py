"""FSx for Lustre for training data, linked to the data bucket's training prefix."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_fsx as fsx
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.plan.data_plane import FsxPlan
from infra.prefixes import Purpose, prefix

# Lustre clients reach the file system on TCP 988 and 1018-1023 (facts §13).
LUSTRE_PORTS = (ec2.Port.tcp(988), ec2.Port.tcp_range(1018, 1023))
# The file system's root mirrors s3://<data bucket>/training/ (infra.prefixes.fsx_directory).
FILE_SYSTEM_PATH = "/"


class TrainingFileSystem(Construct):
    """A Lustre file system in one subnet, importing the data bucket's training data.

    Only the data bucket's `training/` prefix is linked, at the file system's root:
    SCRATCH_2 with import/export paths, PERSISTENT_2 with a data repository association
    that auto-imports new, changed and deleted objects. Either way a channel's data is
    at `infra.prefixes.fsx_directory`.
    FSx is single-AZ: training jobs that read it must run in `subnet`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        plan: FsxPlan,
        vpc: ec2.IVpc,
        subnet: ec2.ISubnet,
        clients: ec2.ISecurityGroup,
        data_bucket: s3.IBucket,
        key: kms.IKey,
        removal_policy: cdk.RemovalPolicy,
    ) -> None:
        super().__init__(scope, construct_id)
        self.subnet = subnet
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description="FSx for Lustre: Lustre traffic from training jobs only",
            allow_all_outbound=False,
        )
        for port in LUSTRE_PORTS:
            self.security_group.add_ingress_rule(clients, port, "Lustre from training jobs")
            self.security_group.add_ingress_rule(self.security_group, port, "Lustre servers")
            self.security_group.add_egress_rule(self.security_group, port, "Lustre servers")
            clients.add_egress_rule(self.security_group, port, "Lustre to FSx")

        training_uri = data_bucket.s3_url_for_object(prefix(Purpose.TRAINING))
        persistent = plan.deployment_type == "PERSISTENT_2"
        configuration = fsx.LustreConfiguration(
            deployment_type=fsx.LustreDeploymentType[plan.deployment_type],
            data_compression_type=fsx.LustreDataCompressionType.LZ4,
            per_unit_storage_throughput=plan.per_unit_storage_throughput,
            import_path=None if persistent else training_uri,
            export_path=None if persistent else training_uri,
            auto_import_policy=None
            if persistent
            else fsx.LustreAutoImportPolicy.NEW_CHANGED_DELETED,
        )
        self.file_system = fsx.LustreFileSystem(
            self,
            "FileSystem",
            vpc=vpc,
            vpc_subnet=subnet,
            storage_capacity_gib=plan.storage_capacity_gib,
            lustre_configuration=configuration,
            security_group=self.security_group,
            # Scratch file systems are always encrypted with an FSx-managed key.
            kms_key=key if persistent else None,
            removal_policy=removal_policy,
        )
        if persistent:
            fsx.CfnDataRepositoryAssociation(
                self,
                "TrainingData",
                file_system_id=self.file_system.file_system_id,
                file_system_path=FILE_SYSTEM_PATH,
                data_repository_path=training_uri,
                batch_import_meta_data_on_create=True,
                s3=fsx.CfnDataRepositoryAssociation.S3Property(
                    auto_import_policy=fsx.CfnDataRepositoryAssociation.AutoImportPolicyProperty(
                        events=["NEW", "CHANGED", "DELETED"]
                    ),
                    auto_export_policy=fsx.CfnDataRepositoryAssociation.AutoExportPolicyProperty(
                        events=["NEW", "CHANGED", "DELETED"]
                    ),
                ),
            )

    @property
    def mount_name(self) -> str:
        return self.file_system.mount_name

    @property
    def file_system_id(self) -> str:
        return self.file_system.file_system_id

    @property
    def arn(self) -> str:
        return cdk.Stack.of(self).format_arn(
            service="fsx", resource="file-system", resource_name=self.file_system_id
        )
