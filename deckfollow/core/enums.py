"""The closed vocabularies of the domain, as str enums so they read well in the database."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where a quote stands in the pipeline."""

    LEAD = "lead"
    QUOTED = "quoted"
    FOLLOWING_UP = "following_up"
    WON = "won"
    LOST = "lost"
    PARKED = "parked"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP)


_STAGE_LABELS = {
    Stage.LEAD: "Lead",
    Stage.QUOTED: "Quoted",
    Stage.FOLLOWING_UP: "Following up",
    Stage.WON: "Won",
    Stage.LOST: "Lost",
    Stage.PARKED: "Parked",
}


class Channel(StrEnum):
    """How a touch reaches the customer."""

    CALL = "call"
    TEXT = "text"
    EMAIL = "email"
    CARD = "card"
    VISIT = "visit"
    VIDEO = "video"

    @property
    def consent_channel(self) -> ConsentChannel:
        """The consent that governs this channel (a card goes by post, a video by text)."""
        return _CONSENT_FOR[self]

    @property
    def is_timed(self) -> bool:
        """Calls, texts, visits and videos reach a person at a moment; allowed hours apply."""
        return self in (Channel.CALL, Channel.TEXT, Channel.VISIT, Channel.VIDEO)


class ConsentChannel(StrEnum):
    """The channels a customer can agree to or refuse."""

    CALL = "call"
    TEXT = "text"
    EMAIL = "email"
    POST = "post"
    VISIT = "visit"


_CONSENT_FOR = {
    Channel.CALL: ConsentChannel.CALL,
    Channel.TEXT: ConsentChannel.TEXT,
    Channel.EMAIL: ConsentChannel.EMAIL,
    Channel.CARD: ConsentChannel.POST,
    Channel.VISIT: ConsentChannel.VISIT,
    Channel.VIDEO: ConsentChannel.TEXT,
}


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Outcome(StrEnum):
    REACHED = "reached"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    REPLIED = "replied"
    BOUNCED = "bounced"
    MAILED = "mailed"
    SENT = "sent"


class Basis(StrEnum):
    """Why a follow-up exists: the customer said yes to it, or a plan proposed it."""

    AGREED = "agreed"
    PLANNED = "planned"


class FollowUpStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class ConsentState(StrEnum):
    UNKNOWN = "unknown"
    GRANTED = "granted"
    REVOKED = "revoked"


class ConsentEventKind(StrEnum):
    """What a ledger entry records."""

    GRANTED = "granted"
    REVOKED = "revoked"
    DO_NOT_CONTACT = "do_not_contact"
    AGREED_FOLLOW_UP = "agreed_follow_up"
    HOURS_CHANGED = "hours_changed"
    CUSTOMER_MERGED = "customer_merged"  # two records of one person became one


class CadenceRunStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"


class CadenceAnchor(StrEnum):
    """What day 0 of a cadence is."""

    START = "start"
    BIRTHDAY = "birthday"
    PARKED_UNTIL = "parked_until"


class TemplateKind(StrEnum):
    CALL_SCRIPT = "call_script"
    VOICEMAIL = "voicemail"
    TEXT = "text"
    EMAIL = "email"
    CARD = "card"


class LedgerSource(StrEnum):
    """How the customer told us: the evidence a consent ledger entry rests on."""

    CALL = "call"
    TEXT = "text"
    EMAIL = "email"
    IN_PERSON = "in person"
    WEB_FORM = "web form"
    POST = "post"
    IMPORT = "import"

    @classmethod
    def of_channel(cls, channel: Channel) -> LedgerSource:
        """Where an agreement made during a touch on `channel` was made."""
        return _SOURCE_OF_CHANNEL[channel]

    @classmethod
    def parse(cls, text: str) -> LedgerSource | None:
        """A source from its name or a common way of saying it ("phone call" -> call)."""
        key = " ".join(text.lower().replace("-", " ").split())
        for source in cls:
            if key == source.value:
                return source
        return _SOURCE_WORDS.get(key)


_SOURCE_OF_CHANNEL = {
    Channel.CALL: LedgerSource.CALL,
    Channel.VIDEO: LedgerSource.CALL,
    Channel.TEXT: LedgerSource.TEXT,
    Channel.EMAIL: LedgerSource.EMAIL,
    Channel.VISIT: LedgerSource.IN_PERSON,
    Channel.CARD: LedgerSource.POST,
}

_SOURCE_WORDS = {
    "phone": LedgerSource.CALL,
    "phone call": LedgerSource.CALL,
    "video call": LedgerSource.CALL,
    "voicemail": LedgerSource.CALL,
    "text message": LedgerSource.TEXT,
    "sms": LedgerSource.TEXT,
    "site visit": LedgerSource.IN_PERSON,
    "visit": LedgerSource.IN_PERSON,
    "in store": LedgerSource.IN_PERSON,
    "web": LedgerSource.WEB_FORM,
    "website": LedgerSource.WEB_FORM,
    "website form": LedgerSource.WEB_FORM,
    "form": LedgerSource.WEB_FORM,
    "letter": LedgerSource.POST,
    "card": LedgerSource.POST,
    "csv import": LedgerSource.IMPORT,
}


class MemberRole(StrEnum):
    """What a team member may do: the owner manages the team; staff work quotes."""

    OWNER = "owner"
    STAFF = "staff"
