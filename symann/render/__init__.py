"""Every output format renders the same derivation, none recomputes anything.

Importing this package registers each format's writer in :data:`symann.formats.FORMATS`,
in this order (the order ``symann solve --format`` lists them), and the notebook displays
in :data:`symann.formats.DISPLAYS`.
"""
# isort: off
from . import text  # noqa: F401  (each import registers its writer)
from . import json  # noqa: F401
from . import latex  # noqa: F401
from . import mathml  # noqa: F401
from . import markdown  # noqa: F401
from . import html  # noqa: F401
from . import notebook  # noqa: F401
from . import collapse  # noqa: F401  (the formats of a linear collapse, after them all)
# isort: on
