"""Entry points the Today list and the detail views call: one per channel, or by follow-up."""

from __future__ import annotations

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QDialog, QWidget

from deckfollow.core.clock import Clock
from deckfollow.core.enums import Channel
from deckfollow.core.follow_up_target import contact_follow_up, resolve_target
from deckfollow.messaging.inbound import is_stop_question
from deckfollow.storage.database import Database
from deckfollow.ui.messaging.common import read


def send_email_for_follow_up(
    db: Database, follow_up_id: int, *, clock: Clock, parent: QWidget | None = None
) -> bool:
    """Open the email composer for a follow-up; True if an email was sent and logged."""
    from deckfollow.ui.messaging.compose_email import ComposeEmailDialog

    dialog = ComposeEmailDialog(db, clock=clock, follow_up_id=follow_up_id, parent=parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def act_on_follow_up(
    db: Database, follow_up_id: int, *, clock: Clock, parent: QWidget | None = None
) -> bool:
    """Open the right dialog for a follow-up's channel (call, text, email); True if logged.

    Cards, visits and videos are not handled here (printing and the touch log cover them);
    for those this returns False without opening anything.
    """
    # NotFoundError names a missing one.
    target = read(db, lambda s: resolve_target(s, follow_up_id=follow_up_id))
    channel, reason, customer_id = target.follow_up_channel, target.reason or "", target.customer_id
    dialog: QDialog
    if is_stop_question(reason):
        # "Asked to stop emails — stop every channel?": the owner answers with the stop
        # screen set to every channel, their first line already in the ledger.
        from deckfollow.ui.consent.stop import StopContactDialog

        stop = StopContactDialog(db, customer_id, clock=clock, parent=parent)
        stop.words.setPlainText("Asked to stop by " + ("text" if "texts" in reason else "email"))
        return stop.exec() == QDialog.DialogCode.Accepted
    if channel is Channel.EMAIL:
        return send_email_for_follow_up(db, follow_up_id, clock=clock, parent=parent)
    if channel in (Channel.TEXT, Channel.VIDEO):
        from deckfollow.ui.messaging.text_message import TextMessageDialog

        dialog = TextMessageDialog(db, clock=clock, follow_up_id=follow_up_id, parent=parent)
    elif channel is Channel.CALL:
        from deckfollow.ui.messaging.call import CallDialog

        dialog = CallDialog(db, clock=clock, follow_up_id=follow_up_id, parent=parent)
    else:
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted


def contact_dialog(
    db: Database,
    channel: Channel,
    *,
    customer_id: int,
    quote_id: int | None,
    clock: Clock,
    parent: QWidget | None = None,
) -> tuple[QDialog, SignalInstance]:
    """The call, text or email screen for a customer (and quote), not yet shown.

    It is about their next pending follow-up on that channel when there is one (its reason,
    and it is marked done when the touch is logged). Returns the dialog and the signal it
    gives once something was logged.
    """
    from deckfollow.ui.messaging.call import CallDialog
    from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
    from deckfollow.ui.messaging.text_message import TextMessageDialog

    fid = read(
        db,
        lambda s: contact_follow_up(s, channel, customer_id=customer_id, quote_id=quote_id),
    )
    ids = (
        {"follow_up_id": fid}
        if fid is not None
        else {"customer_id": customer_id, "quote_id": quote_id}
    )
    if channel is Channel.CALL:
        call = CallDialog(db, clock=clock, parent=parent, **ids)
        return call, call.logged
    if channel is Channel.TEXT:
        text = TextMessageDialog(db, clock=clock, parent=parent, **ids)
        return text, text.sent
    email = ComposeEmailDialog(db, clock=clock, parent=parent, **ids)
    return email, email.sent
