"""Importing customers from a contacts CSV: a row-by-row plan first, then one unit of work.

`plan_import` reads nothing but the database and says, for every row, what will happen:
imported (with the cleaned values), a duplicate (of a customer or of an earlier row),
refused (the person asked not to be contacted) or left out (no usable name, no way to
reach them). Problems are listed with the row number a spreadsheet shows (header = 1).
`import_table` plans again inside the caller's transaction and saves the importable rows,
so a preview that went stale while the user looked at it cannot add a duplicate.
"""

from __future__ import annotations

import errno
import functools
import operator
import re
import stat
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from typing import TypeVar, cast, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from deckfollow.core.consent import revoke_consent
from deckfollow.core.contact_info import (
    country_of_phone,
    phone_as_read_in,
    suppression_hash,
)
from deckfollow.core.customer_batch import BlockedContacts
from deckfollow.core.customers import check_region, region_value
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import SEARCHED_FIELDS, Customer, Suppression
from deckfollow.core.settings import load_settings
from deckfollow.core.text_folding import fold
from deckfollow.core.timezones import ZoneChoice, customer_zone
from deckfollow.cycle_pause import without_cycle_collection
from deckfollow.exchange.bulk_insert import insert_rows
from deckfollow.exchange.csv_sniff import CsvRow, CsvTable, read_csv
from deckfollow.exchange.email_check import read_email
from deckfollow.exchange.import_mapping import (
    FORMAT_LABELS,
    ColumnMapping,
    Extractor,
    Field,
    Format,
    RawContact,
    recognise,
    suggest_mapping,
)
from deckfollow.exchange.phone_check import read_phone

# Bigger than any contacts export a small business has; guards memory, not correctness.
MAX_FILE_BYTES = 200 * 1024 * 1024
_NOTES_LIMIT = 10_000
_LIMITS = {
    "display_name": 200,
    "first_name": 100,
    "last_name": 100,
    "company": 200,
    "street": 200,
    "suburb": 100,
    "region": 50,
    "postcode": 20,
}
# The limited fields in the order a row's problems name them.
_LIMITED = (
    "display_name",
    "first_name",
    "last_name",
    "company",
    "street",
    "suburb",
    "region",
    "postcode",
)
_LIMIT_SIZES = tuple(_LIMITS[key] for key in _LIMITED)
_LABELS = {
    "display_name": "name",
    "first_name": "first name",
    "last_name": "last name",
    "company": "company",
    "street": "street",
    "suburb": "suburb/city",
    "region": "state/region",
    "postcode": "postcode",
}


class RowAction(StrEnum):
    IMPORT = "import"
    SUPPRESS = "suppress"
    DUPLICATE = "duplicate"
    BLOCKED = "blocked"
    SKIP = "skip"
    BLANK = "blank"


ACTION_LABELS = {
    RowAction.IMPORT: "Import",
    RowAction.SUPPRESS: "Keep as erased (do not contact)",
    RowAction.DUPLICATE: "Already there",
    RowAction.BLOCKED: "Refused: do not contact",
    RowAction.SKIP: "Not imported",
    RowAction.BLANK: "Empty row",
}


@dataclass(frozen=True)
class ContactValues:
    """A row's cleaned values, exactly as they will be saved."""

    display_name: str
    first_name: str | None
    last_name: str | None
    company: str | None
    email: str | None
    phone_cell: str | None
    phone_office: str | None
    phone_home: str | None
    street: str | None
    suburb: str | None
    region: str | None
    postcode: str | None
    country: str
    timezone: str
    birthday: date | None
    notes: str | None
    # Why this zone: the file's zone column, the state, city, country, phone or the owner's.
    zone_reason: str = ""
    # Marked do-not-contact in the file: saved as do-not-contact, with the stop in the ledger.
    do_not_contact: bool = False

    @property
    def phones(self) -> tuple[str, ...]:
        return tuple(filter(None, (self.phone_cell, self.phone_office, self.phone_home)))


@dataclass(frozen=True)
class RowPlan:
    """What happens to one row of the file."""

    row: int
    action: RowAction
    name: str
    values: ContactValues | None = None
    problems: tuple[str, ...] = ()
    duplicate_of: str = ""
    # An erased person's row (SUPPRESS): the hashes of their email and phone.
    suppression: tuple[str | None, str | None] | None = None
    # The customer this row is (not an earlier row, not one in the trash): offered for use.
    existing_id: int | None = None
    # Their name, first phone and suburb, and the owner's country to read the phone in.
    existing: tuple[str, str | None, str | None, str] | None = None
    fills: tuple[str, ...] = ()  # details the row has that the customer lacks

    @property
    def existing_label(self) -> str:
        """ "Mia Chen (0412 345 679, Balmain)"; formatted when shown: parsing the numbers of
        every duplicate of a re-imported file took a fifth of its preview."""
        if self.existing is None:
            return ""
        name, phone, suburb, country = self.existing
        bits = [b for b in (phone and phone_as_read_in(phone, country), suburb) if b]
        return f"{name} ({', '.join(bits)})" if bits else name

    @property
    def detail(self) -> str:
        """One line for the preview: why, and what was left out."""
        parts = [f"same as {self.duplicate_of}"] if self.duplicate_of else []
        return "; ".join([*parts, *self.problems])


@dataclass(frozen=True)
class Problem:
    row: int
    message: str


@dataclass(frozen=True)
class ImportPlan:
    """The preview of an import: how the file was read and every row's fate."""

    format: Format
    header: tuple[str, ...]
    mapping: ColumnMapping
    rows: tuple[RowPlan, ...]
    encoding_label: str = "UTF-8"
    delimiter_label: str = "comma"
    file_notes: tuple[str, ...] = ()
    # Rows matching a customer that the owner said are someone else ("Create new").
    create_new: frozenset[int] = frozenset()
    # After the import: existing customers given details they lacked from their row.
    completed: int = 0

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    def creates(self, r: RowPlan) -> bool:
        """Whether this row becomes a new customer."""
        return r.action is RowAction.IMPORT or (
            r.action is RowAction.DUPLICATE
            and r.existing_id is not None
            and r.row in self.create_new
        )

    @property
    def imported(self) -> int:
        return sum(1 for r in self.rows if self.creates(r))

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.action is RowAction.DUPLICATE and not self.creates(r))

    @property
    def completable(self) -> int:
        """Existing customers this import would give details they lack."""
        return sum(1 for r in self.rows if r.fills and not self.creates(r))

    @property
    def stopped(self) -> int:
        """Rows imported as do-not-contact (they asked not to be contacted)."""
        return sum(
            1
            for r in self.rows
            if r.action is RowAction.IMPORT and r.values is not None and r.values.do_not_contact
        )

    @property
    def suppressions(self) -> int:
        """Erased people's rows kept on the suppression list."""
        return sum(1 for r in self.rows if r.action is RowAction.SUPPRESS)

    @property
    def problems(self) -> list[Problem]:
        """Every problem, one per message, in row order (duplicates are counted, not listed)."""
        return [Problem(r.row, m) for r in self.rows for m in r.problems]

    def summary_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "problems": [{"row": p.row, "message": p.message} for p in self.problems],
        }


def read_import_file(path: Path) -> CsvTable:
    """Read a CSV file from disk; an unusable file is a ValidationError naming the file."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(st.st_mode):
            # /dev/zero or a pipe has no size to check and might never end.
            raise ValidationError(
                "file", f"{path} is not a regular file (a device or a pipe); choose a CSV file"
            )
        if st.st_size > MAX_FILE_BYTES:
            raise ValidationError(
                "file", f"{path.name} is {st.st_size // 2**20} MB; that is not a contacts export"
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # a file still growing is cut off, not followed
        if len(data) > MAX_FILE_BYTES:
            raise ValidationError(
                "file",
                f"{path.name} is over {MAX_FILE_BYTES // 2**20} MB; that is not a contacts export",
            )
    except IsADirectoryError as exc:
        raise ValidationError("file", f"{path} is a folder; choose a CSV file") from exc
    except FileNotFoundError as exc:
        raise ValidationError("file", f"there is no file {path}") from exc
    except OSError as exc:
        raise ValidationError("file", f"cannot read {path}: {exc.strerror}") from exc
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        # Zip (xlsx, ods, numbers) or the old binary Excel format, not text.
        raise ValidationError(
            "file",
            f"{path.name} is a spreadsheet workbook, not a CSV file; open it in your "
            "spreadsheet program, choose File › Save As (or Export) › CSV, and import that",
        )
    return read_csv(data)


def choose_reading(
    table: CsvTable, mapping: ColumnMapping | None = None
) -> tuple[Format, ColumnMapping]:
    """The recognised format (no mapping needed), or CUSTOM with the given/suggested mapping."""
    if mapping is not None:
        return Format.CUSTOM, mapping
    fmt = recognise(table.header)
    return fmt, suggest_mapping(table.header)


def check_reading(
    table: CsvTable, mapping: ColumnMapping | None = None
) -> tuple[Format, ColumnMapping]:
    """Like choose_reading, but raises ValidationError when no column gives a name."""
    fmt, chosen = choose_reading(table, mapping)
    if fmt is Format.CUSTOM and not chosen.has_name():
        raise ValidationError(
            "mapping",
            "no column was recognised as a name; say which column holds the name "
            "(e.g. --mapping Customer=name)",
        )
    return fmt, chosen


# ---------------------------------------------------------------------------------------------
# What is already in the database


@dataclass
class _Known:
    """Existing customers' emails and phones, and who may not be re-added, loaded once."""

    by_email: dict[str, tuple[int, str, bool, bool]] = field(default_factory=dict)
    by_phone: dict[str, tuple[int, str, bool, bool]] = field(default_factory=dict)
    by_name_town: dict[tuple[str, str], tuple[int, str, bool, bool]] = field(default_factory=dict)
    # Rule 9, as adding customers reads it: do-not-contact customers and erased people.
    rule9: BlockedContacts | None = None
    # Per customer not in the trash: (name, first phone, suburb, details left blank).
    about: dict[int, tuple[str, str | None, str | None, frozenset[str]]] = field(
        default_factory=dict
    )
    # Their email and phones, to tell a namesake from the same person.
    reach: dict[int, tuple[str | None, tuple[str, ...]]] = field(default_factory=dict)
    # Hashes on the file's own erased rows: the same person later in the file is refused.
    incoming: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session) -> _Known:
        known = cls()
        rows = session.execute(
            select(
                Customer.id,
                Customer.display_name,
                Customer.email,
                Customer.phone_cell,
                Customer.phone_office,
                Customer.phone_home,
                Customer.do_not_contact,
                Customer.deleted_at,
                *(getattr(Customer, k) for k in _FILLABLE[4:]),
            ).order_by(Customer.id)
        )
        for cid, name, email, cell, office, home, dnc, deleted, *rest in rows:
            entry = (cid, name, bool(dnc), deleted is not None)
            if email:
                _keep(known.by_email, email.strip().lower(), entry)
            for phone in (cell, office, home):
                if phone:
                    _keep(known.by_phone, phone.strip(), entry)
            suburb = rest[_FILLABLE.index("suburb") - 4]
            if suburb:
                _keep(known.by_name_town, (name.lower(), suburb.lower()), entry)
            if deleted is None:
                values = (email, cell, office, home, *rest)
                blank = frozenset(k for k, v in zip(_FILLABLE, values, strict=True) if v is None)
                known.about[cid] = (name, cell or office or home, suburb, blank)
                known.reach[cid] = (email, tuple(p for p in (cell, office, home) if p))
        known.rule9 = BlockedContacts(session)
        return known

    @property
    def _rule9(self) -> BlockedContacts:
        assert self.rule9 is not None, "loaded by _Known.load"
        return self.rule9

    def blocked(self, email: str | None, phones: Iterable[str]) -> str | None:
        """Why the person may not be added (the same rules as core.do_not_contact.is_blocked)."""
        if self._rule9.anyone_erased or self.incoming:
            keys = [email] if email else []
            keys += list(phones)
            hashes = [suppression_hash(k) for k in keys]
            if self._rule9.erased(*hashes) or not self.incoming.isdisjoint(hashes):
                return "asked not to be contacted and was erased; not imported"
        hit = self._rule9.stopped(email=email, phones=phones)
        if hit is not None:
            return f"{hit[1]} (customer {hit[0]}) asked not to be contacted; not imported"
        return None

    def erased(self, hashes: set[str]) -> bool:
        """Whether every one of an erased row's hashes is on the suppression list already."""
        return all(self._rule9.erased(h) for h in hashes)

    def add_erased(self, hashes: set[str]) -> None:
        """An erased row of the file: later rows with these details are refused."""
        self._rule9.add_erased(*hashes)

    def existing(
        self, values: ContactValues, phones: tuple[str, ...]
    ) -> tuple[str, int | None] | None:
        """Who this row already is (`phones`: the row's): the text for the preview, and the
        customer's id unless they are in the trash."""
        if not (self.by_email or self.by_phone or self.by_name_town):
            return None  # a business's first import: nobody to be
        for cid, name, _dnc, deleted in self._hits(values.email, phones) or self._named(
            values, phones
        ):
            where = " (in the trash)" if deleted else ""
            return f"customer {cid} {name}{where}", (None if deleted else cid)
        return None

    def offer(
        self, cid: int, values: ContactValues, country: str
    ) -> tuple[tuple[str, str | None, str | None, str], tuple[str, ...]]:
        """Who customer `cid` is, for the preview to name them, and the details of the row
        that customer lacks."""
        name, phone, suburb, blank = self.about[cid]
        fills = tuple(
            key
            for key in _FILLABLE
            if key in blank
            and getattr(values, key) is not None
            # A number they already have in another slot is not new.
            and not (key.startswith("phone_") and self._owner(getattr(values, key)) == cid)
        )
        return (name, phone, suburb, country), fills

    def _owner(self, phone: str) -> int | None:
        entry = self.by_phone.get(phone)
        return entry[0] if entry is not None else None

    def _named(
        self, values: ContactValues, own_phones: tuple[str, ...]
    ) -> list[tuple[int, str, bool, bool]]:
        """The customer of the same name in the same suburb, unless their email or phones
        say it is a namesake (both have one, and none is shared)."""
        if not values.suburb:
            return []
        hit = self.by_name_town.get((values.display_name.lower(), values.suburb.lower()))
        if hit is None or hit[0] not in self.reach:
            return []
        email, phones = self.reach[hit[0]]
        if email and values.email and email.lower() != values.email.lower():
            return []
        if phones and own_phones and not set(phones) & set(own_phones):
            return []
        return [hit]

    def _hits(self, email: str | None, phones: Iterable[str]) -> list[tuple[int, str, bool, bool]]:
        hits = []
        hit = self.by_email.get(email.lower()) if email else None
        if hit is not None:
            hits.append(hit)
        by_phone = self.by_phone
        hits += [by_phone[p] for p in phones if p in by_phone]
        if len(hits) < 2:
            return hits
        # A do-not-contact match wins over an ordinary one.
        return sorted(hits, key=lambda h: (not h[2], h[0]))


_K = TypeVar("_K")

# Details an existing customer can be given from a row that is them ("Use …" in the preview).
_FILLABLE = (
    "email",
    "phone_cell",
    "phone_office",
    "phone_home",
    "company",
    "street",
    "suburb",
    "region",
    "postcode",
    "birthday",
)


def _keep(
    index: dict[_K, tuple[int, str, bool, bool]], key: _K, entry: tuple[int, str, bool, bool]
) -> None:
    old = index.get(key)
    if old is None or (entry[2] and not old[2]):
        index[key] = entry


# ---------------------------------------------------------------------------------------------
# One row


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?[eE]\+?\d+")
_TRUE = {"yes", "y", "true", "1", "x", "dnc", "do not contact", "unsubscribed", "opted out"}


_COUNTRY_NAMES = {
    "australia": "AU",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "u s a": "US",
    "america": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "new zealand": "NZ",
    "aotearoa": "NZ",
    "canada": "CA",
    "ireland": "IE",
    "germany": "DE",
    "deutschland": "DE",
    "france": "FR",
    "spain": "ES",
    "españa": "ES",
    "mexico": "MX",
    "méxico": "MX",
    "poland": "PL",
    "polska": "PL",
    "netherlands": "NL",
    "italy": "IT",
    "south africa": "ZA",
    "india": "IN",
}


def _text(value: str) -> str:
    if not value:
        return ""  # most cells of a contacts export are empty
    if value.isprintable() and "\ufffd" not in value and "  " not in value:
        # Nearly every cell: no control character, and no whitespace but single spaces
        # (every other whitespace is unprintable), so only its ends can change.
        return value.strip(" ")
    return " ".join(_CONTROL.sub("", value).split())


@functools.lru_cache(maxsize=1024)  # a file repeats a few countries on every row
def country_code(text: str) -> str | None:
    """An ISO country code from a code or a common country name."""
    key = " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
    if not key:
        return None
    if len(key) == 2 and key.upper() in phonenumbers.SUPPORTED_REGIONS:
        return key.upper()
    return _COUNTRY_NAMES.get(key)


@functools.lru_cache(maxsize=1024)  # a file names each state once per row
def _region(country: str, text: str) -> tuple[str, str | None]:
    """The state as stored and why it is refused, if it is: the rule adding a customer keeps,
    a known state as its code and no Texas address in Australia (it would get the wrong
    hours, holidays and envelope)."""
    value = region_value(country, text)
    try:
        check_region(country, value)
    except ValidationError as exc:
        return value, f"{exc.field} {exc.message}; not imported"
    return value, None


@functools.lru_cache(maxsize=256)
def _valid_zone(name: str) -> str | None:
    """An IANA zone name from the file, if it is one (a re-imported export keeps its zones)."""
    if "/" not in name:
        return None
    try:
        ZoneInfo(name)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        return None
    return name


def _row_zone(
    raw: RawContact,
    country: str,
    region: str,
    city: str,
    phones: dict[str, str],
    owner_tz: str,
) -> ZoneChoice:
    """The row's zone: its own zone column, else from its address, phone or the owner's."""
    given = _valid_zone(_text(raw.timezone)) if raw.timezone else None
    if given is not None:
        return ZoneChoice(given, "from the file's time zone column")
    key = (country, region, city, owner_tz)
    known = _ZONES.get(key)
    if known is not None:
        return known
    ordered = _Watched([phones[k] for k in ("cell", "home", "office") if k in phones])
    choice = customer_zone(
        country=country, region=region, city=city, phones=ordered, owner_tz=owner_tz
    )
    if not ordered.looked:
        # The address alone decided: every row with this address gets this zone.
        if len(_ZONES) >= _ZONES_MAX:
            _ZONES.clear()
        _ZONES[key] = choice
    return choice


# Zones decided by the address alone, per (country, state, city, owner's zone).
_ZONES: dict[tuple[str, str, str, str], ZoneChoice] = {}
_ZONES_MAX = 4096


class _Watched(Sequence[str]):
    """A row's phones handed to `customer_zone`, noting whether it looked at them."""

    def __init__(self, phones: list[str]) -> None:
        self._phones = phones
        self.looked = False

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        self.looked = True
        return self._phones[index]

    def __len__(self) -> int:
        self.looked = True
        return len(self._phones)

    def __iter__(self) -> Iterator[str]:
        self.looked = True
        return iter(self._phones)


def _parse_birthday(text: str, country: str) -> date | None:
    """ISO, or day/month/year (month first in the US and Canada); None if not understood."""
    value = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        month, day = (a, b) if country in ("US", "CA") else (b, a)
        if month > 12 >= day:
            # 14/7/1985 in a month-first country can only be day-first.
            month, day = day, month
        return date(year, month, day)
    raise ValueError(value)


@dataclass
class _Row:
    """Working state for one row while it is checked."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _limit(row: _Row, key: str, value: str) -> str | None:
    if not value:
        return None
    limit = _LIMITS[key]
    if len(value) > limit:
        row.problems.append(f"{_LABELS[key]} is longer than {limit} characters; cut short")
        return value[:limit].rstrip()
    return value


def _clean_row(
    raw: RawContact, default_country: str, owner_tz: str, work: _Row
) -> tuple[ContactValues | None, str]:
    """The row's values, or None with the name shown when it cannot be imported."""
    first = _text(raw.first_name)
    middle = _text(raw.middle_name)
    last = _text(raw.last_name)
    company = _text(raw.company)
    name = _text(raw.name) or " ".join(filter(None, (first, middle, last))) or company
    shown = name[:80]
    if not name[:1].isalpha() and not any(ch.isalpha() for ch in name):
        work.problems.append("has no name; not imported")
        return None, shown
    if not first and not last and name != company:
        parts = name.split(maxsplit=1)
        first, last = parts[0], (parts[1] if len(parts) > 1 else "")
    country = country_code(raw.country) or default_country.upper()

    phones: dict[str, str] = {}
    spare: list[str] = []
    seen_phones: set[str] = set()
    for slot, text in raw.phones:
        shown_text = _text(text)
        if not shown_text:
            continue
        number = read_phone(shown_text, country)
        if number is None:
            if _SCIENTIFIC.fullmatch(shown_text):
                work.problems.append(
                    f"phone {shown_text[:40]!r} was turned into a number by a spreadsheet and "
                    "its digits are lost; format the column as text and export again; left out"
                )
            else:
                work.problems.append(
                    f"phone {shown_text[:40]!r} is not a valid phone number; left out"
                )
            continue
        if number in seen_phones:
            continue
        seen_phones.add(number)
        if not phones:
            target: str | None = slot or "cell"
        else:
            order = [slot] if slot else ["cell", "home", "office"]
            target = next((s for s in order if s not in phones), None)
        if target is None:
            spare.append(number)
        else:
            phones[target] = number
    emails: list[str] = []
    for text in raw.emails:
        shown_text = _text(text)
        if "<" in shown_text:
            # "Zoë Müller <zoe@example.com>", as mail programs copy an address.
            shown_text = parseaddr(shown_text)[1] or shown_text
        try:
            email = read_email(shown_text)
        except ValidationError:
            work.problems.append(f"email {shown_text[:60]!r} is not a valid address; left out")
            continue
        if not emails or email.lower() not in (e.lower() for e in emails):
            emails.append(email)
    street = _text(raw.street)
    suburb = _text(raw.suburb)
    postcode = _text(raw.postcode)
    if not phones and not emails and not (street or suburb or postcode):
        work.problems.append("has no valid email, phone or address to reach them; not imported")
        return None, shown

    phone_main = phones.get("cell") or phones.get("home") or phones.get("office")
    if phone_main and not country_code(raw.country):
        country = country_of_phone(phone_main) or country
    region = _text(raw.region)
    if region:
        region, refused = _region(country, region)
        if refused is not None:
            work.problems.append(refused)
            return None, shown
    zone = _row_zone(raw, country, region, suburb, phones, owner_tz)
    if zone.check:
        work.problems.append(zone.check)
    birthday = None
    bday_text = _text(raw.birthday)
    if bday_text and bday_text not in ("0/0/00", "0/0/0000", "00/00/0000"):
        try:
            birthday = _parse_birthday(bday_text, country)
        except ValueError:
            if bday_text.startswith("--"):
                work.notes.append(f"Birthday (no year): {bday_text[2:]}")
            else:
                work.problems.append(f"birthday {bday_text[:30]!r} is not a date; left out")
    notes = [*(n.strip() for n in raw.notes if n.strip()), *work.notes] if raw.notes else work.notes
    if len(emails) > 1 or spare:
        notes = notes + [f"Other email: {e}" for e in emails[1:]]
        notes += [f"Other phone: {p}" for p in spare]
    notes_text = "\n".join(notes)
    if len(notes_text) > _NOTES_LIMIT:
        work.problems.append(f"notes are longer than {_NOTES_LIMIT} characters; cut short")
        notes_text = notes_text[:_NOTES_LIMIT]
    texts = (name, first, last, company, street, suburb, region, postcode)
    if all(map(operator.ge, _LIMIT_SIZES, map(len, texts))):
        # Nearly every row: nothing to cut short, every blank saved as NULL.
        kept = [t or None for t in texts]
    else:
        kept = [_limit(work, key, t) for key, t in zip(_LIMITED, texts, strict=True)]
    values = ContactValues(
        display_name=kept[0] or name[:200],
        first_name=kept[1],
        last_name=kept[2],
        company=kept[3],
        email=emails[0] if emails else None,
        phone_cell=phones.get("cell"),
        phone_office=phones.get("office"),
        phone_home=phones.get("home"),
        street=kept[4],
        suburb=kept[5],
        region=kept[6],
        postcode=kept[7],
        country=country,
        timezone=zone.zone,
        birthday=birthday,
        notes=unicodedata.normalize("NFC", notes_text) or None,
        zone_reason=zone.reason,
    )
    return values, values.display_name


# ---------------------------------------------------------------------------------------------
# The plan and the import


@without_cycle_collection
def plan_import(
    session: Session, table: CsvTable, *, mapping: ColumnMapping | None = None
) -> ImportPlan:
    """Say what importing `table` would do, row by row; nothing is saved.

    Without `mapping` a Google or Outlook export is recognised by its header; any other
    file is read through the mapping suggested from its column names.
    """
    fmt, chosen = check_reading(table, mapping)
    settings = load_settings(session)
    known = _Known.load(session)
    extractor = Extractor(table.header, fmt, chosen)
    erased = {Field.ERASED_EMAIL_HASH, Field.ERASED_PHONE_HASH}
    if fmt is Format.CUSTOM and erased & set(chosen.fields.values()):
        # A deckfollow export: its erased people are refused wherever they appear in it.
        for r in table.rows:
            if not r.is_blank:
                known.incoming.update(h for h in _erased_hashes(extractor.extract(r.cells)) if h)
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    plans = [
        _plan_row(
            r,
            extractor,
            settings.default_country,
            settings.owner_timezone,
            known,
            seen_email,
            seen_phone,
        )
        for r in table.rows
    ]
    return ImportPlan(
        fmt,
        table.header,
        chosen,
        tuple(plans),
        table.encoding_label,
        table.delimiter_label,
        table.notes,
    )


def _plan_row(
    csv_row: CsvRow,
    extractor: Extractor,
    default_country: str,
    owner_tz: str,
    known: _Known,
    seen_email: dict[str, int],
    seen_phone: dict[str, int],
) -> RowPlan:
    if csv_row.is_blank:
        return RowPlan(csv_row.number, RowAction.BLANK, "")
    work = _Row(problems=list(csv_row.notes))
    raw = extractor.extract(csv_row.cells)
    if raw.erased_email_hash or raw.erased_phone_hash:
        return _plan_erased(csv_row, raw, known, work)
    values, shown = _clean_row(raw, default_country, owner_tz, work)
    if values is None:
        return RowPlan(csv_row.number, RowAction.SKIP, shown, None, tuple(work.problems))
    if raw.do_not_contact and _text(raw.do_not_contact).lower() in _TRUE:
        values = replace(values, do_not_contact=True)
    phones = values.phones
    blocked = known.blocked(values.email, phones)
    if blocked:
        work.problems.append(blocked)
        return RowPlan(csv_row.number, RowAction.BLOCKED, shown, values, tuple(work.problems))
    existing = known.existing(values, phones)
    if existing is not None:
        text, cid = existing
        if values.do_not_contact:
            work.problems.append(
                f"is marked do-not-contact in the file, but {text} is already here and "
                "may be contacted: record their stop there"
            )
            cid = None  # not offered for use: their stop must be recorded on them first
        who, fills = known.offer(cid, values, default_country) if cid else (None, ())
        return RowPlan(
            csv_row.number,
            RowAction.DUPLICATE,
            shown,
            values,
            tuple(work.problems),
            text,
            existing_id=cid,
            existing=who,
            fills=fills,
        )
    email_key = values.email.lower() if values.email else None
    earlier = seen_email.get(email_key) if email_key else None
    if earlier is None and phones:
        earlier = next((seen_phone[p] for p in phones if p in seen_phone), None)
    if earlier is not None:
        return RowPlan(
            csv_row.number,
            RowAction.DUPLICATE,
            shown,
            values,
            tuple(work.problems),
            f"row {earlier}",
        )
    if email_key:
        seen_email[email_key] = csv_row.number
    for p in phones:
        seen_phone.setdefault(p, csv_row.number)
    return RowPlan(csv_row.number, RowAction.IMPORT, shown, values, tuple(work.problems))


_HASH = re.compile(r"[0-9a-f]{64}")


def _erased_hashes(raw: RawContact) -> tuple[str | None, str | None]:
    """The row's erased-person hashes (lower-case hex), None where absent or malformed."""
    out = []
    for text in (raw.erased_email_hash, raw.erased_phone_hash):
        value = _text(text).lower()
        out.append(value if _HASH.fullmatch(value) else None)
    return out[0], out[1]


def _plan_erased(csv_row: CsvRow, raw: RawContact, known: _Known, work: _Row) -> RowPlan:
    """An erased do-not-contact person's row from a deckfollow export: only their hashes."""
    shown = _text(raw.name)[:80] or "(erased)"
    email_hash, phone_hash = _erased_hashes(raw)
    if email_hash is None and phone_hash is None:
        work.problems.append("the erased person's hashes are not readable; not imported")
        return RowPlan(csv_row.number, RowAction.SKIP, shown, None, tuple(work.problems))
    hashes = {h for h in (email_hash, phone_hash) if h}
    if known.erased(hashes):
        return RowPlan(
            csv_row.number,
            RowAction.DUPLICATE,
            shown,
            problems=tuple(work.problems),
            duplicate_of="an erased person already on the do-not-contact list",
        )
    known.add_erased(hashes)
    return RowPlan(
        csv_row.number,
        RowAction.SUPPRESS,
        shown,
        problems=tuple(work.problems),
        suppression=(email_hash, phone_hash),
    )


@without_cycle_collection
def import_table(
    session: Session,
    table: CsvTable,
    *,
    now: datetime,
    mapping: ColumnMapping | None = None,
    create_new: Collection[int] = (),
) -> ImportPlan:
    """Plan against the current database and save every importable row (caller commits).

    A row that is an existing customer gives them the details they lack ("Use …"), unless
    its row number is in `create_new`: the owner said it is someone else. A row marked
    do-not-contact is saved as do-not-contact, its stop recorded in the ledger (so no plan
    can start for them); an erased person's row joins the suppression list.
    """
    plan = replace(plan_import(session, table, mapping=mapping), create_new=frozenset(create_new))
    customers = cast(Table, Customer.__table__)
    # The same on every new customer; do-not-contact is set by the stop in their ledger.
    same = {"do_not_contact": False, "created_at": now, "updated_at": now, "version": 1}
    batch: list[tuple[object, ...]] = []
    creates = plan.creates
    for r in plan.rows:
        if (v := r.values) is None or not creates(r):
            continue
        # The search key is written here rather than by the column's default, which would
        # be called once per row through SQLAlchemy's per-row default machinery.
        row = (*_STORED(v), _search_key(v))
        if not v.do_not_contact:
            batch.append(row)
            continue
        # In file order, so ids follow the rows; the stop goes into their ledger.
        insert_rows(session, customers, _COLUMNS, batch, same)
        batch = []
        customer = Customer(**dict(zip(_COLUMNS, row, strict=True)), **same)
        session.add(customer)
        session.flush()
        revoke_consent(session, customer.id, None, source=STOP_SOURCE, words=None, now=now)
    # One executemany (every row has the same columns, so the batch is not split by which
    # values are empty): 50,000 contacts in a fraction of a second.
    insert_rows(session, customers, _COLUMNS, batch, same)
    erased = [
        {"email_hash": r.suppression[0], "phone_hash": r.suppression[1], "created_at": now}
        for r in plan.rows
        if r.action is RowAction.SUPPRESS and r.suppression is not None
    ]
    if erased:
        session.execute(insert(Suppression), [e | {"reason": STOP_SOURCE} for e in erased])
    return replace(plan, completed=_complete_existing(session, plan, now))


# A new customer's columns from their row's values, then their search key.
_FROM_VALUES = (
    "display_name",
    "first_name",
    "last_name",
    "company",
    "email",
    "phone_cell",
    "phone_office",
    "phone_home",
    "street",
    "suburb",
    "region",
    "postcode",
    "country",
    "timezone",
    "birthday",
    "notes",
)
_COLUMNS = (*_FROM_VALUES, "search_key")
_STORED = operator.attrgetter(*_FROM_VALUES)
_SEARCHED = operator.attrgetter(*SEARCHED_FIELDS)
# Each text folded once per file: a file repeats its towns, states, postcodes and companies.
_fold = functools.lru_cache(maxsize=16_384)(fold)


def _search_key(values: ContactValues) -> str:
    """`folded_key` of the searched fields, as the column's default writes it."""
    return " ".join(map(_fold, filter(None, _SEARCHED(values))))


# The ledger's "how they told you" for a stop that arrived in an imported file.
STOP_SOURCE = "marked do-not-contact in an imported file"


def _complete_existing(session: Session, plan: ImportPlan, now: datetime) -> int:
    """Give customers the details their rows have and they lack; never overwrite one."""
    todo = {
        r.existing_id: r for r in plan.rows if r.fills and r.existing_id and not plan.creates(r)
    }
    done = 0
    ids = list(todo)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for c in session.scalars(select(Customer).where(Customer.id.in_(chunk))):
            r = todo[c.id]
            assert r.values is not None
            changed = False
            for key in r.fills:
                if getattr(c, key) is None:
                    setattr(c, key, getattr(r.values, key))
                    changed = True
            if changed:
                c.updated_at = now
                done += 1
    session.flush()
    return done
