"""Texts customers sent to the owner's provider number: read through the provider's API
and handled exactly as emails are (a reply pauses the plan, "STOP" revokes texts)."""

from __future__ import annotations

import ssl
from datetime import datetime, timedelta

from deckfollow.core.clock import Clock
from deckfollow.core.enums import Channel
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging import threads
from deckfollow.messaging.inbound import Incoming, first_lines, handle
from deckfollow.messaging.inbox import InboxReport
from deckfollow.messaging.sms_providers import SmsSettings, inbound_texts

_SINCE = "sms.inbound.since"
# Look back a little before the last poll: a provider may list a text a moment late.
_OVERLAP = timedelta(hours=1)


def check_texts(
    db: Store,
    sms: SmsSettings,
    secret: str,
    *,
    clock: Clock,
    ssl_context: ssl.SSLContext | None = None,
) -> InboxReport:
    """Read texts received since the last poll and log what they mean. Raises SmsError."""
    report = InboxReport()
    start = clock()
    with db.reading() as s:
        raw = get_setting(s, _SINCE)
    since = datetime.fromisoformat(raw) - _OVERLAP if raw else start - timedelta(days=7)
    for text in inbound_texts(sms, secret, since=since, ssl_context=ssl_context):
        now = clock()
        inc = Incoming(
            key=f"sms:{sms.provider}:{text.provider_id}",
            channel=Channel.TEXT,
            sender=text.sender,
            at=min(text.at, now),
            subject="",
            first_lines=first_lines(text.body),
        )
        with db.unit_of_work() as s:
            if threads.seen(s, inc.key):
                report.already += 1
                continue
            report.read += 1
            report.handled.append(handle(s, inc, now=now))
            threads.mark_seen(s, inc.key, now)
    with db.unit_of_work() as s:
        set_setting(s, _SINCE, start.isoformat())
    return report
