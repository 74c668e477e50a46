"""symann.evaluate: every node in every domain, domain errors, the budget counted exactly
(written to kill mutants: docs/mutation.md)."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy

from symann.activations import function
from symann.evaluate import (
    ARGUMENT,
    Budget,
    BudgetExhausted,
    Domain,
    DomainError,
    PreciseDomain,
    RealDomain,
    SympyDomain,
    apply,
    evaluate,
)
from symann.formula import (
    Call,
    Constant,
    Exp,
    Log,
    Negate,
    Node,
    Partial,
    Power,
    Product,
    Quotient,
    Sum,
    Symbol,
    Variable,
    Weighted,
)
from symann.numbers import precise
from symann.quantities import Quantity, Ref
from symann.reals import Arithmetic, Real

F = Fraction
C = lambda value: Constant(F(value))
X, W, B = Ref(Quantity("x"), 0, 0, 1), Ref(Quantity("w"), 1, 1, 1), Ref(Quantity("b"), 1, 1)
BITS = 160


def real() -> RealDomain:
    return RealDomain(Arithmetic(BITS))


def contains(value: Real, truth) -> bool:
    low, high = value.bounds(-(10**6))
    with mpmath.workdps(200):
        return (mpmath.mpf(low.numerator) / low.denominator <= truth
                <= mpmath.mpf(high.numerator) / high.denominator)


def test_budget_counts_down_and_stops_below_zero():
    budget = Budget(3)
    budget.spend()
    budget.spend(2)
    assert budget.left == 0                         # exactly used up is fine
    with pytest.raises(BudgetExhausted, match="too much work"):
        budget.spend()
    assert Budget(5).left == 5
    other = Budget(4)
    other.spend(4)
    with pytest.raises(BudgetExhausted):
        other.spend(1)


def test_every_node_costs_one_and_every_weighted_term_one():
    formula = Sum((Weighted(W, X), C(2), Negate(C(3))))    # Sum, 2, Negate, 3, and w x
    values = {X: Real(F(1, 2)), W: Real(F(3))}
    budget = Budget(5)
    assert evaluate(formula, real(), values, budget=budget) == Real(F(1, 2))
    assert budget.left == 0
    with pytest.raises(BudgetExhausted):
        evaluate(formula, real(), values, budget=Budget(4))
    assert evaluate(formula, real(), values).rational == F(1, 2)      # no budget: no limit


def test_a_function_definition_spends_the_same_budget():
    sigmoid = Call("sigmoid", (C(0),))
    # Call, 0, then the definition 1 / (1 + e^-z): Quotient, 1, Sum, 1, Exp, Negate, z
    budget = Budget(9)
    assert evaluate(sigmoid, real(), {}, budget=budget).rational == F(1, 2)
    assert budget.left == 0
    with pytest.raises(BudgetExhausted):
        evaluate(sigmoid, real(), {}, budget=Budget(8))
    with pytest.raises(BudgetExhausted):
        apply(function("sigmoid"), [Real(F(0))], real(), budget=Budget(6))
    budget = Budget(7)
    apply(function("sigmoid"), [Real(F(0))], real(), budget=budget)
    assert budget.left == 0


def test_leaves():
    partial = Partial(W, X)
    values = {X: F(2), partial: F(7)}
    domain = PreciseDomain()
    assert evaluate(Symbol(X), RealDomain(Arithmetic(64)), {X: Real(F(2))}).rational == 2
    assert evaluate(partial, domain, values) == 7
    assert evaluate(Variable("t"), domain, {}, {"t": F(5)}) == 5
    assert evaluate(C(F(1, 3)), SympyDomain(), {}) == sympy.Rational(1, 3)


ARGS = {X: F(3, 4), W: F(-2, 5), B: F(1, 10)}


@pytest.mark.parametrize("formula, expected", [
    (Sum((Weighted(W, X), Symbol(B))), F(-2, 5) * F(3, 4) + F(1, 10)),
    (Sum((Symbol(B), C(-1))), F(-9, 10)),
    (Weighted(W, X), F(-3, 10)),
    (Product((Symbol(X), Symbol(W), C(5))), F(-3, 2)),
    (Quotient(Symbol(X), Symbol(W)), F(-15, 8)),
    (Quotient(C(-1), C(3)), F(-1, 3)),
    (Power(Symbol(X), C(3)), F(27, 64)),
    (Power(Symbol(W), C(-2)), F(25, 4)),
    (Power(C(-2), C(3)), F(-8)),
    (Power(C(0), C(2)), F(0)),
    (Power(C(7), C(0)), F(1)),
    (Negate(Symbol(W)), F(2, 5)),
    (Exp(C(0)), F(1)),
    (Log(C(1)), F(0)),
    (Call("relu", (Symbol(W),)), F(0)),
    (Call("relu", (Symbol(X),)), F(3, 4)),
    (Call("leaky_relu", (Symbol(W),), (("slope", F(1, 10)),)), F(-1, 25)),
    (Call("max", (Symbol(W), Symbol(B))), F(1, 10)),
    (Call("step", (C(0),), (("at_zero", F(1, 2)),)), F(1, 2)),
    (Call("identity", (Symbol(W),)), F(-2, 5)),
])
def test_rational_values_in_every_domain(formula, expected):
    exact = evaluate(formula, real(), {k: Real(v) for k, v in ARGS.items()})
    assert exact.rational == expected
    mp = evaluate(formula, PreciseDomain(), {k: PreciseDomain().number(v) for k, v in ARGS.items()})
    assert abs(mp - precise.mpf(expected.numerator) / expected.denominator) < precise.mpf(10) ** -55
    sym = evaluate(formula, SympyDomain(), {k: SympyDomain().number(v) for k, v in ARGS.items()})
    assert sympy.nsimplify(sym) == sympy.Rational(expected.numerator, expected.denominator)


@pytest.mark.parametrize("formula, truth", [
    (Exp(C(F(1, 3))), lambda: mpmath.exp(mpmath.mpf(1) / 3)),
    (Log(C(F(5, 2))), lambda: mpmath.log(mpmath.mpf(5) / 2)),
    (Power(C(2), C(F(1, 3))), lambda: mpmath.cbrt(2)),
    (Power(Exp(C(1)), C(3)), lambda: mpmath.e ** 3),             # enclosed base, whole exponent
    (Power(Exp(C(1)), C(-2)), lambda: mpmath.e ** -2),
    (Power(Exp(C(1)), C(0)), lambda: mpmath.mpf(1)),
    (Power(Exp(C(-1)), C(F(1, 2))), lambda: mpmath.exp(-0.5)),
    (Quotient(C(1), Exp(C(1))), lambda: 1 / mpmath.e),
    (Negate(Exp(C(2))), lambda: -mpmath.exp(2)),
    (Product((Exp(C(1)), C(3))), lambda: 3 * mpmath.e),
    (Sum((Exp(C(1)), C(-3))), lambda: mpmath.e - 3),
    (Call("sigmoid", (C(F(2, 5)),)), lambda: 1 / (1 + mpmath.exp(-mpmath.mpf(2) / 5))),
    (Call("tanh", (C(F(-1, 3)),)), lambda: mpmath.tanh(-mpmath.mpf(1) / 3)),
    (Call("softplus", (C(F(1, 2)),)), lambda: mpmath.log(1 + mpmath.exp(mpmath.mpf(1) / 2))),
    (Call("silu", (C(-1),)), lambda: -1 / (1 + mpmath.e)),
    (Call("max", (Exp(C(1)), C(2))), lambda: mpmath.e),
])
def test_irrational_values_are_enclosed_and_agree_across_domains(formula, truth):
    with mpmath.workdps(200):
        expected = truth()
        value = evaluate(formula, real(), {})
        assert value.rational is None or value.rational == expected
        assert contains(value, expected)
        low, high = value.bounds(-(10**6))
        assert high - low < F(1, 2**(BITS - 20))
        assert abs(evaluate(formula, PreciseDomain(), {}) - expected) < mpmath.mpf(10) ** -55
        assert abs(sympy.N(evaluate(formula, SympyDomain(), {}), 70) - sympy.Float(
            mpmath.nstr(expected, 70), 70)) < sympy.Float(10) ** -60


def test_power_of_an_enclosed_base_to_zero_is_exactly_one():
    assert evaluate(Power(Exp(C(1)), C(0)), real(), {}).rational == 1


def test_softmax_in_every_domain():
    zs = [F(1, 2), F(-1), F(2)]
    with mpmath.workdps(200):
        exps = [mpmath.exp(mpmath.mpf(z.numerator) / z.denominator) for z in zs]
        truth = [e / sum(exps) for e in exps]
        values = apply(function("softmax"), [Real(z) for z in zs], real())
        assert len(values) == 3
        for value, expected in zip(values, truth):
            assert value.rational is None and contains(value, expected)
        mp = apply(function("softmax"), [PreciseDomain().number(z) for z in zs], PreciseDomain())
        assert all(abs(a - b) < mpmath.mpf(10) ** -55 for a, b in zip(mp, truth))
        sym = apply(function("softmax"), [SympyDomain().number(z) for z in zs], SympyDomain())
        assert all(abs(sympy.N(a, 60) - sympy.Float(mpmath.nstr(b, 60), 60)) < 1e-50
                   for a, b in zip(sym, truth))
    same = apply(function("softmax"), [Real(F(3))] * 4, real())
    assert [v.rational for v in same] == [F(1, 4)] * 4


# -- domain errors --------------------------------------------------------------------------

ENCLOSING_ZERO = Sum((Exp(C(F(1, 3))), Negate(Exp(C(F(1, 3))))))   # e^(1/3) - e^(1/3)


@pytest.mark.parametrize("formula, message", [
    (Quotient(C(1), C(0)), "division by zero"),
    (Quotient(C(1), Sum((C(1), C(-1)))), "division by zero"),
    (Quotient(C(1), ENCLOSING_ZERO), "division by zero"),
    (Power(C(0), C(-1)), "division by zero"),
    (Power(C(-2), C(F(1, 2))), "whole exponent"),
    (Power(ENCLOSING_ZERO, C(F(1, 2))), "whole exponent"),
    (Power(Negate(Exp(C(1))), C(F(1, 2))), "whole exponent"),
    (Power(ENCLOSING_ZERO, C(-1)), "division by zero"),
    (Log(C(0)), "not positive"),
    (Log(C(-1)), "not positive"),
    (Log(Negate(Exp(C(1)))), "not positive"),
    (Log(ENCLOSING_ZERO), "not positive"),
])
def test_real_domain_errors(formula, message):
    with pytest.raises(DomainError, match=message):
        evaluate(formula, real(), {})


@pytest.mark.parametrize("formula, message", [
    (Quotient(C(1), C(0)), "division by zero"),
    (Power(C(0), C(-1)), "division by zero"),
    (Power(C(-2), C(F(1, 2))), "whole exponent"),
    (Log(C(0)), "not positive"),
    (Log(C(-3)), "not positive"),
])
def test_precise_domain_errors(formula, message):
    with pytest.raises(DomainError, match=message):
        evaluate(formula, PreciseDomain(), {})


def test_precise_domain_edges_that_have_values():
    p = PreciseDomain()
    assert evaluate(Power(C(0), C(0)), p, {}) == 1          # mpmath's 0^0
    assert evaluate(Power(C(0), C(2)), p, {}) == 0
    assert evaluate(Power(C(-2), C(-3)), p, {}) == precise.mpf(-1) / 8
    assert evaluate(Power(C(-2), C(2)), p, {}) == 4
    assert evaluate(Log(C(1)), p, {}) == 0
    assert evaluate(Quotient(C(-3), C(4)), p, {}) == precise.mpf(-0.75)
    assert evaluate(Negate(C(0)), p, {}) == 0
    assert p.number(F(1, 3)) == precise.mpf(1) / 3


def test_real_domain_power_edges():
    d = real()
    assert evaluate(Power(C(0), C(3)), d, {}) == d.math.zero
    assert evaluate(Power(C(F(-1, 2)), C(-3)), d, {}).rational == -8
    positive = evaluate(Power(Exp(C(-2)), C(F(3, 2))), d, {})
    with mpmath.workdps(200):
        assert contains(positive, mpmath.exp(-3))
        negative_base = evaluate(Power(Negate(Exp(C(1))), C(3)), d, {})   # whole exponent
        assert contains(negative_base, -mpmath.e ** 3)
        inverse = evaluate(Power(Negate(Exp(C(1))), C(-1)), d, {})
        assert contains(inverse, -1 / mpmath.e)


def test_domain_is_abstract_and_dot_is_a_weighted_sum():
    base: Domain = Domain()
    for operation, arguments in [("number", (F(1),)), ("add", ([],)), ("multiply", ([],)),
                                 ("divide", (1, 1)), ("power", (1, 1)), ("exp", (1,)),
                                 ("log", (1,)), ("negate", (1,))]:
        with pytest.raises(NotImplementedError):
            getattr(base, operation)(*arguments)
    assert SympyDomain().dot([(sympy.Integer(2), sympy.Integer(3))], [sympy.Integer(1)]) == 7
    assert Domain.form(base, lambda a, b: a - b, [5, 2]) == 3
    real_dot = real().dot([(Real(F(2)), Real(F(3))), (Real(F(1, 2)), Real(F(-4)))],
                          [Real(F(1)), Real(F(1, 3))])
    assert real_dot.rational == 6 - 2 + 1 + F(1, 3)


def test_argument_and_names():
    assert Variable("z") == ARGUMENT
    assert (RealDomain.name, PreciseDomain.name, SympyDomain.name) == ("real", "precise", "sympy")
    assert function("sigmoid").form("real") is None        # computed by its definition
    assert issubclass(DomainError, Exception) and issubclass(BudgetExhausted, Exception)


# -- the exact messages a user reads --------------------------------------------------------

@pytest.mark.parametrize("domain, formula, message", [
    (real, Quotient(C(1), C(0)), "division by zero"),
    (real, Power(C(0), C(-2)), "division by zero"),
    (real, Power(ENCLOSING_ZERO, C(-1)), "division by zero"),   # a base that may be 0
    (real, Power(C(-2), C(F(1, 2))),
     "a power of a number that is not positive needs a whole exponent"),
    (real, Log(C(0)), "the logarithm of a number that is not positive"),
    (PreciseDomain, Quotient(C(1), C(0)), "division by zero"),
    (PreciseDomain, Power(C(0), C(-2)), "division by zero"),
    (PreciseDomain, Power(C(-2), C(F(1, 2))), "a power of a negative number needs a whole exponent"),
    (PreciseDomain, Log(C(0)), "the logarithm of a number that is not positive"),
])
def test_domain_error_messages(domain, formula, message):
    with pytest.raises(DomainError) as caught:
        evaluate(formula, domain(), {})
    assert str(caught.value) == message


def test_budget_message():
    with pytest.raises(BudgetExhausted) as caught:
        Budget(0).spend()
    assert str(caught.value) == "the formula needs too much work to evaluate"


def test_zero_to_the_first_power_is_zero():
    assert evaluate(Power(C(0), C(1)), real(), {}) == Real(F(0))
    assert evaluate(Power(C(0), C(1)), PreciseDomain(), {}) == 0


def test_an_enclosure_that_reaches_zero_is_not_positive():
    m = Arithmetic(BITS)
    touching = {X: Real(None, m.ctx.mpf([0, 1]))}
    with pytest.raises(DomainError, match=r"^the logarithm"):
        evaluate(Log(Symbol(X)), RealDomain(m), touching)
    with pytest.raises(DomainError, match=r"whole exponent$"):
        evaluate(Power(Symbol(X), C(F(1, 2))), RealDomain(m), touching)
    above = {X: Real(None, m.ctx.mpf([2.0**-100, 1]))}
    assert evaluate(Log(Symbol(X)), RealDomain(m), above).rational is None


def test_an_unknown_node_is_a_type_error():
    with pytest.raises(TypeError, match=r"^cannot evaluate Node$"):
        evaluate(Node(), PreciseDomain(), {})


@pytest.mark.parametrize("base, exponent, expected", [
    ("0", "0", 1), ("0", "1/2", 0), ("0", "3", 0), ("-2", "3", -8), ("-1/2", "-3", -8),
    ("4", "1/2", 2),
])
def test_every_domain_agrees_on_powers(base, exponent, expected):
    """The exact and the 60-digit domains give the same value (0^0 is 1, 0^(1/2) is 0)."""
    b, e = Fraction(base), Fraction(exponent)
    real = evaluate(Power(Constant(b), Constant(e)), RealDomain(Arithmetic(128)), {})
    mp = evaluate(Power(Constant(b), Constant(e)), PreciseDomain(), {})
    assert abs(real.approximate(precise) - expected) < 1e-30
    assert abs(mp - expected) < 1e-30


@pytest.mark.parametrize("base, exponent", [("0", "-1"), ("-2", "1/2")])
def test_powers_without_a_value_are_domain_errors_in_every_domain(base, exponent):
    node = Power(Constant(Fraction(base)), Constant(Fraction(exponent)))
    for domain in (RealDomain(Arithmetic(128)), PreciseDomain()):
        with pytest.raises(DomainError):
            evaluate(node, domain, {})


def test_a_huge_whole_power_of_an_irrational_base_is_enclosed_quickly():
    math = Arithmetic(128)
    base = math.exp(math.given(Fraction(1, 10**9)))        # e^(1e-9), irrational
    value = RealDomain(math).power(base, math.given(Fraction(10**9)))   # = e
    assert abs(value.approximate(precise) - precise.e) < 1e-20
    negative = RealDomain(math).power(math.negate(base), math.given(Fraction(3)))
    assert negative.approximate(precise) < 0
