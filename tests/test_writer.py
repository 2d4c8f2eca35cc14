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


def test_a_read_only_output_folder_is_a_clear_error(tmp_path, monkeypatch):
    """As root a chmod would not stop the write, so the refusal is simulated."""
    import tempfile

    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(OutputError) as caught:
        write_outputs(tmp_path, {"report.pdf": b"%PDF"})
    message = str(caught.value)
    assert message.startswith(f"{tmp_path}: cannot write the report (Permission denied)")
    assert "choose another with --out" in message
    assert "close the file" not in message  # nothing is open; the folder is the problem
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_that_cannot_be_created_is_a_clear_error(tmp_path, monkeypatch):
    from pathlib import Path

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refused)
    with pytest.raises(OutputError, match=r"cannot create the output folder \(Permission "
                       r"denied\); choose another with --out"):
        write_outputs(tmp_path / "reports", {"report.pdf": b"%PDF"})


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root may write anywhere")
def test_a_really_read_only_folder_is_a_clear_error(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write the report"):
            write_outputs(tmp_path, {"report.pdf": b"%PDF"})
    finally:
        tmp_path.chmod(0o700)


def test_nothing_is_written_when_one_document_cannot_be_staged(tmp_path, monkeypatch):
    """All or none: if the second temporary file fails, the first is not kept either."""
    import tempfile

    real_mkstemp = tempfile.mkstemp
    calls = []

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", second_fails)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(tmp_path, {"a.docx": b"a", "b.pdf": b"b"})
    assert list(tmp_path.iterdir()) == []
