"""The atomic writer: all documents or none, never a partial file."""

from __future__ import annotations

import os

import pytest

from wfs_reports.domain.errors import OutputError
from wfs_reports.output.writer import write_new_file, write_outputs


def test_writes_every_document_and_leaves_no_temporary_files(tmp_path):
    written = write_outputs(tmp_path / "new", {"a.json": b"{}", "b.pdf": b"%PDF"})
    assert [p.name for p in written] == ["a.json", "b.pdf"]
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["a.json", "b.pdf"]


def _earlier_set(folder):
    files = {"report.docx": b"old docx", "report.pdf": b"old pdf", "report.json": b"old json"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _new_set():
    return {"report.docx": b"new docx", "report.pdf": b"new pdf", "report.json": b"new json"}


def _disk_full_at_the_json(monkeypatch) -> None:
    """The disk fills as the JSON is renamed into place, the last of the set."""
    real_replace = os.replace

    def fail_on_json(source, target):
        if str(target).endswith("report.json") and str(source).endswith(".tmp"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_on_json)


def test_a_rename_failing_after_others_puts_every_earlier_file_back(tmp_path, monkeypatch):
    """The last file renamed fails (a disk full at that moment): the two renamed
    before it get their earlier bytes back, so the earlier set is whole."""
    earlier = _earlier_set(tmp_path)
    _disk_full_at_the_json(monkeypatch)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(tmp_path, _new_set())
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == earlier


def test_a_file_that_cannot_be_replaced_stops_the_run_before_any_rename(tmp_path, monkeypatch):
    """The PDF open in Acrobat: found before anything is renamed, so the Word
    file (renamed first) is not replaced either."""
    earlier = _earlier_set(tmp_path)
    real_open = open

    def pdf_locked(file, mode="r", *args, **kwargs):
        if str(file).endswith("report.pdf") and "+" in mode:
            raise PermissionError(13, "Permission denied")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", pdf_locked)
    with pytest.raises(OutputError, match=r"report.pdf: the file is open in another program"):
        write_outputs(tmp_path, _new_set())
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == earlier


def _immutable(path) -> bool:
    """chattr +i: what an open file is on Windows, a file nothing may replace."""
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0


def test_an_immutable_pdf_leaves_all_three_earlier_files_byte_identical(tmp_path):
    earlier = _earlier_set(tmp_path)
    if not _immutable(tmp_path / "report.pdf"):
        pytest.skip("chattr +i is not allowed here")
    try:
        with pytest.raises(OutputError, match="close the file and run again"):
            write_outputs(tmp_path, _new_set())
    finally:
        import subprocess

        subprocess.run(["chattr", "-i", str(tmp_path / "report.pdf")], check=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == earlier


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_new_files_are_readable_by_colleagues_and_replaced_files_keep_their_mode(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"old")
    (tmp_path / "report.pdf").chmod(0o640)
    old_mask = os.umask(0o022)
    try:
        write_outputs(tmp_path, _new_set())
    finally:
        os.umask(old_mask)
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    assert modes == {"report.docx": 0o644, "report.json": 0o644, "report.pdf": 0o640}


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_group_umask_is_followed(tmp_path):
    old_mask = os.umask(0o007)
    try:
        write_outputs(tmp_path, {"report.pdf": b"x"})
    finally:
        os.umask(old_mask)
    assert (tmp_path / "report.pdf").stat().st_mode & 0o777 == 0o660


def test_kept_files_are_copied_before_replacing_and_moved_when_not_replaced(tmp_path):
    earlier = _earlier_set(tmp_path)
    (tmp_path / "report.xlsx").write_bytes(b"old xlsx")
    archive = tmp_path / "superseded"
    keep = {tmp_path / name: archive / f"old {name}"
            for name in ["report.docx", "report.pdf", "report.json", "report.xlsx"]}
    write_outputs(tmp_path, _new_set(), keep=keep)
    assert {p.name: p.read_bytes() for p in archive.iterdir()} == {
        **{f"old {name}": data for name, data in earlier.items()}, "old report.xlsx": b"old xlsx"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.docx", "report.json", "report.pdf", "superseded"]


def test_a_failed_run_keeps_no_copies(tmp_path, monkeypatch):
    earlier = _earlier_set(tmp_path)
    real_replace = os.replace

    def fail_on_pdf(source, target):
        if str(target).endswith("report.pdf") and str(source).endswith(".tmp"):
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_on_pdf)
    keep = {tmp_path / name: tmp_path / "superseded" / name for name in earlier}
    with pytest.raises(OutputError):
        write_outputs(tmp_path, _new_set(), keep=keep)
    assert list((tmp_path / "superseded").iterdir()) == []
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == earlier


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_link_planted_at_an_outputs_name_is_replaced_never_followed(tmp_path):
    """Its target keeps its bytes and mode, and the report does not take that
    mode (a world-writable PDF)."""
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"someone else's file")
    elsewhere.chmod(0o666)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").symlink_to(elsewhere)
    write_outputs(out, _new_set())
    assert not (out / "report.pdf").is_symlink()
    assert (out / "report.pdf").read_bytes() == b"new pdf"
    assert oct((out / "report.pdf").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert elsewhere.read_bytes() == b"someone else's file"
    assert oct(elsewhere.stat().st_mode & 0o777) == oct(0o666)


def test_a_link_at_an_outputs_name_is_put_back_if_the_run_fails(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"someone else's file")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").symlink_to(elsewhere)
    _disk_full_at_the_json(monkeypatch)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(out, _new_set())
    assert (out / "report.pdf").is_symlink()
    assert os.readlink(out / "report.pdf") == str(elsewhere)
    assert elsewhere.read_bytes() == b"someone else's file"


def test_a_link_to_a_file_that_cannot_be_written_is_not_blamed_on_a_program(tmp_path,
                                                                          monkeypatch):
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"read-only")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").symlink_to(elsewhere)
    real_open = open

    def target_locked(file, mode="r", *args, **kwargs):
        if os.path.realpath(file) == str(elsewhere) and "+" in mode:
            raise PermissionError(13, "Permission denied")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", target_locked)
    write_outputs(out, _new_set())
    assert (out / "report.pdf").read_bytes() == b"new pdf"
    assert elsewhere.read_bytes() == b"read-only"

def test_a_new_file_takes_the_first_free_name_and_never_writes_over(tmp_path):
    taken = tmp_path / "plan (next quarter).xlsx"
    taken.write_bytes(b"the officer's own copy")
    names = [taken, tmp_path / "plan (next quarter 2).xlsx"]
    assert write_new_file(names, b"new") == names[1]
    assert taken.read_bytes() == b"the officer's own copy"
    assert names[1].read_bytes() == b"new"
    with pytest.raises(FileExistsError):
        write_new_file(names, b"newer")
    assert names[1].read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in names)


def test_a_new_file_is_written_where_the_folder_has_no_hard_links(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    taken = tmp_path / "a.xlsx"
    taken.write_bytes(b"kept")
    written = write_new_file([taken, tmp_path / "b.xlsx"], b"new")
    assert written == tmp_path / "b.xlsx" and written.read_bytes() == b"new"
    assert taken.read_bytes() == b"kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]
