"""`python -m infra.review [--baseline DIR] [--output FILE] [ASSEMBLY]`: the review as Markdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infra.review.report import render, review


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.review", description=__doc__)
    parser.add_argument("assembly", nargs="?", default="cdk.out", type=Path)
    parser.add_argument("--baseline", type=Path, help="the cloud assembly to compare with")
    parser.add_argument("--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    for directory in (args.assembly, args.baseline):
        if directory is not None and not (directory / "manifest.json").exists():
            print(f"{directory}: not a cloud assembly (no manifest.json)", file=sys.stderr)
            return 2
    markdown = render(review(args.assembly, args.baseline))
    if args.output:
        args.output.write_text(markdown)
    else:
        sys.stdout.write(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
