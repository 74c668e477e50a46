"""``python -m symann``: the command line."""
from .cli import entry

entry()
