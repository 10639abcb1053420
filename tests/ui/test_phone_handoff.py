"""tel:/sms: links with no app on this computer: the number to copy and a QR code to scan."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from deckfollow.messaging.guard import sms_uri
from deckfollow.ui.platform import phone_handoff
from deckfollow.ui.platform.phone_handoff import PhoneHandoffDialog, open_phone_link
from deckfollow.ui.platform.phone_links import has_handler, phone_number, qr_text


def test_linux_asks_xdg_mime_for_the_schemes_default_app():
    asked: list[list[str]] = []

    def none_registered(argv: list[str]) -> str:
        asked.append(argv)
        return "\n"

    assert has_handler("tel", "linux", none_registered) is False
    assert asked == [["xdg-mime", "query", "default", "x-scheme-handler/tel"]]
    assert has_handler("sms", "linux", lambda _argv: "org.gnome.Calls.desktop\n") is True


def test_without_xdg_utils_or_off_linux_only_trying_tells():
    def missing(_argv: list[str]) -> str:
        raise FileNotFoundError("xdg-mime")

    assert has_handler("tel", "linux", missing) is None
    assert has_handler("tel", "win32", lambda _a: pytest.fail("not asked")) is None
    assert has_handler("tel", "darwin", lambda _a: pytest.fail("not asked")) is None


def test_the_qr_code_dials_or_texts_with_the_words_filled_in():
    assert qr_text("tel:+15551234567") == "tel:+15551234567"
    uri = sms_uri("+15551234567", "Hi Ann, the quote for the deck: 50% off & more?")
    assert qr_text(uri) == "SMSTO:+15551234567:Hi Ann, the quote for the deck: 50% off & more?"
    assert phone_number(uri) == "+15551234567"


def test_no_handler_shows_the_number_and_a_scannable_code(qtbot, monkeypatch):
    shown: list[PhoneHandoffDialog] = []
    monkeypatch.setattr(phone_handoff, "has_handler", lambda *_a, **_k: False)

    def record(self: PhoneHandoffDialog) -> int:
        shown.append(self)
        return 0

    monkeypatch.setattr(PhoneHandoffDialog, "exec", record)
    opened = open_phone_link(None, sms_uri("+15551234567", "See you at 9"), platform="linux")
    assert opened is False
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Text from your phone"
    assert dialog.number.text() == "+15551234567"
    assert dialog.qr_text == "SMSTO:+15551234567:See you at 9"
    assert not dialog.qr.pixmap().isNull() and dialog.qr.pixmap().width() >= 200
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "+15551234567"
