"""A safe expression language for formula indicators: arithmetic over other indicators.

A formula such as ``(ln(gni) - ln(100)) / (ln(75000) - ln(100))`` is parsed with Python's own
``ast`` module, then every node is checked against a whitelist before anything is evaluated.
Nothing is ever passed to ``eval``: the tree is turned into closures by ``_compile``, which knows only
numbers, names of indicators, + - * / ** %, comparisons, ``a if cond else b`` and the functions
in ``FUNCTIONS``. Attribute access, subscripts, calls of anything else, lambdas, comprehensions
and strings are refused when the formula is saved, so a framework file cannot run code.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from functools import lru_cache

from django.utils.translation import gettext as _


class FormulaError(ValueError):
    """The formula is not valid in the expression language (message in the user's language)."""


def _ln(x: float) -> float:
    return math.log(x)


FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "ln": _ln,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "round": round,
}

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_UNARY: dict[type, Callable[[float], float]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE: dict[type, Callable[[float, float], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_MAX_LENGTH = 500
# Exponents are bounded so that a formula cannot make the server compute a gigantic number.
_MAX_EXPONENT = 100


@lru_cache(maxsize=1024)
def parse(source: str) -> ast.Expression:
    """Parse and check ``source``; raise ``FormulaError`` naming the first forbidden part."""
    if len(source) > _MAX_LENGTH:
        raise FormulaError(_("The formula is too long (at most 500 characters)."))
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            _("The formula is not valid near column %(column)s.") % {"column": exc.offset or 0}
        ) from exc
    for node in ast.walk(tree):
        _check(node)
    return tree


def _check(node: ast.AST) -> None:
    allowed = (
        ast.Expression,
        ast.BinOp,
        ast.UnaryOp,
        ast.Compare,
        ast.IfExp,
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.Name,
        ast.Load,
        ast.Constant,
        ast.Call,
        *_BINARY,
        *_UNARY,
        *_COMPARE,
    )
    if not isinstance(node, allowed):
        raise FormulaError(
            _("“%(part)s” is not allowed in a formula.") % {"part": type(node).__name__}
        )
    if isinstance(node, ast.Constant) and (
        isinstance(node.value, bool) or not isinstance(node.value, int | float)
    ):
        raise FormulaError(_("Only numbers may appear as constants in a formula."))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError(
                _("Unknown function in the formula; allowed: %(names)s.")
                % {"names": ", ".join(sorted(FUNCTIONS))}
            )
        if node.keywords:
            raise FormulaError(_("Functions in a formula take no named arguments."))


def names(source: str) -> set[str]:
    """Indicator codes a formula reads (function names excluded)."""
    return set(used_names(source))


@lru_cache(maxsize=1024)
def used_names(source: str) -> frozenset[str]:
    """``names`` memoised: the engine asks for every unit, the answer never changes."""
    tree = parse(source)
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}  # type: ignore[attr-defined]
    return frozenset({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called)


def evaluate(source: str, variables: Mapping[str, float]) -> float:
    """The value of ``source`` with ``variables``; errors become ``FormulaError``."""
    function = compile_formula(source)
    try:
        return float(function(variables))
    except FormulaError:
        raise
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise FormulaError(
            _("The formula cannot be computed: %(error)s") % {"error": str(exc)}
        ) from exc


Compiled = Callable[[Mapping[str, float]], float]


@lru_cache(maxsize=1024)
def compile_formula(source: str) -> Compiled:
    """The checked tree turned into nested Python closures, once per formula.

    Walking the tree again for each of 10,000 units was the engine's slowest step; closures do
    the same arithmetic without re-dispatching on node types, and still never call ``eval``.
    """
    return _compile(parse(source).body)


def _name(name: str) -> Compiled:
    def read(env: Mapping[str, float]) -> float:
        if name not in env:
            raise FormulaError(
                _("The formula uses “%(name)s”, which has no value.") % {"name": name}
            )
        return float(env[name])

    return read


def _power(a: float, b: float) -> float:
    if abs(b) > _MAX_EXPONENT:
        raise FormulaError(_("Exponents in a formula must be between -100 and 100."))
    return a**b


def _compile(node: ast.AST) -> Compiled:
    match node:
        case ast.Constant(value=value):
            constant = float(value)  # type: ignore[arg-type]  # parse() admits numbers only
            return lambda env: constant
        case ast.Name(id=name):
            return _name(name)
        case ast.BinOp(left=left, op=op, right=right):
            fa, fb = _compile(left), _compile(right)
            binary = _power if isinstance(op, ast.Pow) else _BINARY[type(op)]
            return lambda env: binary(fa(env), fb(env))
        case ast.UnaryOp(op=op, operand=operand):
            fo, unary = _compile(operand), _UNARY[type(op)]
            return lambda env: unary(fo(env))
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            first = _compile(left)
            steps = [
                (_COMPARE[type(o)], _compile(c)) for o, c in zip(ops, comparators, strict=True)
            ]

            def compare(env: Mapping[str, float]) -> float:
                current = first(env)
                for test, right_value in steps:
                    value = right_value(env)
                    if not test(current, value):
                        return 0.0
                    current = value
                return 1.0

            return compare
        case ast.BoolOp(op=op, values=values):
            parts = [_compile(v) for v in values]
            if isinstance(op, ast.And):
                return lambda env: float(all(p(env) for p in parts))
            return lambda env: float(any(p(env) for p in parts))
        case ast.IfExp(test=test, body=body, orelse=orelse):
            ft, fb, fe = _compile(test), _compile(body), _compile(orelse)
            return lambda env: fb(env) if ft(env) else fe(env)
        case ast.Call(func=ast.Name(id=fname), args=args):
            function, fargs = FUNCTIONS[fname], [_compile(a) for a in args]
            return lambda env: float(function(*(a(env) for a in fargs)))
    raise FormulaError(_("“%(part)s” is not allowed in a formula.") % {"part": type(node).__name__})
