"""The output folder, made on demand: shared by the lock and the writer."""

from __future__ import annotations

from pathlib import Path

from wfs_reports.domain.errors import OutputError


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if missing; one clear line if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the output folder ({error.strerror}); choose another "
            "with --out"
        ) from None
