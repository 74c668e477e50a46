"""Printers: every output format renders the same derivation, none recomputes anything."""
