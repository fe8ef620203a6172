#!/usr/bin/env python3
"""CDK entry point: config → plan → one stage per configured stage → synth.

The plan is built (and every config mistake reported, exit status 2) before any
construct exists. Pick the config with `-c config=path/to/file.yaml`.
"""

from __future__ import annotations

import sys

from infra.cli import DEFAULT_CONFIG, load_plan, report
from infra.errors import ConfigError
from stacks.stage import new_app, synthesize


def main() -> int:
    app = new_app()
    config_path = app.node.try_get_context("config") or DEFAULT_CONFIG
    try:
        # The CLI passes cdk.context.json in the context: the recorded approved models.
        plan = load_plan(config_path, records=app.node.get_all_context())
    except ConfigError as error:
        return report(error)
    violations = synthesize(app, plan)
    for line in violations:
        print(line, file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
