"""Formulas printed in a dialect: the :class:`~symann.printers.base.Printer` walks the
formula tree, a dialect (plain text here; LaTeX and MathML in :mod:`symann.render`) writes
each node. Below both the document writers and the checker, which names quantities and
formulas in its feedback."""
