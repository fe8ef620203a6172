"""CreateModelPackage: the trained model into the algorithm's group, pending approval."""

from __future__ import annotations

from infra.catalog.model import HostingSpec
from infra.pipelines.common import JobResources, Json, PipelineParameters
from infra.plan.model import AlgorithmPlan, EndpointPlan

MODEL_APPROVAL_STATUS = "PendingManualApproval"


def model_package(
    plan: AlgorithmPlan, res: JobResources, params: PipelineParameters, model_data: Json | str
) -> Json:
    """CreateModelPackage into the algorithm's group, pending manual approval."""
    hosting = plan.algorithm.hosting
    assert isinstance(hosting, HostingSpec)
    assert res.model_package_group
    assert res.inference_image
    instance_types = {hosting.default_instance_type}
    if isinstance(plan.endpoint, EndpointPlan):
        instance_types.add(plan.endpoint.instance_type)
    container: Json = {"Image": res.inference_image, "ModelDataUrl": model_data}
    if hosting.environment:
        container["Environment"] = dict(hosting.environment)
    return {
        "ModelPackageGroupName": res.model_package_group,
        "ModelPackageDescription": f"{plan.algorithm.title}, trained by this stage's pipeline",
        "ModelApprovalStatus": params.string("ModelApprovalStatus", MODEL_APPROVAL_STATUS),
        "InferenceSpecification": {
            "Containers": [container],
            "SupportedContentTypes": list(hosting.request_content_types),
            "SupportedResponseMIMETypes": list(hosting.accept_types),
            "SupportedRealtimeInferenceInstanceTypes": sorted(instance_types),
        },
    }
