"""WordprocessingML names: the namespaces and the element names the walk compares."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def local(tag: object) -> str:
    """An element's name without its namespace: 'p' for '{...main}p'."""
    return str(tag).rsplit("}", 1)[-1]


def w(name: str) -> str:
    """A name in the WordprocessingML namespace: 'tcPr' -> '{...main}tcPr'."""
    return f"{{{W_NS}}}{name}"
