"""An officer's edited copy of the sample, re-saved by LibreOffice Calc, reads
the same as the sample: synonym and upper-case headers, reordered columns, an
extra column, blank rows, refs written five ways, a placeholder comment and an
Alt+Enter line break. (How the file was made: tests/data/make_officer_edited.py.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from wfs_reports.cli import main

EDITED = Path(__file__).parents[1] / "data" / "officer_edited_resaved_by_calc.xlsx"


def snapshot(workbook: Path, out: Path, capsys) -> tuple[dict, str]:
    assert main([str(workbook), "--out", str(out), "--format", "json", "--no-previous"]) == 0
    return json.loads(next(out.glob("*.json")).read_text(encoding="utf-8")), capsys.readouterr()


def test_officer_edited_copy_reads_like_the_sample(sample_reports, tmp_path, capsys):
    before = hashlib.sha256(EDITED.read_bytes()).hexdigest()
    sample = json.loads(sample_reports.first(".json").read_text(encoding="utf-8"))
    edited, printed = snapshot(EDITED, tmp_path / "edited", capsys)

    assert hashlib.sha256(EDITED.read_bytes()).hexdigest() == before, "workbook unchanged"
    assert "ignored column(s) we do not use: 'Notes (ignore)'" in printed.err
    assert [r["ref"] for r in edited["recommendations"]] == list(range(1, 10))
    for rec_sample, rec_edited in zip(sample["recommendations"], edited["recommendations"],
                                      strict=True):
        assert rec_edited["text"] == rec_sample["text"]
        assert len(rec_edited["actions"]) == len(rec_sample["actions"])
        for a, b in zip(rec_sample["actions"], rec_edited["actions"], strict=True):
            for field in ("action", "owners", "completion_date", "status", "rag", "due"):
                assert b[field] == a[field], (rec_sample["ref"], field)
    comments = [a["comments"] for r in edited["recommendations"] for a in r["actions"]]
    assert "Line one\nLine two" in comments  # Alt+Enter kept
    assert not any("Insert any relevant comments" in c for c in comments)  # placeholder empty
    assert sum(len(r["actions"]) for r in edited["recommendations"]) == 14
