"""Command line: `python -m infra {check,summary} [CONFIG]`.

`check` validates a config and prints nothing on success; `summary` prints the
table. Config mistakes print one line each on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys

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
    parser.add_argument("command", choices=("check", "summary"))
    parser.add_argument("config", nargs="?", default=DEFAULT_CONFIG)
    args = parser.parse_args(argv)
    try:
        plan = load_plan(args.config)
    except ConfigError as error:
        return report(error)
    if args.command == "summary":
        sys.stdout.write(render_summary(plan))
    return 0
