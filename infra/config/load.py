"""Read a YAML config file into `AppConfig`, turning every problem into a ConfigIssue."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from infra.config.stages import AppConfig
from infra.config.yaml_reader import YamlRefused, read_yaml
from infra.errors import NO_VALUE, AsWritten, ConfigError, ConfigIssue, allowed, show

# Messages for pattern-checked fields, by field name.
_PATTERN_MESSAGES = {
    "account": "must be a 12-digit AWS account id, quoted so leading zeros survive",
    "vpc_id": "must be a VPC id like vpc-0123456789abcdef0",
    "id": "must be a subnet id like subnet-0123456789abcdef0",
    "route_table_id": "must be a route table id like rtb-0123456789abcdef0",
    "availability_zone": "must be an availability zone name like eu-west-1a",
    "schedule": "must be an EventBridge Scheduler expression: rate(7 days) or "
    "cron(minutes hours day-of-month month day-of-week year)",
    "incremental_from": "must be an s3:// URI of a model.tar.gz",
    "model_uri": "must be an s3:// URI of a model.tar.gz",
    "model_package_arn": "must be a model package ARN "
    "(arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)",
    "source_uri": "must be an s3:// URI of a source tarball",
    "stages": "stage names start with a letter and use letters, digits and hyphens "
    "(at most 20 characters)",
    "namespace": "starts with a letter and uses letters, digits and hyphens "
    "(at most 20 characters)",
    "bootstrap_qualifier": "must be 1 to 10 lowercase letters or digits "
    "(cdk bootstrap --qualifier)",
    "connection_arn": "must be a CodeConnections ARN "
    "(arn:aws:codeconnections:<region>:<account>:connection/<id>)",
    "repository": "must be owner/name, as the connection's provider spells it",
}


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of `loc` (for listing allowed keys)."""
    current: Any = AppConfig
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _fields(current).get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif typing.get_origin(current) is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields by the key YAML spells them with (an alias, e.g. `async`)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and `| None` to reach a model or a dict type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation


# What pydantic appends to a location when a value matches no member of a union.
_UNION_MEMBER = re.compile(r"^(str|int|float|bool|list\[.*\]|dict\[.*\]|literal\[.*\])$")
_KINDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
}


def _either(kinds: list[str]) -> str:
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + f" or {kinds[-1]}"


def _union_issues(errors: list[Any]) -> tuple[list[Any], list[ConfigIssue]]:
    """Errors of one value against each member of a union become one issue."""
    groups: dict[tuple[int | str, ...], list[Any]] = {}
    rest = []
    for error in errors:
        loc = error["loc"]
        if loc and isinstance(loc[-1], str) and _UNION_MEMBER.match(loc[-1]):
            groups.setdefault(loc[:-1], []).append(error)
        else:
            rest.append(error)
    issues = []
    for loc, members in groups.items():
        if len(members) == 1:
            rest.append({**members[0], "loc": loc})
            continue
        kinds = [_KINDS.get(str(e["loc"][-1]), str(e["loc"][-1])) for e in members]
        value = members[0].get("input", NO_VALUE)
        issues.append(
            ConfigIssue(_path(loc), value, f"must be {_either(list(dict.fromkeys(kinds)))}")
        )
    return rest, issues


def _issue(error: Any) -> ConfigIssue:
    loc: tuple[int | str, ...] = error["loc"]
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input", NO_VALUE)
    field = str(loc[-1]) if loc else ""
    if field == "[key]":  # a bad mapping key: report it at its own path, by its mapping
        loc, field = loc[:-1], str(loc[-3]) if len(loc) > 2 else ""
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        keys = sorted(_fields(owner)) if owner else []
        return ConfigIssue(_path(loc), NO_VALUE, f"unknown key {allowed(keys)}")
    if kind == "missing":
        return ConfigIssue(_path(loc), NO_VALUE, "required key is missing")
    if kind == "string_pattern_mismatch":
        parent = str(loc[-2]) if len(loc) > 1 else field
        message = _PATTERN_MESSAGES.get(field) or _PATTERN_MESSAGES.get(parent)
        return ConfigIssue(_path(loc), value, message or f"must match {ctx.get('pattern')}")
    if kind == "literal_error":
        return ConfigIssue(_path(loc), value, f"not a valid choice (allowed: {ctx['expected']})")
    if kind in ("greater_than_equal", "less_than_equal", "too_short", "too_long"):
        bounds = {
            "greater_than_equal": f"must be at least {ctx.get('ge')}",
            "less_than_equal": f"must be at most {ctx.get('le')}",
            "too_short": f"needs at least {ctx.get('min_length')} entries",
            "too_long": f"takes at most {ctx.get('max_length')} entries",
        }
        if kind == "too_long" and isinstance(value, list | dict):
            # Not the whole list back: how many there are says what is wrong.
            bounds[kind] += f" ({len(value)} given)"
            value = NO_VALUE
        return ConfigIssue(_path(loc), value, bounds[kind])
    if kind == "value_error":
        # A scalar's own check names the value; a mapping's (min and max …) does not.
        shown = value if isinstance(value, str | int | float) else NO_VALUE
        return ConfigIssue(_path(loc), shown, str(ctx.get("error", error["msg"])))
    message = error["msg"]
    type_names = {
        "finite_number": "must be a finite number",
        "int_type": "must be an integer",
        "float_type": "must be a number",
        "bool_type": "must be true or false",
        "string_type": "must be a string (quote it)",
        "dict_type": "must be a mapping",
        "list_type": "must be a list",
        "model_type": "must be a mapping",
    }
    return ConfigIssue(_path(loc), value, type_names.get(kind, message[:1].lower() + message[1:]))


def parse_config(text: str, source: str) -> AppConfig:
    """Parse YAML text; raise ConfigError with one issue per problem."""
    try:
        parsed = read_yaml(text)
    except YamlRefused as exc:
        where = f"line {exc.line}" if exc.line else ""
        raise ConfigError(source, [ConfigIssue(where, NO_VALUE, exc.problem)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}" if mark else ""
        raise ConfigError(source, [ConfigIssue(where, NO_VALUE, str(exc.problem))]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(source, [ConfigIssue("", NO_VALUE, str(exc))]) from None
    data = parsed.data
    if not isinstance(data, dict):
        message = "the file must be a mapping with a top-level `stages:` key"
        raise ConfigError(source, [ConfigIssue("", NO_VALUE, message)])
    try:
        return AppConfig.model_validate(data)
    except ValidationError as exc:
        errors, issues = _union_issues(exc.errors())
        unique: dict[tuple[str, str], ConfigIssue] = {}
        for issue in [*issues, *map(_issue, errors)]:
            unique.setdefault((issue.path, issue.message), _as_written(issue, parsed.written))
        raise ConfigError(source, sorted(unique.values(), key=lambda i: i.path)) from None


def _as_written(issue: ConfigIssue, written: dict[tuple[str | int, ...], str]) -> ConfigIssue:
    """Show a number YAML reinterpreted as the user wrote it (012345670123 is octal)."""
    key = tuple(int(p) if p.isdigit() else p for p in issue.path.split(".")) if issue.path else ()
    text = written.get(key)
    if text is None or issue.value is NO_VALUE or show(issue.value) == text:
        return issue
    return ConfigIssue(issue.path, AsWritten(text, issue.value), issue.message)


def load_config(path: str | Path) -> AppConfig:
    """Read and parse a config file; a missing file is a ConfigError too."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(source, [ConfigIssue("", NO_VALUE, exc.strerror or str(exc))]) from None
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        raise ConfigError(source, [ConfigIssue("", NO_VALUE, message)]) from None
    return parse_config(text, source)
