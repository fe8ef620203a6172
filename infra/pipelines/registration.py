"""CreateModelPackage: the trained model into the algorithm's group, pending approval."""

from __future__ import annotations

from infra.pipelines.common import JobResources, Json, PipelineParameters
from infra.plan.registration import RegistrationPlan

MODEL_APPROVAL_STATUS = "PendingManualApproval"


def model_package(
    registration: RegistrationPlan,
    res: JobResources,
    params: PipelineParameters,
    model_data: Json | str,
) -> Json:
    """CreateModelPackage into the algorithm's group, pending manual approval."""
    assert res.registry is not None
    container: Json = {"Image": res.registry.inference_image, "ModelDataUrl": model_data}
    if registration.environment:
        container["Environment"] = dict(registration.environment)
    specification: Json = {
        "Containers": [container],
        "SupportedContentTypes": list(registration.content_types),
        "SupportedResponseMIMETypes": list(registration.response_types),
        "SupportedRealtimeInferenceInstanceTypes": list(registration.instance_types),
    }
    if registration.transform_instance_types:
        specification["SupportedTransformInstanceTypes"] = list(
            registration.transform_instance_types
        )
    return {
        "ModelPackageGroupName": res.registry.group,
        "ModelPackageDescription": registration.description,
        "ModelApprovalStatus": params.string("ModelApprovalStatus", MODEL_APPROVAL_STATUS),
        "InferenceSpecification": specification,
    }
