"""Resolve CloudFormation intrinsics to plausible values, to read what a template sends."""

from __future__ import annotations

import json
import re
from typing import Any

ACCOUNT, REGION = "123456789012", "us-east-1"
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "stack",
}


def _placeholder(name: str) -> str:
    token = "".join(c for c in name.split(".")[0].lower() if c.isalnum())[:40]
    if "arn" in name.lower():
        return f"arn:aws:service:{REGION}:{ACCOUNT}:{token}"
    return f"value-{token}"


def resolve(value: Any, template: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [resolve(v, template) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        return {k: resolve(v, template) for k, v in value.items()}
    ((key, arg),) = value.items()
    if key == "Ref":
        return PSEUDO.get(arg, _placeholder(arg))
    if key == "Fn::GetAtt":
        return _placeholder(".".join(arg))
    if key == "Fn::Join":
        separator, parts = arg
        return separator.join(str(resolve(p, template)) for p in parts)
    if key == "Fn::FindInMap":
        name, first, second = (resolve(a, template) for a in arg)
        return template["Mappings"][name][first][second]
    if key == "Fn::Select":
        index, items = arg
        return resolve(items, template)[int(index)]
    if key == "Fn::Split":
        separator, text = arg
        return str(resolve(text, template)).split(separator)
    if key == "Fn::Sub" and isinstance(arg, str):
        return re.sub(r"\$\{([^}]+)\}", lambda m: str(resolve({"Ref": m[1]}, template)), arg)
    if key == "Fn::GetStackOutput":
        return _placeholder(arg["OutputName"])
    if key == "Fn::ImportValue":
        return _placeholder(str(resolve(arg, template)))
    return {key: resolve(arg, template)}


def pipeline_definitions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every AWS::SageMaker::Pipeline in a template: logical id -> parsed definition."""
    out = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource["Type"] == "AWS::SageMaker::Pipeline":
            body = resource["Properties"]["PipelineDefinition"]["PipelineDefinitionBody"]
            out[logical_id] = json.loads(resolve(body, template))
    return out
