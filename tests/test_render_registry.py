"""The render machinery: the FORMATS registry, RenderSettings, the document's blocks and
writers, headings, and notation as data (the spellings the answer parser derives)."""
from __future__ import annotations

import json

import pytest

import symann
from symann.cli import build_parser
from symann.formats import DISPLAYS, FORMATS, RenderSettings
from symann.notation import PRESETS, SCHEMES, is_chain, notation, notations, spellings
from symann.printers.text import TextPrinter
from symann.quantities import Quantity, Ref
from symann.render.blocks import Block, Inputs, Layer, MatrixLayer, Outputs, Title
from symann.render.document import DocumentWriter, build

from conftest import EXAMPLES

Q = Quantity


def two_neurons():
    return symann.load(EXAMPLES / "two-neurons.toml").forward()


def test_the_registry_holds_every_format_and_the_cli_offers_them():
    assert list(FORMATS) == ["text", "json", "latex", "mathml", "markdown", "html"]
    assert symann.FORMATS is FORMATS and symann.RenderSettings is RenderSettings
    assert set(DISPLAYS) == {"text/plain", "text/latex", "text/html"}
    solve = build_parser()._subparsers._group_actions[0].choices["solve"]
    choices = {a.dest: a.choices for a in solve._actions}
    assert list(choices["format"]) == list(FORMATS)
    assert list(choices["notation"]) == list(PRESETS)


@pytest.mark.parametrize("name", list(FORMATS))
def test_render_is_what_the_to_methods_give(name):
    d = two_neurons()
    method = getattr(d, f"to_{name}")
    assert d.render(name) == method()
    if name != "json":
        assert d.render(name, notation="layered") == method(notation="layered")
        assert d.render(name, RenderSettings(times="cdot")) == method(times="cdot")


def test_to_dict_is_the_json():
    d = two_neurons()
    assert d.to_dict() == json.loads(d.to_json())
    assert d.to_json(indent=None).count("\n") == 0


def test_unknown_format_lists_the_formats():
    with pytest.raises(symann.InputError, match="unknown format 'pdf'; the formats are text, "
                       "json, latex, mathml, markdown, html"):
        two_neurons().render("pdf")


def test_settings_refuse_unknown_keys_and_bad_values():
    with pytest.raises(symann.InputError, match="unknown render setting 'colour'; the settings "
                       "are notation, times, numbers, standalone, indent"):
        RenderSettings.from_mapping({"notation": "layered", "colour": "red"})
    with pytest.raises(symann.InputError, match="unknown render setting 'notaton'"):
        two_neurons().to_text(notaton="layered")
    with pytest.raises(symann.InputError, match="expected times or cdot"):
        RenderSettings(times="x")
    with pytest.raises(symann.InputError, match="expected one of auto, chain, layered, matrix"):
        two_neurons().to_latex(notation="tensor")
    with pytest.raises(symann.InputError, match="expected a whole number"):
        RenderSettings(indent=-1)
    settings = RenderSettings.from_mapping({"notation": "layered", "numbers": "fraction"})
    assert settings == RenderSettings("layered", numbers="fraction")
    with pytest.raises(AttributeError):
        settings.notation = "chain"  # type: ignore[misc]


def test_the_document_is_typed_blocks_in_order():
    d = two_neurons()
    blocks = build(d, TextPrinter(notation(d.network))).blocks
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Title", "Inputs", "ParameterTables", "Layer", "Layer", "Outputs",
                     "CarryNote"]
    assert isinstance(blocks[0], Title) and blocks[0].text == "Two neurons in sequence"
    assert isinstance(blocks[1], Inputs) and blocks[1].given == (("x₁", "0.1"),)
    assert isinstance(blocks[3], Layer) and blocks[3].heading == "Neuron 1 (sigmoid)"
    assert isinstance(blocks[5], Outputs) and blocks[5].lines[0].parts == ("a₂", "0.6706")
    matrix = build(d, TextPrinter(notation(d.network, "matrix"))).blocks
    assert [type(b) for b in matrix].count(MatrixLayer) == 2


def test_every_writer_writes_every_block_type():
    methods = {cls.method for cls in _subclasses(Block)}
    assert methods == {"title", "inputs", "parameters", "layer", "matrix_layer", "outputs",
                       "part", "carry_note"}
    writers = [w for w in [*FORMATS.values(), *DISPLAYS.values()]
               if isinstance(w, DocumentWriter)]
    assert len(writers) == 8
    for writer in writers:
        for method in methods - {"matrix_layer"}:
            assert getattr(type(writer), method) is not getattr(DocumentWriter, method), \
                (type(writer).__name__, method)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_headings_name_the_function_for_readers():
    network = symann.Network([symann.Dense([[0.5, -1], [1, 2]], [0, 0.1],
                                           {"name": "leaky_relu", "slope": 0.1}),
                              symann.Dense([[1, 1]], [0], "relu")], inputs=[1, 2])
    text = network.forward().to_text()
    assert "Layer 1 (leaky ReLU (slope 0.1))" in text
    assert "Layer 2, output (ReLU)" in text
    assert "leaky_relu" not in text and "(relu)" not in text
    html = network.forward().to_html()
    assert "<caption>Layer 1: leaky ReLU (slope 0.1)</caption>" in html


def test_one_definition_of_a_chain_for_headings_and_names():
    # single neurons in sequence, but two inputs: not a chain, so layered and "Layer"
    wide = symann.Network([symann.Neuron([0.1, 0.2], 0.3), symann.Neuron([0.4], 0.5)],
                          inputs=[1, 2])
    assert not is_chain(wide)
    text = wide.forward().to_text()
    assert "Layer 1 (sigmoid)" in text and "Neuron" not in text
    assert "z⁽²⁾₁ = w⁽²⁾₁₁·a⁽¹⁾₁ + b⁽²⁾₁" in text
    with pytest.raises(symann.InputError, match="chain notation"):
        wide.forward().to_text(notation="chain")
    chain = two_neurons()
    assert is_chain(chain.network)
    assert "Neuron 2, output (sigmoid)" in chain.to_text()
    assert "z₂ = a₁ · w₂ + b₂" in chain.to_text()


def test_presets_are_data():
    assert set(PRESETS) == {"auto", "chain", "layered", "matrix"}
    assert {p.scheme for p in PRESETS.values()} - {None} <= set(SCHEMES)
    assert PRESETS["matrix"].layout == "matrix" and PRESETS["chain"].needs_chain
    for scheme in SCHEMES.values():
        assert set(scheme.rules) == set(Quantity)


def test_spellings_for_the_answer_parser():
    chain = two_neurons().network
    layered, as_chain = notation(chain, "layered"), notation(chain, "chain")
    assert [n.preset for n in notations(chain)] == ["chain", "layered"]
    assert spellings(as_chain, Ref(Q.PRE_ACTIVATION, 2, 1)) == ("z_2",)
    assert spellings(as_chain, Ref(Q.WEIGHT, 2, 1, 1)) == ("w_2",)
    assert spellings(layered, Ref(Q.WEIGHT, 2, 1, 1)) == ("w^(2)_11", "w^(2)_1,1")
    assert spellings(layered, Ref(Q.SOFTMAX_SUM, 2)) == ("S^(2)",)
    assert spellings(layered, Ref(Q.INPUT, source=1)) == ("x_1", "a^(0)_1")
    one = symann.load(EXAMPLES / "one-neuron.toml")
    single = notation(one)
    assert spellings(single, Ref(Q.ACTIVATION, 1, 1)) == ("a",)
    assert spellings(single, Ref(Q.WEIGHT, 1, 1, 1)) == ("w_1",)
    wide = symann.load(EXAMPLES / "relu-softmax.json")
    assert [n.preset for n in notations(wide)] == ["layered"]
