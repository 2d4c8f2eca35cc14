"""Text rules every format shares: which characters no document can hold,
where a paragraph ends, how long text is shortened, and the provenance line.
Pure, no I/O.

The reader cleans workbook text with these once; each renderer applies the
same set again only to guard text from library callers, so no format has
rules of its own.
"""

from __future__ import annotations

import re

# Characters XML 1.0 (Word, Excel, the web page) and PDF text cannot carry:
# controls other than tab and newline, non-characters, lone surrogates.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A blank line (spaces allowed) ends a paragraph; more blank lines are one break.
PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


# How many hex digits of the workbook's SHA-256 a printed copy shows.
SHORT_SHA = 12


def provenance_line(as_at: str, source_file: str, sha256: str) -> str:
    """The footer line that traces a printed copy to its workbook:
    'Position as at 22 November 2023 · Source: plan.xlsx · SHA-256 0123456789ab'."""
    return f"Position as at {as_at} · Source: {source_file} · SHA-256 {sha256[:SHORT_SHA]}"


def safe(text: str) -> str:
    """``text`` without the characters no document can hold."""
    return UNSAFE_CHARACTERS.sub("", text)


def paragraphs(text: str) -> tuple[str, ...]:
    """Split on blank lines; single line breaks stay inside a paragraph."""
    return tuple(p.strip("\n") for p in PARAGRAPH_BREAK.split(text) if p.strip())


def excerpt(text: str, limit: int = 60) -> str:
    """The text on one line, cut at a word boundary with '…' when longer than ``limit``."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else cut the long word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def plural(count: int, noun: str, many: str = "") -> str:
    """'1 action', '3 actions', '0 actions': the count and its noun, agreeing.
    ``many`` is the plural when it is not the noun plus "s"."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def plural_verb(count: int, noun: str, verb: str = "is", verbs: str = "are") -> str:
    """'1 date is', '3 dates are': the count, its noun and a verb, all agreeing."""
    return f"{plural(count, noun)} {verb if count == 1 else verbs}"
