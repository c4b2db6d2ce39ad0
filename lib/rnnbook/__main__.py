"""Command line: ``python -m rnnbook run [NOTEBOOK ...] [--profile quick|full|large]``."""

import argparse
import sys

from rnnbook import runner, runtime


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rnnbook", description="Run the rnnbook notebooks headless."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="execute notebooks; write executed copies and _build/results.json",
        description="Execute notebooks (default: all, in order) and write the executed "
        "notebooks under _build/notebooks and their recorded figures to _build/results.json.",
    )
    run.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="path, stem or number (e.g. 01)"
    )
    run.add_argument(
        "--profile",
        choices=runtime.PROFILES,
        default=None,
        help="quick (CI), full (default; the book's results) or large (GPU); "
        "default: $RNNBOOK_PROFILE or full",
    )
    run.add_argument("--build-dir", default=None, help="where to write (default: _build/)")
    run.add_argument("--timeout", type=int, default=None, help="seconds allowed per cell")
    freeze = commands.add_parser(
        "freeze",
        help="for authors: run in the quick profile and store only NBVAL_CHECK_OUTPUT outputs",
    )
    freeze.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return runner.run(args.notebooks, args.profile, args.build_dir, args.timeout)
        return runner.freeze(args.notebooks)
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    sys.exit(main())
