"""The limits on what symann reads, each refused with an error that names it.

They keep every command's time and memory proportional to a sensible input; they are
listed, with what happens at each, in ``docs/limits.md``.
"""
from __future__ import annotations

MiB = 2**20

#: bytes of a TOML or JSON file (a network, an answers file)
TEXT_FILE_BYTES = 10 * MiB
#: bytes of a class CSV for ``symann check --batch``
CLASS_FILE_BYTES = 50 * MiB
#: bytes of a CSV batch of inputs for ``symann eval``
CSV_FILE_BYTES = 256 * MiB
#: bytes of the arrays of an ``.npz`` network or an ``.npy`` batch, decompressed, in all
ARRAY_BYTES = 1024 * MiB
#: layers of a network
LAYERS = 1_000
#: arrays in an ``.npz`` file: W and b per layer, activations, inputs, title
NPZ_ARRAYS = 2 * LAYERS + 3
#: inputs of the network, and neurons of a layer
WIDTH = 100_000
#: weights and biases, in all, of a network given as TOML or JSON (each read exactly)
TEXT_NUMBERS = 200_000
#: commas in a TOML or JSON file, counted before it is parsed (parsing takes time per item)
TEXT_ITEMS = 2 * TEXT_NUMBERS
#: digits of one number written in a TOML or JSON file
NUMBER_DIGITS = 100
#: parts of a TOML dotted key (``a.b.c`` has 3)
KEY_PARTS = 32
#: levels of nested lists and tables in a TOML or JSON file
NESTING = 32
#: values of a batch of inputs, and of its outputs (rows x columns)
BATCH_VALUES = 100_000_000
#: multiplications of ``symann collapse``: a layer ``l`` after the first costs
#: ``size(l) × fan_in(l) × (inputs + 1)`` of them (its weights times the product so far, and
#: times the bias so far)
COLLAPSE_PRODUCTS = 1_000_000
