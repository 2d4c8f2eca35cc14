"""The web page in a real browser: Debian's Chromium, headless, with axe-core.

The installed ``make-report`` renders the sample plan with two earlier
snapshots in the output folder as html,pdf,docx,json, and a hostile workbook
as html; tests/browser/check.mjs then opens both pages in ONE Chromium run
and reports axe-core's violations at 1280 px and 375 px wide (and with forced
colours), the page's scroll width at 375 px, and every request it made.

These tests never skip by themselves: without Chromium or the npm packages
they fail and say to run ``make browser-deps``. WFS_SKIP_BROWSER=1 skips them
on purpose.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from factories import ACTION_HEADERS, MAKE_REPORT, RECOMMENDATION_HEADERS, SAMPLE, canary_server
from html_pages import read_page

BROWSER_DIR = Path(__file__).resolve().parents[1] / "browser"
CHROMIUM = os.environ.get("WFS_CHROMIUM") or "/usr/bin/chromium"
STEM = "WFS Action Plan Update - 2024-04-15"
EARLIER = ("2023-11-22", "2024-01-31")


def browser_ready() -> None:
    """Fail (never skip silently) when what the browser tests need is missing."""
    if os.environ.get("WFS_SKIP_BROWSER", "").strip() == "1":
        pytest.skip("WFS_SKIP_BROWSER=1: browser tests skipped on purpose")
    missing = []
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium ({CHROMIUM})")
    if shutil.which("node") is None:
        missing.append("Node.js (node)")
    for package in ("axe-core", "puppeteer-core"):
        if not (BROWSER_DIR / "node_modules" / package / "package.json").is_file():
            missing.append(f"the npm package {package} in tests/browser")
    if missing:
        pytest.fail(f"the browser tests need {', '.join(missing)}: run `make browser-deps` "
                    "(as root it installs them), or set WFS_SKIP_BROWSER=1 to skip them",
                    pytrace=False)


def make_report(*args: str) -> None:
    completed = subprocess.run([str(MAKE_REPORT), *args, "--quiet"], capture_output=True,
                               text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr


def hostile_workbook(path: Path, port: int) -> list[str]:
    """A plan whose cells hold markup and template code; returns the texts."""
    loopback = f"http://127.0.0.1:{port}"
    texts = [
        "<script>alert('x')</script> <b>bold</b> {{ 7*7 }} {% if 1 %}yes{% endif %}",
        f'<img src="{loopback}/img"> <link rel="stylesheet" href="{loopback}/link">',
        f"<style>@import url({loopback}/import);</style> <iframe src='{loopback}/frame'>",
        "Fish & Chips \"quoted\" 'single' &amp; &lt; ]]> <!-- comment -->",
        "Welsh ŵ ŷ, Arabic خطة العمل, 中文, emoji 😀",
        "Q" * 400,
    ]
    workbook = openpyxl.Workbook()
    report = workbook.active
    report.title = "Report"
    report.append(["Setting", "Value"])
    report.append(["Title", "Hostile plan <b>&</b>"])
    report.append(["As at", "22/11/2023"])
    recommendations = workbook.create_sheet("Recommendations")
    recommendations.append(RECOMMENDATION_HEADERS)
    recommendations.append([1, "Rec <i>one</i> {{ x }}", f'<a href="{loopback}/a">link</a>'])
    actions = workbook.create_sheet("Actions")
    actions.append(ACTION_HEADERS)
    for text in texts:
        actions.append([1, text, text[:100], "Q4 2023-24", "In progress", text])
    workbook.save(path)
    return texts


@pytest.fixture(scope="module")
def canary():
    """A server on 127.0.0.1 that the hostile page names: nothing may reach it."""
    with canary_server() as server:
        yield server


@pytest.fixture(scope="module")
def published(tmp_path_factory, canary):
    """The files the installed make-report writes (no browser needed)."""
    root = tmp_path_factory.mktemp("published")
    out = root / "out"
    for when in EARLIER:
        make_report(str(SAMPLE), "--out", str(out), "--as-at", when, "--format", "json")
    make_report(str(SAMPLE), "--out", str(out), "--as-at", "2024-04-15", "--format",
                "html,pdf,docx,json")
    texts = hostile_workbook(root / "hostile.xlsx", canary.port)
    make_report(str(root / "hostile.xlsx"), "--out", str(root / "hostile"), "--format", "html")
    (hostile,) = (root / "hostile").glob("*.html")
    return {"out": out, "page": out / f"{STEM}.html", "hostile": hostile, "texts": texts}


@pytest.fixture(scope="module")
def browser(published, canary):
    """Both pages checked in one Chromium run: {"page": ..., "hostile": ...}."""
    browser_ready()
    page, hostile = published["page"], published["hostile"]
    completed = subprocess.run(
        ["node", str(BROWSER_DIR / "check.mjs"), str(page), str(hostile)],
        capture_output=True, text=True, timeout=300, cwd=BROWSER_DIR,
        env={**os.environ, "WFS_CHROMIUM": CHROMIUM})
    assert completed.returncode == 0, completed.stderr[-3000:]
    checked = json.loads(completed.stdout)
    return {"page": checked[str(page)], "hostile": checked[str(hostile)],
            "canary": list(canary.requests)}


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"])
                     for v in violations)


@pytest.mark.parametrize("which", ["page", "hostile"])
@pytest.mark.parametrize("view", ["1280", "375", "forced"])
def test_axe_core_finds_no_violations(browser, which, view):
    found = browser[which][view]["violations"]
    assert found == [], describe(found)


@pytest.mark.parametrize("which", ["page", "hostile"])
def test_the_page_does_not_scroll_sideways_at_375_px(browser, which):
    narrow = browser[which]["375"]
    assert narrow["clientWidth"] == 375
    assert narrow["scrollWidth"] <= narrow["clientWidth"]


@pytest.mark.parametrize("which", ["page", "hostile"])
def test_on_a_phone_each_action_is_a_card_with_its_rag_first_and_all_of_it_on_screen(
        browser, which):
    narrow = browser[which]["375"]["actions"]
    assert narrow["display"] == ["block"]
    assert narrow["rows"], "no actions measured"
    assert all(row["ragFirst"] for row in narrow["rows"])
    assert [row["offscreen"] for row in narrow["rows"] if row["offscreen"]] == []


@pytest.mark.parametrize("which", ["page", "hostile"])
def test_on_a_wide_screen_the_actions_stay_a_table(browser, which):
    wide = browser[which]["1280"]["actions"]
    assert wide["display"] == ["table"]
    # In a table the RAG is the last column: level with the action, not above it.
    assert not any(row["ragFirst"] for row in wide["rows"])
    assert [row["offscreen"] for row in wide["rows"] if row["offscreen"]] == []


@pytest.mark.parametrize("which", ["page", "hostile"])
def test_the_browser_fetches_nothing(browser, which):
    assert browser[which]["requests"] == []
    assert browser[which]["errors"] == []
    assert browser["canary"] == []


def test_the_page_is_one_file_in_english_with_no_scripts_or_outside_references(published):
    out, page = published["out"], read_page(published["page"].read_bytes())
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(STEM)) == [
        f"{STEM}.{ext}" for ext in ("docx", "html", "json", "pdf")]
    assert page.find("html")[0].attrs["lang"] == "en-GB"
    assert page.find("title")[0].text.strip()
    assert not page.find("script") and not page.find("link")
    for element in page.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on")
            if name in {"src", "href", "xlink:href", "srcset", "data", "action", "poster"}:
                assert value.startswith(("#", "data:")), (element.tag, name, value)


def test_the_page_has_every_action(published):
    snapshot = json.loads((published["out"] / f"{STEM}.json").read_text(encoding="utf-8"))
    text = read_page(published["page"].read_bytes()).text
    actions = [a for rec in snapshot["recommendations"] for a in rec["actions"]]
    assert len(actions) == 14
    for item in actions:
        assert " ".join(item["action"].split()) in text, item["action"][:60]


def test_the_page_has_an_svg_picture_under_progress_over_time(published):
    page = read_page(published["page"].read_bytes())
    heading = next(e for e in page.elements if e.tag == "h3" and e.text == "Progress over time")
    after = [e for e in page.elements if e.position > heading.position]
    next_heading = next(e for e in after if e.tag in {"h2", "h3"})
    svg = next(e for e in after if e.tag == "svg")
    assert svg.position < next_heading.position and svg.attrs["role"] == "img"
    # The table beside it gives the numbers of the three reports, oldest first.
    snapshots = {}
    for path in published["out"].glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        snapshots[data["as_at"]] = data["summary"]
    for when, label in (("2023-11-22", "22 November 2023"), ("2024-01-31", "31 January 2024"),
                        ("2024-04-15", "15 April 2024 (This report)")):
        counts = snapshots[when]
        row = f"{label} {counts['completed']} {counts['minor_issues']} {counts['missed']} " \
              f"{counts['total']}"
        assert row in page.text, row
    assert snapshots["2023-11-22"] != snapshots["2024-04-15"]  # the columns differ


def test_the_pdf_and_word_files_have_the_section_too(published):
    reader = pypdf.PdfReader(io.BytesIO((published["out"] / f"{STEM}.pdf").read_bytes()))
    pdf = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Progress over time" in pdf and "15 April 2024 (This report)" in pdf
    document = docx.Document(str(published["out"] / f"{STEM}.docx"))
    assert "Progress over time" in [p.text for p in document.paragraphs]
    pictures = [d for d in document.element.body.iter()
                if d.tag.endswith("}docPr") and d.get("name") == "Progress over time"]
    assert len(pictures) == 1 and "15 April 2024" in pictures[0].get("descr")


def test_hostile_text_is_printed_literally(published):
    html = published["hostile"].read_bytes().decode("utf-8")
    page = read_page(html)
    for text in published["texts"]:
        assert " ".join(text.split()) in page.text, text[:60]
    assert "Rec <i>one</i> {{ x }}" in page.text
    assert not page.find("script") and not page.find("iframe") and not page.find("b")
    assert not page.find("img") and not page.find("i")
    assert "Hostile plan <b>&</b>" in page.find("title")[0].text


def test_a_rerun_gives_the_same_bytes(published, tmp_path):
    out = published["out"]
    before = published["page"].read_bytes()
    make_report(str(SAMPLE), "--out", str(out), "--as-at", "2024-04-15", "--format", "html")
    assert published["page"].read_bytes() == before
