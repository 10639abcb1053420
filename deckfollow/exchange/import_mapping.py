"""Which column of a contacts CSV holds what: recognised exports and column mappings.

Google Contacts (the older "Google CSV" and the 2024 layout) and Outlook exports are
recognised by their header sets and read without any mapping, including typed phone
columns ("Phone 1 - Label: Mobile") and values holding several numbers (" ::: ").
Any other CSV is read through a `ColumnMapping`: one target field per column, suggested
from the header names and adjustable by the user.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from deckfollow.core.errors import ValidationError


class Field(StrEnum):
    """What a column can be imported as."""

    IGNORE = ""
    NAME = "name"
    FIRST_NAME = "first_name"
    MIDDLE_NAME = "middle_name"
    LAST_NAME = "last_name"
    COMPANY = "company"
    EMAIL = "email"
    PHONE = "phone"
    PHONE_CELL = "phone_cell"
    PHONE_OFFICE = "phone_office"
    PHONE_HOME = "phone_home"
    STREET = "street"
    SUBURB = "suburb"
    REGION = "region"
    POSTCODE = "postcode"
    COUNTRY = "country"
    TIMEZONE = "timezone"
    BIRTHDAY = "birthday"
    NOTES = "notes"
    DO_NOT_CONTACT = "do_not_contact"
    ERASED_EMAIL_HASH = "erased_email_hash"
    ERASED_PHONE_HASH = "erased_phone_hash"


FIELD_LABELS: dict[Field, str] = {
    Field.IGNORE: "(do not import)",
    Field.NAME: "Full name",
    Field.FIRST_NAME: "First name",
    Field.MIDDLE_NAME: "Middle name",
    Field.LAST_NAME: "Last name",
    Field.COMPANY: "Company",
    Field.EMAIL: "Email",
    Field.PHONE: "Phone (any)",
    Field.PHONE_CELL: "Mobile phone",
    Field.PHONE_OFFICE: "Work phone",
    Field.PHONE_HOME: "Home phone",
    Field.STREET: "Street",
    Field.SUBURB: "Suburb / city",
    Field.REGION: "State / region",
    Field.POSTCODE: "Postcode / ZIP",
    Field.COUNTRY: "Country",
    Field.TIMEZONE: "Time zone (e.g. Australia/Perth)",
    Field.BIRTHDAY: "Birthday",
    Field.NOTES: "Notes",
    Field.DO_NOT_CONTACT: "Do not contact (yes/no)",
    Field.ERASED_EMAIL_HASH: "Erased person's email hash (deckfollow export)",
    Field.ERASED_PHONE_HASH: "Erased person's phone hash (deckfollow export)",
}

NAME_FIELDS = frozenset({Field.NAME, Field.FIRST_NAME, Field.LAST_NAME, Field.COMPANY})


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


# Header phrases (normalised by _key) -> field, for suggesting a mapping of any CSV.
_PHRASES: dict[Field, tuple[str, ...]] = {
    Field.NAME: (
        "name",
        "full name",
        "display name",
        "contact name",
        "customer name",
        "client name",
        "customer",
        "client",
        "contact",
    ),
    Field.FIRST_NAME: ("first name", "given name", "firstname", "first", "forename", "given"),
    Field.MIDDLE_NAME: ("middle name", "additional name", "middle"),
    Field.LAST_NAME: ("last name", "family name", "surname", "lastname", "last"),
    Field.COMPANY: (
        "company",
        "organization",
        "organisation",
        "business",
        "company name",
        "business name",
        "organization name",
        "organization 1 name",
    ),
    Field.EMAIL: (
        "email",
        "e mail",
        "email address",
        "e mail address",
        "mail",
        "e mail 1 value",
        "email 1",
        "email1",
        "e mail 1 address",
    ),
    Field.PHONE: (
        "phone",
        "telephone",
        "tel",
        "phone number",
        "number",
        "contact number",
        "primary phone",
        "phone 1 value",
        "other phone",
        "phone 1",
    ),
    Field.PHONE_CELL: (
        "mobile",
        "mobile phone",
        "cell",
        "cell phone",
        "mobile number",
        "cellphone",
        "mob",
        "mobile no",
    ),
    Field.PHONE_OFFICE: ("work phone", "business phone", "office phone", "office", "work"),
    Field.PHONE_HOME: ("home phone", "home", "landline"),
    Field.STREET: (
        "street",
        "address",
        "address line 1",
        "street address",
        "address 1",
        "address 1 street",
        "home street",
        "business street",
    ),
    Field.SUBURB: (
        "suburb",
        "city",
        "town",
        "locality",
        "address 1 city",
        "home city",
        "business city",
    ),
    Field.REGION: (
        "state",
        "region",
        "province",
        "county",
        "address 1 region",
        "home state",
        "business state",
    ),
    Field.POSTCODE: (
        "postcode",
        "post code",
        "postal code",
        "zip",
        "zip code",
        "zipcode",
        "address 1 postal code",
        "home postal code",
        "business postal code",
    ),
    Field.COUNTRY: (
        "country",
        "country region",
        "address 1 country",
        "home country region",
        "business country region",
    ),
    Field.TIMEZONE: ("time zone", "timezone", "tz"),
    Field.BIRTHDAY: ("birthday", "date of birth", "dob", "birth date"),
    Field.NOTES: ("notes", "note", "comments", "comment", "remarks"),
    Field.DO_NOT_CONTACT: ("do not contact", "dnc", "opted out", "unsubscribed"),
    Field.ERASED_EMAIL_HASH: ("erased email hash",),
    Field.ERASED_PHONE_HASH: ("erased phone hash",),
}
_SUGGEST = {phrase: f for f, phrases in _PHRASES.items() for phrase in phrases}


@dataclass(frozen=True)
class ColumnMapping:
    """The field each column (by index) is imported as; columns not listed are ignored."""

    fields: Mapping[int, Field] = field(default_factory=dict)

    def field_of(self, column: int) -> Field:
        return self.fields.get(column, Field.IGNORE)

    def has_name(self) -> bool:
        return any(f in NAME_FIELDS for f in self.fields.values())

    def with_field(self, column: int, target: Field) -> ColumnMapping:
        changed = dict(self.fields)
        if target is Field.IGNORE:
            changed.pop(column, None)
        else:
            changed[column] = target
        return ColumnMapping(changed)


def suggest_mapping(header: tuple[str, ...]) -> ColumnMapping:
    """A mapping guessed from the column names (exact phrases first, then contained words)."""
    fields: dict[int, Field] = {}
    for i, name in enumerate(header):
        key = _key(name)
        found = _SUGGEST.get(key)
        if found is None:
            found = _guess_by_words(key)
        if found is not None and found is not Field.IGNORE:
            fields[i] = found
    return ColumnMapping(fields)


def _guess_by_words(key: str) -> Field | None:
    words = set(key.split())
    if not words:
        return None
    if words & {"type", "label", "yomi", "phonetic", "fax", "pager", "url", "web"}:
        return None
    if words & {"email", "mail"} or "e mail" in key:
        return Field.EMAIL
    if words & {"mobile", "cell"}:
        return Field.PHONE_CELL
    if words & {"phone", "tel", "telephone"}:
        if "home" in words:
            return Field.PHONE_HOME
        if words & {"work", "business", "office"}:
            return Field.PHONE_OFFICE
        return Field.PHONE
    if words & {"notes", "note", "comments", "comment"}:
        return Field.NOTES
    if words & {"surname"}:
        return Field.LAST_NAME
    if words & {"postcode", "zip"}:
        return Field.POSTCODE
    if words & {"suburb", "city"}:
        return Field.SUBURB
    return None


def parse_mapping_options(
    options: list[str], header: tuple[str, ...], base: ColumnMapping
) -> ColumnMapping:
    """Apply `COLUMN=FIELD` overrides (COLUMN: a header name or a 1-based column number)."""
    mapping = base
    names = {_key(h): i for i, h in reversed(list(enumerate(header)))}
    for option in options:
        column, sep, target = option.rpartition("=")
        if not sep or not column.strip():
            raise ValidationError("--mapping", f"{option!r}: write COLUMN=FIELD, e.g. Mobile=phone")
        index = names.get(_key(column))
        if index is None and column.strip().isdigit():
            index = int(column.strip()) - 1
        if index is None or not 0 <= index < len(header):
            raise ValidationError("--mapping", f"{column!r} is not a column of this file")
        try:
            chosen = Field(target.strip().lower().replace("-", "_")) if target.strip() else None
        except ValueError:
            chosen = None
        if target.strip().lower() in ("ignore", "none", "skip"):
            chosen = Field.IGNORE
        if chosen is None:
            known = ", ".join(f.value for f in Field if f is not Field.IGNORE)
            raise ValidationError(
                "--mapping", f"{target!r} is not a field; use one of {known}, ignore"
            )
        mapping = mapping.with_field(index, chosen)
    return mapping


# ---------------------------------------------------------------------------------------------
# What one row says, before any checking


@dataclass
class RawContact:
    """The text of one row, sorted into fields; phones keep the slot their column implied."""

    name: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    company: str = ""
    emails: list[str] = field(default_factory=list)
    # (slot, text): slot is one of "cell", "office", "home" or "" (any free slot).
    phones: list[tuple[str, str]] = field(default_factory=list)
    street: str = ""
    suburb: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    timezone: str = ""
    birthday: str = ""
    notes: list[str] = field(default_factory=list)
    do_not_contact: str = ""
    erased_email_hash: str = ""
    erased_phone_hash: str = ""


class Format(StrEnum):
    GOOGLE = "google"
    GOOGLE_OLD = "google-old"
    OUTLOOK = "outlook"
    CUSTOM = "custom"


FORMAT_LABELS = {
    Format.GOOGLE: "Google Contacts",
    Format.GOOGLE_OLD: "Google Contacts (older Google CSV)",
    Format.OUTLOOK: "Outlook",
    Format.CUSTOM: "your own columns",
}

_MULTI = " ::: "


def recognise(header: tuple[str, ...]) -> Format:
    """The program that wrote this header, or CUSTOM."""
    names = set(header)
    if "E-mail 1 - Value" in names or "Phone 1 - Value" in names:
        if "Given Name" in names or "Family Name" in names or "Name" in names:
            return Format.GOOGLE_OLD
        if "First Name" in names or "Last Name" in names:
            return Format.GOOGLE
    # Every Outlook export (classic and Outlook.com) has "E-mail Address" and its phone
    # columns; a spreadsheet that merely has "First Name" and "Mobile Phone" beside an
    # "Email" column must be read through its own columns, or its emails would be dropped.
    outlook_phones = {"Mobile Phone", "Business Phone", "Home Phone"}
    if (
        ("First Name" in names or "Last Name" in names)
        and "E-mail Address" in names
        and len(names & outlook_phones) >= 2
    ):
        return Format.OUTLOOK
    return Format.CUSTOM


@functools.lru_cache(maxsize=256)  # a file repeats a handful of labels on every row
def _slot_of_label(label: str) -> str:
    words = set(_key(label).split())
    if words & {"mobile", "cell", "iphone"}:
        return "cell"
    if words & {"work", "business", "office", "main"}:
        return "office"
    if "home" in words:
        return "home"
    return ""


class Extractor:
    """Turns the cells of one row into a RawContact."""

    def __init__(self, header: tuple[str, ...], fmt: Format, mapping: ColumnMapping) -> None:
        self.header = header
        self.format = fmt
        self.mapping = mapping
        self._col = {h: i for i, h in reversed(list(enumerate(header)))}
        # A Google export's numbered columns, named once for the file rather than per row.
        col = self._col
        self._emails = [f"E-mail {n} - Value" for n in _numbered(col, "E-mail {} - Value")]
        self._phones = [
            (f"Phone {n} - Value", f"Phone {n} - Type", f"Phone {n} - Label")
            for n in _numbered(col, "Phone {} - Value")
        ]
        self._addresses = [
            tuple(f"Address {n} - {part}" for part in _ADDRESS_PARTS)
            for n in _numbered(col, "Address {} - Street", "Address {} - Formatted")
        ]
        # The same columns as places in a row's cleaned cells; a missing column reads the
        # empty cell added at the end (-1).
        at = self._at
        self._g_fields = tuple(
            at(name)
            for name in (
                "Name",
                "Given Name",
                "First Name",
                "Additional Name",
                "Middle Name",
                "Family Name",
                "Last Name",
                "Organization 1 - Name",
                "Organization Name",
                "Birthday",
                "Notes",
            )
        )
        self._g_emails = tuple(at(name) for name in self._emails)
        self._g_phones = tuple(tuple(at(name) for name in names) for names in self._phones)
        self._g_addresses = tuple(tuple(at(name) for name in names) for names in self._addresses)

    def _at(self, name: str) -> int:
        return self._col.get(name, -1)

    @staticmethod
    def _cleaned(cells: tuple[str, ...]) -> list[str]:
        """Every cell as `_cell` reads it, and an empty one at the end."""
        out = [c.strip() for c in cells]
        if "'" in "".join(out):  # an apostrophe anywhere: check each cell's start
            out = [_NEUTRALISED.sub("", c) if c.startswith("'") else c for c in out]
        out.append("")
        return out

    def extract(self, cells: tuple[str, ...]) -> RawContact:
        if self.format in (Format.GOOGLE, Format.GOOGLE_OLD):
            return self._google(cells)
        if self.format is Format.OUTLOOK:
            return self._outlook(cells)
        return self._mapped(cells)

    def _get(self, cells: tuple[str, ...], name: str) -> str:
        i = self._col.get(name)
        if i is None:
            return ""
        value = cells[i]
        # Most cells of an export are empty; `_cell`, inline, for the rest.
        if not value:
            return ""
        text = value.strip()
        return _NEUTRALISED.sub("", text) if text.startswith("'") else text

    def _mapped(self, cells: tuple[str, ...]) -> RawContact:
        c = RawContact()
        slots = {
            Field.PHONE: "",
            Field.PHONE_CELL: "cell",
            Field.PHONE_OFFICE: "office",
            Field.PHONE_HOME: "home",
        }
        for i, target in sorted(self.mapping.fields.items()):
            if i >= len(cells):
                continue
            value = _cell(cells[i])
            if not value:
                continue
            if target in slots:
                c.phones.extend((slots[target], p) for p in _split_multi(value))
            elif target is Field.EMAIL:
                c.emails.extend(_split_multi(value))
            elif target is Field.NOTES:
                c.notes.append(value)
            elif target is not Field.IGNORE:
                old = getattr(c, target.value)
                # Two columns for one field (Address line 1 + 2): joined, not overwritten.
                setattr(c, target.value, f"{old}, {value}" if old else value)
        return c

    def _google(self, cells: tuple[str, ...]) -> RawContact:
        v = self._cleaned(cells)
        name, given, first, additional, middle, family, last, org1, org, bday, notes = (
            self._g_fields
        )
        c = RawContact(
            name=v[name] if self.format is Format.GOOGLE_OLD else "",
            first_name=v[given] or v[first],
            middle_name=v[additional] or v[middle],
            last_name=v[family] or v[last],
            company=v[org1] or v[org],
            birthday=v[bday],
        )
        if v[notes]:
            c.notes.append(v[notes])
        for i in self._g_emails:
            if v[i]:
                c.emails.extend(_split_multi(v[i]))
        for value, kind, label in self._g_phones:
            if v[value]:
                slot = _slot_of_label(v[kind] or v[label])
                c.phones.extend((slot, p) for p in _split_multi(v[value]))
        for street_i, ext_i, city, postcode, region, country, formatted in self._g_addresses:
            street, ext = v[street_i], v[ext_i]
            # An address holding only a state or a country still says where they live.
            if street or v[city] or v[postcode] or v[region] or v[country]:
                c.street = ", ".join(x for x in (street, ext) if x)
                c.suburb = v[city]
                c.region = v[region]
                c.postcode = v[postcode]
                c.country = v[country]
                break
            shown = v[formatted]
            if shown:
                c.street = ", ".join(shown.split("\n"))
                break
        return c

    def _outlook(self, cells: tuple[str, ...]) -> RawContact:
        g = self._get
        c = RawContact(
            first_name=g(cells, "First Name"),
            middle_name=g(cells, "Middle Name"),
            last_name=g(cells, "Last Name"),
            company=g(cells, "Company"),
            birthday=g(cells, "Birthday"),
        )
        for col in ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"):
            c.emails.extend(_split_multi(g(cells, col)))
        for col, slot in (
            ("Mobile Phone", "cell"),
            ("Business Phone", "office"),
            ("Home Phone", "home"),
            ("Primary Phone", ""),
            ("Other Phone", ""),
            ("Car Phone", ""),
            ("Company Main Phone", "office"),
            ("Business Phone 2", ""),
            ("Home Phone 2", ""),
        ):
            value = g(cells, col)
            if value:
                c.phones.append((slot, value))
        # A tradesperson's customers are mostly households: the home address first.
        for prefix in ("Home", "Business", "Other"):
            street = ", ".join(
                x for x in (g(cells, f"{prefix} Street{s}") for s in ("", " 2", " 3")) if x
            )
            city = g(cells, f"{prefix} City")
            code = g(cells, f"{prefix} Postal Code")
            region = g(cells, f"{prefix} State")
            country = g(cells, f"{prefix} Country/Region") or g(cells, f"{prefix} Country")
            # An address holding only a state or a country still says where they live.
            if street or city or code or region or country:
                c.street, c.suburb, c.postcode = street, city, code
                c.region, c.country = region, country
                break
        notes = g(cells, "Notes")
        if notes:
            c.notes.append(notes)
        return c


# The parts of a Google export's address, in the order `_google` unpacks them.
_ADDRESS_PARTS = (
    "Street",
    "Extended Address",
    "City",
    "Postal Code",
    "Region",
    "Country",
    "Formatted",
)


def _numbered(col: dict[str, int], *names: str) -> list[int]:
    """1, 2, … for as long as a column named by one of `names` (with the number) exists."""
    found: list[int] = []
    while any(name.format(len(found) + 1) in col for name in names):
        found.append(len(found) + 1)
    return found


_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")


def _cell(value: str) -> str:
    """A cell's text: trimmed, and with an export's formula-neutralising apostrophe undone."""
    text = value.strip()
    return _NEUTRALISED.sub("", text) if text.startswith("'") else text


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(_MULTI) if v.strip()]


def describe_mapping(header: tuple[str, ...], mapping: ColumnMapping) -> list[tuple[str, str]]:
    """(column, field label) pairs for every mapped column, in column order."""
    return [
        (header[i], FIELD_LABELS[f])
        for i, f in sorted(mapping.fields.items())
        if i < len(header) and f is not Field.IGNORE
    ]
