"""A hand-written recursive-descent parser for the rule language (no ``eval``).

Grammar, loosest binding first::

    rule    := implies
    implies := or ( ("->" | "implies") implies )?        # right-associative
    or      := and ( "or" and )*
    and     := not ( "and" not )*
    not     := "not" not | atom
    atom    := "(" rule ")" | "true" | "false" | compare
    compare := ISSUE ("==" | "!=") OPTION
             | ISSUE ("in" | "not in") "{" OPTION ("," OPTION)* "}"
             | ISSUE ("<" | "<=" | ">" | ">=") OPTION

Only parentheses make the parser recurse; ``not`` and ``->`` chains are read
in loops, and both the length of the text and the depth of the tree are
capped, so no input can exhaust the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NoReturn, cast

from pydantic import ValidationError

from negotiate.errors import RuleSyntaxError
from negotiate.rules.ast import (
    MAX_DEPTH,
    RESERVED_WORDS,
    And,
    Compare,
    CompareOp,
    Const,
    Implies,
    Member,
    Not,
    Or,
    Rule,
)

__all__ = ["MAX_LENGTH", "parse"]

MAX_LENGTH = 10_000
"""The longest rule text accepted, in characters."""

_WHITESPACE = frozenset(" \t\r\n\f\v")
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=")
_OPERATORS = ("==", "!=", "<=", ">=", "->", "<", ">", "(", ")", "{", "}", ",")
_CONNECTIVE_HINTS = {
    "AND": "and",
    "And": "and",
    "OR": "or",
    "Or": "or",
    "NOT": "not",
    "Not": "not",
    "IN": "in",
    "In": "in",
    "IMPLIES": "implies",
    "Implies": "implies",
    "TRUE": "true",
    "True": "true",
    "FALSE": "false",
    "False": "false",
}
_SNIPPET_WIDTH = 72

_TokenKind = Literal["id", "kw", "op", "eof", "error"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _TokenKind
    value: str
    start: int
    hint: str | None = None


def _lowercase_hint(word: str) -> str:
    return f"reserved words are lowercase: did you mean '{_CONNECTIVE_HINTS[word]}'?"


def _describe(token: _Token) -> str:
    if token.kind == "eof":
        return "end of rule"
    if token.kind == "kw":
        return f"the reserved word '{token.value}'"
    return f"'{token.value}'"


def _display(text: str) -> str:
    return "".join(" " if ch in _WHITESPACE else (ch if ch.isprintable() else "?") for ch in text)


def _format(message: str, text: str, pos: int, hint: str | None) -> str:
    shown = _display(text)
    caret = pos
    if len(shown) > _SNIPPET_WIDTH:
        start = max(0, pos - _SNIPPET_WIDTH // 2)
        end = min(len(shown), start + _SNIPPET_WIDTH)
        start = max(0, min(start, end - _SNIPPET_WIDTH))
        prefix = "..." if start > 0 else ""
        suffix = "..." if end < len(shown) else ""
        shown = prefix + shown[start:end] + suffix
        caret = pos - start + len(prefix)
    lines = [f"{message} (column {pos + 1})", f"  {shown}".rstrip(), "  " + " " * caret + "^"]
    if hint:
        lines.append(f"hint: {hint}")
    return "\n".join(lines)


def _error(message: str, text: str, pos: int, hint: str | None = None) -> RuleSyntaxError:
    return RuleSyntaxError(_format(message, text, pos, hint), text=text, column=pos + 1)


def _bad_character(text: str, i: int) -> _Token:
    """An error token for the unexpected character at `i`, with a hint."""
    two = text[i : i + 2]
    ch = text[i]
    hint: str | None = None
    shown = ch
    if two == "=>":
        shown, hint = two, "write implication as '->' or 'implies'"
    elif two == "=<":
        shown, hint = two, "did you mean '<='?"
    elif ch == "=":
        hint = "compare with '==' (a single '=' is not an operator)"
    elif two == "&&" or ch == "&":
        shown = two if two == "&&" else ch
        hint = "join rules with 'and'"
    elif two == "||" or ch == "|":
        shown = two if two == "||" else ch
        hint = "join rules with 'or'"
    elif ch == "!":
        hint = "negate with 'not', e.g. not tariff == high; '!=' means 'is not'"
    elif ch == "~":
        hint = "negate with 'not'"
    elif two == "<>":
        shown, hint = two, "did you mean '!='?"
    elif ch in "[]":
        hint = "write a set of options in braces: issue in {a, b}"
    elif ch in "\"'`":
        hint = "ids are written without quotes"
    elif ch == "-":
        hint = "ids contain only letters, digits and '_'; write implication as '->'"
    elif ch.isspace():
        hint = "this is not an ordinary space; separate words with plain spaces"
    elif ch.isalnum() or not ch.isascii():
        hint = "ids contain only ASCII letters, digits and '_'"
    if not ch.isprintable() or ch.isspace():
        description = f"character {ch!r} (U+{ord(ch):04X})"
    else:
        description = repr(shown)
    return _Token("error", description, i, hint)


def _operator_at(text: str, i: int) -> str | None:
    if text.startswith("<>", i):
        return None
    for op in _OPERATORS:
        if text.startswith(op, i):
            return op
    return None


def _tokenize(text: str) -> list[_Token]:
    """Split `text` into tokens; stop at the first bad character with an error token."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _WHITESPACE:
            i += 1
            continue
        if ch in _ID_CHARS:
            j = i + 1
            while j < n and text[j] in _ID_CHARS:
                j += 1
            word = text[i:j]
            tokens.append(_Token("kw" if word in RESERVED_WORDS else "id", word, i))
            i = j
            continue
        op = _operator_at(text, i)
        if op is None:
            tokens.append(_bad_character(text, i))
            return tokens
        tokens.append(_Token("op", op, i))
        i += len(op)
    tokens.append(_Token("eof", "", n))
    return tokens


class _Parser:
    """Recursive-descent parser over a token list (one instance per parse)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.parens = 0

    # -- token access -------------------------------------------------------
    def peek(self, ahead: int = 0) -> _Token:
        index = min(self.pos + ahead, len(self.tokens) - 1)
        token = self.tokens[index]
        if token.kind == "error":
            raise _error(f"unexpected {token.value}", self.text, token.start, token.hint)
        return token

    def advance(self) -> _Token:
        token = self.peek()
        self.pos += 1
        return token

    def at(self, kind: _TokenKind, *values: str) -> bool:
        token = self.peek()
        return token.kind == kind and (not values or token.value in values)

    def fail(self, expected: str, token: _Token, hint: str | None = None) -> NoReturn:
        raise _error(f"expected {expected}, found {_describe(token)}", self.text, token.start, hint)

    def too_deep(self, token: _Token) -> RuleSyntaxError:
        return _error(
            f"the rule nests too deeply (more than {MAX_DEPTH} levels)",
            self.text,
            token.start,
            "split it into several red lines, or remove redundant parentheses and 'not's",
        )

    def make(self, token: _Token, cls: type[Not | And | Or | Implies], **fields: object) -> Rule:
        try:
            return cls.model_validate(fields)
        except ValidationError:
            raise self.too_deep(token) from None

    # -- grammar ------------------------------------------------------------
    def parse_rule(self) -> Rule:
        operands = [self.parse_or()]
        arrows: list[_Token] = []
        while self.at("op", "->") or self.at("kw", "implies"):
            arrows.append(self.advance())
            operands.append(self.parse_or())
        node = operands.pop()
        while operands:
            node = self.make(arrows.pop(), Implies, left=operands.pop(), right=node)
        return node

    def parse_or(self) -> Rule:
        first = self.peek()
        operands = [self.parse_and()]
        while self.at("kw", "or"):
            self.advance()
            operands.append(self.parse_and())
        if len(operands) == 1:
            return operands[0]
        return self.make(first, Or, operands=tuple(operands))

    def parse_and(self) -> Rule:
        first = self.peek()
        operands = [self.parse_not()]
        while self.at("kw", "and"):
            self.advance()
            operands.append(self.parse_not())
        if len(operands) == 1:
            return operands[0]
        return self.make(first, And, operands=tuple(operands))

    def parse_not(self) -> Rule:
        nots: list[_Token] = []
        while self.at("kw", "not"):
            nots.append(self.advance())
        node = self.parse_atom()
        while nots:
            node = self.make(nots.pop(), Not, operand=node)
        return node

    def parse_atom(self) -> Rule:
        token = self.peek()
        if token.kind == "op" and token.value == "(":
            if self.parens >= MAX_DEPTH:
                raise self.too_deep(token)
            self.advance()
            self.parens += 1
            node = self.parse_rule()
            self.parens -= 1
            if not self.at("op", ")"):
                self.fail(
                    f"'and', 'or', '->' or ')' to close the '(' at column {token.start + 1}",
                    self.peek(),
                    self.continuation_hint(self.peek()),
                )
            self.advance()
            return node
        if token.kind == "kw" and token.value in ("true", "false"):
            self.advance()
            return Const(value=token.value == "true")
        if token.kind == "id":
            return self.parse_compare()
        expected = "a comparison (such as 'issue == option'), 'not', '(', 'true' or 'false'"
        if token.kind == "eof" and not self.text.strip():
            raise _error(f"the rule is empty: expected {expected}", self.text, 0)
        hint = None
        if token.kind == "kw":
            hint = f"'{token.value}' is a reserved word and cannot be an issue id"
        elif token.kind == "op" and token.value == ")":
            hint = "is there an unmatched ')' or an empty '()'?"
        elif token.kind == "op" and token.value in _COMPARE_OPS:
            hint = "a comparison starts with an issue id, e.g. tariff == high"
        self.fail(expected, token, hint)

    def parse_compare(self) -> Rule:
        issue = self.advance()
        token = self.peek()
        if token.kind == "op" and token.value in _COMPARE_OPS:
            self.advance()
            option = self.expect_option(f"after '{token.value}'")
            op = cast(CompareOp, token.value)
            return Compare(issue=issue.value, op=op, option=option.value)
        if token.kind == "kw" and token.value == "in":
            self.advance()
            return self.parse_set(issue, negated=False)
        if token.kind == "kw" and token.value == "not":
            follow = self.peek(1)
            if follow.kind == "kw" and follow.value == "in":
                self.advance()
                self.advance()
                return self.parse_set(issue, negated=True)
            self.advance()
            self.fail("'in' after 'not' (as in 'issue not in {a, b}')", follow)
        hint = None
        if issue.value in _CONNECTIVE_HINTS:
            hint = _lowercase_hint(issue.value)
        elif token.kind == "id" and token.value in _CONNECTIVE_HINTS:
            hint = _lowercase_hint(token.value)
        elif token.kind == "id":
            hint = "ids contain no spaces; is an operator missing between the two ids?"
        self.fail(
            f"a comparison operator ('==', '!=', '<', '<=', '>', '>=', 'in' or 'not in') "
            f"after the issue '{issue.value}'",
            token,
            hint,
        )

    def expect_option(self, where: str) -> _Token:
        token = self.peek()
        if token.kind == "id":
            return self.advance()
        hint = None
        if token.kind == "kw":
            hint = f"'{token.value}' is a reserved word and cannot be an option id"
        elif token.kind == "op" and token.value == "{":
            hint = "to test several options write: issue in {a, b}"
        self.fail(f"an option id {where}", token, hint)

    def parse_set(self, issue: _Token, negated: bool) -> Rule:
        word = "not in" if negated else "in"
        brace = self.peek()
        if not (brace.kind == "op" and brace.value == "{"):
            hint = None
            if brace.kind == "id":
                hint = f"write the options in braces: {issue.value} {word} {{{brace.value}}}"
            elif brace.kind == "op" and brace.value == "(":
                hint = f"write the options in braces: {issue.value} {word} {{a, b}}"
            self.fail(f"'{{' after '{word}'", brace, hint)
        self.advance()
        if self.at("op", "}"):
            self.fail(
                "an option id after '{'",
                self.peek(),
                "a set needs at least one option",
            )
        options = [self.expect_option("in the set").value]
        while True:
            token = self.peek()
            if token.kind == "op" and token.value == "}":
                self.advance()
                break
            if token.kind == "op" and token.value == ",":
                self.advance()
                if self.at("op", "}"):
                    self.fail("an option id after ','", self.peek(), "remove the trailing ','")
                options.append(self.expect_option("after ','").value)
                continue
            hint = "separate options with ','" if token.kind == "id" else None
            self.fail(f"',' or '}}' to close the '{{' at column {brace.start + 1}", token, hint)
        return Member(issue=issue.value, options=tuple(options), negated=negated)

    def continuation_hint(self, token: _Token) -> str | None:
        if token.kind == "id" and token.value in _CONNECTIVE_HINTS:
            return _lowercase_hint(token.value)
        if token.kind == "op" and token.value in _COMPARE_OPS:
            return "comparisons cannot be chained; join them with 'and'"
        if token.kind == "id" or (token.kind == "op" and token.value == "("):
            return "is an 'and' or 'or' missing?"
        if token.kind == "kw" and token.value == "in":
            return "'in' follows an issue id, as in: issue in {a, b}"
        return None

    def parse(self) -> Rule:
        node = self.parse_rule()
        token = self.peek()
        if token.kind != "eof":
            hint = self.continuation_hint(token)
            if token.kind == "op" and token.value == ")":
                hint = "this ')' has no matching '('"
            self.fail("'and', 'or', '->' or end of rule", token, hint)
        return node


def parse(text: str) -> Rule:
    """Parse rule-language text into a syntax tree.

    Parameters
    ----------
    text : str
        The rule, e.g. ``"tariff != high or quota == yes"``. At most
        :data:`MAX_LENGTH` characters, nested at most
        :data:`~negotiate.rules.MAX_DEPTH` levels deep.

    Returns
    -------
    Rule
        The syntax tree. A chain ``a and b and c`` becomes one :class:`And`
        with three operands; parentheses create no node.

    Raises
    ------
    RuleSyntaxError
        For any text that is not a rule, and for input that is not a
        ``str``. This is the only exception `parse` raises. Its message says
        what was expected and what was found, shows the text with a caret
        under the offending column (``err.column``, 1-based), and may end
        with a ``hint:`` line for common mistakes.

    See Also
    --------
    render : the inverse, tree to canonical text.

    Examples
    --------
    >>> from negotiate.rules import parse, render
    >>> rule = parse("tariff != high or quota == yes and not tariff >= low")
    >>> type(rule).__name__
    'Or'
    >>> render(rule)
    'tariff != high or quota == yes and not tariff >= low'
    >>> parse("donetsk in {russia_takes_all, ukraine_withdraws}")
    Member(kind='member', issue='donetsk', options=('russia_takes_all', 'ukraine_withdraws'), ...)
    >>> parse("x == ")
    Traceback (most recent call last):
    ...
    negotiate.errors.RuleSyntaxError: expected an option id after '==', found end of rule (column 6)
      x ==
           ^
    >>> parse("x = a")
    Traceback (most recent call last):
    ...
    negotiate.errors.RuleSyntaxError: unexpected '=' (column 3)
      x = a
        ^
    hint: compare with '==' (a single '=' is not an operator)
    """
    if not isinstance(text, str):
        message = f"a rule must be text (str), not {type(text).__name__}"
        raise RuleSyntaxError(message, text="", column=1)
    if len(text) > MAX_LENGTH:
        raise _error(
            f"the rule is too long: {len(text)} characters (at most {MAX_LENGTH})",
            text,
            MAX_LENGTH,
            "split it into several red lines",
        )
    return _Parser(text).parse()
