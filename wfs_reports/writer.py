"""Write finished documents atomically: all of them or none, never half a file.

Each document goes to a temporary file in the output folder and is renamed
over its target only when every document has been written, so a failure
leaves the previous report intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from wfs_reports.errors import OutputError


def write_outputs(folder: Path, documents: dict[str, bytes]) -> list[Path]:
    """Write ``{file name: bytes}`` into ``folder``; return the paths written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the output folder ({error.strerror}); choose another "
            "with --out"
        ) from None
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in documents.items():
            target = folder / name
            handle, temporary = tempfile.mkstemp(prefix=".~wfs-", suffix=".tmp", dir=folder)
            staged.append((Path(temporary), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, target in staged:
            _replace(temporary, target)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot write the report ({error.strerror or error}); check the folder "
            "exists and you may write to it, or choose another with --out"
        ) from None
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
    return [target for _temporary, target in staged]


def _replace(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except PermissionError:
        # On Windows a document open in Word or Acrobat cannot be replaced.
        raise OutputError(
            f"{target}: the file is open in another program (Word or a PDF reader?); close "
            "the file and run again"
        ) from None
