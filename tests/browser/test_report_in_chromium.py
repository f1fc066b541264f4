"""The HTML report in a real browser: headless Chromium (Debian's package) via Playwright.

Asserts no console error, no network request (every request is intercepted; anything
but file: and data: fails the test), every section present, every picture rendered
with a non-zero size, every source link landing on an anchor of the page, and a
readable layout on a phone; saves screenshots under the test's tmp_path.

Skipped, with the reason, only when no browser or no Playwright can be found, and
never in CI: with the environment variable CI set, a missing browser is an error.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import negotiate as ng
from negotiate.publish import REPORT_SECTIONS, write_report

ROOT = Path(__file__).resolve().parents[2]
DECEMBER = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium found (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(ng.load(JANUARY), path, compare=ng.load(DECEMBER), robustness=100)
    return path


def open_page(browser: Any, report: Path, width: int) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda q: None if q.url.startswith(("file:", "data:"))
            else outside.append(q.url))
    page.goto(report.as_uri(), wait_until="load")
    return page, errors, outside


def test_report_in_the_browser(browser: Any, report: Path, tmp_path: Path) -> None:
    page, errors, outside = open_page(browser, report, 1200)
    for section in (*REPORT_SECTIONS, "changes", "robustness"):
        box = page.locator(f"section#{section}").bounding_box()
        assert box and box["height"] > 0, f"section {section} is missing or empty"
    sizes = page.eval_on_selector_all(
        "figure svg", "els => els.map(e => [e.getBoundingClientRect().width, "
        "e.getBoundingClientRect().height])")
    assert len(sizes) >= 4
    assert all(w > 100 and h > 100 for w, h in sizes), sizes
    titles = page.eval_on_selector_all("figure svg > title", "els => els.map(e => e.textContent)")
    assert len(titles) == len(sizes) and all(titles)
    targets = page.eval_on_selector_all(
        "a[href^='#']", "els => els.map(a => [a.getAttribute('href'), "
        "document.getElementById(a.getAttribute('href').slice(1)) !== null])")
    sources = [t for t in targets if t[0].startswith("#source-")]
    assert sources, "no source links"
    assert [t for t in targets if not t[1]] == [], "links to nowhere"
    first = sources[0][0]
    page.click(f"a[href='{first}'] >> nth=0")
    assert page.evaluate("location.hash") == first
    assert page.evaluate(f"document.querySelector('{first}').getBoundingClientRect().top") < 900
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert errors == []
    assert outside == []
    page.close()


def test_report_on_a_phone(browser: Any, report: Path, tmp_path: Path) -> None:
    page, errors, outside = open_page(browser, report, 390)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    sizes = page.eval_on_selector_all(
        "figure svg", "els => els.map(e => e.getBoundingClientRect().width)")
    assert all(0 < w <= 390 for w in sizes), sizes
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert errors == [] and outside == []
    page.close()


def test_print_layout(browser: Any, report: Path, tmp_path: Path) -> None:
    page, errors, _ = open_page(browser, report, 1000)
    page.emulate_media(media="print")
    assert page.eval_on_selector("nav.toc", "e => getComputedStyle(e).display") == "none"
    page.pdf(path=str(tmp_path / "report.pdf"))
    assert (tmp_path / "report.pdf").stat().st_size > 10_000
    assert errors == []
    page.close()
