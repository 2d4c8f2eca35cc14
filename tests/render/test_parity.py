"""Word, PDF and the web page carry the same content: every line of one is in the other.

The two documents are laid out by different engines, so they are compared as
text with spaces and line breaks removed: each line of the PDF (its running
header and footer aside) must appear in the Word text, and each paragraph and
table cell of the Word file must appear in the PDF's text. The web page is
compared with the PDF the same way: each PDF line is in the page's visible
text, and each of the page's text blocks in the PDF.
"""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
import pytest
from factories import squash
from html_pages import read_page


def word_pieces(data: bytes) -> tuple[list[str], str]:
    """(body paragraphs and cells in order, header + footer text) of a .docx."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    pieces = []
    for element in document.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        if text.strip():
            pieces.append(text)
    section = document.sections[0]
    margins = " ".join(p.text for part in (section.header, section.footer)
                       for p in part.paragraphs)
    return pieces, margins


def pdf_lines(data: bytes) -> list[list[str]]:
    return [page.extract_text().splitlines() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def documents(sample_reports) -> dict[str, dict[str, bytes]]:
    """The sample's first report, and the second compared with it (trends and the
    changes section): {"first": {".docx": bytes, ...}, "second": {...}}."""
    suffixes = (".docx", ".pdf", ".html")
    return {"first": {s: sample_reports.first(s).read_bytes() for s in suffixes},
            "second": {s: sample_reports.second(s).read_bytes() for s in suffixes}}


@pytest.mark.parametrize("which", ["first", "second"])
def test_every_pdf_line_is_in_the_word_file_and_every_word_paragraph_in_the_pdf(
        documents, which):
    files = documents[which]
    pieces, margins = word_pieces(files[".docx"])
    word = squash(" ".join(pieces))
    pages = pdf_lines(files[".pdf"])
    title, classification = "WFS Action Plan Update", "Open (Unrestricted)"
    footer = re.compile(r"^Position as at .* · Source: .* · SHA-256 [0-9a-f]{12} Page \d+ of \d+$")
    body_lines = []
    for lines in pages:
        assert lines[0] == f"{title} {classification}"  # the running header
        assert footer.match(lines[-1]), lines[-1]  # the footer
        body_lines += lines[1:-1]
    # The Word file's header and footer say the same (its page numbers are fields).
    assert squash(f"{title} {classification}") in squash(margins)
    assert squash(footer.match(pages[0][-1]).group(0).rsplit(" Page ", 1)[0]) in squash(margins)

    missing_in_word = [line for line in body_lines if squash(line) not in word]
    assert missing_in_word == []
    pdf = squash(" ".join(body_lines))
    missing_in_pdf = [piece for piece in pieces if squash(piece) not in pdf]
    assert missing_in_pdf == []


@pytest.mark.parametrize("which", ["first", "second"])
def test_every_pdf_line_is_on_the_web_page_and_every_block_of_the_page_in_the_pdf(
        documents, which):
    files = documents[which]
    page = read_page(files[".html"])
    html = squash(page.text)
    lines = [line for page_lines in pdf_lines(files[".pdf"]) for line in page_lines]
    body = [line for line in lines if not re.search(r"Page \d+ of \d+$", line)
            and line != "WFS Action Plan Update Open (Unrestricted)"]
    missing_on_the_page = [line for line in body if squash(line) not in html]
    assert missing_on_the_page == []
    pdf = squash(" ".join(lines))  # the page's masthead and footer are the PDF's margins
    missing_in_pdf = [piece for piece in page.pieces if squash(piece) not in pdf]
    assert missing_in_pdf == []
    # The second report has an earlier one beside it: both show the history.
    assert ("Progress over time" in page.pieces) == (which == "second")


def test_the_comparison_would_notice_a_difference(documents):
    # A line the Word file lacks is reported: the test above can fail.
    pieces, _ = word_pieces(documents["first"][".docx"])
    word = squash(" ".join(p for p in pieces if "Officer override" not in p))
    assert squash("Officer override") not in word
    body = [line for lines in pdf_lines(documents["first"][".pdf"]) for line in lines]
    assert any(squash(line) not in word for line in body)


def test_the_word_file_is_the_zip_word_expects(documents):
    with zipfile.ZipFile(io.BytesIO(documents["first"][".docx"])) as archive:
        assert "word/document.xml" in archive.namelist()
