"""symann: a symbolic maths and derivation engine for artificial neural networks."""
from __future__ import annotations

__version__ = "0.1.0"

from . import render  # noqa: F401  (registers every format in FORMATS)
from .activations import ACTIVATIONS, REGISTRY, Activation, activation
from .collapse import Collapse, collapse
from .errors import ActivationError, InputError, SymannError
from .formats import FORMATS, RenderSettings
from .grading.grade import Checker, Report, Verdict, check
from .grading.tolerance import Tolerance
from .model import Dense, Network, Neuron
from .propagation import forward
from .spec import load, loads
from .steps import Derivation, Step
from .writing import dumps

__all__ = [
    "ACTIVATIONS", "Activation", "ActivationError", "Checker", "Collapse", "Dense", "Derivation",
    "FORMATS",
    "InputError", "Network", "Neuron", "REGISTRY", "RenderSettings", "Report", "Step",
    "SymannError",
    "Tolerance", "Verdict",
    "activation", "check", "collapse", "dumps", "forward", "load", "loads",
]
