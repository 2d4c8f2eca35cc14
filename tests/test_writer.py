"""The atomic writer: all documents or none, never a partial file."""

from __future__ import annotations

import os

import pytest

from wfs_reports.errors import OutputError
from wfs_reports.writer import write_outputs


def test_writes_every_document_and_leaves_no_temporary_files(tmp_path):
    written = write_outputs(tmp_path / "new", {"a.json": b"{}", "b.pdf": b"%PDF"})
    assert [p.name for p in written] == ["a.json", "b.pdf"]
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["a.json", "b.pdf"]


def test_a_failure_mid_write_keeps_the_previous_files(tmp_path, monkeypatch):
    (tmp_path / "a.json").write_bytes(b"old a")
    (tmp_path / "b.pdf").write_bytes(b"old b")
    real_replace = os.replace

    def fail_on_second(source, target):
        if str(target).endswith("b.pdf"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_on_second)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(tmp_path, {"b.pdf": b"new b", "a.json": b"new a"})
    assert (tmp_path / "b.pdf").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.pdf"]


def test_a_file_open_in_word_asks_to_close_it(tmp_path, monkeypatch):
    def locked(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError, match="close the file and run again"):
        write_outputs(tmp_path, {"report.docx": b"x"})
    assert list(tmp_path.iterdir()) == []
