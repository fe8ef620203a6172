"""Evaluate a pipeline definition's expressions, to inspect the requests it will send.

`Get Parameters.X` becomes the parameter's default; `Get Steps.…` a placeholder of
the step property's kind; `Std:Join` joins. What remains is the API request SageMaker
receives on a run with default parameters (tests validate it with botocore).
"""

from __future__ import annotations

from typing import Any

from infra.pipelines.common import Json

STEP_PROPERTY_PLACEHOLDER = "pipelines-placeholder"


def evaluate(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Get"}:
            path: str = value["Get"]
            if path.startswith("Parameters."):
                return parameters[path.removeprefix("Parameters.")]
            if path.endswith("S3ModelArtifacts"):
                return f"s3://{STEP_PROPERTY_PLACEHOLDER}/model.tar.gz"
            return STEP_PROPERTY_PLACEHOLDER
        if set(value) == {"Std:Join"}:
            join = value["Std:Join"]
            return join["On"].join(str(evaluate(v, parameters)) for v in join["Values"])
        return {k: evaluate(v, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [evaluate(v, parameters) for v in value]
    return value


def step_requests(definition: Json) -> list[tuple[str, str, Json]]:
    """(step name, step type, evaluated Arguments) for every step."""
    defaults = {p["Name"]: p.get("DefaultValue") for p in definition.get("Parameters", [])}
    return [
        (step["Name"], step["Type"], evaluate(step["Arguments"], defaults))
        for step in definition["Steps"]
    ]
