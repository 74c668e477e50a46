"""The exceptions symann raises for bad input: every one is a SymannError."""
from __future__ import annotations


class SymannError(Exception):
    """Base of every user-facing error; the CLI prints its message as ``error: ...``."""


class InputError(SymannError):
    """A network, a file or an option is not what symann expects.

    ``source`` names the file (or ``"network"`` for Python objects), ``field`` the place in
    it (``layers[2].weights[1]``, counted from 1 like the layers and neurons of the notation).
    """

    def __init__(self, message: str, *, field: str = "", source: str = "") -> None:
        self.message = message
        self.field = field
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = ": ".join(part for part in (self.source, self.field) if part)
        return f"{where}: {self.message}" if where else self.message

    def within(self, prefix: str) -> InputError:
        """The same error, its field nested under ``prefix`` (e.g. ``layers[2]``)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return type(self)(self.message, field=field, source=self.source)

    def from_source(self, source: str) -> InputError:
        """The same error, naming the file it came from."""
        return type(self)(self.message, field=self.field, source=source)


class ActivationError(InputError):
    """An unknown activation name or a bad activation setting."""
