"""The web page, read from its markup: structure, escaping, one self-contained file.

What a browser makes of it (axe-core, sideways scroll, fetches) is checked in
tests/test_render_html_browser.py.
"""

from __future__ import annotations

import base64
import dataclasses
import re

import pytest
from factories import HOSTILE_TEXT, make_context, with_progress
from html_pages import read_page

from wfs_reports.config import bundled_templates
from wfs_reports.domain.errors import ReportError
from wfs_reports.render.html import render_html


def render(context=None, folder=None) -> bytes:
    return render_html(context or make_context(), folder or bundled_templates())


def test_one_page_in_british_english_with_title_landmarks_and_one_h1():
    page = read_page(render())
    (html,) = page.find("html")
    assert html.attrs["lang"] == "en-GB"
    (title,) = page.find("title")
    assert title.text == "WFS Action Plan Update – 22 November 2023"
    assert len(page.find("h1")) == 1
    assert [len(page.find(tag)) for tag in ("header", "main", "footer")] == [1, 1, 1]
    skip = page.elements[[e.tag for e in page.elements].index("body") + 1]
    assert skip.tag == "a" and skip.attrs["href"] == "#main" and page.find("main")[0].attrs[
        "id"] == "main"


def test_headings_never_skip_a_level():
    levels = [int(e.tag[1]) for e in read_page(render()).elements if re.fullmatch(r"h\d", e.tag)]
    assert levels[0] == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))


def test_every_table_has_a_caption_header_scopes_and_a_labelled_focusable_region():
    html = render(with_progress(make_context())).decode("utf-8")
    page = read_page(html)
    tables = page.find("table")
    assert len(tables) >= 6
    for table in tables:
        following = page.elements[table.position + 1]
        assert following.tag == "caption" and following.text.strip(), table.attrs
    assert all(th.attrs.get("scope") in {"col", "row"} for th in page.find("th"))
    regions = [e for e in page.elements if e.attrs.get("role") == "region"]
    assert len(regions) == len(tables)
    for region in regions:
        assert region.attrs["tabindex"] == "0"
        label = region.attrs.get("aria-label") or region.attrs.get("aria-labelledby")
        assert label
        if "aria-labelledby" in region.attrs:
            assert f'id="{region.attrs["aria-labelledby"]}"' in html


def test_rag_is_text_mark_and_colour():
    html = render().decode("utf-8")
    cell = re.search(r'<td class="rag rag-missed"[^>]*>(.*?)</td>', html, re.S)
    assert cell and "■" in cell.group(1) and "Missed target requires action" in cell.group(1)
    assert re.search(r"\.rag-missed \{ background-color: #d4351c; color: #ffffff; \}", html)


def test_each_action_cell_is_labelled_by_its_column_for_the_phones_cards():
    """On a narrow screen the stylesheet shows each action as a card, each cell
    under its column's name: the name is the cell's data-label."""
    page = read_page(render())
    tables = [e for e in page.find("table") if e.attrs.get("class") == "actions"]
    assert len(tables) == 2
    ends = [t.position for t in tables[1:]] + [len(page.elements)]
    actions = 0
    for table, end in zip(tables, ends, strict=True):
        inside = [e for e in page.elements if table.position < e.position < end]
        headers = [e.text.strip() for e in inside if e.tag == "th"]
        assert headers == ["No.", "Action", "Owner(s)", "Completion Date", "Comments",
                           "RAG Status"]
        cells = [e for e in inside if e.tag == "td"]
        for start in range(0, len(cells), len(headers)):
            row = cells[start:start + len(headers)]
            assert [c.attrs.get("data-label") for c in row] == headers
            actions += 1
    assert actions == 4
    css = render().decode("utf-8")
    assert "td[data-label]::before" in css and "content: attr(data-label)" in css


def test_cell_text_is_printed_literally():
    html = render().decode("utf-8")
    page = read_page(html)
    assert " ".join(HOSTILE_TEXT.split()) in page.text
    assert "First paragraph <b>not bold</b>." in page.text
    assert "<script>alert" not in html and len(page.find("script")) == 0
    assert not any(e.tag == "b" for e in page.elements)


def test_no_scripts_and_nothing_to_fetch():
    page = read_page(render(with_progress(make_context())))
    assert not page.find("script") and not page.find("link") and not page.find("iframe")
    for element in page.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in {"src", "href", "xlink:href", "action", "data", "poster"}:
                assert value.startswith(("#", "data:")), (element.tag, name, value)
    (style,) = page.find("style")
    assert "url(" not in style.text and "@import" not in style.text


def test_progress_over_time_is_an_svg_picture_with_its_table():
    page = read_page(render(with_progress(make_context())))
    heading = next(e for e in page.find("h3") if e.text == "Progress over time")
    svg = next(e for e in page.find("svg") if e.position > heading.position)
    assert svg.attrs["role"] == "img"
    assert "Missed target requires action 2 to 1" in svg.attrs["aria-label"]
    assert "RAG counts at each report" in page.pieces
    assert "22 November 2023 (This report)" in page.pieces


def test_no_progress_section_without_an_earlier_report():
    page = read_page(render())
    assert "Progress over time" not in page.text and not page.find("svg")


def test_the_logo_is_inside_the_page(templates_copy):
    folder = templates_copy
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj"
                           "/HwADAgH/ikNPiQAAAABJRU5ErkJggg==")
    (folder / "logo.png").write_bytes(png)
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="logo.png", logo_alt="Our logo")
    page = read_page(render(dataclasses.replace(context, brand=brand), folder))
    (img,) = page.find("img")
    assert img.attrs["alt"] == "Our logo"
    assert img.attrs["src"] == "data:image/png;base64," + base64.b64encode(png).decode()


def test_the_same_context_gives_the_same_bytes():
    context = with_progress(make_context())
    assert render(context) == render(context)


def test_a_broken_template_is_one_clear_line(templates_copy):
    folder = templates_copy
    (folder / "report.html.j2").write_text("{% if c.title %}", encoding="utf-8")
    with pytest.raises(ReportError, match="report.html.j2: the web page could not be made"):
        render(folder=folder)


def test_a_stylesheet_that_would_end_the_style_block_is_refused(templates_copy):
    folder = templates_copy
    (folder / "report.css").write_text("p { color: red } </style><script>x()</script>",
                                       encoding="utf-8")
    with pytest.raises(ReportError, match="report.css"):
        render(folder=folder)
