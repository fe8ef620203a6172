"""Command line: `python -m infra {check,summary,bootstrap,preflight} [CONFIG]`, and
`python -m infra models refresh [CONFIG]`.

`check` validates a config and prints nothing on success; `summary` prints the
table; `bootstrap` prints the `cdk bootstrap` commands the config's accounts and
regions need; `preflight` checks each stage's account for what a deploy needs
(bootstrap, quotas, Lambda concurrency, a brought network); `models refresh` records
each followed registry's newest approved model package in cdk.context.json. Only
these last two call AWS. Config
mistakes print one line each on stderr and exit with status 2; a lookup the
credentials may not make, one line and status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from infra.bootstrap import bootstrap_commands
from infra.config import load_config
from infra.deploy_policy import (
    handler_actions,
    needs_by_account,
    policy_documents,
    policy_names,
    resource_types_by_account,
    targets,
)
from infra.errors import NO_VALUE, ConfigError, ConfigIssue
from infra.plan import AppPlan, build_plan
from infra.plan.summary import render_summary

DEFAULT_CONFIG = "config/default.yaml"
EXIT_CONFIG_ERROR = 2
# Where the CDK CLI records context lookups, and `models refresh` its own.
CONTEXT_FILE = Path("cdk.context.json")


def recorded_context(path: Path | None = None) -> dict[str, object]:
    """The recorded context the CDK CLI would pass to the app ({} without the file)."""
    path = path or CONTEXT_FILE
    if not path.exists():
        return {}
    try:
        value = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        issue = ConfigIssue("", NO_VALUE, f"not readable JSON ({error})")
        raise ConfigError(str(path), [issue]) from None
    if not isinstance(value, dict):
        raise ConfigError(str(path), [ConfigIssue("", NO_VALUE, "must be a JSON object")])
    return value


def load_plan(path: str, records: Mapping[str, object] | None = None) -> AppPlan:
    """Config file (+ recorded approved models, by default cdk.context.json) → plan;
    raises ConfigError."""
    config = load_config(path)
    return build_plan(
        config, source=path, records=recorded_context() if records is None else records
    )


def report(error: ConfigError) -> int:
    for line in error.lines:
        print(line, file=sys.stderr)
    return EXIT_CONFIG_ERROR


def _bootstrap(plan: AppPlan, assembly: Path, policies_dir: Path) -> int:
    """Write each target account's deploy policies, then print every command to run."""
    names: dict[str, list[str]] = {}
    lines: list[str] = []
    if plan.pipeline is not None:
        if not (assembly / "manifest.json").exists():
            print(
                f"{assembly}: no cloud assembly; run `make synth CONFIG=...` first", file=sys.stderr
            )
            return EXIT_CONFIG_ERROR
        policies_dir.mkdir(parents=True, exist_ok=True)
        types = resource_types_by_account(assembly)
        needs = needs_by_account(assembly)
        for target in targets(plan):
            actions = handler_actions(types.get(target.account, set()))
            documents = policy_documents(target, actions, needs.get(target.account, set()))
            names[target.account] = policy_names(documents)
            lines.append(f"# in account {target.account}:")
            for name, document in zip(names[target.account], documents, strict=True):
                path = policies_dir / f"{target.account}-{name}.json"
                path.write_text(json.dumps(document, indent=2) + "\n")
                lines.append(
                    f"aws iam create-policy --policy-name {name} --policy-document file://{path}"
                )
    lines += bootstrap_commands(plan, names)
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0


def _refresh_models(plan: AppPlan, context_file: Path, *, lookup_role: bool) -> int:
    """Record each followed registry's newest approved package; print what changed."""
    import boto3

    from infra.aws_sessions import AccountSessions
    from infra.plan.registries import followed
    from infra.registry_lookup import (
        RegistryLookupError,
        SessionClients,
        describe,
        refresh,
        write_records,
    )

    before = recorded_context(context_file)
    sessions = AccountSessions(
        boto3.Session(), purpose="sagemaker-models-refresh", prefer_lookup_role=lookup_role
    )
    try:
        results = refresh(followed(plan.stages), SessionClients(sessions))
    except RegistryLookupError as error:
        print(f"models refresh: {error}", file=sys.stderr)
        return 1
    write_records(context_file, results)
    for line in describe(results, before):
        print(line)
    return 0


def _preflight(plan: AppPlan) -> int:
    """Check each stage's account for what a deploy would need; exit 1 if blocked."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from infra.aws_sessions import AccountAccessError, AccountSessions
    from infra.errors import one_line
    from infra.preflight import Status, preflight, render

    sessions = AccountSessions(boto3.Session(), purpose="sagemaker-algorithms-preflight")
    try:
        checks = preflight(
            plan.stages,
            lambda service, stage: sessions.client(
                service, stage.account, stage.region, stage.bootstrap_qualifier
            ),
            trust=plan.pipeline.account if plan.pipeline is not None else None,
        )
    except AccountAccessError as error:
        print(f"preflight: {error}", file=sys.stderr)
        return 1
    except (ClientError, BotoCoreError) as error:
        print(f"preflight: {one_line(str(error))}", file=sys.stderr)
        return 1
    sys.stdout.write(render(checks))
    return 1 if any(c.status is Status.BLOCKED for c in checks) else 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["models"]:
        models = argparse.ArgumentParser(prog="python -m infra models")
        models.add_argument("action", choices=("refresh",))
        models.add_argument("config", nargs="?", default=DEFAULT_CONFIG)
        models.add_argument("--context", default=str(CONTEXT_FILE), help="where to record")
        models.add_argument(
            "--lookup-role",
            action="store_true",
            help="read every registry through its account's CDK lookup role, the caller's "
            "own account too (the delivery pipeline's synth step)",
        )
        args = models.parse_args(argv[1:])
        try:
            plan = load_plan(args.config, records={})
        except ConfigError as error:
            return report(error)
        return _refresh_models(plan, Path(args.context), lookup_role=args.lookup_role)
    parser = argparse.ArgumentParser(prog="python -m infra", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("check", "summary", "bootstrap", "preflight"))
    parser.add_argument("config", nargs="?", default=DEFAULT_CONFIG)
    parser.add_argument(
        "--assembly", default="cdk.out", help="bootstrap: the synthesized config (make synth)"
    )
    parser.add_argument(
        "--policies-dir", default="deploy-policies", help="bootstrap: where policies go"
    )
    args = parser.parse_args(argv)
    try:
        plan = load_plan(args.config)
    except ConfigError as error:
        return report(error)
    if args.command == "summary":
        sys.stdout.write(render_summary(plan))
    elif args.command == "bootstrap":
        return _bootstrap(plan, Path(args.assembly), Path(args.policies_dir))
    elif args.command == "preflight":
        return _preflight(plan)
    return 0
