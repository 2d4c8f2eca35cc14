"""The PDF report: render a context, read the PDF back with pypdf and check it."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from factories import HOSTILE_TEXT, MISSED, make_action, make_context

from wfs_reports.context import RecommendationContext
from wfs_reports.render_pdf import _template_file, render_html, render_pdf

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
TABLE_HEADER = "Action Owner(s) Completion Date Comments RAG Status"
KEY_ROW = [
    "RAG Status",
    "Completed Action",
    "On target but with minor issues",
    "Missed target requires action",
]


def squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout did."""
    return "".join(text.split())


def words(text: str) -> str:
    return " ".join(text.split())


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


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


def one_rec(*actions, text: str = "Recommendation text.") -> list[RecommendationContext]:
    return [
        RecommendationContext(
            ref=1,
            heading="Recommendation 1",
            anchor="recommendation-1",
            text=text,
            comments_from_service=(),
            actions=tuple(actions),
        )
    ]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return render_pdf(make_context(), TEMPLATES)


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
        assert f"Page {number} of {total}" in words(text)
        assert "Position as at 22 November 2023" in words(text)
        assert "action_plan.xlsx" in text and "000000000000" in text


def test_title_block_key_and_summary(texts):
    first = words(texts[0])
    context = make_context()
    for expected in (
        context.heading,
        context.brand.organisation,
        "Meeting: Tower Hamlets Together Board",
        "Meeting date: 7 December 2023",
        "Prepared by: Workforce Programme Team",
        "Classification: Open (Unrestricted)",
        "Summary",
        "How RAG is calculated",
        "Exceptions",
        "Actions!D3",
        "Due 31 March 2024 (Q4 2023-24); 10 days overdue.",
        *context.rag_note,
    ):
        assert expected in first
    # The key row, in the reference's order, each label after its mark.
    key = "RAG Status ● Completed Action ▲ On target but with minor issues ■ Missed target"
    assert key in first
    assert [label for label in KEY_ROW if label in first] == KEY_ROW


def test_exceptions_empty_says_so():
    context = dataclasses.replace(make_context(), exceptions=())
    html = render_html(context, TEMPLATES)
    assert "No exceptions." in html


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
            for value in (
                action.action,
                action.owners,
                action.comments,
                action.completion_date,
                action.computed_comment,
                action.rag.label,
            ):
                assert squash(value) in squashed, value
    assert text.count("Comments from Service:") == len(context.recommendations)


def test_hostile_text_is_printed_literally(texts):
    squashed = squash(" ".join(texts))
    assert squash(HOSTILE_TEXT) in squashed
    assert "{{7*7}}" in squashed and "<script>" in squashed and "&" in squashed
    assert squash("First paragraph <b>not bold</b>.") in squashed


def test_html_is_escaped_and_line_breaks_kept():
    html = render_html(make_context(), TEMPLATES)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html  # data, not compiled
    assert "Stage 1: develop a core data set.<br>Second line &amp; more" in html
    assert '<th scope="col">Action</th>' in html and '<th scope="col">RAG Status</th>' in html


# -- PDF structure and accessibility -------------------------------------------


def test_document_metadata_and_tagging(reader):
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "WFS Action Plan Update"
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/PageMode"] == "/UseOutlines"
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata


def test_structure_tags_headings_in_order_and_tables(reader):
    tags = [tag for tag, _ in struct_elements(reader)]
    headings = [int(tag[2]) for tag in tags if tag in ("/H1", "/H2", "/H3")]
    assert headings[0] == 1 and headings.count(1) == 1
    for before, after in zip(headings, headings[1:], strict=False):
        assert after <= before + 1  # no skipped levels
    assert headings.count(2) == 1 + len(make_context().recommendations)
    for tag in ("/Table", "/THead", "/TH", "/TD", "/P"):
        assert tag in tags


def test_outline_lists_summary_and_each_recommendation(reader):
    titles = outline_titles(reader.outline)
    recs = [r.heading for r in make_context().recommendations]
    assert "Summary" in titles
    assert [t for t in titles if t.startswith("Recommendation ")] == recs
    assert titles.index("Summary") < titles.index(recs[0])


def test_every_font_is_embedded(reader):
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, target
                assert "Liberation" in str(target["/BaseFont"])
                seen += 1
    assert seen


def test_no_attachments(reader, pdf_bytes):
    names = reader.trailer["/Root"].get("/Names", {})
    assert "/EmbeddedFiles" not in names
    assert b"/EmbeddedFile" not in pdf_bytes


# -- determinism ------------------------------------------------------------------


def test_same_context_same_bytes(pdf_bytes):
    assert render_pdf(make_context(), TEMPLATES) == pdf_bytes


def test_same_bytes_in_a_fresh_process_with_another_hash_seed(pdf_bytes):
    script = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from pathlib import Path\n"
        "from factories import make_context\n"
        "from wfs_reports.render_pdf import render_pdf\n"
        "sys.stdout.buffer.write(render_pdf(make_context(), Path('templates')))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert result.stdout == pdf_bytes


def test_creation_date_is_the_as_at_date(reader):
    assert reader.metadata["/CreationDate"].startswith("D:20231122")
    assert reader.metadata["/ModDate"].startswith("D:20231122")


def test_weasyprint_not_imported_by_the_module():
    script = (
        "import sys\n"
        "import wfs_reports.render_pdf\n"
        "assert 'weasyprint' not in sys.modules, 'imported eagerly'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, check=True, timeout=60)


# -- nothing is fetched from outside the template folder ------------------------------


def test_markup_in_cells_fetches_nothing(canary):
    port = canary.port
    link = f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x">'
    img = '<img src="file:///etc/passwd">'
    context = make_context(
        one_rec(
            make_action(
                2,
                1,
                action=img,
                comments=link,
                owners=f"@import url(http://127.0.0.1:{port}/y);",
            ),
            text=f'<iframe src="http://127.0.0.1:{port}/z"></iframe>',
        )
    )
    text = " ".join(page_texts(read(render_pdf(context, TEMPLATES))))
    assert canary.requests == []
    assert "root:" not in text
    assert squash(img) in squash(text)
    assert squash(link) in squash(text)


def test_fetcher_serves_template_files_only(tmp_path):
    folder = tmp_path / "templates"
    (folder / "fonts").mkdir(parents=True)
    (folder / "report.css").write_text("p {}")
    (folder / "fonts" / "a.ttf").write_bytes(b"font")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (folder / "link.css").symlink_to(secret)

    body, mime = _template_file(folder, (folder / "report.css").as_uri())
    assert body == b"p {}" and mime == "text/css"
    assert _template_file(folder, (folder / "fonts" / "a.ttf").as_uri())[0] == b"font"

    refused = [
        secret.as_uri(),
        (folder / "link.css").as_uri(),  # a symlink out of the folder
        (folder / "fonts" / "..").as_uri() + "/../secret.txt",
        f"file://{folder}/../secret.txt",
        "file://example.org/etc/passwd",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "data:text/css,p{}",
        folder.as_uri(),  # a folder, not a file
    ]
    for url in refused:
        with pytest.raises(OSError):
            _template_file(folder, url)


def test_logo_outside_the_template_folder_fails_the_render():
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="../README.md", logo_alt="Logo")
    with pytest.raises(RuntimeError, match="outside the template folder"):
        render_pdf(dataclasses.replace(context, brand=brand), TEMPLATES)


def test_missing_logo_fails_the_render():
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="no-such-logo.png", logo_alt="Logo")
    with pytest.raises(RuntimeError, match="no-such-logo.png"):
        render_pdf(dataclasses.replace(context, brand=brand), TEMPLATES)


def test_weasyprint_error_fails_the_render(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    template = folder / "report.html.j2"
    # PDF/UA needs a document language; WeasyPrint logs an ERROR without it.
    template.write_text(template.read_text().replace('<html lang="en-GB">', "<html>"))
    with pytest.raises(RuntimeError, match="lang"):
        render_pdf(make_context(), folder)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{{ title }}</title>", "{{ title </title>", "line"),
        ("{{ title }}</title>", "{{ no_such_field }}</title>", "no_such_field"),
    ],
)
def test_broken_template_is_a_runtime_error(tmp_path, old, new, message):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    template = folder / "report.html.j2"
    template.write_text(template.read_text().replace(old, new, 1))
    with pytest.raises(RuntimeError, match=message):
        render_html(make_context(), folder)


def test_bad_brand_colour_is_refused():
    context = make_context()
    brand = dataclasses.replace(context.brand, accent="red; background: url(http://x/)")
    with pytest.raises(RuntimeError, match="colour"):
        render_html(dataclasses.replace(context, brand=brand), TEMPLATES)


# -- awkward sizes ------------------------------------------------------------------


def test_long_unbroken_word_and_longest_excel_comment_render():
    word = "Z" * 3000  # no other "Z" in the document
    tokens = [f"w{i:05d}" for i in range(6000)]
    comment = " ".join(tokens)[:32767]
    last = comment.split()[-1]
    context = make_context(
        one_rec(
            make_action(2, 1, action=word),
            make_action(3, 1, MISSED, comments=comment),
            make_action(4, 1, action="After the long rows"),
        )
    )
    reader = read(render_pdf(context, TEMPLATES))
    texts = page_texts(reader)
    squashed = squash(" ".join(texts))
    # The word wraps over pages, so running headers fall between its pieces.
    assert squashed.count("Z") == len(word)
    assert "w00000" in squashed and last in squashed
    assert "After the long rows" in words(" ".join(texts))
    # The table header repeats on every page the long rows run over.
    table_pages = [t for t in texts[1:] if "w0" in t]
    assert len(table_pages) > 2
    for text in table_pages:
        assert TABLE_HEADER in words(text)


def test_logo_inside_the_template_folder_is_drawn_with_alt_text(tmp_path):
    from PIL import Image

    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    Image.new("RGB", (120, 40), (0, 94, 184)).save(folder / "logo.png")
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="logo.png", logo_alt="Tower Hamlets Together")
    data = render_pdf(dataclasses.replace(context, brand=brand), folder)
    reader = read(data)
    assert ("/Figure", "Tower Hamlets Together") in struct_elements(reader)
    first = reader.pages[0]
    xobjects = first["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def _render_in_fresh_process(code: str) -> bytes:
    """PDF bytes of make_context() rendered by a fresh interpreter after ``code``."""
    script = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from pathlib import Path\n"
        "from factories import make_context\n"
        "import wfs_reports.render_pdf as rp\n"
        f"{code}\n"
        "sys.stdout.buffer.write(rp.render_pdf(make_context(), Path('templates')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                            capture_output=True, timeout=120, check=True)
    return result.stdout


def test_renders_without_the_harfbuzz_subsetter(pdf_bytes):
    # Without libharfbuzz-subset WeasyPrint subsets fonts with fontTools
    # (slower, and it warns): the report is still made, fonts embedded.
    code = (
        "import cffi\n"
        "dlopen = cffi.FFI.dlopen\n"
        "def no_subsetter(self, name, *args):\n"
        "    if 'harfbuzz-subset' in str(name):\n"
        "        raise OSError('hidden for the test')\n"
        "    return dlopen(self, name, *args)\n"
        "cffi.FFI.dlopen = no_subsetter\n"
        "import warnings; warnings.simplefilter('ignore')\n"
        "from weasyprint.text.ffi import harfbuzz_subset\n"
        "assert harfbuzz_subset is None\n"
    )
    data = _render_in_fresh_process(code)
    reader = read(data)
    assert len(reader.pages) == len(read(pdf_bytes).pages)
    assert words(page_texts(reader)[0]).startswith(words(page_texts(read(pdf_bytes))[0])[:40])
    embedded = 0
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            for target in [d.get_object() for d in descendants] if descendants else [font]:
                descriptor = target["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, target
                embedded += 1
    assert embedded
