"""The ``symann`` command: ``solve`` a network file, ``check`` answers, ``eval`` batches,
``collapse`` identity layers into one affine map."""
from __future__ import annotations

import argparse
import io
import math
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from . import __version__, limits
from .collapse import collapse
from .errors import InputError, SymannError
from .evaluation_command import add_eval
from .exercises.command import add_exercise, check_class
from .files import check_input, check_output, write_output
from .formats import (
    COLLAPSE_FORMATS,
    FORMATS,
    HEADINGS,
    TIMES,
    RenderSettings,
)
from .grading.batch import asked_steps, grade_class
from .grading.grade import Checker, worked
from .grading.places import stated_places
from .grading.tolerance import Tolerance
from .model import check_learning_rate
from .notation import PRESETS
from .propagation import CARRIES
from .render.safe import visible
from .solution_options import add_controls, add_layout, add_notation_options, render_solution
from .spec import format_of, load, parse, read_text
from .steps import Derivation
from .writing import WRITTEN_FORMATS, dumps


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line ``error: ...`` and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {visible(message)} (see '{self.prog} --help')", file=sys.stderr)
        sys.exit(2)


def _digits(text: str) -> int:
    if not (text.isascii() and text.isdecimal()) or len(text) > 6:
        raise argparse.ArgumentTypeError(f"expected a whole number of decimal places, got {text!r}")
    return int(text)


def _credit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


_Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symann", description="Exact, step-by-step neural network "
                     "derivations: worked solutions, answer checking, fast evaluation.")
    parser.add_argument("--version", action="version", version=f"symann {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    solve = commands.add_parser("solve", help="print the worked forward pass of a network file",
                                description="Print the worked forward pass of a network file "
                                "(TOML, JSON or NPZ): every neuron's z and a, symbolic, "
                                "substituted and result.")
    solve.add_argument("file", help="the network file (.toml, .json or .npz; --backward "
                       "needs the targets and loss only .toml and .json give)")
    solve.add_argument("--format", choices=list(FORMATS), default="text", help="output format "
                       "(default: text)")
    solve.add_argument("--digits", type=_digits, default=4, help="decimal places shown "
                       "(default: 4, as in the course)")
    solve.add_argument("--carry", choices=CARRIES, default="shown", help="carry the shown "
                       "(rounded) value into the next step, as the course does, or the exact one")
    solve.add_argument("--notation", choices=list(PRESETS), default="auto",
                       help="how quantities are named (default: auto, the course's choice)")
    solve.add_argument("--times", choices=TIMES, default="times",
                       help="the sign of substituted products (default: times, ×)")
    add_layout(solve)
    add_controls(solve)
    add_notation_options(solve)
    solve.add_argument("--heading", choices=HEADINGS, default="section",
                       help="latex, markdown: the level of the title's heading (the layers "
                            "one lower), or none (default section)")
    solve.add_argument("-o", "--output", help="write to this file instead of standard output")
    solve.add_argument("--backward", action="store_true",
                       help="after the forward pass, the loss and the backward pass (the "
                            "network file gives targets and loss)")
    solve.add_argument("--learning-rate", metavar="ETA", default=None,
                       help="with --backward: one gradient-descent step with this learning "
                            "rate (default: the file's learning_rate, if any)")
    solve.add_argument("--write-updated", metavar="FILE", default=None,
                       help="with --backward and a learning rate: write the updated network "
                            "(.toml or .json, the values as shown) to FILE")
    solve.set_defaults(run=_solve)
    _add_check(commands)
    add_eval(commands)
    _add_collapse(commands)
    add_exercise(commands, _digits)
    return parser


def _add_collapse(commands: _Commands) -> None:
    collapse = commands.add_parser(
        "collapse", help="multiply a network of identity layers out into one affine map W x + b",
        description="Multiply a network whose activations are all identity out, exactly, into "
        "one affine map a = W x + b, every matrix product worked; --format json prints "
        '{"weights": [[...]], "biases": [...]} alone.')
    collapse.add_argument("file", help="the network file (.toml, .json or .npz)")
    collapse.add_argument("--format", choices=list(COLLAPSE_FORMATS), default="text",
                          help="output format (default: text)")
    add_layout(collapse)
    collapse.add_argument("-o", "--output", help="write to this file instead of standard output")
    collapse.set_defaults(run=_collapse)


def _collapse(args: argparse.Namespace) -> int:
    check_output(args.output, [args.file])
    settings = RenderSettings(numbers=args.numbers, terms=args.terms, width=args.width,
                              standalone=args.standalone)
    try:
        collapsed = collapse(load(args.file))
    except InputError as error:   # a layer that is not linear: name the file
        raise error if error.source else error.from_source(args.file) from None
    text = collapsed.render(args.format, settings)
    _write(text if text.endswith("\n") else text + "\n", args.output)
    return 0


def _add_check(commands: _Commands) -> None:
    check = commands.add_parser(
        "check", help="check a student's answers step by step",
        description="Check answers (a TOML or JSON table from step ids to answers) against "
        "the network's worked solution. Exit 0 when every answered step is correct, 1 when "
        "any is not, 2 on bad input.")
    check.add_argument("file", nargs="?", help="the network file (.toml or .json)")
    check.add_argument("answers", nargs="?", help="the answers file (.toml or .json)")
    check.add_argument("--batch", metavar="CSV", help="grade a class: one row per student "
                       "(student column, then one column per step id)")
    check.add_argument("--exercise", metavar="DIR", help="with --batch: grade each student "
                       "against their own variant of the exercise in DIR (no network file)")
    check.add_argument("-o", "--output", help="write the report (or the class's verdicts "
                       "CSV) to this file")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--digits", type=_digits, default=None,
                       help="decimal places of the solution (default: the answers file's "
                       "'digits' entry, else 4)")
    check.add_argument("--tolerance", default="shown", metavar="MODE[:VALUE]",
                       help="shown (default: half a unit of the last shown place), "
                       "absolute:A, relative:R, decimals:N, sigfigs:N")
    check.add_argument("--step-tolerance", action="append", default=[], metavar="ID=MODE:VALUE",
                       help="a tolerance for one step (repeatable)")
    check.add_argument("--steps", help="the step ids asked, comma-separated (default: all)")
    check.add_argument("--no-reveal", action="store_true",
                       help="do not show the correct values in the feedback")
    check.add_argument("--follow-through-credit", type=_credit, default=1.0, metavar="C",
                       help="credit for a follow-through step (default 1)")
    check.set_defaults(run=_check)


def _solve(args: argparse.Namespace) -> int:
    check_output(args.output, [args.file])
    if args.backward:
        return _solve_backward(args)
    for given, option in ((args.learning_rate, "--learning-rate"),
                          (args.write_updated, "--write-updated")):
        if given is not None:
            raise InputError("needs --backward", field=option)
    try:
        derivation = load(args.file).forward(digits=args.digits, carry=args.carry)
    except InputError as error:   # a limit met by a step: name the file it came from
        if error.source or not error.field.startswith("steps."):
            raise
        raise error.from_source(args.file) from None
    _write_solution(derivation, args)
    return 0


def _solve_backward(args: argparse.Namespace) -> int:
    """``solve --backward``: the forward and backward passes; with ``--write-updated`` the
    network after the gradient-descent step, written atomically, never over an input."""
    updated = args.write_updated
    check_output(updated, [args.file])
    if updated is not None:
        _written_format(updated)
        if args.output is not None and os.path.abspath(updated) == os.path.abspath(args.output):
            raise InputError("is also the --output file", field="--write-updated")
    rate = None if args.learning_rate is None else check_learning_rate(
        args.learning_rate, "--learning-rate")
    network = load(args.file)
    try:
        derivation = network.backward(learning_rate=rate, digits=args.digits, carry=args.carry)
    except InputError as error:   # what the file lacks, or a limit met by a step
        if error.source or error.field.startswith("--"):
            raise
        raise error.from_source(args.file) from None
    if updated is not None and derivation.learning_rate is None:
        raise InputError("needs a learning rate (--learning-rate, or learning_rate in the "
                         "file)", field="--write-updated")
    _write_solution(derivation, args)
    if updated is not None:
        write_output(updated, dumps(network.updated(derivation), _written_format(updated)))
    return 0


def _written_format(path: str) -> str:
    """The format of the ``--write-updated`` file, from its suffix: a network is written
    as TOML or JSON only."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in WRITTEN_FORMATS:
        raise InputError(f"expected a .toml or .json file, got "
                         f"{Path(path).suffix or 'no suffix'!r}", source=path,
                         field="--write-updated")
    return suffix


def _write_solution(derivation: Derivation, args: argparse.Namespace) -> None:
    text = render_solution(derivation, args)
    _write(text if text.endswith("\n") else text + "\n", args.output)


def _check(args: argparse.Namespace) -> int:
    """Every input is read and checked before the output is touched; the output is
    written atomically, and never over one of the inputs."""
    if args.exercise is not None:
        return check_class(args, lambda variant: _checker_of(variant.derivation, args), _write)
    if args.file is None:
        raise InputError("expected a network file (or --exercise DIR)", field="file")
    check_output(args.output, [args.file, args.answers, args.batch])
    if args.batch and args.answers:
        raise InputError("give either an answers file or --batch CSV, not both", field="answers")
    if not args.batch and not args.answers:
        raise InputError("expected an answers file (or --batch CSV)", field="answers")
    if args.batch:
        check_input(args.batch, limits.CLASS_FILE_BYTES)
    answers = read_answers(args.answers) if args.answers else None
    digits, answers = stated_places(answers or {}, args.digits, args.answers or "")
    checker = _checker_of(worked(load(args.file), digits), args)
    if args.batch:
        verdicts = io.StringIO(newline="")
        grade_class(checker, Path(args.batch), verdicts, sys.stderr,
                    steps=asked_steps(args.steps, checker))
        _write(verdicts.getvalue(), args.output)
        return 0
    try:
        report = checker.check(answers, asked_steps(args.steps, checker))
    except InputError as error:   # an id of the answers file: name the file
        raise error if error.source else error.from_source(args.answers) from None
    _write(report.to_json() + "\n" if args.format == "json" else report.to_text(), args.output)
    return 0 if report.passed else 1


def _checker_of(derivation: Derivation, args: argparse.Namespace) -> Checker:
    per_step = {}
    for item in args.step_tolerance:
        key, _, spec = item.partition("=")
        per_step[key.strip()] = Tolerance.parse(spec, field=f"--step-tolerance {key.strip()}")
    return Checker(derivation, Tolerance.parse(args.tolerance, field="--tolerance"),
                   step_tolerances=per_step, reveal=not args.no_reveal,
                   follow_through_credit=args.follow_through_credit)


#: values (rows x widest layer) evaluated at a time, to bound the memory of a large batch
def read_answers(path: str) -> dict[str, Any]:
    """An answers file: a table from step ids to numbers or texts."""
    table = parse(read_text(Path(path)), format_of(Path(path)), path)
    if not isinstance(table, dict):
        raise InputError("expected a table from step ids to answers", source=path)
    return table


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)


def _command_parser(parser: argparse.ArgumentParser,
                    args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the command that ``args`` ran (``symann collapse``), else ``parser``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices.get(
                getattr(args, "command", None) or "", parser)
            return chosen
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 answers wrong, 2 bad input)."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:   # the command's own usage, as for its other mistakes
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return run(args)
    except SymannError as error:
        print(f"error: {visible(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("error: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("error: terminated (SIGTERM); no output was written", file=sys.stderr)
        return 143
    except Exception as error:  # never a traceback; SYMANN_DEBUG=1 shows it
        if os.environ.get("SYMANN_DEBUG"):
            raise
        print(f"error: internal error ({type(error).__name__}: {visible(str(error))}); please "
              "report it, with SYMANN_DEBUG=1 for the traceback", file=sys.stderr)
        return 2


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that a half-written output is removed."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def entry() -> None:  # pragma: no cover - the console script
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(main())
