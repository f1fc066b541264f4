"""Property tests for the rule language (Hypothesis)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from negotiate.errors import RuleSyntaxError
from negotiate.rules import (
    MAX_LENGTH,
    RESERVED_WORDS,
    And,
    Compare,
    Const,
    Implies,
    Member,
    Not,
    Or,
    Rule,
    evaluate,
    issues_of,
    parse,
    render,
)
from negotiate.rules.lower import evaluate_lowered, lower, scope

# A small fixed scenario: issue id -> options in listed order (first = lowest).
ORDER: dict[str, list[str]] = {
    "a": ["x", "y"],
    "b": ["x", "y", "z"],
    "c": ["p", "q", "r", "s"],
}
INDEX = {issue: k for k, issue in enumerate(ORDER)}

ADAPTER: TypeAdapter[Rule] = TypeAdapter(Rule)

ids = st.from_regex(r"[A-Za-z0-9_]{1,4}", fullmatch=True).filter(lambda s: s not in RESERVED_WORDS)
compare_ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])


def _leaves(issue_options: st.SearchStrategy[tuple[str, Sequence[str]]]) -> st.SearchStrategy[Rule]:
    """Constants, comparisons and memberships over (issue, its options) pairs."""

    @st.composite
    def compare(draw: st.DrawFn) -> Rule:
        issue, options = draw(issue_options)
        return Compare(issue=issue, op=draw(compare_ops), option=draw(st.sampled_from(options)))

    @st.composite
    def member(draw: st.DrawFn) -> Rule:
        issue, options = draw(issue_options)
        chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3))
        return Member(issue=issue, options=tuple(chosen), negated=draw(st.booleans()))

    return st.one_of(st.builds(Const, value=st.booleans()), compare(), member())


def _extend(children: st.SearchStrategy[Rule]) -> st.SearchStrategy[Rule]:
    operands = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(
        children.map(lambda x: Not(operand=x)),
        operands.map(lambda xs: And(operands=xs)),
        operands.map(lambda xs: Or(operands=xs)),
        st.tuples(children, children).map(lambda lr: Implies(left=lr[0], right=lr[1])),
    )


def rule_trees(
    issue_options: st.SearchStrategy[tuple[str, Sequence[str]]],
) -> st.SearchStrategy[Rule]:
    """Syntax trees with at most a dozen comparisons.

    Examples shrink towards a single constant.
    """
    return st.recursive(_leaves(issue_options), _extend, max_leaves=12)


any_issue = st.tuples(ids, st.lists(ids, min_size=1, max_size=3))
scenario_issue = st.sampled_from(sorted(ORDER.items()))

any_rules = rule_trees(any_issue)
scenario_rules = rule_trees(scenario_issue)

TOKENS = [
    "a", "b", "x", "Y_2", "2025", "==", "!=", "<", "<=", ">", ">=", "in", "not", "and",
    "or", "->", "implies", "(", ")", "{", "}", ",", "true", "false",
    # common mistakes and junk
    "=", "&&", "||", "!", "[", "]", "AND", "Not", "=>", "<>", "'", '"', "-", "é", "\x00",
    "\t", "\n", "\u00a0", ";", "x-y",
]  # fmt: skip

token_texts = st.lists(
    st.tuples(st.sampled_from(TOKENS), st.sampled_from(["", " ", "  "])), max_size=25
).map(lambda parts: "".join(token + sep for token, sep in parts))


def _parses_or_syntax_error(text: str) -> Rule | None:
    """Parse `text`; allow only RuleSyntaxError, and check its attributes."""
    try:
        rule = parse(text)
    except RuleSyntaxError as err:
        assert err.text == text
        assert 1 <= err.column <= max(len(text) + 1, 1)
        assert f"(column {err.column})" in str(err).splitlines()[0]
        return None
    assert parse(render(rule)) == rule
    return rule


@given(any_rules)
def test_render_then_parse_is_identity(rule: Rule) -> None:
    text = render(rule)
    assert parse(text) == rule
    assert str(rule) == text
    assert render(parse(text)) == text


@given(any_rules)
def test_json_round_trip(rule: Rule) -> None:
    assert ADAPTER.validate_json(ADAPTER.dump_json(rule)) == rule
    assert ADAPTER.validate_python(ADAPTER.dump_python(rule, mode="json")) == rule


@given(st.text(max_size=200))
def test_parse_arbitrary_text_raises_only_syntax_errors(text: str) -> None:
    _parses_or_syntax_error(text)


@given(token_texts)
def test_parse_token_soup_raises_only_syntax_errors(text: str) -> None:
    _parses_or_syntax_error(text)


@given(any_rules, st.data())
def test_parse_mutated_rules_raises_only_syntax_errors(rule: Rule, data: st.DataObject) -> None:
    text = render(rule)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    insert = data.draw(st.sampled_from(["", *TOKENS]))
    _parses_or_syntax_error(text[:at] + insert + text[at + cut :])


@given(st.sampled_from(["(", "not ", "a == x -> ", "a == x and (", "{"]), st.integers(1, 3000))
def test_parse_deep_or_long_input_raises_only_syntax_errors(unit: str, times: int) -> None:
    _parses_or_syntax_error(unit * times + "a == x" + ")" * times)
    _parses_or_syntax_error("a" * (MAX_LENGTH - 8 + times % 7) + " == x")


def _outcomes() -> list[dict[str, str]]:
    return [dict(zip(ORDER, combo, strict=True)) for combo in itertools.product(*ORDER.values())]


@given(scenario_rules, st.sampled_from(_outcomes()))
def test_evaluate_agrees_with_lowered(rule: Rule, outcome: Mapping[str, str]) -> None:
    lowered = lower(rule, INDEX, ORDER)
    columns = {INDEX[i]: ORDER[i].index(o) for i, o in outcome.items()}
    assert bool(evaluate_lowered(lowered, columns)) == evaluate(rule, outcome, ORDER)


@given(scenario_rules)
def test_lowered_grid_agrees_with_evaluate(rule: Rule) -> None:
    lowered = lower(rule, INDEX, ORDER)
    sizes = [len(options) for options in ORDER.values()]
    grids = np.indices(sizes)
    result = np.broadcast_to(
        evaluate_lowered(lowered, {k: grids[k] for k in range(len(sizes))}), sizes
    )
    for outcome in _outcomes():
        where = tuple(ORDER[i].index(o) for i, o in outcome.items())
        assert bool(result[where]) == evaluate(rule, outcome, ORDER)


@given(scenario_rules)
def test_scope_is_within_the_issues_of_the_rule(rule: Rule) -> None:
    lowered = lower(rule, INDEX, ORDER)
    assert set(scope(lowered)) <= {INDEX[i] for i in issues_of(rule)}
    assert list(scope(lowered)) == sorted(set(scope(lowered)))


@given(scenario_rules, st.sampled_from(_outcomes()))
def test_evaluate_follows_the_connectives(rule: Rule, outcome: Mapping[str, str]) -> None:
    value = evaluate(rule, outcome, ORDER)
    holds: Callable[[Rule], bool] = lambda r: evaluate(r, outcome, ORDER)  # noqa: E731
    assert holds(Not(operand=rule)) is (not value)
    assert holds(Implies(left=rule, right=Const(value=False))) is (not value)
    assert holds(Or(operands=(rule, Not(operand=rule))))
    assert not holds(And(operands=(rule, Not(operand=rule))))
