"""The sentences of an action's computed comment that make-report reads back.

The rules write these sentences into the computed comment, which the Board's
copies print apart from the officer's words after COMMENT_LABEL; the Word
importer recognises them in make-report's own report and recovers what they
say of the workbook (an officer override and its reason, a refused override,
not started, the last update). The sentence each RAG rule starts with is here
too, so the importer knows a computed comment by its words when the document
has lost its style and label. Each is written here once, as a template, and
both sides use it: ``Sentence.write`` for the rules, ``Sentence.pattern`` for
the importer, so rewording one cannot silently break the round trip.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """A sentence with named fields, written with ``str.format``'s ``{name}``."""

    template: str

    def write(self, **fields: object) -> str:
        return self.template.format(**fields)

    @property
    def lead(self) -> str:
        """The words before the first field: 'At risk: not started and '."""
        return self.template.split("{", 1)[0]

    def pattern(self, **fields: str) -> str:
        """A regular expression for the sentence: its words as they are, each field
        the pattern given for it as a named group (or any text, as few as can be)."""
        parts = []
        for literal, name, _spec, _conversion in string.Formatter().parse(self.template):
            parts.append(re.escape(literal))
            if name is not None:
                parts.append(f"(?P<{name}>{fields.get(name, '.*?')})")
        return "".join(parts)


# The sentence each rule starts with (domain/rules.py); the rules capitalise
# the first letter of those that start with a field.
NOT_APPLICABLE = Sentence("Not applicable; not counted in the summary.")
MARKED_COMPLETED = Sentence("Marked completed.")
COMPLETED_TARGET = Sentence("Marked completed; the target was {target}.")
EVERY_STAGE_COMPLETE = Sentence("Every stage is marked complete.")
MISSED = Sentence("{target} passed, {overdue} overdue as at {as_at}{others}.")
ONGOING = Sentence("{label}ongoing, no fixed end date{others}.")
DATE_TBC = Sentence("{label}completion date to be confirmed{others}.")
DATE_AMBIGUOUS = Sentence(
    "{label}completion date '{text}' is ambiguous: a quarter with one year could be a "
    "calendar or a financial year; write it as e.g. 'Q2 2024-25'{others}.")
DATE_UNREADABLE = Sentence("{label}completion date '{text}' could not be read as a "
                           "date{others}.")

# Said of an action not yet started whose sentence does not already say so.
NOT_STARTED = Sentence("Not started yet.")
# A not-started action due within the at-risk window; and one on target.
AT_RISK = Sentence("At risk: not started and {target}, {when}{others}.")
ON_TARGET = Sentence("On target, {target}, {when}{others}.")
# A Last Updated date older than the stale window. The update requests ask
# with its first part ("No update since 1 June 2023").
NO_UPDATE_SINCE = Sentence("No update since {date}")
STALE = Sentence(NO_UPDATE_SINCE.template + " ({age} ago).")
# An officer's RAG override, applied: ``reason_given`` is empty or REASON_GIVEN.
OVERRIDE = Sentence("Officer RAG '{label}'.{reason_given} The system computed '{computed}': "
                    "{sentence}")
REASON_GIVEN = Sentence(" Reason given: {reason}")
# An override kinder than the computed RAG with no reason: not applied.
OVERRIDE_REFUSED = Sentence("Officer override refused: no reason given for '{label}', "
                            "kinder than the computed '{computed}'.")
# OVERRIDE_REFUSED's wording in make-report's reports before December 2026:
# no longer written, still read back.
OVERRIDE_REFUSED_BEFORE_2026_12 = Sentence("Officer RAG '{label}' not applied: it is more "
                                           "lenient")

# The label before the computed comment in the Board's copies (PDF, Word, web
# page), in words a Board member knows; and the one make-report's reports
# used before December 2026, still read back.
COMMENT_LABEL = "Why this RAG:"
COMMENT_LABEL_BEFORE_2026_12 = "System:"
