"""GENIUS XML import and export (the format of the ANAC negotiation competitions).

A GENIUS domain is one XML file listing the issues, plus one *utility space*
(profile) XML file per party giving its issue weights, an evaluation per option,
a reservation value and a discount factor. Read with :func:`load_genius`, written
with :func:`dump_genius`; ``negotiate import-genius DOMAIN PROFILE... -o OUT.yaml``
does the former from the command line.

Semantics (as GENIUS computes utilities):

- a discrete option's value is its ``evaluation`` divided by the largest evaluation
  of that issue in the profile (the double nearest to that quotient);
- an integer issue ``lowerbound..upperbound`` becomes an ordered issue with one
  option per integer, lowest first; its evaluation at x is
  ``offset + slope * (x - lowerbound)`` clipped to [0, 1], then divided by the
  issue's largest evaluation like a discrete one;
- weights become importances as written (a party's importances are normalised to
  sum 1 by the library, as usual);
- ``<reservation value=...>`` is the reservation (0 if absent); the discount factor
  is kept in the party's ``note`` (the library does not model time);
- ids: the party id is the profile file name without ``.xml``; issue and option
  names become ids made of letters, digits and ``_`` (the original name is the title).

Files are parsed with defusedxml: a DTD, entity declarations or external references
are refused, so a hostile file cannot expand or fetch anything.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from negotiate.errors import InvalidArgumentError, ScenarioError, ScenarioFileError
from negotiate.model import RESERVED_WORDS, Scenario

__all__ = ["dump_genius", "load_genius"]

#: Most options an integer issue may expand to.
MAX_INTEGER_OPTIONS = 100_000
#: Largest GENIUS file read (bytes).
_MAX_BYTES = 50 * 2**20
_DISCOUNT = re.compile(r"GENIUS discount factor (\S+)")
#: Line of each parsed element, for error messages (weak: dropped with the tree).
_LINES: weakref.WeakKeyDictionary[Element, int] = weakref.WeakKeyDictionary()


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        if self.expat is not None:
            _LINES[element] = self.expat.CurrentLineNumber
        return element


# -- reading -------------------------------------------------------------------------------------


def _parse(path: Path) -> Element:
    import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
    from defusedxml import DefusedXmlException

    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise ScenarioFileError(f"{path}: {size:,} bytes, more than a GENIUS file can be "
                                    f"({_MAX_BYTES:,})")
        text = path.read_bytes()
    except OSError as exc:
        raise ScenarioFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        builder = _LineBuilder()
        parser = SafeET.DefusedXMLParser(target=builder, forbid_dtd=True)
        builder.expat = parser.parser
        parser.feed(text)
        root: Element = parser.close()
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = re.sub(r": line \d+, column \d+$", "", str(exc.msg))
        raise ScenarioFileError(
            f"{path}, line {line}, column {column + 1}: not well-formed XML ({reason})"
        ) from None
    except DefusedXmlException as exc:
        raise ScenarioFileError(
            f"{path}: refused: the file declares a DTD, entities or external references "
            f"({type(exc).__name__}); a GENIUS file needs none"
        ) from None
    return root


def _where(path: Path, element: Element, what: str) -> str:
    name = element.get("name")
    line = _LINES.get(element)
    at = f", line {line}" if line else ""
    return f"{path}{at}: <{element.tag}{f' name={name!r}' if name else ''}> ({what})"


def _number(path: Path, element: Element, attribute: str, default: str | None = None) -> Fraction:
    raw = element.get(attribute, default)
    if raw is None:
        raise ScenarioFileError(_where(path, element, f"attribute '{attribute}' is missing"))
    try:
        value = Fraction(Decimal(raw.strip()))
    except (InvalidOperation, ValueError):
        raise ScenarioFileError(
            _where(path, element, f"{attribute}={raw!r} is not a finite number")
        ) from None
    return value


def _ident(name: str, used: set[str], *, extra: str = "") -> str:
    """An id made of letters, digits and ``_`` (and ``extra``), unique in ``used``."""
    base = re.sub(rf"[^A-Za-z0-9_{re.escape(extra)}]+", "_", name).strip("_")[:90] or "x"
    if base in RESERVED_WORDS:
        base += "_"
    out, k = base, 2
    while out in used:
        out, k = f"{base}_{k}", k + 1
    used.add(out)
    return out


def _issues(path: Path, root: Element) -> list[dict[str, Any]]:
    """Issues of a domain file: name, kind, and options (names) or bounds."""
    found = list(root.iter("issue"))
    if not found:
        raise ScenarioFileError(f"{path}: no <issue> element: not a GENIUS domain file")
    issues: list[dict[str, Any]] = []
    for element in found:
        name = element.get("name")
        if not name:
            raise ScenarioFileError(_where(path, element, "attribute 'name' is missing"))
        kind = (element.get("type") or element.get("etype") or element.get("vtype") or "").lower()
        if kind == "discrete" or (not kind and element.find("item") is not None):
            options = [item.get("value") for item in element.iter("item")]
            if not options or any(not o for o in options):
                raise ScenarioFileError(_where(
                    path, element, "a discrete issue needs <item value=...> elements"))
            if len(set(options)) != len(options):
                raise ScenarioFileError(_where(path, element, "two items have the same value"))
            issues.append({"name": name, "kind": "discrete", "options": options,
                           "index": element.get("index")})
        elif kind == "integer":
            low = _number(path, element, "lowerbound")
            high = _number(path, element, "upperbound")
            if low.denominator != 1 or high.denominator != 1 or high < low:
                raise ScenarioFileError(_where(
                    path, element, "integer bounds must be integers with lowerbound <= upperbound"))
            if high - low + 1 > MAX_INTEGER_OPTIONS:
                raise ScenarioFileError(_where(
                    path, element, f"{high - low + 1} values, more than {MAX_INTEGER_OPTIONS:,}"))
            options = [str(x) for x in range(int(low), int(high) + 1)]
            issues.append({"name": name, "kind": "integer", "options": options, "low": int(low),
                           "index": element.get("index")})
        else:
            raise ScenarioFileError(_where(
                path, element,
                f"issue type {kind or 'missing'!r} is not supported: only discrete and integer "
                "issues can be imported (discretise a real-valued issue into a discrete one first)"))
    return issues


def _profile(path: Path, root: Element, issues: list[dict[str, Any]]) -> dict[str, Any]:
    """Weights, option values (exact fractions), reservation and discount of a profile."""
    by_name = {issue["name"]: issue for issue in issues}
    weights_by_index: dict[str, Fraction] = {}
    for element in root.iter("weight"):
        index = element.get("index")
        if index is None:
            raise ScenarioFileError(_where(path, element, "attribute 'index' is missing"))
        weights_by_index[index] = _number(path, element, "value")
    seen: dict[str, tuple[Fraction, list[Fraction]]] = {}
    for element in root.iter("issue"):
        name = element.get("name") or ""
        if name not in by_name:
            raise ScenarioFileError(_where(
                path, element, f"issue {name!r} is not in the domain (domain issues: "
                f"{', '.join(repr(n) for n in by_name)})"))
        issue = by_name[name]
        index = element.get("index")
        if index is None or index not in weights_by_index:
            raise ScenarioFileError(_where(
                path, element, f"no <weight index={index!r}> for this issue"))
        weight = weights_by_index[index]
        if weight < 0:
            raise ScenarioFileError(_where(path, element, f"weight {weight} is negative"))
        evaluations = _evaluations(path, element, issue)
        top = max(evaluations)
        values = [e / top if top > 0 else Fraction(0) for e in evaluations]
        seen[name] = (weight, values)
    missing = [name for name in by_name if name not in seen]
    if missing:
        raise ScenarioFileError(
            f"{path}: the profile does not evaluate the domain issue(s) "
            f"{', '.join(repr(m) for m in missing)}: does it belong to this domain?")
    reservation = Fraction(0)
    found = root.find(".//reservation")
    if found is not None:
        reservation = _number(path, found, "value")
        if not 0 <= reservation <= 1:
            raise ScenarioFileError(_where(path, found, "reservation must be in [0, 1]"))
    discount = None
    found = root.find(".//discount_factor")
    if found is not None:
        discount = found.get("value")
    return {"issues": seen, "reservation": reservation, "discount": discount}


def _evaluations(path: Path, element: Element, issue: dict[str, Any]) -> list[Fraction]:
    if issue["kind"] == "discrete":
        given: dict[str, Fraction] = {}
        for item in element.iter("item"):
            value = item.get("value") or ""
            if value not in issue["options"]:
                raise ScenarioFileError(_where(
                    path, item, f"item {value!r} of issue {issue['name']!r} is not in the domain"))
            evaluation = _number(path, item, "evaluation")
            if evaluation < 0:
                raise ScenarioFileError(_where(path, item, f"evaluation {evaluation} is negative"))
            given[value] = evaluation
        return [given.get(o, Fraction(0)) for o in issue["options"]]
    evaluator = element.find("evaluator")
    if evaluator is None:
        raise ScenarioFileError(_where(path, element, "an integer issue needs an <evaluator>"))
    ftype = evaluator.get("ftype", "linear")
    if ftype != "linear":
        raise ScenarioFileError(_where(path, evaluator, f"ftype {ftype!r}: only 'linear'"))
    slope = _number(path, evaluator, "slope")
    offset = _number(path, evaluator, "offset", "0")
    low = issue["low"]
    return [min(Fraction(1), max(Fraction(0), offset + slope * (int(x) - low)))
            for x in issue["options"]]


def _float(x: Fraction) -> float:
    return float(x)  # correctly rounded: the nearest double


def load_genius(
    domain: str | os.PathLike[str], profiles: Sequence[str | os.PathLike[str]]
) -> Scenario:
    """Read a GENIUS domain and one utility-space file per party.

    Parameters
    ----------
    domain : path
        The domain XML (the issues).
    profiles : sequence of paths
        One utility-space XML per party, in party order; the party id is the file
        name without ``.xml``.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioFileError
        Malformed XML (with line and column), a DTD or entities, a real-valued issue,
        a profile that does not match the domain, a missing weight: each names the
        file and the element.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "d.xml").write_text('''<negotiation_template><utility_space>
    ...   <objective name="toy"><issue index="1" name="Price" type="discrete">
    ...   <item index="1" value="low"/><item index="2" value="high"/></issue>
    ...   </objective></utility_space></negotiation_template>''')
    >>> _ = (folder / "buyer.xml").write_text('''<utility_space><objective>
    ...   <issue index="1" name="Price" type="discrete"><item value="low" evaluation="8"/>
    ...   <item value="high" evaluation="2"/></issue><weight index="1" value="1.0"/>
    ...   </objective><reservation value="0.3"/><discount_factor value="0.9"/></utility_space>''')
    >>> s = ng.load_genius(folder / "d.xml", [folder / "buyer.xml"])
    >>> s.parties[0].preferences["Price"].values, s.parties[0].reservation, s.parties[0].note
    ({'low': 1.0, 'high': 0.25}, 0.3, 'GENIUS discount factor 0.9')
    """
    domain_path = Path(domain)
    if isinstance(profiles, str | os.PathLike) or not profiles:
        raise InvalidArgumentError(
            "profiles must be a non-empty list of utility-space files, one per party")
    root = _parse(domain_path)
    issues = _issues(domain_path, root)
    used: set[str] = set()
    scenario_issues = []
    for issue in issues:
        issue["id"] = _ident(issue["name"], used)
        option_used: set[str] = set()
        issue["option_ids"] = [
            _ident(o if issue["kind"] == "discrete" or not o.startswith("-") else f"minus{o[1:]}",
                   option_used)
            for o in issue["options"]
        ]
        scenario_issues.append({
            "id": issue["id"], "title": issue["name"], "ordered": issue["kind"] == "integer",
            "options": [{"id": i, "title": o}
                        for i, o in zip(issue["option_ids"], issue["options"], strict=True)],
        })
    parties = []
    party_used: set[str] = set()
    for profile in profiles:
        path = Path(profile)
        data = _profile(path, _parse(path), issues)
        preferences = {}
        for issue in issues:
            weight, values = data["issues"][issue["name"]]
            preferences[issue["id"]] = {
                "importance": _float(weight),
                "values": {i: _float(v) for i, v in zip(issue["option_ids"], values, strict=True)},
            }
        party: dict[str, Any] = {
            "id": _ident(path.stem, party_used, extra=".-"), "name": path.stem,
            "reservation": _float(data["reservation"]), "preferences": preferences,
        }
        if data["discount"] is not None:
            party["note"] = f"GENIUS discount factor {data['discount']}"
        parties.append(party)
    objective = root.find(".//objective")
    title = (objective.get("name") if objective is not None else None) or ""
    if title in ("", "root"):  # GENIUS's default objective name says nothing
        title = domain_path.stem
    data_all = {
        "format": 1, "id": _ident(domain_path.stem, set(), extra=".-"), "title": title,
        "description": f"Imported from GENIUS domain {domain_path.name}",
        "issues": scenario_issues, "parties": parties,
    }
    from negotiate.io import validate

    try:
        return validate(data_all, name=str(domain_path))
    except ScenarioError as exc:
        raise ScenarioFileError(f"{domain_path}: the imported scenario is not valid: {exc}") from None


# -- writing -------------------------------------------------------------------------------------


def _xml_name(title: str, ident: str) -> str:
    """The name written for an issue or option: its title when importing it gives back
    the same id, else the id."""
    return title if _ident(title, set()) == ident else ident


def dump_genius(s: Scenario, folder: str | os.PathLike[str]) -> list[Path]:
    """Write a scenario as a GENIUS domain and one utility-space file per party.

    Files: ``<folder>/<scenario id>.xml`` (the domain) and ``<folder>/<party id>.xml``
    per party, so ``load_genius`` gives back the same numbers. Every issue is written
    as a discrete issue; importances as weights and option values as evaluations,
    exactly as stored (``repr`` of the double); the discount factor from the party's
    note (``GENIUS discount factor X``), 1.0 otherwise.

    GENIUS has no red lines and divides each evaluation by the issue's best one, so a
    scenario with red lines or coherence constraints, or whose best option on an issue
    a party values is not 1 (nor all 0), is refused with the reason.

    Returns
    -------
    list of Path
        The domain file, then the profiles in party order.

    Examples
    --------
    >>> import tempfile
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: price, options: [low, high]}]
    ... parties: [{id: buyer, reservation: 0.3, preferences: {price: {importance: 1, ranking: [low, high]}}}]
    ... ''')
    >>> files = ng.dump_genius(s, tempfile.mkdtemp())
    >>> [f.name for f in files]
    ['toy.xml', 'buyer.xml']
    >>> ng.load_genius(files[0], files[1:]).parties[0].preferences["price"].values
    {'low': 1.0, 'high': 0.0}
    """
    from xml.sax.saxutils import quoteattr

    if not isinstance(s, Scenario):
        raise InvalidArgumentError(f"s={type(s).__name__} must be a Scenario")
    problems = [f"party '{p.id}' has red lines ({', '.join(r.id for r in p.red_lines)})"
                for p in s.parties if p.red_lines]
    if s.constraints:
        problems.append(f"coherence constraints ({', '.join(k.id for k in s.constraints)})")
    tables: list[list[list[float]]] = []
    for party in s.parties:
        rows = []
        for issue in s.issues:
            pref = party.preferences.get(issue.id)
            row = [0.0] * len(issue.options) if pref is None else list(pref.value_table(issue))
            if pref is not None and pref.importance and max(row) not in (0.0, 1.0):
                problems.append(
                    f"party '{party.id}' values its best option of issue '{issue.id}' at "
                    f"{max(row)!r}, not 1 (GENIUS divides by the best evaluation: scale the "
                    "values so the best is 1 and the importance by the same factor)")
            rows.append(row)
        tables.append(rows)
    if problems:
        raise ScenarioError("cannot write GENIUS files: GENIUS has no red lines or coherence "
                            "constraints, and scales each issue to a best value of 1: "
                            + "; ".join(problems))
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    issue_xml = []
    for n, issue in enumerate(s.issues, 1):
        items = "".join(
            f'\n    <item index="{k}" value={quoteattr(_xml_name(o.title, o.id))} '
            f'description={quoteattr(o.title)}/>'
            for k, o in enumerate(issue.options, 1))
        issue_xml.append(f'  <issue index="{n}" name={quoteattr(_xml_name(issue.title, issue.id))} '
                         f'type="discrete" etype="discrete" vtype="discrete">{items}\n  </issue>')
    domain = out / f"{s.id}.xml"
    _write(domain, (
        f'<negotiation_template>\n<utility_space number_of_issues="{len(s.issues)}">\n'
        f'<objective index="0" name={quoteattr(s.title)} type="objective" etype="objective">\n'
        + "\n".join(issue_xml) + "\n</objective>\n</utility_space>\n</negotiation_template>\n"))
    written = [domain]
    for party, rows in zip(s.parties, tables, strict=True):
        parts = []
        weights = []
        for n, (issue, row) in enumerate(zip(s.issues, rows, strict=True), 1):
            pref = party.preferences.get(issue.id)
            items = "".join(
                f'\n    <item index="{k}" value={quoteattr(_xml_name(o.title, o.id))} '
                f'evaluation="{v!r}"/>'
                for k, (o, v) in enumerate(zip(issue.options, row, strict=True), 1))
            parts.append(f'  <issue index="{n}" name={quoteattr(_xml_name(issue.title, issue.id))} '
                         f'type="discrete" etype="discrete" vtype="discrete">{items}\n  </issue>')
            weights.append(f'  <weight index="{n}" value="{(pref.importance if pref else 0.0)!r}"/>')
        match = _DISCOUNT.search(party.note)
        discount = (f"<discount_factor value={quoteattr(match.group(1))}/>\n" if match else "")
        path = out / f"{party.id}.xml"
        _write(path, (
            '<utility_space>\n<objective index="0" name="root" type="objective" '
            'etype="objective">\n' + "\n".join(parts + weights) + "\n</objective>\n"
            f"{discount}"
            f'<reservation value="{party.reservation!r}"/>\n</utility_space>\n'))
        written.append(path)
    return written


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def cli_import(domain: str, profiles: Sequence[str], output: str) -> int:
    """``negotiate import-genius``: read a GENIUS domain and write a scenario file."""
    from negotiate.io import dump

    s = load_genius(domain, profiles)
    dump(s, output)
    print(f"wrote {output}: {len(s.issues)} issues, {len(s.parties)} parties "
          f"({', '.join(p.id for p in s.parties)})")
    return 0
