"""`python -m infra.review [--baseline DIR] [--output FILE] [--fail-on LIST] [ASSEMBLY]`:
the review as Markdown. Exit status 0, or 1 when a --fail-on category occurs (the
report is written first), 2 for a directory that is not a cloud assembly."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infra.review.markdown import render
from infra.review.report import CATEGORIES, review


def _categories(value: str) -> set[str]:
    chosen = {c.strip() for c in value.split(",") if c.strip()}
    unknown = sorted(chosen - CATEGORIES.keys())
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown categories {', '.join(unknown)} (allowed: {', '.join(CATEGORIES)})"
        )
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.review",
        description=__doc__,
        epilog="categories: " + "; ".join(f"{k}: {v}" for k, v in CATEGORIES.items()),
    )
    parser.add_argument("assembly", nargs="?", default="cdk.out", type=Path)
    parser.add_argument("--baseline", type=Path, help="the cloud assembly to compare with")
    parser.add_argument("--output", type=Path, help="write here instead of stdout")
    parser.add_argument(
        "--fail-on",
        type=_categories,
        default=set(),
        metavar="LIST",
        help="comma-separated categories that make the exit status 1, e.g. "
        "broadening,replace-stateful",
    )
    args = parser.parse_args(argv)
    for directory in (args.assembly, args.baseline):
        if directory is not None and not (directory / "manifest.json").exists():
            print(f"{directory}: not a cloud assembly (no manifest.json)", file=sys.stderr)
            return 2
    result = review(args.assembly, args.baseline)
    markdown = render(result)
    if args.output:
        args.output.write_text(markdown)
    else:
        sys.stdout.write(markdown)
    found = sorted(result.categories() & args.fail_on)
    if found:
        print(f"infra.review: {', '.join(found)} (--fail-on)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
