"""Reading the HTML report as a test would: its elements and its visible text.

Built on the standard library's HTMLParser, so the tests depend on no HTML
library of their own. ``Page.pieces`` are the text blocks a sighted reader
sees (paragraphs, list items, table cells, headings, captions), leaving out
what is only for screen readers (``visually-hidden``) and the skip link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "caption"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
HIDDEN_CLASSES = {"visually-hidden", "skip-link"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""  # all text inside, as read aloud (not only visible)
    position: int = 0  # order in the document


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    text: str = ""  # every visible text node, in order, space-separated

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[tuple[Element, bool]] = []  # (element, hidden)
        self.blocks: list[list[str]] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        element = Element(tag, attributes, position=len(self.page.elements))
        self.page.elements.append(element)
        if tag in VOID:
            return
        classes = set(attributes.get("class", "").split())
        hidden = bool(classes & HIDDEN_CLASSES) or tag in {"svg", "style", "title", "script"}
        if self.open and self.open[-1][1]:
            hidden = True
        self.open.append((element, hidden))
        if tag in BLOCKS and not hidden:
            self.blocks.append([])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.open:
            element, hidden = self.open.pop()
            if element.tag in BLOCKS and not hidden and self.blocks:
                piece = " ".join("".join(self.blocks.pop()).split())
                if piece:
                    self.page.pieces.append(piece)
                    if self.blocks:  # a block inside a block: its text counts there too
                        self.blocks[-1].append(" " + piece + " ")
            if element.tag == tag:
                break

    def handle_data(self, data):
        for element, _hidden in self.open:
            element.text += data
        if self.open and self.open[-1][1]:
            return
        self.visible.append(data)
        if self.blocks:
            self.blocks[-1].append(data)


def read_page(html: str | bytes) -> Page:
    reader = _Reader()
    reader.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    reader.close()
    reader.page.text = " ".join(" ".join(reader.visible).split())
    return reader.page
