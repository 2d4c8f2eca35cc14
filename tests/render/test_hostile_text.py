"""Cell text is data: it reaches every document literally, and runs are repeatable."""

from __future__ import annotations

import json
import re
import zipfile

import openpyxl
import pypdf
from defusedxml.ElementTree import fromstring as defused_fromstring
from factories import SAMPLE, action, docx_text, listing, squash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfs_reports.cli import main
from wfs_reports.commands.report import make_report

HOSTILE = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{_{ x }_}",
    "<script>alert('x')</script>",
    "Fish & Chips \"quoted\" 'single'",
    "<img src=\"file:///etc/passwd\">",
    "]]><!-- -->",
]


def xlsx_column(path, name: str) -> list:
    sheet = openpyxl.load_workbook(path)["Actions"]
    index = [cell.value for cell in sheet[1]].index(name)
    return [row[index].value for row in sheet.iter_rows(min_row=2)]


def test_template_code_and_markup_in_cells_appear_literally(make_workbook, tmp_path):
    # The cheap formats; the one PDF of hostile text is the acceptance test below.
    rows = [action(1, text, owners=text, comments=text) for text in HOSTILE]
    workbook = make_workbook(rows, recommendations=[[1, "Rec <b>one</b> & {{ 7*7 }}", "{% x %}"]])
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--quiet", "--format", "json,docx,xlsx"]) == 0
    snapshot = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert [a["action"] for a in snapshot["recommendations"][0]["actions"]] == HOSTILE
    assert snapshot["recommendations"][0]["text"] == "Rec <b>one</b> & {{ 7*7 }}"
    spreadsheet = next(out.glob("*.xlsx"))
    assert xlsx_column(spreadsheet, "Action") == HOSTILE
    assert xlsx_column(spreadsheet, "Comments") == HOSTILE
    word = docx_text(next(out.glob("*.docx")))
    for text in HOSTILE + ["Rec <b>one</b> & {{ 7*7 }}", "{% x %}"]:
        assert text in word, text
    assert "looploop" not in word, "template code was evaluated"


def test_the_same_workbook_gives_the_same_bytes(sample_reports, tmp_path):
    # The session's first report of the sample was made earlier, in every format.
    first = sample_reports.first(".json").parent
    second = tmp_path / "second"
    assert main([str(SAMPLE), "--out", str(second), "--quiet"]) == 0
    names = sorted(p.name for p in listing(second))
    assert len(names) == 3
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    with zipfile.ZipFile(second / names[0]) as archive:  # the .docx
        assert {info.date_time for info in archive.infolist()} != set()
        assert len({info.date_time for info in archive.infolist()}) == 1


# Text an officer could type or paste: anything but control characters and
# lone surrogates, which Excel itself cannot store.
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60
).filter(
    # Excel's own _xHHHH_ escapes are decoded (tested in test_reader); the old
    # template's placeholders read as empty.
    lambda s: s.strip() and "_x" not in s
    and not s.strip().lower().startswith(("insert any", "add colour"))
    # openpyxl stores text starting with "=" as a formula, as Excel would.
    and not s.startswith("=")
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(cell_text, min_size=1, max_size=3), narrative=cell_text)
def test_any_unicode_text_comes_through_every_document(make_workbook, tmp_path, texts,
                                                       narrative):
    # JSON, Word and Excel here; the PDF of awkward text is the acceptance test
    # below (a PDF per example made this a quarter of the suite's time).
    rows = [action(1, text, owners=text, comments=text, due=text) for text in texts]
    workbook = make_workbook(rows, recommendations=[[1, narrative, narrative]])
    out = tmp_path / f"out-{abs(hash((tuple(texts), narrative)))}"
    result = make_report(workbook, out, formats=("json", "docx", "xlsx"))
    assert result.actions_rendered == len(texts)
    stripped = [t.strip() for t in texts]
    snapshot = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert [a["action"] for a in snapshot["recommendations"][0]["actions"]] == stripped
    assert [a["comments"] for a in snapshot["recommendations"][0]["actions"]] == stripped
    spreadsheet = next(out.glob("*.xlsx"))
    assert xlsx_column(spreadsheet, "Action") == stripped
    assert xlsx_column(spreadsheet, "Comments") == stripped
    word = " ".join(docx_text(next(out.glob("*.docx"))).split())
    for text in [*texts, narrative]:
        assert " ".join(text.split()) in word, text


# --------------------------------------------------------------------------
# The acceptance check: one hostile workbook, every format, nothing fetched.


def test_a_hostile_workbook_renders_literally_in_every_format_and_fetches_nothing(
        make_workbook, tmp_path, canary, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-LOCAL-FILE-CONTENT", encoding="utf-8")
    local, loopback = secret.as_uri(), f"http://127.0.0.1:{canary.port}"
    unbroken = "Q" * 3000  # no other "Q" in the workbook
    tokens = [f"t{i:05d}" for i in range(6000)]
    huge = " ".join(tokens)[:32_766] + "!"  # as long as an Excel cell can be
    assert len(huge) == 32_767
    kept_tokens = re.findall(r"t\d{5}", huge)
    # (cell text as typed, the text every document must show)
    cells = [
        ("{{ 7*7 }} {{ config }} {%p if 1 %} {{r x }} {%tr for r in rows %}", None),
        ("{% for x in range(3) %}loop{% endfor %} {_{ x }_} {# note #}", None),
        ("<script>alert('x')</script> <b>bold</b> </w:t></w:r></w:p> ]]> <!-- c -->", None),
        ("Fish & Chips \"quoted\" 'single' &amp; &lt; <?xml version='1.0'?>", None),
        (f'<img src="{local}"> <link rel="stylesheet" href="{local}"> '
         f'<iframe src="{local}"></iframe>', None),
        (f'<link rel="stylesheet" href="{loopback}/link"> <img src="{loopback}/img"> '
         f'<style>@import url({loopback}/import); p {{ background: url({loopback}/bg) }}'
         f'</style> <object data="http://localhost:{canary.port}/object"></object>', None),
        ("Excel escapes: A_x0042_C, tab_x0009_kept, line_x000B_break", "Excel escapes: ABC, "
         "tab\tkept, line\nbreak"),
        ("bell_x0007_ and escape_x001B_ removed", "bell and escape removed"),
        ("Welsh ŵ ŷ, Arabic خطة العمل, 中文, 日本語, 한국어, emoji 😀👩‍⚕️🇬🇧", None),
        (unbroken, None),
        (huge, None),
    ]
    rows = [action(1, text, owners=text[:200], comments=text) for text, _shown in cells]
    workbook = make_workbook(rows, recommendations=[[1, "Rec {{ 7*7 }} <b>&</b>", cells[4][0]]])
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "warning: plan.xlsx: Actions!B9: removed control characters" in err
    assert "Traceback" not in err

    expected = [shown if shown is not None else text for text, shown in cells]
    # JSON: every action, in order, with its literal text.
    snapshot = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    actions = snapshot["recommendations"][0]["actions"]
    assert [a["action"] for a in actions] == expected
    assert [a["comments"] for a in actions] == expected

    # Word: every XML part well formed, and the text literal.
    docx_path = next(out.glob("*.docx"))
    with zipfile.ZipFile(docx_path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            defused_fromstring(data)  # raises if not well formed
        assert b"CANARY-LOCAL-FILE-CONTENT" not in data, name
    word = squash(docx_text(docx_path))
    for text in expected:
        assert squash(text) in word, text[:60]
    assert "looploop" not in word

    # PDF: the literal text, the long cells in full, no attachment, no file content.
    reader = pypdf.PdfReader(str(next(out.glob("*.pdf"))))
    extracted = "\n".join(page.extract_text() for page in reader.pages)
    pdf = squash(extracted).replace("\ufe0f", "")
    for text in expected[:9]:
        assert squash(text).replace("\ufe0f", "") in pdf, text[:60]
    assert pdf.count("Q") >= 2 * len(unbroken)  # action and comments, wrapped, not cut
    assert set(kept_tokens) <= set(re.findall(r"t\d{5}", extracted)), "huge cell cut short"
    assert "looploop" not in pdf
    assert "CANARY-LOCAL-FILE-CONTENT" not in extracted
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"

    # Nothing reached the canary on loopback.
    assert canary.requests == []
