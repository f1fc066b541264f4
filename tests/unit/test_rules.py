"""Unit tests for the rule language: parsing, rendering, evaluation, lowering."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

import negotiate.rules as rules
import negotiate.rules.lower as lower_module
from negotiate.errors import RuleSyntaxError, ScenarioError
from negotiate.rules import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Compare,
    Const,
    Implies,
    Member,
    Not,
    Or,
    Rule,
    comparisons,
    depth,
    evaluate,
    is_identifier,
    issues_of,
    parse,
    render,
)
from negotiate.rules.lower import (
    Atom,
    LAnd,
    LConst,
    LNot,
    LOr,
    evaluate_lowered,
    lower,
    scope,
    simplify,
)

A = Compare(issue="a", op="==", option="x")
B = Compare(issue="b", op="==", option="y")
C = Compare(issue="c", op="==", option="z")
D = Compare(issue="d", op="==", option="w")


def and_(*xs: Rule) -> And:
    return And(operands=xs)


def or_(*xs: Rule) -> Or:
    return Or(operands=xs)


def not_(x: Rule) -> Not:
    return Not(operand=x)


def implies(x: Rule, y: Rule) -> Implies:
    return Implies(left=x, right=y)


# ---------------------------------------------------------------------------
# parsing: text -> tree -> canonical text

PARSE_CASES: list[tuple[str, Rule, str]] = [
    ("a == x", A, "a == x"),
    ("a==x", A, "a == x"),
    ("  a\t==\nx  ", A, "a == x"),
    ("a != x", Compare(issue="a", op="!=", option="x"), "a != x"),
    ("t < low", Compare(issue="t", op="<", option="low"), "t < low"),
    ("t<=low", Compare(issue="t", op="<=", option="low"), "t <= low"),
    ("t > low", Compare(issue="t", op=">", option="low"), "t > low"),
    ("t>=low", Compare(issue="t", op=">=", option="low"), "t >= low"),
    ("Issue_2 == 2025", Compare(issue="Issue_2", op="==", option="2025"), "Issue_2 == 2025"),
    ("AND == OR", Compare(issue="AND", op="==", option="OR"), "AND == OR"),
    ("true", Const(value=True), "true"),
    ("false", Const(value=False), "false"),
    ("(true)", Const(value=True), "true"),
    ("a in {x}", Member(issue="a", options=("x",)), "a in {x}"),
    ("a in{x,y , z}", Member(issue="a", options=("x", "y", "z")), "a in {x, y, z}"),
    ("a not in {x, y}", Member(issue="a", options=("x", "y"), negated=True), "a not in {x, y}"),
    ("not a == x", not_(A), "not a == x"),
    ("not not a == x", not_(not_(A)), "not not a == x"),
    ("not (a == x)", not_(A), "not a == x"),
    ("a == x and b == y", and_(A, B), "a == x and b == y"),
    ("a == x and b == y and c == z", and_(A, B, C), "a == x and b == y and c == z"),
    ("(a == x and b == y) and c == z", and_(and_(A, B), C), "(a == x and b == y) and c == z"),
    ("a == x and (b == y and c == z)", and_(A, and_(B, C)), "a == x and (b == y and c == z)"),
    ("a == x or b == y or c == z", or_(A, B, C), "a == x or b == y or c == z"),
    ("(a == x or b == y) or c == z", or_(or_(A, B), C), "(a == x or b == y) or c == z"),
    ("a == x -> b == y", implies(A, B), "a == x -> b == y"),
    ("a == x implies b == y", implies(A, B), "a == x -> b == y"),
    ("((a == x)) -> (((b == y)))", implies(A, B), "a == x -> b == y"),
    (
        "donetsk in {russia_takes_all, ukraine_withdraws} and "
        "(nato == path_open -> guarantees == none)",
        and_(
            Member(issue="donetsk", options=("russia_takes_all", "ukraine_withdraws")),
            implies(
                Compare(issue="nato", op="==", option="path_open"),
                Compare(issue="guarantees", op="==", option="none"),
            ),
        ),
        "donetsk in {russia_takes_all, ukraine_withdraws} and "
        "(nato == path_open -> guarantees == none)",
    ),
]


@pytest.mark.parametrize(("text", "tree", "canonical"), PARSE_CASES)
def test_parse_and_render(text: str, tree: Rule, canonical: str) -> None:
    assert parse(text) == tree
    assert render(tree) == canonical
    assert str(tree) == canonical
    assert parse(canonical) == tree


PRECEDENCE_CASES: list[tuple[str, Rule, str]] = [
    # not binds tighter than and
    ("not a == x and b == y", and_(not_(A), B), "not a == x and b == y"),
    ("not (a == x and b == y)", not_(and_(A, B)), "not (a == x and b == y)"),
    # and binds tighter than or
    ("a == x or b == y and c == z", or_(A, and_(B, C)), "a == x or b == y and c == z"),
    ("a == x and b == y or c == z", or_(and_(A, B), C), "a == x and b == y or c == z"),
    ("(a == x or b == y) and c == z", and_(or_(A, B), C), "(a == x or b == y) and c == z"),
    # or binds tighter than ->
    ("a == x or b == y -> c == z", implies(or_(A, B), C), "a == x or b == y -> c == z"),
    ("a == x -> b == y or c == z", implies(A, or_(B, C)), "a == x -> b == y or c == z"),
    ("a == x or (b == y -> c == z)", or_(A, implies(B, C)), "a == x or (b == y -> c == z)"),
    # -> is right-associative
    ("a == x -> b == y -> c == z", implies(A, implies(B, C)), "a == x -> b == y -> c == z"),
    ("a == x -> (b == y -> c == z)", implies(A, implies(B, C)), "a == x -> b == y -> c == z"),
    ("(a == x -> b == y) -> c == z", implies(implies(A, B), C), "(a == x -> b == y) -> c == z"),
    ("not (a == x -> b == y)", not_(implies(A, B)), "not (a == x -> b == y)"),
    ("not a == x -> b == y", implies(not_(A), B), "not a == x -> b == y"),
    (
        "not a == x or b == y and not c == z -> d == w",
        implies(or_(not_(A), and_(B, not_(C))), D),
        "not a == x or b == y and not c == z -> d == w",
    ),
    (
        "true and false or true",
        or_(and_(Const(value=True), Const(value=False)), Const(value=True)),
        "true and false or true",
    ),
]


@pytest.mark.parametrize(("text", "tree", "canonical"), PRECEDENCE_CASES)
def test_precedence(text: str, tree: Rule, canonical: str) -> None:
    assert parse(text) == tree
    assert render(tree) == canonical
    assert parse(render(tree)) == tree


# ---------------------------------------------------------------------------
# syntax errors: (text, column, words the message must contain)

ERROR_CASES: list[tuple[str, int, tuple[str, ...]]] = [
    ("", 1, ("empty",)),
    ("   ", 1, ("empty",)),
    ("a", 2, ("comparison operator", "end of rule")),
    ("donetsk == ", 12, ("option id after '=='", "found end of rule")),
    ("a = x", 3, ("unexpected '='", "hint", "'=='")),
    ("a == x && b == y", 8, ("'&&'", "hint", "'and'")),
    ("a == x || b == y", 8, ("'||'", "'or'")),
    ("!a == x", 1, ("'!'", "'not'")),
    ("a in [x, y]", 6, ("'['", "braces")),
    ("a in {}", 7, ("option id", "at least one option")),
    ("a in {x,}", 9, ("trailing",)),
    ("a in {x y}", 9, ("','", "'}'")),
    ("a in {x, y", 11, ("'}'", "end of rule")),
    ("a in x", 6, ("'{'", "braces")),
    ("and == x", 1, ("reserved word 'and'", "cannot be an issue id")),
    ("a == not", 6, ("reserved word 'not'", "cannot be an option id")),
    ("a == true", 6, ("reserved word 'true'", "option id")),
    ("(a == x", 8, ("')'", "column 1", "end of rule")),
    ("a == x)", 7, ("')'", "no matching '('")),
    ("a not x", 7, ("'in' after 'not'",)),
    ("a == x AND b == y", 8, ("'AND'", "lowercase", "'and'")),
    ("a == x b == y", 8, ("'b'", "'and' or 'or' missing")),
    ("a == x == y", 8, ("'=='", "chained")),
    ("a => b", 3, ("'=>'", "'->'")),
    ("a == 'x'", 6, ("quotes",)),
    ("a-b == x", 2, ("'-'", "letters, digits")),
    ("é == x", 1, ("'é'", "ASCII")),
    ("a == x\x00", 7, ("U+0000",)),
    ("a < {x}", 5, ("option id after '<'", "'{'")),
    ("()", 2, ("found ')'",)),
    ("a == x ->", 10, ("end of rule",)),
    ("a == x or", 10, ("end of rule",)),
    ("b y == x", 3, ("after the issue 'b'", "found 'y'")),
    ("x" * (MAX_LENGTH + 1), MAX_LENGTH + 1, ("too long",)),
    ("(" * (MAX_DEPTH + 1) + "a == x" + ")" * (MAX_DEPTH + 1), MAX_DEPTH + 1, ("too deeply",)),
]


@pytest.mark.parametrize(
    ("text", "column", "words"), ERROR_CASES, ids=[case[0][:20] for case in ERROR_CASES]
)
def test_syntax_errors(text: str, column: int, words: tuple[str, ...]) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    err = info.value
    message = str(err)
    assert err.column == column, message
    assert err.text == text
    assert f"(column {column})" in message.splitlines()[0]
    for word in words:
        assert word in message, (word, message)


def test_error_message_layout() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse("donetsk == ")
    assert str(info.value) == (
        "expected an option id after '==', found end of rule (column 12)\n"
        "  donetsk ==\n"
        "             ^"
    )


def test_error_caret_is_under_the_column() -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse("tariff == low and quota = yes")
    lines = str(info.value).splitlines()
    assert lines[1] == "  tariff == low and quota = yes"
    assert lines[2].index("^") - 2 == info.value.column - 1
    assert lines[1][lines[2].index("^")] == "="


def test_error_on_long_text_shows_a_window() -> None:
    text = " and ".join(["a == x"] * 40) + " and b = y"
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    lines = str(info.value).splitlines()
    assert lines[1].startswith("  ...")
    assert len(lines[1]) < 90
    assert lines[1][lines[2].index("^")] == "="


def test_syntax_error_is_a_scenario_error_and_value_error() -> None:
    with pytest.raises(ScenarioError):
        parse("a ==")
    with pytest.raises(ValueError):
        parse("a ==")


@pytest.mark.parametrize("value", [None, 3, b"a == x", ["a == x"]])
def test_non_text_input(value: object) -> None:
    with pytest.raises(RuleSyntaxError, match="must be text"):
        parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "not " * (MAX_DEPTH + 1) + "a == x",
        " -> ".join(["a == x"] * (MAX_DEPTH + 2)),
        "(" * 5000 + "a == x" + ")" * 5000,
        "not " * 2400 + "a == x",
    ],
    ids=["nots", "implications", "parentheses", "many-nots"],
)
def test_deep_nesting_is_a_syntax_error(text: str) -> None:
    with pytest.raises(RuleSyntaxError, match=r"too deeply|too long"):
        parse(text)


def test_nesting_up_to_the_limit_parses() -> None:
    text = "(" * MAX_DEPTH + "a == x" + ")" * MAX_DEPTH
    assert parse(text) == A
    deep = parse("not " * (MAX_DEPTH - 1) + "a == x")
    assert depth(deep) == MAX_DEPTH
    assert parse(render(deep)) == deep


def test_long_flat_rule_parses() -> None:
    text = " and ".join(f"i{k} == o{k}" for k in range(500))
    rule = parse(text)
    assert isinstance(rule, And)
    assert len(rule.operands) == 500
    assert render(rule) == text


# ---------------------------------------------------------------------------
# the tree model


def test_nodes_are_frozen_and_hashable() -> None:
    rule = parse("a == x and b in {y, z}")
    with pytest.raises(ValidationError):
        rule.operands = ()  # type: ignore[misc, union-attr]
    assert hash(rule) == hash(parse("a == x and b in {y, z}"))
    assert {rule, parse("a==x and b in{y,z}")} == {rule}


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (Compare, {"issue": "a-b", "op": "==", "option": "x"}),
        (Compare, {"issue": "and", "op": "==", "option": "x"}),
        (Compare, {"issue": "a", "op": "=", "option": "x"}),
        (Compare, {"issue": "a", "op": "==", "option": ""}),
        (Compare, {"issue": "a", "op": "==", "option": 1}),
        (Compare, {"issue": "a", "op": "==", "option": "x", "extra": 1}),
        (Member, {"issue": "a", "options": ()}),
        (Member, {"issue": "a", "options": ("true",)}),
        (And, {"operands": (A,)}),
        (Or, {"operands": ()}),
        (Const, {"value": "yes"}),
    ],
)
def test_invalid_nodes_are_rejected(cls: type[Rule], fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        cls.model_validate(fields)


def test_tree_depth_is_capped() -> None:
    rule: Rule = A
    for _ in range(MAX_DEPTH - 1):
        rule = Not(operand=rule)
    assert depth(rule) == MAX_DEPTH
    with pytest.raises(ValidationError, match="nested more than"):
        Not(operand=rule)


ADAPTER: TypeAdapter[Rule] = TypeAdapter(Rule)


@pytest.mark.parametrize("text", [case[0] for case in PARSE_CASES + PRECEDENCE_CASES])
def test_json_round_trip(text: str) -> None:
    rule = parse(text)
    data = ADAPTER.dump_json(rule)
    assert ADAPTER.validate_json(data) == rule
    assert ADAPTER.validate_python(ADAPTER.dump_python(rule, mode="json")) == rule


def test_json_form_is_tagged() -> None:
    rule = parse("not a in {x} -> b != y")
    assert ADAPTER.dump_python(rule, mode="json") == {
        "kind": "implies",
        "left": {
            "kind": "not",
            "operand": {"kind": "member", "issue": "a", "options": ["x"], "negated": False},
        },
        "right": {"kind": "compare", "issue": "b", "op": "!=", "option": "y"},
    }


def test_json_schema_has_descriptions() -> None:
    schema = ADAPTER.json_schema()
    compare = schema["$defs"]["Compare"]
    assert compare["description"].startswith("A comparison")
    assert compare["properties"]["issue"]["description"] == "Id of the issue compared."
    assert "discriminator" in str(schema)


def test_bad_json_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        ADAPTER.validate_python({"kind": "xor", "operands": []})


def test_public_names() -> None:
    """The package exports the user-facing rule language; the lowered form is internal."""
    assert sorted(rules.__all__) == [
        "And", "Compare", "CompareOp", "Const", "Identifier", "Implies", "MAX_DEPTH",
        "MAX_LENGTH", "Member", "Not", "Or", "RESERVED_WORDS", "Rule", "comparisons", "depth",
        "evaluate", "is_identifier", "issues_of", "option_position", "parse", "render",
    ]  # fmt: skip
    for name in rules.__all__:
        assert hasattr(rules, name)
    for internal in ("Lowered", "evaluate_lowered", "scope", "simplify", "Atom", "LNot"):
        assert internal not in rules.__all__ and internal not in dir(rules), internal
        # old code importing them from here keeps working, with a warning naming the new home
        with pytest.warns(DeprecationWarning, match=f"negotiate.rules.{internal} moved to "
                          f"negotiate.rules.lower.{internal}"):
            assert getattr(rules, internal) is getattr(lower_module, internal)


# ---------------------------------------------------------------------------
# helpers


def test_issues_of_and_comparisons() -> None:
    rule = parse("c == z or not (a in {x} -> b < y) and c != w")
    assert issues_of(rule) == ("c", "a", "b")
    assert [str(node) for node in comparisons(rule)] == ["c == z", "a in {x}", "b < y", "c != w"]
    assert issues_of(parse("true or false")) == ()


def test_is_identifier() -> None:
    assert is_identifier("abc_1")
    assert not is_identifier("a b")
    assert not is_identifier("implies")
    assert not is_identifier(3)
    assert is_identifier("Implies")


# ---------------------------------------------------------------------------
# evaluation

ORDER = {
    "tariff": ["none", "low", "high"],
    "quota": ["yes", "no"],
    "zone": ["a", "b", "c", "d"],
}
INDEX = {"tariff": 0, "quota": 1, "zone": 2}

EVAL_CASES: list[tuple[str, dict[str, str], bool]] = [
    ("tariff == low", {"tariff": "low"}, True),
    ("tariff == low", {"tariff": "high"}, False),
    ("tariff != low", {"tariff": "high"}, True),
    ("tariff < low", {"tariff": "none"}, True),
    ("tariff < low", {"tariff": "low"}, False),
    ("tariff <= low", {"tariff": "low"}, True),
    ("tariff <= low", {"tariff": "high"}, False),
    ("tariff > low", {"tariff": "high"}, True),
    ("tariff > low", {"tariff": "low"}, False),
    ("tariff >= low", {"tariff": "low"}, True),
    ("tariff >= low", {"tariff": "none"}, False),
    ("tariff > high", {"tariff": "high"}, False),
    ("tariff >= none", {"tariff": "none"}, True),
    ("zone in {a, c}", {"zone": "c"}, True),
    ("zone in {a, c}", {"zone": "b"}, False),
    ("zone not in {a, c}", {"zone": "b"}, True),
    ("zone not in {a, c}", {"zone": "a"}, False),
    ("true", {}, True),
    ("false", {}, False),
    ("not tariff == low", {"tariff": "low"}, False),
    ("tariff == low and quota == yes", {"tariff": "low", "quota": "no"}, False),
    ("tariff == low or quota == yes", {"tariff": "high", "quota": "yes"}, True),
    ("tariff == low -> quota == yes", {"tariff": "high", "quota": "no"}, True),
    ("tariff == low -> quota == yes", {"tariff": "low", "quota": "no"}, False),
    ("tariff == low -> quota == yes", {"tariff": "low", "quota": "yes"}, True),
    ("quota == yes or tariff >= low", {"tariff": "none", "quota": "no"}, False),
    (
        "(tariff == low -> quota == no) -> zone == d",
        {"tariff": "high", "quota": "yes", "zone": "a"},
        False,
    ),
]


def _columns(outcome: dict[str, str]) -> dict[int, int]:
    return {INDEX[i]: ORDER[i].index(o) for i, o in outcome.items()}


@pytest.mark.parametrize(("text", "outcome", "expected"), EVAL_CASES)
def test_evaluate(text: str, outcome: dict[str, str], expected: bool) -> None:
    rule = parse(text)
    assert evaluate(rule, outcome, ORDER) is expected
    lowered = lower(rule, INDEX, ORDER)
    result = evaluate_lowered(lowered, _columns(outcome))
    assert result.dtype == np.bool_
    assert bool(result) is expected


def test_evaluate_without_order_for_equality() -> None:
    assert evaluate(parse("a == x"), {"a": "x"})


@pytest.mark.parametrize(
    ("text", "outcome", "order", "words"),
    [
        ("tariff == low and quota == yes", {"tariff": "low"}, ORDER, ("'quota'",)),
        ("a == x or b == y", {}, ORDER, ("issues 'a', 'b'",)),
        ("tariff < low", {"tariff": "low"}, None, ("option_order",)),
        ("tariff < lowish", {"tariff": "low"}, ORDER, ("unknown option 'lowish'",)),
        ("tariff < low", {"tariff": "huge"}, ORDER, ("unknown option 'huge'",)),
    ],
)
def test_evaluate_errors(
    text: str,
    outcome: dict[str, str],
    order: dict[str, list[str]] | None,
    words: tuple[str, ...],
) -> None:
    with pytest.raises(ScenarioError) as info:
        evaluate(parse(text), outcome, order)
    assert not isinstance(info.value, KeyError)
    for word in words:
        assert word in str(info.value)


def test_evaluate_lowered_vectorised() -> None:
    rule = parse("quota == yes or tariff >= low")
    lowered = lower(rule, INDEX, ORDER)
    grid = evaluate_lowered(lowered, {0: np.arange(3)[:, None], 1: np.arange(2)[None, :]})
    expected = np.array(
        [[evaluate(rule, {"tariff": t, "quota": q}, ORDER) for q in ORDER["quota"]]
         for t in ORDER["tariff"]]
    )  # fmt: skip
    assert grid.shape == (3, 2)
    assert (grid == expected).all()
    mixed = evaluate_lowered(lowered, {0: 0, 1: np.array([0, 1, 1])})
    assert mixed.tolist() == [True, False, False]


def test_evaluate_lowered_errors() -> None:
    lowered = lower(parse("tariff == low"), INDEX, ORDER)
    with pytest.raises(ScenarioError, match="no column"):
        evaluate_lowered(lowered, {})
    with pytest.raises(TypeError, match="integer"):
        evaluate_lowered(lowered, {0: np.array([0.0, 1.0])})


# ---------------------------------------------------------------------------
# lowering


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tariff == low", Atom(0, (False, True, False))),
        ("tariff != low", Atom(0, (True, False, True))),
        ("tariff < low", Atom(0, (True, False, False))),
        ("tariff <= low", Atom(0, (True, True, False))),
        ("tariff > low", Atom(0, (False, False, True))),
        ("tariff >= low", Atom(0, (False, True, True))),
        ("zone in {b, d}", Atom(2, (False, True, False, True))),
        ("zone not in {b, d}", Atom(2, (True, False, True, False))),
        ("not zone in {b, d}", Atom(2, (True, False, True, False))),
        ("tariff >= none", LConst(True)),
        ("tariff > high", LConst(False)),
        ("zone in {a, b, c, d}", LConst(True)),
        ("true", LConst(True)),
        ("not true", LConst(False)),
        ("tariff == low and false", LConst(False)),
        ("tariff == low and true", Atom(0, (False, True, False))),
        ("tariff == low or true", LConst(True)),
        ("tariff == low and tariff != low", LConst(False)),
        ("tariff >= low and tariff <= low", Atom(0, (False, True, False))),
        ("tariff == low or tariff != low", LConst(True)),
        ("false -> quota == no", LConst(True)),
        ("tariff == low -> quota == no", LOr((Atom(0, (True, False, True)), Atom(1, (False, True))))),
        (
            "tariff == low and (quota == no and zone == a)",
            LAnd((Atom(0, (False, True, False)), Atom(1, (False, True)),
                  Atom(2, (True, False, False, False)))),
        ),
        (
            "not (tariff == low and quota == no)",
            LNot(LAnd((Atom(0, (False, True, False)), Atom(1, (False, True))))),
        ),
    ],
)  # fmt: skip
def test_lower(text: str, expected: object) -> None:
    assert lower(parse(text), INDEX, ORDER) == expected


def test_lower_errors() -> None:
    with pytest.raises(ScenarioError, match="unknown issue 'nope'"):
        lower(parse("nope == x"), INDEX, ORDER)
    with pytest.raises(ScenarioError, match="unknown option 'mid'"):
        lower(parse("tariff == mid"), INDEX, ORDER)
    with pytest.raises(ScenarioError, match="unknown option 'e'"):
        lower(parse("zone in {a, e}"), INDEX, ORDER)
    with pytest.raises(ScenarioError, match="options are not known"):
        lower(parse("tariff == low"), INDEX, {})


def test_scope() -> None:
    lowered = lower(parse("zone == a or quota == no and zone != b"), INDEX, ORDER)
    assert scope(lowered) == (1, 2)
    assert scope(LConst(True)) == ()
    assert scope(LNot(LAnd((Atom(4, (True, False)), Atom(0, (False, True)))))) == (0, 4)


def test_simplify_keeps_unknown_structure() -> None:
    inner = LAnd((Atom(0, (True, False)), Atom(1, (True, False))))
    assert simplify(LNot(LNot(inner))) == inner
    assert simplify(LOr((inner, LConst(False)))) == inner
    assert simplify(LAnd(())) == LConst(True)
    assert simplify(LOr(())) == LConst(False)
    assert simplify(LOr((LOr((Atom(0, (True, False)), Atom(1, (True, False)))), inner))) == LOr(
        (Atom(0, (True, False)), Atom(1, (True, False)), inner)
    )
