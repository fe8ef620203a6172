"""Command line: `python -m infra {check,summary,bootstrap} [CONFIG]`.

`check` validates a config and prints nothing on success; `summary` prints the
table; `bootstrap` prints the `cdk bootstrap` commands the config's accounts and
regions need. Config mistakes print one line each on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from infra.bootstrap import bootstrap_commands
from infra.config import load_config
from infra.deploy_policy import (
    handler_actions,
    policy_documents,
    policy_names,
    resource_types_by_account,
    targets,
)
from infra.errors import ConfigError
from infra.plan import AppPlan, build_plan
from infra.plan.summary import render_summary

DEFAULT_CONFIG = "config/default.yaml"
EXIT_CONFIG_ERROR = 2


def load_plan(path: str) -> AppPlan:
    """Config file → plan; raises ConfigError."""
    return build_plan(load_config(path), source=path)


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
        for target in targets(plan):
            actions = handler_actions(types.get(target.account, set()))
            documents = policy_documents(target, actions)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("check", "summary", "bootstrap"))
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
    return 0
