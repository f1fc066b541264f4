"""``negotiate report``: the HTML is self-contained, has its sections, and every red line
links to its sources; the Markdown says the same things; files are written atomically."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.cli import main
from negotiate.publish import REPORT_SECTIONS, render_report, write_report

ROOT = Path(__file__).resolve().parents[2]
DECEMBER = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"


class Page(HTMLParser):
    """Ids, links, and anything that could load from outside the page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.loads: list[str] = []
        self.tags: set[str] = set()
        self.svg_titles = 0
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        for key in ("src", "srcset", "data", "poster", "action"):
            if a.get(key):
                self.loads.append(f"{tag} {key}={a[key]}")
        if tag == "link":
            self.loads.append(f"link {a.get('href')}")
        for key in ("href", "xlink:href"):
            value = a.get(key)
            if tag != "a" and value and not value.startswith(("#", "data:")):
                self.loads.append(f"{tag} {key}={value}")
        if tag == "title" and "svg" in self._in:
            self.svg_titles += 1
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass


@pytest.fixture(scope="module")
def html() -> str:
    return render_report(ng.load(JANUARY), compare=ng.load(DECEMBER))


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    parsed = Page()
    parsed.feed(html)
    return parsed


def test_sections_and_ids(page: Page) -> None:
    for section in (*REPORT_SECTIONS, "changes"):
        assert section in page.ids
    assert "robustness" not in page.ids  # only with --robustness
    assert len(page.ids) == len(set(page.ids)), "duplicate ids on the page"


def test_nothing_loads_from_outside(html: str, page: Page) -> None:
    assert page.loads == []
    assert "script" not in page.tags
    assert "@import" not in html and "url(http" not in html and "@font-face" not in html
    assert "default-src 'none'" in html  # the page forbids itself any request


def test_every_internal_link_resolves(page: Page) -> None:
    internal = [x[1:] for x in page.links if x.startswith("#")]
    assert internal
    assert set(internal) <= set(page.ids)
    outside = [x for x in page.links if not x.startswith("#")]
    assert all(x.startswith(("https://", "http://")) for x in outside)


def test_every_red_line_links_to_its_sources(html: str) -> None:
    s = ng.load(JANUARY)
    for party in s.parties:
        for red_line in party.red_lines:
            row = re.search(rf'<tr id="rl-{re.escape(red_line.id)}".*?</tr>', html, re.S)
            assert row, red_line.id
            linked = re.findall(r'href="#source-([^"]+)"', row.group(0))
            assert linked == list(red_line.sources)
            assert f"stance-{red_line.stance}" in row.group(0)
    for source in s.sources:
        assert f'id="source-{source.id}"' in html


def test_figures_are_accessible_inline_svg(html: str, page: Page) -> None:
    figures = re.findall(r"<figure>.*?</figure>", html, re.S)
    assert len(figures) >= 4  # conflict graph, verdicts, utilities, frontier
    for figure in figures:
        assert "<svg" in figure and 'role="img"' in figure and "<figcaption>" in figure
    assert page.svg_titles >= len(figures)


def test_report_reads_for_a_non_user(html: str) -> None:
    text = re.sub(r"<[^>]+>", "", html)
    assert "No deal is possible as the positions stand" in text
    assert "Who would have to move" in text
    assert "What changed since 2025-12-02" in text
    assert "Not a forecast and not a recommendation" in text
    assert "Red lines are matched by id" in text


def test_markdown_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(JANUARY), "--compare", str(DECEMBER)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Russia–Ukraine peace talks, late January 2026")
    for heading in ("## Bottom line", "## What blocks a deal", "## What changed since",
                    "## Plans on the table", "## Sources"):
        assert heading in out
    anchors = set(re.findall(r'<a id="(source-[^"]+)"></a>', out))
    assert set(re.findall(r"\]\(#(source-[^)]+)\)", out)) <= anchors


def test_cli_writes_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(JANUARY), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "changes" not in Page().ids
    assert (out.stat().st_mode & 0o777) != 0o600  # readable like any file the user writes


def test_bad_output_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(JANUARY), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "HTML (.html) or Markdown (.md)" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.md"
    out.write_text("old")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr("negotiate.publish.render_report", broken)
    with pytest.raises(RuntimeError):
        write_report(ng.load(JANUARY), out)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_missing_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    assert main(["report", str(JANUARY)]) == 2
    assert "pip install 'negotiate[report]'" in capsys.readouterr().err


def test_robustness_section_matches_the_analysis() -> None:
    s = ng.load(JANUARY)
    result = ng.robustness(s, samples=50, seed=1)
    html = render_report(s, robustness=50, seed=1)
    section = re.search(r'<section id="robustness".*?</section>', html, re.S)
    assert section, "no robustness section"
    text = section.group(0)
    assert f"<strong>{result.p_agreement:.3f}</strong>" in text
    for pid, probabilities in result.proposals.items():
        row = re.search(rf'<tr><th scope="row"><a href="#plan-{pid}">.*?</tr>', text, re.S)
        assert row and f"<td>{probabilities['all']:.3f}</td>" in row.group(0)
    assert 'href="#robustness"' in html


def test_bad_arguments() -> None:
    s = ng.load(JANUARY)
    with pytest.raises(ng.InvalidArgumentError, match="format='pdf'"):
        render_report(s, format="pdf")
    with pytest.raises(ng.InvalidArgumentError, match="robustness=0"):
        render_report(s, robustness=0)


def test_links_resolve_when_the_earlier_snapshot_cites_other_sources() -> None:
    """Red lines removed since, and clashes resolved since, name sources the later file may
    not have: they are printed, not linked, so no link points nowhere."""
    earlier = ng.loads("""
format: 1
id: t
sources: [{id: OLD1, title: Old}, {id: S1, title: Kept}]
issues: [{id: tariff, options: [none, low, high], ordered: true}]
parties:
  - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: stated, sources: [OLD1]}]}
  - {id: B, red_lines: [{id: b1, rule: "tariff >= low", sources: [S1]}]}
""")
    later = ng.loads("""
format: 1
id: t
sources: [{id: S1, title: Kept}]
issues: [{id: tariff, options: [none, low, high], ordered: true}]
parties:
  - {id: A}
  - {id: B, red_lines: [{id: b1, rule: "tariff >= low", sources: [S1]}]}
""")
    html = render_report(later, compare=earlier)
    page = Page()
    page.feed(html)
    assert "OLD1" in html  # named ...
    internal = {x[1:] for x in page.links if x.startswith("#")}
    assert internal <= set(page.ids)  # ... but not linked
    assert "Resolved:" in html and "Red lines removed (1)" in html
