"""The PDF report (Typst): render a context, read the PDF back with pypdf and check it."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from factories import (
    COMPLETED,
    HOSTILE_TEXT,
    MINOR,
    MISSED,
    make_action,
    make_context,
    squash,
    words,
)

from wfs_reports.config import bundled_templates
from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.problems import Kind
from wfs_reports.domain.trend import Trend
from wfs_reports.render.pdf import REPLACEMENT, render_pdf, report_data
from wfs_reports.report.view import RecommendationContext

TEMPLATES = bundled_templates()  # the installed package's own copy
TABLE_HEADER = "No. Action Owner(s) Completion Date Comments RAG Status"
KEY_ROW = [
    "RAG Status",
    "Completed Action",
    "On target but with minor issues",
    "Missed target requires action",
]
# Text in Typst's own syntax: printed as typed, never run.
TYPST_SYNTAX = [
    '#panic("x")',
    "*bold*",
    "$x^2$",
    "<label>",
    "@ref",
    "// comment",
    '#read("/etc/passwd")',
    '#import "@preview/cetz:0.3.0"',
    "back\\slash",
    "]",
    "#let x = 1",
    "_under_ `raw` = heading",
]


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def pdf(context=None, folder: Path = TEMPLATES) -> bytes:
    return render_pdf(context or make_context(), folder).data


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(outline_titles(item))
        else:
            titles.append(item.title)
    return titles


def struct_elements(reader: pypdf.PdfReader) -> list[tuple[str, str | None]]:
    """(tag, alt text) of every structure element, in reading order."""
    found: list[tuple[str, str | None]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                found.append((str(node["/S"]), node.get("/Alt")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def one_rec(*actions, text: str = "Recommendation text.", narrative=()) -> list:
    return [
        RecommendationContext(
            ref=1,
            heading="Recommendation 1",
            anchor="recommendation-1",
            text=text,
            comments_from_service=tuple(narrative),
            actions=tuple(actions),
        )
    ]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return pdf()


@pytest.fixture(scope="module")
def reader(pdf_bytes) -> pypdf.PdfReader:
    return read(pdf_bytes)


@pytest.fixture(scope="module")
def texts(reader) -> list[str]:
    return page_texts(reader)


# -- content -----------------------------------------------------------------


def test_running_header_and_page_numbers_on_every_page(texts):
    total = len(texts)
    assert total >= 2
    for number, text in enumerate(texts, start=1):
        assert "WFS Action Plan Update" in text
        assert "Open (Unrestricted)" in text  # the classification, top right
        assert f"Page {number} of {total}" in words(text)
        assert "Position as at 22 November 2023" in words(text)
        assert "Source: action_plan.xlsx · SHA-256 000000000000" in words(text)


def test_title_block_key_and_summary(texts):
    first = words(texts[0])
    context = make_context()
    for expected in (
        context.heading,
        context.brand.organisation,
        context.brand.strapline,
        "Meeting: Tower Hamlets Together Board",
        "Meeting date: 7 December 2023",
        "Position as at 22 November 2023",
        "Prepared by: Workforce Programme Team",
        "Classification: Open (Unrestricted)",
        "Summary",
        "3 actions counted across 2 recommendations; 1 marked not applicable (not counted).",
        "By recommendation",
        "+ 1 not applicable",
        "All recommendations",
    ):
        assert expected in first, expected
    # The key row, in the reference's order, each label after its mark.
    key = "RAG Status ● Completed Action ▲ On target but with minor issues ■ Missed target"
    assert key in first
    # The count boxes: mark and count, then the label.
    assert "● 1 Completed Action" in first and "■ 1 Missed target requires action" in first
    assert "3 Actions counted" in first


def test_how_rag_is_calculated_and_exceptions(texts):
    text = words(" ".join(texts))
    context = make_context()
    assert "How RAG is calculated" in text and "Exceptions" in text
    for sentence in context.rag_note:
        assert sentence in text
    # The action by its number and full text; its workbook cell is the officer's.
    assert "No. Action Issue 1.2 Action on row 3 Due 31 March 2024 (Q4 2023-24); " \
        "10 days overdue." in text
    assert "Actions!" not in text


def test_exceptions_empty_says_so():
    context = dataclasses.replace(make_context(), exceptions=())
    assert "No exceptions." in words(" ".join(page_texts(read(pdf(context)))))


def test_recommendations_tables_and_actions(texts):
    text = words(" ".join(texts))
    squashed = squash(text)
    context = make_context()
    assert text.count(TABLE_HEADER) >= len(context.recommendations)
    for rec in context.recommendations:
        assert rec.heading in text
        assert rec.text in text
        for paragraph in rec.comments_from_service:
            assert squash(paragraph) in squashed
        for action in rec.actions:
            for value in (action.action, action.owners, action.comments,
                          action.completion_date, action.computed_comment, action.rag.label):
                assert squash(value) in squashed, value
    assert "Why this RAG: Marked completed." in text and "System:" not in text
    assert "Officer override" in text  # row 3 is an override
    for rec in context.recommendations:
        for action in rec.actions:
            assert f" {action.number} " in text
    # The label as the original report has it, also over no narrative
    # (recommendation 1 has none).
    assert text.count("Comments from Service:") == 2


def test_hostile_text_is_printed_literally(texts):
    squashed = squash(" ".join(texts))
    assert squash(HOSTILE_TEXT) in squashed
    assert "{{7*7}}" in squashed and "<script>" in squashed and "&" in squashed
    assert squash("First paragraph <b>not bold</b>.") in squashed


def test_typst_syntax_in_every_kind_of_cell_is_printed_literally():
    typed = " ".join(TYPST_SYNTAX)
    context = make_context(one_rec(
        make_action(2, 1, action=typed, owners=typed, completion_date=typed, comments=typed,
                    computed_comment=typed),
        text=typed, narrative=[typed],
    ))
    context = dataclasses.replace(context, heading=typed, meeting=typed, prepared_by=typed)
    rendered = render_pdf(context, TEMPLATES)
    text = squash(" ".join(page_texts(read(rendered.data))))
    for fragment in TYPST_SYNTAX:
        # heading, meeting, prepared by, recommendation, narrative, action x4, System:
        assert text.count(squash(fragment)) >= 10, fragment
    assert "root:" not in text
    assert rendered.problems == ()


def test_line_breaks_and_paragraphs_are_kept():
    context = make_context(one_rec(make_action(
        2, 1, action="First line\nsecond line\n\nNew paragraph", owners="Ann\nBob")))
    lines = [line.strip() for line in " ".join(page_texts(read(pdf(context)))).splitlines()]
    # Each on a line of its own, in order: nothing joined, nothing dropped.
    at = lines.index("1.1 First line")  # the action's number, in its own column
    assert lines[at:at + 3] == ["1.1 First line", "second line", "New paragraph"]
    assert "Ann" in lines and "Bob" in lines  # the owners, one a line


# -- PDF structure and accessibility -------------------------------------------


def test_document_metadata_and_tagging(reader):
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "WFS Action Plan Update"
    assert reader.metadata.subject == make_context().heading
    assert reader.metadata.author == "Workforce Programme Team"
    assert reader.metadata.creator.startswith("Typst ")  # made by Typst
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part>1<" in metadata or b'pdfuaid:part="1"' in metadata


def test_pages_are_a4_portrait(reader):
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_structure_tags_headings_in_order_and_tables(reader):
    tags = [tag for tag, _ in struct_elements(reader)]
    headings = [int(tag[2]) for tag in tags if re.fullmatch(r"/H\d", tag)]
    assert headings[0] == 1 and headings.count(1) == 1
    for before, after in zip(headings, headings[1:], strict=False):
        assert after <= before + 1  # no skipped levels
    assert headings.count(2) == 1 + len(make_context().recommendations)
    for tag in ("/Table", "/THead", "/TH", "/TD", "/TR", "/P"):
        assert tag in tags


def test_a_table_over_several_pages_is_one_table_with_its_header_on_every_page():
    actions = [make_action(row, 1, comments="A fairly long officer update. " * 12)
               for row in range(2, 40)]
    reader = read(pdf(make_context(one_rec(*actions))))
    texts = page_texts(reader)
    table_pages = [t for t in texts[1:] if "Action on row" in t]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert TABLE_HEADER in words(text)
    tags = [tag for tag, _ in struct_elements(reader)]
    # The RAG key, the two count tables, the exceptions and the one action table.
    assert tags.count("/Table") == 5


def test_rows_are_not_split_across_pages():
    # Each row's first and last words are on the same page.
    actions = [make_action(row, 1, action=f"Start{row} " + "words " * 40 + f"End{row}",
                           comments="An update. " * 25) for row in range(2, 30)]
    texts = [squash(t) for t in page_texts(read(pdf(make_context(one_rec(*actions)))))]
    for row in range(2, 30):
        assert [f"Start{row}" in t for t in texts] == [f"End{row}" in t for t in texts], row


def test_outline_lists_the_title_summary_and_each_recommendation(reader):
    titles = outline_titles(reader.outline)
    recs = [r.heading for r in make_context().recommendations]
    assert titles[0] == make_context().heading
    assert "Summary" in titles
    assert [t for t in titles if t.startswith("Recommendation ")] == recs
    assert titles.index("Summary") < titles.index(recs[0])
    assert "Exceptions" not in titles  # level-3 headings are not bookmarked


def test_every_font_is_embedded_and_bundled(reader):
    seen = 0
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            for target in [d.get_object() for d in descendants] if descendants else [font]:
                descriptor = target["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, target
                assert "LiberationSans" in str(target["/BaseFont"])
                seen += 1
    assert seen


def test_no_attachments(reader, pdf_bytes):
    names = reader.trailer["/Root"].get("/Names", {})
    assert "/EmbeddedFiles" not in names
    assert b"/EmbeddedFile" not in pdf_bytes


# -- determinism ------------------------------------------------------------------


def test_same_context_same_bytes(pdf_bytes):
    assert pdf() == pdf_bytes


_FRESH = (
    "import sys\n"
    "from factories import make_context\n"
    "from wfs_reports.render.pdf import render_pdf\n"
    "from wfs_reports.config import bundled_templates\n"
    "sys.stdout.buffer.write(render_pdf(make_context(), bundled_templates()).data)\n"
)


def _in_fresh_process(tmp_path: Path, **env: str) -> bytes:
    tests = str(Path(__file__).parents[1])
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {tests!r})\n"
                             + _FRESH], cwd=tmp_path, env=environment, capture_output=True,
                            timeout=120, check=True)
    return result.stdout


@pytest.mark.parametrize("seed", ["0", "12345", "random"])
def test_same_bytes_in_fresh_processes_whatever_the_hash_seed(tmp_path, pdf_bytes, seed):
    assert _in_fresh_process(tmp_path, PYTHONHASHSEED=seed) == pdf_bytes


def test_same_bytes_with_an_empty_fontconfig_and_a_colour_font_installed(tmp_path, pdf_bytes):
    # No system font is ever used: neither an empty Fontconfig set-up nor a
    # font in the user's own font folder changes a byte.
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig></fontconfig>', encoding="utf-8")
    home = tmp_path / "home"
    fonts = home / ".local" / "share" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(TEMPLATES / "fonts" / "LiberationSans-Bold.ttf", fonts / "Other.ttf")
    assert _in_fresh_process(tmp_path, FONTCONFIG_FILE=str(config), HOME=str(home),
                             XDG_DATA_HOME=str(home / ".local" / "share")) == pdf_bytes


def test_creation_date_is_the_as_at_date_or_source_date_epoch(reader, tmp_path):
    assert reader.metadata["/CreationDate"].startswith("D:20231122")
    assert reader.metadata["/ModDate"].startswith("D:20231122")
    stamped = read(_in_fresh_process(tmp_path, SOURCE_DATE_EPOCH="1700000000"))
    assert stamped.metadata["/CreationDate"].startswith("D:20231114221320")


# -- the template reads nothing but its own folder, and fetches nothing --------------


def test_markup_and_urls_in_cells_fetch_nothing(canary):
    port = canary.port
    link = f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x">'
    context = make_context(one_rec(
        make_action(2, 1, action=f'#image("http://127.0.0.1:{port}/i.png")', comments=link,
                    owners='#read("/etc/passwd")'),
        text=f'#include "http://127.0.0.1:{port}/z"',
    ))
    text = " ".join(page_texts(read(pdf(context))))
    assert canary.requests == []
    assert "root:" not in text
    assert squash(link) in squash(text)


def test_the_template_cannot_read_outside_its_folder(tmp_path, templates_copy):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0 CANARY", encoding="utf-8")
    folder = templates_copy
    (folder / "link.typ").symlink_to(secret)
    template = folder / "report.typ"
    for reading in ('read("link.typ")', 'read("../secret.txt")', f'read("{secret}")'):
        template.write_text(f"#{reading}\n" + (TEMPLATES / "report.typ").read_text("utf-8"),
                            encoding="utf-8")
        with pytest.raises(ReportError,
                           match=r"made: report\.typ:1:\d+: (file not found|path .* escape)"):
            render_pdf(make_context(), folder)


def test_a_template_that_uses_a_package_is_refused_before_anything_is_fetched(templates_copy):
    folder = templates_copy
    template = folder / "report.typ"
    template.write_text('#import "@preview/cetz:0.3.0": canvas\n'
                        + template.read_text("utf-8"), encoding="utf-8")
    with pytest.raises(ReportError, match=r"report\.typ:1: uses a Typst package .*internet"):
        render_pdf(make_context(), folder)


@pytest.mark.parametrize("importing", [
    '#import ("@pre" + "view/cetz:0.2.2"): canvas',
    '#let name = "@pre" + "view/cetz:0.2.2"\n#import name: canvas',
])
def test_a_package_named_as_the_template_runs_is_not_fetched(templates_copy, canary, monkeypatch,
                                                             importing):
    """Typst itself is kept from downloading, not just the template's text
    checked: the proxy this environment names is the canary, and hears nothing."""
    for variable in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(variable, f"http://127.0.0.1:{canary.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    folder = templates_copy
    template = folder / "report.typ"
    template.write_text(f"{importing}\n" + template.read_text("utf-8"), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render_pdf(make_context(), folder)
    assert canary.requests == []
    message = str(caught.value)
    assert re.search(r"report\.typ:\d+:\d+: uses a Typst package, which would be downloaded "
                     r"from the internet; the template may only use files in the templates "
                     r"folder; fix the template", message), message
    assert "\n" not in message
    assert os.environ["HTTPS_PROXY"] == f"http://127.0.0.1:{canary.port}"  # given back


def test_a_broken_template_names_the_file_line_and_column(templates_copy):
    folder = templates_copy
    template = folder / "report.typ"
    lines = template.read_text("utf-8").splitlines()
    lines.insert(12, "#let broken = (")
    template.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ReportError) as error:
        render_pdf(make_context(), folder)
    message = str(error.value)
    assert re.search(r"report\.typ: the PDF could not be made: report\.typ:\d+:\d+: ", message)
    assert "\n" not in message


def test_typst_warnings_are_reported(templates_copy):
    folder = templates_copy
    template = folder / "report.typ"
    template.write_text(template.read_text("utf-8").replace(
        '#let fonts = ("Liberation Sans",', '#let fonts = ("No Such Font", "Liberation Sans",'),
        encoding="utf-8")
    rendered = render_pdf(make_context(), folder)
    assert [p.kind for p in rendered.problems] == [Kind.RENDERER_WARNING]
    assert re.search(r"report\.typ:\d+:\d+: unknown font family: no such font",
                     rendered.problems[0].message)


def test_logo_inside_the_template_folder_is_drawn_with_alt_text(templates_copy):
    from PIL import Image

    folder = templates_copy
    Image.new("RGB", (120, 40), (0, 94, 184)).save(folder / "logo.png")
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="logo.png", logo_alt="Tower Hamlets Together")
    reader = read(pdf(dataclasses.replace(context, brand=brand), folder))
    assert ("/Figure", "Tower Hamlets Together") in struct_elements(reader)
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    # The logo replaces the text wordmark.
    assert context.brand.strapline not in words(reader.pages[0].extract_text())


# -- awkward text -------------------------------------------------------------------


def test_a_long_unbroken_word_wraps_inside_its_cell():
    word = "Z" * 3000  # no other "Z" in the document
    url = "https://example.org/" + "a/very/long/path/" * 6 + "index.html?query=" + "x" * 40
    context = make_context(one_rec(make_action(2, 1, action=word, owners=url, comments=word)))
    texts = page_texts(read(pdf(context)))
    text = "\n".join(texts)
    assert squash(text).count("Z") == 2 * len(word)  # nothing cut
    assert squash(url) in squash(text)
    pieces = [line.strip() for line in text.splitlines() if set(line.strip()) == {"Z"}]
    # The Action and Comments columns hold about 25 capital Zs a line at 9 pt.
    assert pieces and max(len(piece) for piece in pieces) <= 30, max(map(len, pieces))


def test_a_row_taller_than_a_page_breaks_and_loses_nothing():
    tokens = [f"w{i:05d}" for i in range(6000)]
    comment = " ".join(tokens)[:32767]  # as long as an Excel cell can be
    kept = re.findall(r"w\d{5}", comment)
    context = make_context(one_rec(
        make_action(2, 1, MISSED, comments=comment),
        make_action(3, 1, action="After the long row"),
    ))
    texts = page_texts(read(pdf(context)))
    found = set(re.findall(r"w\d{5}", " ".join(texts)))
    assert set(kept) <= found, "text was lost"
    assert "After the long row" in words(" ".join(texts))
    table_pages = [t for t in texts if "w0" in t]
    assert len(table_pages) > 2
    for text in table_pages:
        assert TABLE_HEADER in words(text)


def test_a_character_no_font_has_is_replaced_and_named_by_its_cell():
    cells = {"action": "Actions!B7", "comments": "Actions!F7"}
    context = make_context(one_rec(
        make_action(7, 1, action="Music 𝄞 notes", comments="Linear B 𐀀", cells=cells),
        make_action(8, 1, COMPLETED, action="Emoji 😀 and Arabic خطة are fine"),
    ))
    rendered = render_pdf(context, TEMPLATES)
    text = words(" ".join(page_texts(read(rendered.data))))
    assert f"Music {REPLACEMENT} notes" in text and f"Linear B {REPLACEMENT}" in text
    assert "Emoji 😀 and Arabic" in text
    where = {(p.where, p.kind) for p in rendered.problems}
    assert where == {("Actions!B7", Kind.GLYPH_MISSING), ("Actions!F7", Kind.GLYPH_MISSING)}
    message = next(p.message for p in rendered.problems if p.where == "Actions!B7")
    assert "'𝄞' (U+1D11E)" in message


def test_many_actions_with_every_rag(tmp_path):
    rags = [COMPLETED, MINOR, MISSED]
    actions = [make_action(row, 1, rags[row % 3], trend=Trend.WORSE) for row in range(2, 80)]
    reader = read(pdf(make_context(one_rec(*actions))))
    text = words(" ".join(page_texts(reader)))
    assert text.count("↓ worse") == len(actions)
    assert text.count("Action on row") >= len(actions)


def test_typst_syntax_typed_in_the_workbook_reaches_the_pdf_literally(make_workbook, tmp_path,
                                                                       canary):
    from factories import action

    from wfs_reports.cli import main

    typed = " ".join([*TYPST_SYNTAX, f'#image("http://127.0.0.1:{canary.port}/x.png")'])
    workbook = make_workbook([action(1, typed, owners=typed, comments=typed)],
                             recommendations=[[1, typed, typed]],
                             report={"Meeting": typed})
    assert main([str(workbook), "--out", str(tmp_path / "out"), "--format", "pdf",
                 "--quiet"]) == 0
    reader = pypdf.PdfReader(str(next((tmp_path / "out").glob("*.pdf"))))
    text = squash(" ".join(page_texts(reader)))
    for fragment in TYPST_SYNTAX:
        assert text.count(squash(fragment)) >= 5, fragment
    assert canary.requests == []
    assert "root:" not in text


def test_a_long_plan_starts_a_recommendation_on_a_new_page_after_every_run_of_actions():
    """Typst lays out the runs between page breaks in parallel; a long plan gets
    a break before the first recommendation after every PAGE_RUN_ACTIONS
    actions, a short one none (no page left part empty for speed)."""
    from wfs_reports.render.pdf import PAGE_RUN_ACTIONS, page_runs

    sizes = [30, 40, 10, 70, 5]
    recs = [RecommendationContext(ref=n, heading=f"Recommendation {n}",
                                  anchor=f"recommendation-{n}", text=f"Text {n}.",
                                  comments_from_service=(),
                                  actions=tuple(make_action(100 * n + i, n)
                                                for i in range(size)))
            for n, size in enumerate(sizes, start=1)]
    assert PAGE_RUN_ACTIONS == 60
    assert page_runs(recs) == [False, False, True, False, True]
    texts = [words(t) for t in page_texts(read(pdf(make_context(recs))))]
    for ref in (3, 5):
        page = next(i for i, t in enumerate(texts) if f"Recommendation {ref} Text {ref}." in t)
        before = texts[page].split(f"Recommendation {ref} Text {ref}.")[0]
        assert "Action on row" not in before, before  # the previous one's rows end a page
    # Without a break, recommendation 4 follows 3's rows on the same page.
    page = next(i for i, t in enumerate(texts) if "Recommendation 4 Text 4." in t)
    assert "Action on row 309" in texts[page].split("Recommendation 4 Text 4.")[0]
    assert page_runs(make_context().recommendations) == [False, False]


# -- long runs without a space (issue 21 §5) ---------------------------------------

ZWSP = "\u200b"


def _run_of(length: int, seed: int = 0) -> str:
    import random
    import string

    return "".join(random.Random(seed).choices(string.ascii_letters + string.digits, k=length))


def test_a_long_run_without_spaces_gets_places_to_break_and_keeps_every_character():
    """Excel's longest cell with no space took Typst 18 s and 2.4 GB to fit by
    measuring; the PDF's data now gives it a place to break every few dozen
    characters (bench/long_cells.py measures the whole run)."""
    run = _run_of(32767)
    accented = "e\u0301" * 300  # an accent is never parted from its letter
    context = make_context(one_rec(
        make_action(2, 1, action=run, comments=f"See {accented} here"),
        text=f"Linked: {run[:500]}"))
    data, _problems = report_data(context, TEMPLATES / "fonts")
    action = data["recommendations"][0]["actions"][0]
    parts = action["action"].split(ZWSP)
    assert "".join(parts) == run
    assert max(len(part) for part in parts) <= 40 and len(parts) > 32767 / 40
    assert all(not part.startswith("\u0301") for part in action["comments"].split(ZWSP))
    assert action["comments"].replace(ZWSP, "") == f"See {accented} here"
    assert ZWSP in data["recommendations"][0]["text"]
    assert data["title"] == context.title  # the officers' cells only


def test_a_long_run_is_all_in_the_pdf(tmp_path):
    run = _run_of(1000, seed=1)  # on one page: its text is one piece
    reader = read(pdf(make_context(one_rec(make_action(2, 1, action=run)))))
    text = "".join("".join(page.split()) for page in page_texts(reader)).replace(ZWSP, "")
    assert run in text
