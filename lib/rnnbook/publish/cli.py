"""Command line: ``python -m rnnbook run | build | results | student | grade | freeze``."""

import argparse
import sys
from pathlib import Path

from rnnbook import runtime
from rnnbook.publish import grading, runner
from rnnbook.publish.buildfolder import BuildFolderError, WriteError

EXIT_CODES = """exit codes: 0 all went well; 1 a notebook failed (the others still ran), the book
was not built, (grade) a submission could not be graded (the others were), or (results) the
README and the last full run differ; 2 a usage
error, or the build folder or the arguments cannot be used (nothing ran); 3 a file could not
be written while working (a full disk, a folder made read-only): the file is named, nothing
half-written is left and what was recorded before is kept; 130 / 143 stopped
by Ctrl-C / SIGTERM (the interrupted notebook keeps its previous results; grade writes no
grades)."""


def seconds(text):
    """argparse type: a positive whole number of seconds."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number of seconds, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a positive whole number of seconds, got {text!r}"
        )
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rnnbook",
        description="Run the rnnbook notebooks headless, build the HTML book, write the "
        "student versions.",
        epilog=EXIT_CODES,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="execute notebooks; write executed copies, _build/results.json and the HTML book",
        description="Execute notebooks (default: all, in order), write the executed "
        "notebooks under _build/notebooks and their recorded figures to _build/results.json, "
        "then build the HTML book in _build/html from every executed notebook there.",
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
    run.add_argument("--timeout", type=seconds, default=None, help="seconds allowed per cell")
    run.add_argument("--no-book", action="store_true", help="execute only; do not build the HTML")
    build = commands.add_parser(
        "build",
        help="rebuild the HTML book (_build/html) from what the last run left; executes nothing",
    )
    build.add_argument("--build-dir", default=None, help="where run wrote (default: _build/)")
    build.add_argument(
        "--solutions",
        action="store_true",
        help="for instructors: the book with the exercises' solutions and hidden tests, "
        "written to _build/html-instructor (the default book shows the student versions)",
    )
    student = commands.add_parser(
        "student",
        help="for instructors: write student versions (solutions stubbed) to _build/student",
    )
    student.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    student.add_argument("--out", default=None, help="folder to write (default: _build/student/)")
    grade = commands.add_parser(
        "grade",
        help="for instructors: run returned notebooks and print each exercise's points",
        description="Grade returned notebooks, each alone in a scratch folder: the student's "
        "solution cells run inside a copy of the source notebook, so the checks and their hidden "
        "tests are the source's. A check scores its points only if it ran and passed.",
        epilog=EXIT_CODES,
    )
    grade.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="returned .ipynb files")
    grade.add_argument("--profile", choices=runtime.PROFILES, default="quick")
    grade.add_argument(
        "--timeout",
        type=seconds,
        default=grading.DEFAULT_TIMEOUT,
        help=f"seconds allowed per cell (default {grading.DEFAULT_TIMEOUT})",
    )
    grade.add_argument(
        "--source",
        default=None,
        help="the source notebook the submissions were made from (default: the book's notebook "
        "named in each submission's metadata, or by its file name)",
    )
    grade.add_argument("--csv", default=None, help="also write the grades to this CSV file")
    results = commands.add_parser(
        "results",
        help="check that the README's reference results agree with the last full run "
        "(--write: rewrite them from it)",
        description="Render the README's reference section from the build folder's "
        "results.json and runs.json (full profile) and compare it with README.md: exit 0 when "
        "they agree, 1 when they differ (each differing line is printed) or a figure is missing. "
        "With --write, rewrite the section and reference-results.json from the run instead.",
        epilog=EXIT_CODES,
    )
    results.add_argument("--build-dir", default=None, help="where run wrote (default: _build/)")
    results.add_argument("--readme", default="README.md", help="the README (default: README.md)")
    results.add_argument("--write", action="store_true", help="rewrite the README's section")
    freeze = commands.add_parser(
        "freeze",
        help="for authors: write each notebook's Colab lines and nbgrader metadata, run it in "
        "the quick profile and store only NBVAL_CHECK_OUTPUT outputs",
    )
    freeze.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    freeze.add_argument("--timeout", type=seconds, default=600, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return runner.run(
                args.notebooks, args.profile, args.build_dir, args.timeout, book=not args.no_book
            )
        if args.command == "build":
            return runner.build_book(args.build_dir, args.solutions)
        if args.command == "grade":
            return _grade(args)
        if args.command == "results":
            return _results(args)
        if args.command == "student":
            runner.write_student_versions(args.notebooks, args.out)
            return 0
        return runner.freeze(args.notebooks, timeout=args.timeout)
    except WriteError as error:
        print(f"python -m rnnbook {args.command}: error: {error}", file=sys.stderr)
        return 3
    except (ValueError, TypeError, BuildFolderError) as error:
        # the arguments were well formed but cannot be used: say so, without the usage text
        print(f"python -m rnnbook {args.command}: error: {error}", file=sys.stderr)
        return 2


def _results(args):
    """``results``: the README's reference section against the last full run."""
    from rnnbook.publish import reference

    readme = Path(args.readme)
    if not readme.is_file():
        raise ValueError(f"no README file {readme.resolve()}")
    build = Path(args.build_dir) if args.build_dir else runner.default_build_dir()
    text = readme.read_text(encoding="utf-8")
    reference.section(text)  # a README without the section is a usage error
    data = reference.snapshot(build)
    kept = readme.with_name(reference.SNAPSHOT)
    if not args.write and kept.is_file():  # the environment line the README was written with
        data["environment"] = reference.load_snapshot(kept)["environment"]
    try:
        body = reference.render_snapshot(data)
    except reference.MissingFigure as missing:
        print(
            f"python -m rnnbook results: {missing.args[0]} in {build}: run that notebook "
            "with `python -m rnnbook run NN`",
            file=sys.stderr,
        )
        return 1
    if args.write:
        from rnnbook.publish.buildfolder import write_atomic, write_json_atomic

        write_json_atomic(kept, data)
        write_atomic(readme, reference.replace_section(text, body))
        print(f"wrote the reference results of {build} to {readme} and {kept}")
        return 0
    wrong = reference.differences(reference.section(text), body)
    if not wrong:
        print(f"{readme} agrees with the full run in {build}")
        return 0
    for number, in_readme, in_run in wrong:
        print(f"line {number} of the section\n  README: {in_readme}\n  run:    {in_run}")
    print(
        f"{readme} differs from the full run in {build} on {len(wrong)} lines: "
        "`python -m rnnbook results --write` rewrites it",
        file=sys.stderr,
    )
    return 1


def _grade(args):
    """``grade``: every file must exist before anything runs; Ctrl-C stops with one line."""
    missing = [name for name in args.notebooks if not Path(name).is_file()]
    if missing:
        raise ValueError(f"no notebook file {Path(missing[0]).resolve()}")
    if args.csv is not None and Path(args.csv).is_dir():
        raise ValueError(f"--csv must name a file, but {args.csv} is a folder")
    try:
        table, problems = grading.grade(args.notebooks, args.profile, args.timeout, args.source)
    except runner.Interrupted as stop:
        print(f"python -m rnnbook grade: stopped by {stop}; no grades written", file=sys.stderr)
        return stop.exit_code
    return grading.report(table, problems, args.csv)


if __name__ == "__main__":
    sys.exit(main())
