"""The ``symann`` command: ``solve`` a network file, ``check`` answers, ``eval`` batches."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from . import __version__
from .errors import InputError, SymannError
from .forward import CARRIES
from .notation import PRESETS
from .render.printer import NUMBER_STYLES
from .spec import load

FORMATS = ("text", "json", "latex", "mathml", "markdown", "html")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line ``error: ...`` and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {message} (see '{self.prog} --help')", file=sys.stderr)
        sys.exit(2)


def _digits(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of decimal places, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symann", description="Exact, step-by-step neural network "
                     "derivations: worked solutions, answer checking, fast evaluation.")
    parser.add_argument("--version", action="version", version=f"symann {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    solve = commands.add_parser("solve", help="print the worked forward pass of a network file",
                                description="Print the worked forward pass of a network file "
                                "(TOML or JSON): every neuron's z and a, symbolic, substituted "
                                "and result.")
    solve.add_argument("file", help="the network file (.toml or .json)")
    solve.add_argument("--format", choices=FORMATS, default="text", help="output format "
                       "(default: text)")
    solve.add_argument("--digits", type=_digits, default=4, help="decimal places shown "
                       "(default: 4, as in the course)")
    solve.add_argument("--carry", choices=CARRIES, default="shown", help="carry the shown "
                       "(rounded) value into the next step, as the course does, or the exact one")
    solve.add_argument("--notation", choices=PRESETS, default="auto", help="how quantities are "
                       "named (default: auto, the course's choice)")
    solve.add_argument("--times", choices=("times", "cdot"), default="times",
                       help="the sign of substituted products (default: times, ×)")
    solve.add_argument("--numbers", choices=NUMBER_STYLES, default="decimal",
                       help="show exact values as decimals (default) or fractions")
    solve.add_argument("--standalone", action="store_true",
                       help="latex: a whole document that pdflatex compiles")
    solve.add_argument("-o", "--output", help="write to this file instead of standard output")
    solve.set_defaults(run=_solve)
    _add_check(commands)
    _add_eval(commands)
    return parser


def _add_eval(commands) -> None:
    evaluate = commands.add_parser(
        "eval", help="evaluate a network on a batch of inputs, fast (compiled NumPy)",
        description="Evaluate a network file (.toml, .json or .npz) on every row of a batch "
        "of inputs (.csv or .npy) with the compiled NumPy forward pass.")
    evaluate.add_argument("file", help="the network file")
    evaluate.add_argument("--inputs", required=True, metavar="X.csv|X.npy",
                          help="one row per example, one column per input")
    evaluate.add_argument("-o", "--output", metavar="OUT.csv|OUT.npy",
                          help="where the outputs go (default: CSV on standard output)")
    evaluate.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    evaluate.set_defaults(run=_eval)


def _add_check(commands) -> None:
    check = commands.add_parser(
        "check", help="check a student's answers step by step",
        description="Check answers (a TOML or JSON table from step ids to answers) against "
        "the network's worked solution. Exit 0 when every answered step is correct, 1 when "
        "any is not, 2 on bad input.")
    check.add_argument("file", help="the network file (.toml or .json)")
    check.add_argument("answers", nargs="?", help="the answers file (.toml or .json)")
    check.add_argument("--batch", metavar="CSV", help="grade a class: one row per student "
                       "(student column, then one column per step id)")
    check.add_argument("-o", "--output", help="write the report (or the class's verdicts "
                       "CSV) to this file")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--digits", type=_digits, default=4,
                       help="decimal places of the solution (default 4)")
    check.add_argument("--tolerance", default="shown", metavar="MODE[:VALUE]",
                       help="shown (default: half a unit of the last shown place), "
                       "absolute:A, relative:R, decimals:N, sigfigs:N")
    check.add_argument("--step-tolerance", action="append", default=[], metavar="ID=MODE:VALUE",
                       help="a tolerance for one step (repeatable)")
    check.add_argument("--steps", help="the step ids asked, comma-separated (default: all)")
    check.add_argument("--no-reveal", action="store_true",
                       help="do not show the correct values in the feedback")
    check.add_argument("--follow-through-credit", type=float, default=1.0, metavar="C",
                       help="credit for a follow-through step (default 1)")
    check.set_defaults(run=_check)


def _solve(args: argparse.Namespace) -> int:
    derivation = load(args.file).forward(digits=args.digits, carry=args.carry)
    style = {"notation": args.notation, "times": args.times, "numbers": args.numbers}
    if args.format == "json":
        text = derivation.to_json() + "\n"
    elif args.format == "latex":
        text = derivation.to_latex(standalone=args.standalone, **style)
    else:
        text = getattr(derivation, f"to_{args.format}")(**style)
    _write(text, args.output)
    return 0


def _check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .grading.batch import grade_class
    from .grading.grade import Checker
    from .grading.tolerance import Tolerance
    derivation = load(args.file).forward(digits=args.digits)
    per_step = {}
    for item in args.step_tolerance:
        key, _, spec = item.partition("=")
        per_step[key.strip()] = Tolerance.parse(spec, field=f"--step-tolerance {key.strip()}")
    checker = Checker(derivation, Tolerance.parse(args.tolerance, field="--tolerance"),
                      step_tolerances=per_step, reveal=not args.no_reveal,
                      follow_through_credit=args.follow_through_credit)
    if args.batch:
        if args.answers:
            raise InputError("give either an answers file or --batch CSV, not both",
                             field="answers")
        output = open(args.output, "w", encoding="utf-8", newline="") if args.output \
            else sys.stdout
        try:
            grade_class(checker, Path(args.batch), output)
        finally:
            if args.output:
                output.close()
        return 0
    if not args.answers:
        raise InputError("expected an answers file (or --batch CSV)", field="answers")
    steps = [s.strip() for s in args.steps.split(",")] if args.steps else None
    report = checker.check(read_answers(args.answers), steps)
    _write(report.to_json() + "\n" if args.format == "json" else report.to_text(), args.output)
    return 0 if report.passed else 1


EVAL_CHUNK = 65_536


def _eval(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    import numpy as np

    from .arrays import read_batch, write_batch
    network = load(args.file)
    compiled = network.compile(dtype=np.dtype(args.dtype))
    batch = read_batch(Path(args.inputs), network.n_inputs)
    outputs = np.empty((batch.shape[0], network.n_outputs), dtype=compiled.dtype)
    started = last = time.monotonic()
    for start in range(0, batch.shape[0], EVAL_CHUNK):
        stop = min(start + EVAL_CHUNK, batch.shape[0])
        outputs[start:stop] = compiled(batch[start:stop])
        now = time.monotonic()
        if now - last >= 0.5:
            print(f"evaluated {stop}/{batch.shape[0]} rows ({stop / (now - started):,.0f}/s)",
                  file=sys.stderr, flush=True)
            last = now
    write_batch(outputs, args.output, sys.stdout)
    return 0


def read_answers(path: str) -> dict:
    """An answers file: a table from step ids to numbers or texts."""
    from pathlib import Path

    from .spec import format_of, parse, read_text
    table = parse(read_text(Path(path)), format_of(Path(path)), path)
    if not isinstance(table, dict):
        raise InputError("expected a table from step ids to answers", source=path)
    return table


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", source=output) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 answers wrong, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return run(args)
    except SymannError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - never a traceback; SYMANN_DEBUG=1 shows it
        if os.environ.get("SYMANN_DEBUG"):
            raise
        print(f"error: internal error ({type(error).__name__}: {error}); please report it, "
              "with SYMANN_DEBUG=1 for the traceback", file=sys.stderr)
        return 2


def entry() -> None:  # pragma: no cover - the console script
    sys.exit(main())
