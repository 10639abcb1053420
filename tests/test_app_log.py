"""The log file: rotated in the user's log folder, and no customer contact details in it."""

from __future__ import annotations

import logging
from pathlib import Path

from deckfollow.app_log import BACKUPS, log_file, mask_contact_details, start_logging, stop_logging


def test_the_log_lives_in_the_users_log_folder(tmp_path: Path):
    # conftest points XDG_STATE_HOME into the test's home; platformdirs puts logs under it.
    assert log_file().name == "deckfollow.log"
    assert "deckfollow" in log_file().parts


def test_messages_keep_ids_and_lose_contact_details(tmp_path: Path):
    path = start_logging(tmp_path)
    try:
        log = logging.getLogger("deckfollow.test")
        log.warning("sent email to customer %s on %s", 42, "2026-03-02 09:00")
        log.warning("bounced: %s, retry %s", "ann.lee@example.com", "+1 (555) 123-4567")
    finally:
        stop_logging(path)
    text = path.read_text(encoding="utf-8")
    assert "customer 42 on 2026-03-02 09:00" in text
    assert "ann.lee" not in text and "555" not in text
    assert "bounced: [email], retry [phone]" in text


def test_starting_twice_writes_each_line_once(tmp_path: Path):
    path = start_logging(tmp_path)
    start_logging(tmp_path)
    try:
        logging.getLogger("deckfollow.test").warning("quote 7 moved")
    finally:
        stop_logging(path)
    assert path.read_text(encoding="utf-8").count("quote 7 moved") == 1


def test_the_log_rotates_and_keeps_a_few_old_files(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("deckfollow.app_log.MAX_BYTES", 2_000)
    path = start_logging(tmp_path)
    try:
        for n in range(400):
            logging.getLogger("deckfollow.test").warning("reminder %d shown", n)
    finally:
        stop_logging(path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["deckfollow.log", *(f"deckfollow.log.{i}" for i in range(1, BACKUPS + 1))]
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.iterdir())


def test_short_numbers_are_not_mistaken_for_phones():
    assert mask_contact_details("quote 123456 and follow-up 88") == "quote 123456 and follow-up 88"
