"""Command line: `python -m infra {check,summary,bootstrap} [CONFIG]`.

`check` validates a config and prints nothing on success; `summary` prints the
table; `bootstrap` prints the `cdk bootstrap` commands the config's accounts and
regions need. Config mistakes print one line each on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys

from infra.bootstrap import bootstrap_commands
from infra.config import load_config
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("check", "summary", "bootstrap"))
    parser.add_argument("config", nargs="?", default=DEFAULT_CONFIG)
    args = parser.parse_args(argv)
    try:
        plan = load_plan(args.config)
    except ConfigError as error:
        return report(error)
    if args.command == "summary":
        sys.stdout.write(render_summary(plan))
    elif args.command == "bootstrap":
        sys.stdout.write("".join(f"{line}\n" for line in bootstrap_commands(plan)))
    return 0
