"""What a renderer gives back: the file, and anything it had to say about it."""

from __future__ import annotations

from dataclasses import dataclass

from wfs_reports.domain.problems import Problem


@dataclass(frozen=True)
class Rendered:
    data: bytes
    problems: tuple[Problem, ...] = ()
