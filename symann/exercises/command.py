"""``symann exercise`` and ``symann check --exercise``: the command line of exercises."""
from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import limits
from ..errors import InputError
from ..files import check_input, check_output
from ..grading.batch import asked_steps, grade_class
from ..grading.grade import Checker
from ..losses import LOSSES
from ..numbers import exact
from .directory import check_directory
from .filters import RULES
from .generate import OUTPUTS, build, progress_printer, write_files
from .marking import ClassCheckers
from .options import (
    DEFAULT_BIASES,
    DEFAULT_INPUTS,
    DEFAULT_LOSS,
    DEFAULT_TARGETS,
    DEFAULT_WEIGHTS,
    MAX_VARIANTS,
    Options,
    Range,
    Rules,
    asks_backward,
    parse_activations,
    parse_architecture,
    parse_ask,
)
from .roster import read_roster
from .variants import Variant

MAX_SEED = 2**63 - 1


def _seed(text: str) -> int:
    if not (text.isascii() and text.isdecimal()) or int(text) > MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_SEED}, "
                                         f"got {text!r}")
    return int(text)


def _count(text: str) -> int:
    if not (text.isascii() and text.isdecimal() and 1 <= int(text) <= MAX_VARIANTS):
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_VARIANTS}, got {text!r}")
    return int(text)


#: from how many variants the work is shared by two processes (fewer: not worth starting)
PARALLEL_FROM = 200
MAX_JOBS = 64


def _jobs(text: str) -> int:
    if not (text.isascii() and text.isdecimal() and 1 <= int(text) <= MAX_JOBS):
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_JOBS}, got {text!r}")
    return int(text)


def jobs(requested: int | None, variants: int) -> int:
    """The processes to use: as requested, else 2 for a large class on 2 or more cores."""
    if requested is not None:
        return requested
    return min(2, os.cpu_count() or 1) if variants >= PARALLEL_FROM else 1


def add_exercise(commands: Any, digits: Callable[[str], int]) -> None:
    """The ``exercise`` command's parser (``commands``: the CLI's subparsers)."""
    exercise = commands.add_parser(
        "exercise", help="make seeded variants of an exercise for a class: sheets, keys, LMS",
        description="Make a class's variants of 'compute this network's forward pass' from "
        "a seed: each variant's network and answer key, exercise and solution sheets, the "
        "class's answers CSV and a Moodle quiz, all in DIR (see docs/exercises.md).")
    exercise.add_argument("--seed", type=_seed, required=True, help="the seed (re-running "
                          "with the same seed and options makes the same class)")
    exercise.add_argument("--architecture", required=True, metavar="N-N-N",
                          help="the inputs, then each layer's width, e.g. 2-2-1")
    exercise.add_argument("--activation", default="sigmoid", metavar="NAME[,NAME...]",
                          help="one activation, or one per layer (e.g. relu,softmax)")
    who = exercise.add_mutually_exclusive_group(required=True)
    who.add_argument("--count", type=_count, metavar="K", help="K variants, named 001 ...")
    who.add_argument("--roster", metavar="CSV", help="one variant per student of a CSV "
                     "with a 'student' column, seeded by the student's id")
    exercise.add_argument("--digits", type=digits, default=4,
                          help="decimal places of the answers (default 4)")
    for name, default in (("inputs", DEFAULT_INPUTS), ("weights", DEFAULT_WEIGHTS),
                          ("biases", DEFAULT_BIASES)):
        exercise.add_argument(f"--{name}", default=str(default), metavar="LOW:HIGH:STEP",
                              help=f"the {name} drawn: multiples of STEP (at most 2 decimals) "
                              f"from LOW to HIGH (default {default})")
    exercise.add_argument("--ask", default="all", metavar="all|outputs|backward|z,a,...",
                          help="the steps asked: all (default: every forward step), the "
                          "outputs, backward (every forward and backward step), or "
                          "quantities: z, a, s; L, ds, d, gw, gb, uw, ub of the backward pass")
    exercise.add_argument("--loss", default=None, metavar="NAME",
                          help=f"with a backward step asked: the loss, one of "
                          f"{', '.join(LOSSES)} (default {DEFAULT_LOSS})")
    exercise.add_argument("--targets", default=None, metavar="LOW:HIGH:STEP",
                          help="with a backward step asked: the targets drawn per variant "
                          f"(default {DEFAULT_TARGETS}; one-hot for softmax with "
                          "cross_entropy)")
    exercise.add_argument("--learning-rate", default=None, metavar="ETA",
                          help="with a backward step asked: one gradient-descent step "
                          "w' = w - ETA dL/dw, its updates asked with --ask backward")
    exercise.add_argument("--allow", default="", metavar="RULE[,RULE...]",
                          help=f"switch filter rules off: {', '.join(RULES)}")
    exercise.add_argument("--title", default="Exercise", help="the variants' title "
                          "(numbered: 'Exercise 001')")
    exercise.add_argument("--formats", default=",".join(OUTPUTS), metavar="F[,F...]",
                          help=f"the sheets and exports written: {', '.join(OUTPUTS)} "
                          "(default: all)")
    exercise.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                          help="processes that draw and render the variants (default: 2 "
                          f"for {PARALLEL_FROM} variants or more where there are 2 cores, "
                          "else 1); the files are the same with any N")
    exercise.add_argument("--out", required=True, metavar="DIR", help="the directory made")
    exercise.add_argument("--force", action="store_true",
                          help="replace DIR when a previous symann exercise made it (refused "
                          "when DIR holds any other file, or answers)")
    exercise.set_defaults(run=run_exercise)


def _list(text: str, known: tuple[str, ...], field: str) -> tuple[str, ...]:
    items = tuple(item.strip() for item in text.split(",") if item.strip())
    for item in items:
        if item not in known:
            raise InputError(f"expected some of {', '.join(known)}, got {item!r}", field=field)
    return items


def options_of(args: argparse.Namespace) -> Options:
    """The exercise's options from the command line."""
    widths = parse_architecture(args.architecture)
    ask = parse_ask(args.ask)
    if args.loss is None and args.targets is None and args.learning_rate is None:
        backward: dict[str, Any] = {}
    elif not asks_backward(ask):
        raise InputError("--loss, --targets and --learning-rate need a backward step asked: "
                         "--ask backward, or backward quantities (e.g. --ask L,d,gw,gb)",
                         field="--ask")
    else:
        backward = {"loss": args.loss}
        if args.targets is not None:
            backward["targets"] = Range.parse(args.targets, "--targets")
        if args.learning_rate is not None:
            backward["learning_rate"] = exact(args.learning_rate, "--learning-rate")
    options = Options(
        seed=args.seed, architecture=widths,
        activations=parse_activations(args.activation, len(widths) - 1), digits=args.digits,
        inputs=Range.parse(args.inputs, "--inputs"),
        weights=Range.parse(args.weights, "--weights"),
        biases=Range.parse(args.biases, "--biases"), ask=ask,
        rules=Rules(off=_list(args.allow, tuple(RULES), "--allow")), title=args.title,
        **backward)
    if args.targets is not None and options.one_hot:
        raise InputError(f"{options.loss} with {options.activations[-1]} outputs draws one-hot "
                         "targets: give no --targets", field="--targets")
    return options


def run_exercise(args: argparse.Namespace) -> int:
    """Read and check every option and the roster, then make and write the class."""
    options = options_of(args)
    outputs = _list(args.formats, OUTPUTS, "--formats")
    students = read_roster(Path(args.roster)) if args.roster else None
    inputs = [Path(args.roster)] if args.roster else []
    out = Path(args.out)
    check_directory(out, args.force, inputs)
    workers = jobs(args.jobs, len(students) if students else args.count)
    exercise, contents = build(options, None if students else args.count, students, outputs,
                               workers, progress_printer("generated", sys.stderr))
    write_files(contents, out, args.force, inputs)
    made = len(exercise.variants)
    print(f"wrote {made} variant{'' if made == 1 else 's'} to {out}", file=sys.stderr)
    return 0


def check_class(args: argparse.Namespace, make: Callable[[Variant], Checker],
                write_text: Callable[[str, str | None], None]) -> int:
    """``symann check --batch CSV --exercise DIR``: every student by their own variant."""
    if args.file is not None or args.answers is not None:
        raise InputError("with --exercise, give no network or answers file (each student's "
                         "network is their variant)", field="file")
    if not args.batch:
        raise InputError("--exercise grades a class: expected --batch CSV", field="--batch")
    check_output(args.output, [args.batch])
    _check_outside(args.output, Path(args.exercise))
    check_input(args.batch, limits.CLASS_FILE_BYTES)
    checkers = ClassCheckers(Path(args.exercise), make, progress_printer("regenerated"))
    places = checkers.manifest.options.digits
    if args.digits is not None and args.digits != places:
        raise InputError(f"the exercise's answers are at {places} decimal places but --digits "
                         f"is {args.digits}: give the same or no --digits", field="--digits")
    template = checkers.template()
    verdicts = io.StringIO(newline="")
    grade_class(template, Path(args.batch), verdicts, sys.stderr, checkers, checkers.row_of,
                asked_steps(args.steps, template))
    write_text(verdicts.getvalue(), args.output)
    return 0


def _check_outside(output: str | None, exercise: Path) -> None:
    """Refuse verdicts written into the exercise's directory: its files are the inputs
    (the manifest, the variants' networks and keys), and ``--force`` keeps only them."""
    if output is None:
        return
    place = Path(os.path.realpath(output))
    if exercise.resolve() in place.parents:
        raise InputError(f"is inside the exercise's directory {exercise}, whose files are the "
                         "grading's inputs: write the verdicts outside it (e.g. -o "
                         "verdicts.csv)", source=output, field="--output")
