"""Customers and quotes as two CSV files a spreadsheet opens directly.

- UTF-8 with a BOM (Excel otherwise shows "Zoë" as "ZoÃ«"), CRLF line ends, one header row.
- Files are created readable by the owner only.
- A cell that a spreadsheet would run as a formula (=, @, +, - followed by something that is
  not a number, a leading tab or CR) gets a leading apostrophe; phone numbers in E.164
  form ("+61412345678") and negative amounts stay as they are. The importer removes such an
  apostrophe again, so an exported file re-imports unchanged.
- Records in the trash are left out (the JSON export keeps them).
- The column names are ones the importer recognises: the customers file re-imports
  without any mapping.
- Do-not-contact survives the round trip (rule 9): a stopped customer is marked in the
  "Do Not Contact" column and re-imports as do-not-contact; each erased person on the
  suppression list is a row of its own carrying only the two hashes, and re-imports as a
  suppression entry.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deckfollow.core.errors import DeckfollowError
from deckfollow.core.models import Customer, Quote, Suppression
from deckfollow.exchange.private_files import make_private_folder, remove_quietly, write_private

CUSTOMERS_FILE = "customers.csv"
QUOTES_FILE = "quotes.csv"

CUSTOMER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Customer ID", "id"),
    ("Name", "display_name"),
    ("First Name", "first_name"),
    ("Last Name", "last_name"),
    ("Company", "company"),
    ("Email", "email"),
    ("Mobile", "phone_cell"),
    ("Work Phone", "phone_office"),
    ("Home Phone", "phone_home"),
    ("Street", "street"),
    ("Suburb", "suburb"),
    ("State", "region"),
    ("Postcode", "postcode"),
    ("Country", "country"),
    ("Time Zone", "timezone"),
    ("Contact Hours", "contact_hours"),
    ("Birthday", "birthday"),
    ("Do Not Contact", "do_not_contact"),
    ("Notes", "notes"),
    ("Created (UTC)", "created_at"),
    ("Erased Email Hash", "erased_email_hash"),
    ("Erased Phone Hash", "erased_phone_hash"),
)
# What an erased person's row shows in the name column.
ERASED_NAME = "(erased: do not contact)"

QUOTE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Quote ID", "id"),
    ("Number", "number"),
    ("Customer ID", "customer_id"),
    ("Customer", "customer_name"),
    ("Job", "job"),
    ("Amount", "amount"),
    ("Currency", "currency"),
    ("Stage", "stage"),
    ("Source", "source"),
    ("Received (UTC)", "received_at"),
    ("Sent (UTC)", "sent_at"),
    ("Valid Until", "valid_until"),
    ("Last Touch (UTC)", "last_touch_at"),
    ("Closed (UTC)", "closed_at"),
    ("Lost Reason", "lost_reason"),
    ("Parked Until", "parked_until"),
    ("Notes", "notes"),
)

# A value that starts like a formula but is only a number or a phone number.
_NUMBERISH = re.compile(r"[+-][\d\s().-]*")


def neutralise_formula(value: str) -> str:
    """The cell text with a leading apostrophe if a spreadsheet would evaluate it."""
    if not value:
        return value
    first = value[0]
    if first in ("=", "@", "\t", "\r") or (first in ("+", "-") and not _NUMBERISH.fullmatch(value)):
        return "'" + value
    return value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "value"):  # enums: their stored vocabulary
        return str(value.value)
    return neutralise_formula(str(value))


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def customers_csv(session: Session) -> tuple[str, int]:
    """Every customer not in the trash as CSV text, and how many there are; then one row
    per suppression entry (an erased do-not-contact person), not counted as a customer."""
    erased = {"erased_email_hash", "erased_phone_hash"}
    cols = [getattr(Customer, attr) for _h, attr in CUSTOMER_COLUMNS if attr not in erased]
    rows: list[Sequence[object]] = [
        (*row, None, None)
        for row in session.execute(
            select(*cols).where(Customer.deleted_at.is_(None)).order_by(Customer.id)
        )
    ]
    count = len(rows)
    blank = {attr: None for _h, attr in CUSTOMER_COLUMNS}
    for email_hash, phone_hash, created in session.execute(
        select(Suppression.email_hash, Suppression.phone_hash, Suppression.created_at).order_by(
            Suppression.id
        )
    ):
        cells = blank | {
            "display_name": ERASED_NAME,
            "do_not_contact": True,
            "created_at": created,
            "erased_email_hash": email_hash,
            "erased_phone_hash": phone_hash,
        }
        rows.append([cells[attr] for _h, attr in CUSTOMER_COLUMNS])
    return _csv_text([h for h, _a in CUSTOMER_COLUMNS], rows), count


def quotes_csv(session: Session) -> tuple[str, int]:
    """Every quote and lead not in the trash as CSV text, with its customer's name."""
    cols = [
        Customer.display_name.label("customer_name")
        if attr == "customer_name"
        else getattr(Quote, attr)
        for _h, attr in QUOTE_COLUMNS
    ]
    rows = session.execute(
        select(*cols)
        .join(Customer, Customer.id == Quote.customer_id)
        .where(Quote.deleted_at.is_(None))
        .order_by(Quote.id)
    ).all()
    return _csv_text([h for h, _a in QUOTE_COLUMNS], rows), len(rows)


@dataclass(frozen=True)
class CsvExport:
    customers_path: Path
    quotes_path: Path
    customers: int
    quotes: int


def export_csv(session: Session, folder: Path) -> CsvExport:
    """Write customers.csv and quotes.csv into `folder` (created if needed).

    Refuses to replace files already there, so an earlier export is never overwritten.
    """
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise DeckfollowError(f"{folder} is a file; give a folder for the two CSV files")
    targets = (folder / CUSTOMERS_FILE, folder / QUOTES_FILE)
    taken = [t.name for t in targets if t.exists()]
    if taken:
        raise DeckfollowError(
            f"{folder} already holds {' and '.join(taken)}; choose another folder"
        )
    customers, n_customers = customers_csv(session)
    quotes, n_quotes = quotes_csv(session)
    make_private_folder(folder)  # it holds customer data: owner only, like the files
    write_private(targets[0], customers.encode("utf-8-sig"))
    try:
        write_private(targets[1], quotes.encode("utf-8-sig"))
    except DeckfollowError:
        remove_quietly(targets[0])  # half an export is not an export
        raise
    return CsvExport(targets[0], targets[1], n_customers, n_quotes)


def write_problem_list(path: Path, problems: Iterable[tuple[int, str, str]]) -> Path:
    """The rows an import left out or shortened, as a CSV to work through in a spreadsheet.

    `problems` holds (spreadsheet row, name, message); the file is owner-only like every
    file that names customers.
    """
    text = _csv_text(["Row", "Name", "Problem"], problems)
    return write_private(path, text.encode("utf-8-sig"))
