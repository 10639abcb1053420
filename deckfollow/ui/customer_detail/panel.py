"""The detail of one customer (and quote): contact details edited in place, consent per
channel, the quote with the lead's age, and one timeline of everything that happened."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from deckfollow.core.changes import Changes
from deckfollow.core.clock import Clock
from deckfollow.core.clock_format import hours_text
from deckfollow.core.consent import ConsentOverview
from deckfollow.core.contact_hours import zone
from deckfollow.core.customer_view import (
    ContactForm,
    CustomerView,
    QuoteView,
    customer_view,
    quote_customer,
)
from deckfollow.core.enums import ConsentState, Stage
from deckfollow.core.errors import DeckfollowError, NotFoundError
from deckfollow.core.history import HistoryEntry, lead_age_text, response_time_text
from deckfollow.core.unit_of_work import Session, Store
from deckfollow.ui import operations
from deckfollow.ui.after_paint import wait_for_paint
from deckfollow.ui.customer_detail.dialogs import DialogOpening
from deckfollow.ui.customer_detail.sections import NOTHING_SELECTED, set_style
from deckfollow.ui.customer_detail.timeline import fill_timeline
from deckfollow.ui.formatting import (
    date_text,
    full_date_time_text,
    money_text,
    weekday_time_text,
)
from deckfollow.ui.team.server_away import (
    fills_in_line,
    server_watch,
)
from deckfollow.ui.theme import active_theme

_EMPTY = NOTHING_SELECTED  # what the panel says with nobody selected
_STATE_TEXT = {
    ConsentState.GRANTED: ("yes", "agreed_text"),
    ConsentState.REVOKED: ("no", "error_text"),
    ConsentState.UNKNOWN: ("not asked", "muted_text"),
}


def _local_datetime_text(at: datetime, tz: str | None = None) -> str:
    # On the owner's clock like every time on screen (not the computer's), with the
    # customer's beside it where they live elsewhere.
    return full_date_time_text(at, tz)


class DetailPanel(DialogOpening):
    """One customer at a glance, with their current quote; edits save in place.

    What it shows is read, and details typed here are saved, on the window's database
    thread (`deckfollow.ui.operations`). `changed` is emitted after anything was saved from
    the panel or its dialogs; what the save changed reaches the other views once, through
    the operations' broadcast of the core's answer, not through this signal. The panel reads
    what it shows again once per broadcast change (its own details save excepted: that save
    reads them itself), not once more for a dialog of its own that saved.

    Its widgets are built in `sections`, the contact form's edits are `contact_editing`,
    the dialogs it opens are `dialogs`; this class reads and shows whom it was asked for.
    """

    changed = Signal()
    message = Signal(str)  # what a screen opened here saved, naming whom, for the status line

    def __init__(
        self,
        db: Store,
        *,
        clock: Clock,
        parent: QWidget | None = None,
        ops: operations.Operations | None = None,
    ) -> None:
        super().__init__(parent)
        # The window passes its own: while one window gives way to another (a switch to the
        # team's database), the other window's operations are already the current ones.
        ops = ops or operations.serving(db)
        if ops is None:
            raise RuntimeError("the details panel needs the operations of an open database")
        self._ops, self._db, self._clock = ops, db, clock
        self._customer: ContactForm | None = None
        self._request = 0  # the latest read asked for; an older answer is dropped
        # The latest read has not been answered yet; and whom it is for when it was asked
        # by `show_customer` (customer id): asked again meanwhile, it is not read twice.
        self._on_its_way = False
        self._asked_for: int | None = None
        # The read on its way is for someone other than the one shown (None: none on its way).
        self._reading_other: bool | None = None
        self._latest: tuple[Callable[[Session], CustomerView], str] | None = None
        self._quote: QuoteView | None = None
        self._overview: ConsentOverview | None = None
        # The customer's clock and the lead's age move on while the panel is open.
        self._ticker = QTimer(self)
        self._ticker.setInterval(30_000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        # The team server going away while someone else is being read: say so in their place.
        server_watch().state.connect(self._server_state)
        ops.changes_applied.connect(self._changes_applied)
        self.clear()

    @property
    def customer_id(self) -> int | None:
        return self._customer.id if self._customer else None

    @property
    def quote_id(self) -> int | None:
        return self._quote.id if self._quote else None

    def clear(self, message: str = _EMPTY) -> None:
        """Show nothing (no selection), or why nothing can be shown."""
        if self._held_for_edits(lambda: self.clear(message)):
            return
        self._blank(message)

    def _blank(self, message: str) -> None:
        self._request += 1  # a read still on its way is for someone no longer wanted
        self._on_its_way = False
        self._reading_other = None
        self._show_empty(message)

    def _show_empty(self, message: str) -> None:
        self._customer = self._quote = self._overview = None
        self.body.hide()
        self.empty_label.setText(message)
        self.empty_label.show()

    def show_quote(self, quote_id: int, *, after_paint: threading.Event | None = None) -> None:
        """Show a quote and its customer; read once `after_paint` is set (`ui.after_paint`:
        the list that chose it is repainting), if given."""
        if quote_id != self.quote_id and self._held_for_edits(lambda: self.show_quote(quote_id)):
            return
        now = self._clock()

        def fetch(s: Session) -> CustomerView:
            wait_for_paint(after_paint)
            return customer_view(s, quote_customer(s, quote_id), quote_id, now=now)

        other = self._customer is None or quote_id != self.quote_id
        self._fetch(fetch, "That quote is in the trash or no longer exists.", other=other)

    def show_customer(self, customer_id: int) -> None:
        """Show a customer with their most recent open quote (or latest quote)."""
        if customer_id != self.customer_id and self._held_for_edits(
            lambda: self.show_customer(customer_id)
        ):
            return
        if self._on_its_way and self._asked_for == customer_id:
            return  # already being read (opened, then its row selected once the list is in)
        self._load(customer_id, None)
        self._asked_for = customer_id

    def _changes_applied(self, changes: Changes, initiator: object | None) -> None:
        """A saved change (from anywhere in the window): read again what is shown, once."""
        if self._said and changes.notices:
            # What it did beyond what was asked, after whom it was for (the window said
            # only the notices, over what this panel had said).
            self.message.emit(f"{self._said}. {' '.join(changes.notices)}")
        if initiator is self or not self.isVisible():
            return  # its own details save read them again; hidden, nothing to bring up to date
        if not changes.touches_records():
            return  # nothing the panel shows
        if self._on_its_way and self._ops.answering():
            # A read asked while the change's answer is handed over (whom a page opened
            # after its change, the quote just made) runs after the change: it shows it.
            return
        # The page beside it reads its list again for the same change, and its highlight
        # may move on (Today past the follow-up just done) or leave (a quote trashed): the
        # panel reads once the reads asked before this have answered, and only if it was
        # not sent to someone else (or nobody) meanwhile; that read shows the change too.
        asked = self._request
        self._ops.run_task(self, _nothing, success=lambda _none: self._reload_since(asked))

    def _reload_since(self, asked: int) -> None:
        if asked == self._request and self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Re-read what is shown (after a change made elsewhere), or whom the user picked
        when they are still being read; unsaved edits stay."""
        if self._reading_other and self._latest is not None:
            fetch, missing = self._latest
            self._fetch(fetch, missing, other=True)
        elif self._customer is not None:
            self._load(self._customer.id, self.quote_id)

    def _load(self, customer_id: int, quote_id: int | None) -> None:
        now = self._clock()
        other = customer_id != self.customer_id

        def fetch(s: Session) -> CustomerView:
            if quote_id is not None:
                try:
                    return customer_view(s, customer_id, quote_id, now=now)
                except NotFoundError:
                    # The quote went to the trash; the customer may still be here.
                    pass
            return customer_view(s, customer_id, None, now=now)

        self._fetch(fetch, "That customer is in the trash or no longer exists.", other=other)

    def _fetch(
        self, fetch: Callable[[Session], CustomerView], missing: str, *, other: bool
    ) -> None:
        """Read what to show on the database thread; only the latest request is shown, so
        moving quickly through a list never shows an earlier choice last. `other`: it is
        for someone other than the one on screen (who is then not shown as if chosen)."""
        self._request += 1
        token = self._request
        self._on_its_way, self._asked_for = True, None
        self._reading_other = other
        self._latest = (fetch, missing)
        if other and not server_watch().up:
            self._say_waiting()  # read once the server is back

        def shown(view: CustomerView) -> None:
            if token != self._request:
                return
            self._on_its_way = False
            if view.contact.id != self.customer_id and self._held_for_edits(
                lambda: self._fetch(fetch, missing, other=True)
            ):
                self._reading_other = None
                return  # details were typed here while it was read: read again once saved
            self._reading_other = None
            self._show(view)

        def failed(exc: DeckfollowError) -> None:
            if token == self._request:
                self._blank(missing if isinstance(exc, NotFoundError) else str(exc))

        self._ops.run_query(self, fetch, success=shown, failure=failed)

    def _server_state(self, up: bool, _why: str) -> None:
        """The team server went away: a read for someone else waits for it (and is shown
        once it is back), so the one on screen no longer stands for the one chosen."""
        if not up and self._reading_other:
            self._say_waiting()

    def _say_waiting(self) -> None:
        # Details typed here stay on screen (they are the user's); otherwise nobody is shown
        # in place of the one chosen, with a word on when they will be.
        if not (self._saving or self.is_dirty()):
            self._show_empty(fills_in_line())

    def _show(self, view: CustomerView) -> None:
        customer, quote_view, overview = view.contact, view.quote, view.consent
        history, values, customer_id = view.history, view.contact.fields, view.contact.id
        # Keep what the user is typing across a refresh, against what they started from,
        # so a clash with someone else's edit of the same field is still noticed.
        kept: dict[str, str] = {}
        if self._customer is not None and self._customer.id == customer_id:
            kept = {k: self._value(k) for k in self._dirty_keys()}
            for k in kept:
                customer.fields[k] = self._customer.fields[k]
        self._customer, self._quote, self._overview = customer, quote_view, overview
        self.empty_label.hide()
        self.body.show()
        self.name_label.setText(values["display_name"])
        self._fill_contact()
        for key, text in kept.items():
            self._set_value(key, text)
        self._refresh_buttons()
        self._fill_quote()
        self._fill_consent()
        self._fill_timeline(history)
        self._tick()

    def _tick(self) -> None:
        if self._customer is None:
            return
        now = self._clock()
        local = now.astimezone(zone(self._customer.timezone))
        self.local_time_label.setText(
            f"Their time: {weekday_time_text(local)} · {self._customer.timezone}"
            f" ({local.strftime('%Z') or local.strftime('UTC%z')})"
        )
        q = self._quote
        if q is None:
            return
        if q.first_response_at is None and q.stage.is_open:
            self.lead_age_label.setText(lead_age_text(q.received_at, now))
            set_style(
                self.lead_age_label, f"color: {active_theme().new_lead_text}; font-weight: 600;"
            )
        elif q.first_response_at is not None:
            self.lead_age_label.setText(response_time_text(q.received_at, q.first_response_at))
            set_style(self.lead_age_label, f"color: {active_theme().muted_text};")
        else:
            self.lead_age_label.setText("")

    def _fill_quote(self) -> None:
        q = self._quote
        has = q is not None
        for w in (
            self.quote_title,
            self.amount_label,
            self.sent_label,
            self.stage_label,
            self.received_label,
        ):
            # The whole row: a customer with no quote yet shows no empty "Job" or "Amount".
            self.quote_form.setRowVisible(w, has)
        self.lead_age_label.setVisible(has)
        self.log_button.setEnabled(has)
        self.log_button.setVisible(has)
        self.edit_quote_button.setEnabled(has)
        self.edit_quote_button.setVisible(has)
        self.no_quote_label.setVisible(not has)
        if q is None:
            self.quote_box.setTitle("Quote")
            return
        self.quote_box.setTitle(f"Quote {q.number}" if q.number else "Lead")
        self.quote_title.setText(q.job)
        self.amount_label.setText(money_text(q.amount, q.currency) or "no amount yet")
        sent = [date_text(q.sent_on)]
        if q.valid_until is not None:
            sent.append(f"valid until {date_text(q.valid_until)}")
        if q.competing_quotes is not None:
            others = q.competing_quotes
            sent.append(f"{others} competing quote{'' if others == 1 else 's'}")
        self.sent_label.setText(" · ".join(sent) if q.sent_on else "not sent yet")
        stage = q.stage.label
        if q.stage is Stage.LOST and q.lost_reason:
            stage += f" ({q.lost_reason})"
        self.stage_label.setText(stage)
        self.received_label.setText(_local_datetime_text(q.received_at))

    def _fill_consent(self) -> None:
        ov = self._overview
        assert ov is not None
        self.dnc_label.setVisible(ov.do_not_contact)
        self.dnc_label.setText(f"{ov.name} asked not to be contacted at all.")
        for ch in ov.channels:
            text, role = _STATE_TEXT[ch.state]
            colour = getattr(active_theme(), role)
            state, how = self.consent_labels[ch.channel.value]
            state.setText(text)
            set_style(state, f"color: {colour}; font-weight: 600;")
            bits = []
            if ch.since is not None:
                bits.append(f"since {date_text(ch.since)}")  # the owner's day
            if ch.source:
                bits.append(ch.source)
            how.setText(", ".join(bits))
            # Their words are long and often the same for every channel: on hover, not inline.
            how.setToolTip(f'They said: "{ch.words}"' if ch.words else "")
        hours = f"Contact hours: {hours_text(ov.effective_hours)}"
        if ov.preferred_channel is not None:
            hours += f" · prefers {ov.preferred_channel.value}"
        self.hours_label.setText(hours)

    def _fill_timeline(self, history: list[HistoryEntry]) -> None:
        now = self._clock()
        timezone = self._customer.timezone if self._customer else None
        fill_timeline(self.timeline, history, now, timezone)


def _nothing() -> None:
    """A turn of the database thread: what was asked of it before has answered after."""
