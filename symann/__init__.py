"""symann: a symbolic maths and derivation engine for artificial neural networks."""
from __future__ import annotations

__version__ = "0.1.0"

from .activations import REGISTRY as ACTIVATIONS, Activation, activation  # noqa: E402
from .errors import ActivationError, InputError, SymannError  # noqa: E402
from .formats import FORMATS, RenderSettings  # noqa: E402
from .propagation import forward  # noqa: E402
from .grading.grade import Checker, Report, Verdict, check  # noqa: E402
from .grading.tolerance import Tolerance  # noqa: E402
from .model import Dense, Network, Neuron  # noqa: E402
from .spec import load, loads  # noqa: E402
from .steps import Derivation, Step  # noqa: E402
from . import render  # noqa: E402,F401  (registers every format in FORMATS)

__all__ = [
    "ACTIVATIONS", "Activation", "ActivationError", "Checker", "Dense", "Derivation", "FORMATS",
    "InputError", "Network", "Neuron", "RenderSettings", "Report", "Step", "SymannError",
    "Tolerance", "Verdict",
    "activation", "check", "forward", "load", "loads",
]
