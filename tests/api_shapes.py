"""Validate request dicts against SageMaker's own API model (botocore's service-2.json)."""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.validate import ParamValidator

_MODEL = botocore.session.get_session().get_service_model("sagemaker")

# Pipeline step type -> (API operation, the name member the pipeline fills in per run).
STEP_OPERATIONS = {
    "Training": ("CreateTrainingJob", {"TrainingJobName": "pipelines-run"}),
    "Tuning": ("CreateHyperParameterTuningJob", {"HyperParameterTuningJobName": "run"}),
    "RegisterModel": ("CreateModelPackage", {}),
    "Processing": ("CreateProcessingJob", {"ProcessingJobName": "pipelines-run"}),
    "Transform": ("CreateTransformJob", {"TransformJobName": "pipelines-run"}),
}


# CloudFormation resource type -> (API operation, the name member CloudFormation fills
# in). Their properties are the API's request members, spelled the same (Tags included).
RESOURCE_OPERATIONS = {
    "AWS::SageMaker::Model": ("CreateModel", {"ModelName": "model"}),
    "AWS::SageMaker::EndpointConfig": ("CreateEndpointConfig", {"EndpointConfigName": "config"}),
}


def validation_errors(operation: str, request: dict[str, Any]) -> str:
    """botocore's report for `request` as `operation`'s input; empty when valid."""
    shape = _MODEL.operation_model(operation).input_shape
    report = ParamValidator().validate(request, shape)
    return report.generate_report() if report.has_errors() else ""


def step_errors(step_type: str, arguments: dict[str, Any]) -> str:
    operation, name = STEP_OPERATIONS[step_type]
    return validation_errors(operation, {**arguments, **name})


def resource_errors(resource_type: str, properties: dict[str, Any]) -> str:
    """botocore's report for a resource's (resolved) properties as its create request."""
    operation, name = RESOURCE_OPERATIONS[resource_type]
    return validation_errors(operation, {**properties, **name})
