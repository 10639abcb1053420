"""Entry points the Today list and the detail views call: one per channel, or by follow-up.

Each opens its dialog without a loop of its own (the window keeps receiving the database's
answers while the user works in it) and calls `done()` once the dialog was saved, so what
follows — Today's refresh, the status line — runs after it closed, not while it is open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QDialog, QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.enums import Channel
from deckfollow.core.errors import DeckfollowError, ServerAwayError
from deckfollow.core.follow_up_target import FollowUpTarget, contact_follow_up, resolve_target
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.messaging.inbound import is_stop_question
from deckfollow.messaging.screens import (
    CallScreen,
    EmailScreen,
    TextScreen,
    read_call_screen,
    read_email_screen,
    read_text_screen,
)
from deckfollow.ui.messaging.common import open_then, read_then
from deckfollow.ui.operations import show_error
from deckfollow.ui.team.server_away import fill_when_server_back

__all__ = ["act_on_follow_up", "open_contact", "send_email_for_follow_up"]

Done = Callable[[], object]

# The title of the note saying why a follow-up's dialog could not open.
_ERROR_TITLE = "deckfollow"


def open_dialog(dialog: QDialog, done: Done | None = None) -> QDialog:
    """Open `dialog` over its parent; `done()` once it closed saved, then let Qt delete it
    (a dialog parented to the window would otherwise live until the app quits)."""

    def finished(result: int) -> None:
        try:
            if done is not None and result == QDialog.DialogCode.Accepted:
                done()
        finally:
            dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def send_email_for_follow_up(
    db: Store,
    follow_up_id: int,
    *,
    clock: Clock,
    parent: QWidget | None = None,
    done: Done | None = None,
) -> None:
    """Open the email composer for a follow-up once all it shows was read (on the window's
    database thread); `done()` once an email was sent and logged."""
    _open_screen(
        db,
        Channel.EMAIL,
        lambda _s: (follow_up_id, None, None),
        clock=clock,
        parent=parent,
        opened=lambda dialog, _sent: open_dialog(dialog, done),
        failed=lambda error: show_error(parent, _ERROR_TITLE, error),
        settled=None,
    )


def act_on_follow_up(
    db: Store,
    follow_up_id: int,
    *,
    clock: Clock,
    parent: QWidget | None = None,
    done: Done | None = None,
    settled: Done | None = None,
) -> None:
    """Open the right dialog for a follow-up's channel (call, text, email); `done()` once
    something was logged.

    Who it is about is read first (on the window's database thread); the dialog opens with
    the answer, and `settled()` follows once that answer was handled (the dialog opened,
    nothing to open, or why not said). Cards, visits and videos are not handled here
    (printing and the touch log cover them): for those nothing opens. A follow-up that is
    gone is said in one line.
    """

    def failed(error: DeckfollowError) -> None:
        try:
            show_error(parent, _ERROR_TITLE, error)
        finally:
            if settled is not None:
                settled()

    def arrived(target: FollowUpTarget) -> None:
        channel = target.follow_up_channel
        if channel in _READ_FIRST and not is_stop_question(target.reason or ""):
            # The screen's own read follows; it opens with that answer.
            _open_screen(
                db,
                _READ_FIRST[channel],
                lambda _s: (follow_up_id, None, None),
                clock=clock,
                parent=parent,
                opened=lambda dialog, _logged: open_dialog(dialog, done),
                failed=lambda error: show_error(parent, _ERROR_TITLE, error),
                settled=settled,
            )
            return
        try:
            _open_for(db, target, follow_up_id, clock=clock, parent=parent, done=done)
        except ServerAwayError:
            # The dialog reads what it shows as it is built: built again once it is back.
            fill_when_server_back(
                parent,
                lambda: act_on_follow_up(
                    db, follow_up_id, clock=clock, parent=parent, done=done, settled=settled
                ),
            )
            return
        except DeckfollowError as exc:
            failed(exc)
            return
        if settled is not None:
            settled()

    read_then(
        parent,
        db,
        lambda s: resolve_target(s, follow_up_id=follow_up_id),
        success=arrived,
        failure=failed,
        error_title=_ERROR_TITLE,
    )


def _open_for(
    db: Store,
    target: FollowUpTarget,
    follow_up_id: int,
    *,
    clock: Clock,
    parent: QWidget | None,
    done: Done | None,
) -> QDialog | None:
    reason = target.reason or ""
    if is_stop_question(reason):
        # "Asked to stop emails — stop every channel?": the owner answers with the stop
        # screen set to every channel, their first line already in the ledger.
        from deckfollow.ui.consent.stop import StopContactDialog

        stop = StopContactDialog(db, target.customer_id, clock=clock, parent=parent)
        stop.words.setPlainText("Asked to stop by " + ("text" if "texts" in reason else "email"))
        return open_dialog(stop, done)
    return None


# Whichever id the caller had: (follow-up, quote, customer).
Ids = tuple[int | None, int | None, int | None]


def _open_screen(
    db: Store,
    screen: Channel,
    ids: Callable[[Session], Ids],
    *,
    clock: Clock,
    parent: QWidget | None,
    opened: Callable[[QDialog, SignalInstance], object],
    failed: Callable[[DeckfollowError], object],
    settled: Done | None,
) -> None:
    """Read all the call, text or email screen (`screen`) shows, on the window's database
    thread, for the ids `ids(session)` finds; then build it, which reads nothing more, and
    hand it to `opened`. `settled()` follows either way."""
    now = clock()
    read_screen = _READERS[screen]

    def read(s: Session) -> CallScreen | TextScreen | EmailScreen:
        follow_up_id, quote_id, customer_id = ids(s)
        return read_screen(
            s, now=now, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )

    def arrived(data: CallScreen | TextScreen | EmailScreen) -> None:
        try:
            if isinstance(data, CallScreen):
                from deckfollow.ui.messaging.call import CallDialog

                call = CallDialog(db, data, clock=clock, parent=parent)
                opened(call, call.logged)
            elif isinstance(data, TextScreen):
                from deckfollow.ui.messaging.text_message import TextMessageDialog

                text = TextMessageDialog(db, data, clock=clock, parent=parent)
                opened(text, text.sent)
            else:
                from deckfollow.ui.messaging.compose_email import ComposeEmailDialog

                email = ComposeEmailDialog(db, data, clock=clock, parent=parent)
                opened(email, email.sent)
        finally:
            if settled is not None:
                settled()

    def not_read(error: DeckfollowError) -> None:
        if isinstance(error, ServerAwayError):
            # Opened once the team server is back, read again then.
            fill_when_server_back(
                parent,
                lambda: _open_screen(
                    db,
                    screen,
                    ids,
                    clock=clock,
                    parent=parent,
                    opened=opened,
                    failed=failed,
                    settled=settled,
                ),
            )
            return
        try:
            failed(error)
        finally:
            if settled is not None:
                settled()

    open_then(parent, db, read, success=arrived, failure=not_read, error_title=_ERROR_TITLE)


# The screens whose data is read before they are built: a follow-up's channel → its screen
# (a video message goes as a text).
_READ_FIRST = {
    Channel.CALL: Channel.CALL,
    Channel.TEXT: Channel.TEXT,
    Channel.VIDEO: Channel.TEXT,
    Channel.EMAIL: Channel.EMAIL,
}
# How each screen reads what it shows.
_READERS: dict[Channel, Callable[..., CallScreen | TextScreen | EmailScreen]] = {
    Channel.CALL: read_call_screen,
    Channel.TEXT: read_text_screen,
    Channel.EMAIL: read_email_screen,
}


def open_contact(
    db: Store,
    channel: Channel,
    *,
    customer_id: int,
    quote_id: int | None,
    clock: Clock,
    parent: QWidget | None = None,
    opened: Callable[[QDialog, SignalInstance], object],
    failed: Callable[[DeckfollowError], object],
    settled: Done | None = None,
) -> None:
    """Open the call, text or email screen for a customer (and quote) once it is known
    which follow-up it is about.

    Their next pending follow-up on that channel is read first (on the window's database
    thread); the screen is about it when there is one. `opened(dialog, logged)` gets the
    dialog to show and the signal it gives once something was logged; `failed(error)` says
    why it could not open; `settled()` follows either way. The screen reads all it shows
    in that same read.
    """

    def ids(s: Session) -> Ids:
        fid = contact_follow_up(s, channel, customer_id=customer_id, quote_id=quote_id)
        return (fid, None, None) if fid is not None else (None, quote_id, customer_id)

    _open_screen(
        db,
        _READ_FIRST.get(channel, Channel.EMAIL),
        ids,
        clock=clock,
        parent=parent,
        opened=opened,
        failed=failed,
        settled=settled,
    )
