"""The identity an update-request form carries per action (domain/reply_tags.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from wfs_reports.domain.reply_tags import (
    WORD_TAG_LIMIT,
    ReplyField,
    ReplyTag,
    action_key,
    parse_tag,
    read_visible_identity,
    visible_identity,
)


def test_a_tag_reads_back_as_the_same_identity_and_fits_word():
    tag = ReplyTag(ReplyField.UPDATE, dt.date(2024, 3, 31), 1048576, 9999,
                   action_key(9999, "Lend 200 refurbished laptops"))
    text = tag.text()
    assert len(text) <= WORD_TAG_LIMIT
    assert parse_tag(text) == tag


def test_the_key_ignores_case_spacing_and_punctuation_but_not_the_recommendation():
    assert action_key(2, "Lend 200 laptops.") == action_key(2, "  lend 200   LAPTOPS")
    assert action_key(2, "Lend 200 laptops") != action_key(3, "Lend 200 laptops")
    assert action_key(2, "Lend 200 laptops") != action_key(2, "Lend 300 laptops")


@pytest.mark.parametrize("text", [
    "", "Status now", "wfs-reply/2/status/2024-03-31/5/1/0123456789ab",
    "wfs-reply/1/colour/2024-03-31/5/1/0123456789ab",
    "wfs-reply/1/status/2024-02-30/5/1/0123456789ab",
    "wfs-reply/1/status/2024-03-31/5/1/0123456789",
    "x wfs-reply/1/status/2024-03-31/5/1/0123456789ab",
])
def test_other_or_damaged_tags_are_not_ours(text):
    assert parse_tag(text) is None


def test_the_visible_identity_survives_when_tags_are_lost():
    line = visible_identity(3, 2, "Run digital champion training")
    assert line == "3.2 Run digital champion training"
    assert read_visible_identity(line) == (3, 2, "Run digital champion training")
    assert read_visible_identity("Run digital champion training") is None
