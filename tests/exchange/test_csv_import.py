"""Importing contacts from real-looking Google, Outlook and spreadsheet CSV exports."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from deckfollow.core.consent import revoke_consent
from deckfollow.core.consent_ledger import ledger
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.do_not_contact import is_blocked
from deckfollow.core.errors import ValidationError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, Suppression
from deckfollow.exchange.csv_import import RowAction, plan_import
from deckfollow.exchange.csv_sniff import read_csv
from deckfollow.exchange.import_mapping import (
    ColumnMapping,
    Field,
    Format,
    parse_mapping_options,
    suggest_mapping,
)
from deckfollow.storage.database import Database

from .import_helpers import DATA, csv_bytes, customers, import_bytes, set_owner


@pytest.fixture
def au_db(db: Database) -> Database:
    set_owner(db)
    return db


def test_google_contacts_export_imports_without_mapping(au_db: Database, now: datetime) -> None:
    plan = import_bytes(au_db, (DATA / "google_contacts.csv").read_bytes(), now)

    assert plan.format is Format.GOOGLE
    assert (plan.imported, plan.duplicates) == (4, 1)
    people = customers(au_db)
    zoe = people["Zoë Müller"]
    assert (zoe.first_name, zoe.last_name) == ("Zoë", "Müller")
    assert zoe.email == "zoe.mueller@example.com"
    assert zoe.phone_cell == "+61412345678"
    assert (zoe.street, zoe.suburb, zoe.region, zoe.postcode) == (
        "12 Banksia St",
        "Newtown",
        "NSW",
        "2042",
    )
    assert zoe.timezone == "Australia/Sydney"
    assert zoe.notes == "Wants a merbau deck,\nquote after Easter"
    jose = people["José Antonio Núñez"]
    assert jose.company == "Núñez Cafés"
    assert jose.phone_office == "+61298765432"
    assert jose.phone_cell == "+61412345679"
    assert jose.birthday == date(1979, 3, 12)
    # Google packs several values into one cell with " ::: "; none is lost.
    assert "Other email: jose.nunez@example.org" in (jose.notes or "")
    assert "Other phone: +61412345680" in (jose.notes or "")
    assert people["Łukasz Wróbel"].country == "PL"
    assert people["Łukasz Wróbel"].timezone == "Europe/Warsaw"
    priya = people["Priya Natarajan"]
    assert priya.email is None
    assert priya.timezone == "Australia/Perth"  # a national mobile; the WA address decides


def test_problems_and_duplicates_carry_spreadsheet_rows(au_db: Database, now: datetime) -> None:
    plan = import_bytes(au_db, (DATA / "google_contacts.csv").read_bytes(), now)

    assert plan.summary_json() == {
        "imported": 4,
        "duplicates": 1,
        "problems": [
            {"row": 5, "message": "has no name; not imported"},
            {"row": 6, "message": "email 'priya@@example' is not a valid address; left out"},
        ],
    }
    dup = next(r for r in plan.rows if r.action is RowAction.DUPLICATE)
    assert (dup.row, dup.duplicate_of) == (7, "row 2")


def test_old_google_csv_with_bom_is_recognised(au_db: Database, now: datetime) -> None:
    data = (DATA / "google_contacts_old.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")

    plan = import_bytes(au_db, data, now)

    assert plan.format is Format.GOOGLE_OLD
    assert plan.imported == 3
    assert [(p.row, p.message) for p in plan.problems] == [
        (3, "phone 'not a number' is not a valid phone number; left out")
    ]
    people = customers(au_db)
    assert people["Renée Dubois"].timezone == "America/New_York"
    assert people["Renée Dubois"].country == "US"
    assert people["Björn Ångström"].phone_home == "+61295550101"
    assert people["Ngaio Pātene"].timezone == "Pacific/Auckland"


def test_outlook_export_prefers_the_home_address(au_db: Database, now: datetime) -> None:
    plan = import_bytes(au_db, (DATA / "outlook_contacts.csv").read_bytes(), now)

    assert plan.format is Format.OUTLOOK
    assert plan.imported == 3
    people = customers(au_db)
    siobhan = people["Siobhán O'Brien"]
    assert (siobhan.phone_cell, siobhan.phone_home) == ("+61412111222", "+61395550147")
    assert siobhan.suburb == "Brunswick"
    assert siobhan.birthday is None  # Outlook writes 0/0/00 for "no birthday"
    tomas = people["Tomás García"]
    assert (tomas.company, tomas.phone_office, tomas.suburb) == (
        "García Builders",
        "+61893214455",
        "Fremantle",
    )
    assert tomas.timezone == "Australia/Perth"
    ana = people["Ana Pérez"]
    assert ana.phone_cell is None
    assert ana.birthday == date(1985, 7, 14)
    assert [(p.row, p.message) for p in plan.problems] == [
        (4, "phone '12' is not a valid phone number; left out")
    ]


def test_windows_1252_semicolon_spreadsheet(au_db: Database, now: datetime) -> None:
    data = (DATA / "spreadsheet_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    table = read_csv(data)
    plan = import_bytes(au_db, data, now)

    assert (table.encoding_label, table.delimiter_label) == ("Windows-1252", "semicolon")
    assert plan.format is Format.CUSTOM
    assert plan.imported == 3
    people = customers(au_db)
    assert set(people) == {"François Lefèvre", "Günther Weiß", "Iñaki Ibáñez"}
    assert people["François Lefèvre"].notes == "Pergola – €2,400 budget"
    assert people["Günther Weiß"].phone_cell == "+61412222444"


def test_existing_customers_are_not_imported_twice(au_db: Database, now: datetime) -> None:
    with au_db.unit_of_work() as s:
        add_lead(s, NewLead(name="Zoe M", email="Zoe.Mueller@Example.com", answered=True), now=now)
        add_lead(
            s,
            NewLead(name="Lukasz W", phone="+48 601-234-567", country="AU", answered=True),
            now=now,
        )
    data = (DATA / "google_contacts.csv").read_bytes()

    first = import_bytes(au_db, data, now)
    again = import_bytes(au_db, data, now)

    assert (first.imported, first.duplicates) == (2, 3)
    dups = {r.name: r.duplicate_of for r in first.rows if r.action is RowAction.DUPLICATE}
    assert dups["Zoë Müller"] == "customer 1 Zoe M"
    assert dups["Łukasz Wróbel"] == "customer 2 Lukasz W"
    assert (again.imported, again.duplicates) == (0, 5)
    with au_db.reading() as s:
        assert s.scalar(select(func.count(Customer.id))) == 4


def test_do_not_contact_people_are_refused(au_db: Database, now: datetime) -> None:
    with au_db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead(name="Zoe M", email="zoe.mueller@example.com", answered=True), now=now
        )
        revoke_consent(
            s, lead.customer_id, None, source="phone call", words="stop calling", now=now
        )
        # An erased person: only hashes of their details are left.
        s.add(
            Suppression(
                phone_hash=suppression_hash("+48601234567"), created_at=now, reason="erased"
            )
        )
    plan = import_bytes(au_db, (DATA / "google_contacts.csv").read_bytes(), now)

    blocked = {r.row: r.problems[-1] for r in plan.rows if r.action is RowAction.BLOCKED}
    assert blocked == {
        2: "Zoe M (customer 1) asked not to be contacted; not imported",
        4: "asked not to be contacted and was erased; not imported",
        # The same address in capitals is the same person.
        7: "Zoe M (customer 1) asked not to be contacted; not imported",
    }
    names = set(customers(au_db))
    assert "Zoë Müller" not in names and "Łukasz Wróbel" not in names


def test_a_do_not_contact_column_is_honoured(au_db: Database, now: datetime) -> None:
    data = csv_bytes(
        ["Name", "Email", "Do not contact"],
        [["Ann Lee", "ann@example.com", "yes"], ["Bo Chen", "bo@example.com", ""]],
    )
    plan = import_bytes(au_db, data, now)

    # Ann is kept, as do-not-contact: the stop travels with her (rule 9).
    assert [r.action for r in plan.rows] == [RowAction.IMPORT, RowAction.IMPORT]
    assert plan.stopped == 1
    saved = customers(au_db)
    assert (saved["Ann Lee"].do_not_contact, saved["Bo Chen"].do_not_contact) == (True, False)
    with au_db.reading() as s:
        assert is_blocked(s, email="ann@example.com", phone=None)
        events = [(e.kind.value, e.source) for e in ledger(s, saved["Ann Lee"].id)]
    assert events == [("do_not_contact", "marked do-not-contact in an imported file")]


def test_a_do_not_contact_row_matching_a_contactable_customer_asks_for_the_stop(
    au_db: Database, now: datetime
) -> None:
    with au_db.unit_of_work() as s:
        add_lead(s, NewLead(name="Ann Lee", email="ann@example.com"), now=now)
    data = csv_bytes(["Name", "Email", "Do not contact"], [["Ann Lee", "ann@example.com", "yes"]])
    plan = import_bytes(au_db, data, now)
    assert [r.action for r in plan.rows] == [RowAction.DUPLICATE]
    assert "record their stop there" in plan.rows[0].problems[0]


def test_preview_saves_nothing(au_db: Database) -> None:
    table = read_csv((DATA / "outlook_contacts.csv").read_bytes())
    with au_db.reading() as s:
        plan = plan_import(s, table)
    assert plan.imported == 3
    assert customers(au_db) == {}


def test_trashed_customer_counts_as_already_there(au_db: Database, now: datetime) -> None:
    with au_db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead(name="Ana P", email="ana.perez@example.com", answered=True), now=now
        )
        customer = s.get(Customer, lead.customer_id)
        assert customer is not None
        customer.deleted_at = now
    plan = import_bytes(au_db, (DATA / "outlook_contacts.csv").read_bytes(), now)
    row = next(r for r in plan.rows if r.name == "Ana Pérez")
    assert row.action is RowAction.DUPLICATE
    assert row.duplicate_of == "customer 1 Ana P (in the trash)"


def test_row_numbers_count_multiline_cells_as_one_row(au_db: Database, now: datetime) -> None:
    data = (
        b"Name,Email,Notes\r\n"
        b'Ann Lee,ann@example.com,"line one\r\nline two\r\nline three"\r\n'
        b"\r\n"
        b"Bo Chen,not-an-email,\r\n"
    )
    plan = import_bytes(au_db, data, now)
    assert [(r.row, r.action) for r in plan.rows] == [
        (2, RowAction.IMPORT),
        (3, RowAction.BLANK),
        (4, RowAction.SKIP),
    ]
    assert [p.row for p in plan.problems] == [4, 4]
    assert customers(au_db)["Ann Lee"].notes == "line one\r\nline two\r\nline three"


def test_a_row_with_a_bad_email_and_no_other_way_is_not_imported(
    au_db: Database, now: datetime
) -> None:
    data = csv_bytes(
        ["Name", "Email", "Phone"],
        [["Ann Lee", "ann@", ""], ["Bo Chen", "bo@", "0412 999 888"], ["Cy Ng", "", ""]],
    )
    plan = import_bytes(au_db, data, now)
    assert [(p.row, p.message) for p in plan.problems] == [
        (2, "email 'ann@' is not a valid address; left out"),
        (2, "has no valid email, phone or address to reach them; not imported"),
        (3, "email 'bo@' is not a valid address; left out"),
        (4, "has no valid email, phone or address to reach them; not imported"),
    ]
    assert customers(au_db)["Bo Chen"].phone_cell == "+61412999888"
    assert set(customers(au_db)) == {"Bo Chen"}


def test_malformed_rows_are_problems_not_crashes(au_db: Database, now: datetime) -> None:
    data = (
        b"Name,Email,Phone\n"
        b"Ann Lee,ann@example.com,0412 000 111,surplus\n"  # ragged: one cell too many
        b"Bo Chen\n"  # ragged: too few
        b'"Cy Ng,cy@example.com,0412 000 222\n'  # stray quote that never closes
        b"Di Fox,di@exa\x00mple.com,\n"  # a NUL byte
        b"Ed Moss,ed@example.com,0412 000 333\n"
    )
    plan = import_bytes(au_db, data, now)
    by_row = {r.row: r for r in plan.rows}
    assert by_row[2].action is RowAction.IMPORT
    assert "has 4 cells but the header has 3" in by_row[2].problems
    assert by_row[3].action is RowAction.SKIP
    assert by_row[4].action is RowAction.IMPORT
    assert 'has an unmatched quote ("); read without it' in by_row[4].problems
    assert by_row[5].action is RowAction.IMPORT
    assert by_row[6].action is RowAction.IMPORT
    people = customers(au_db)
    assert people["Cy Ng"].email == "cy@example.com"
    assert people["Di Fox"].email == "di@example.com"
    assert "NUL characters in the file were removed." in plan.file_notes


def test_a_quote_opened_in_a_last_cell_and_never_closed_keeps_the_rows_after_it(
    au_db: Database, now: datetime
) -> None:
    """Typed by hand into the notes column: the rest of the file must not become one note."""
    data = (
        b"Name,Email,Notes\r\n"
        b'Ann Lee,ann@example.com,"wants a deck\r\n'
        b"Bo Chen,bo@example.com,\r\n"
        b"Cy Ng,cy@example.com,fence\r\n"
    )
    plan = import_bytes(au_db, data, now)
    assert [(r.row, r.action) for r in plan.rows] == [
        (2, RowAction.IMPORT),
        (3, RowAction.IMPORT),
        (4, RowAction.IMPORT),
    ]
    assert plan.problems[0].row == 2 and "unmatched quote" in plan.problems[0].message
    people = customers(au_db)
    assert people["Ann Lee"].notes == "wants a deck"
    assert set(people) >= {"Bo Chen", "Cy Ng"}


def test_huge_field_does_not_stop_the_import(au_db: Database, now: datetime) -> None:
    data = (
        b"Name,Email,Notes\nAnn Lee,ann@example.com,"
        + b"x" * 300_000
        + b"\nBo Chen,bo@example.com,\n"
    )
    plan = import_bytes(au_db, data, now)
    assert plan.imported == 2
    assert any("cut short" in p.message for p in plan.problems)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\r\n\r\n",
        b"\x00\x01\x02\xff\xfe\x80\x81" * 50,
        b",,,\n,,,\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00",
    ],
    ids=["empty", "blank-lines", "binary", "empty-header", "png"],
)
def test_a_file_without_a_header_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(ValidationError) as err:
        read_csv(data)
    assert err.value.field == "file"


def test_unrecognised_columns_need_a_name_mapping(au_db: Database, now: datetime) -> None:
    data = csv_bytes(["Kunde", "Handy"], [["Jürgen Groß", "0412 555 666"]])
    table = read_csv(data)
    with au_db.reading() as s, pytest.raises(ValidationError, match="no column was recognised"):
        plan_import(s, table)

    mapping = parse_mapping_options(
        ["Kunde=name", "2=phone_cell"], table.header, suggest_mapping(table.header)
    )
    plan = import_bytes(au_db, data, now, mapping)
    assert plan.imported == 1
    assert customers(au_db)["Jürgen Groß"].phone_cell == "+61412555666"


def test_a_spreadsheet_with_outlook_like_headings_keeps_its_email_and_address(
    au_db: Database, now: datetime
) -> None:
    header = ["First Name", "Last Name", "Email", "Mobile Phone", "Home Phone", "Address", "Suburb"]
    data = csv_bytes(
        header, [["Jane", "Doe", "jane@example.com", "0412 555 777", "", "1 Main St", "Manly"]]
    )
    plan = import_bytes(au_db, data, now)
    assert plan.format is Format.CUSTOM
    jane = customers(au_db)["Jane Doe"]
    assert (jane.email, jane.phone_cell, jane.street, jane.suburb) == (
        "jane@example.com",
        "+61412555777",
        "1 Main St",
        "Manly",
    )


def test_mapping_is_suggested_from_common_headings() -> None:
    header = ("Customer Name", "Mobile", "Email Address", "Street Address", "Suburb", "Post Code")
    assert suggest_mapping(header) == ColumnMapping(
        {
            0: Field.NAME,
            1: Field.PHONE_CELL,
            2: Field.EMAIL,
            3: Field.STREET,
            4: Field.SUBURB,
            5: Field.POSTCODE,
        }
    )


def test_bad_mapping_options_say_what_is_wrong() -> None:
    header = ("Name", "Phone")
    with pytest.raises(ValidationError, match="'Fax' is not a column"):
        parse_mapping_options(["Fax=phone"], header, ColumnMapping())
    with pytest.raises(ValidationError, match="'telephone' is not a field"):
        parse_mapping_options(["Phone=telephone"], header, ColumnMapping())
    with pytest.raises(ValidationError, match="write COLUMN=FIELD"):
        parse_mapping_options(["Phone"], header, ColumnMapping())


def test_an_exported_formula_guard_is_undone(au_db: Database, now: datetime) -> None:
    data = csv_bytes(
        ["Name", "Phone", "Notes"], [["Ann Lee", "'+61 412 000 999", "'=not a formula"]]
    )
    import_bytes(au_db, data, now)
    ann = customers(au_db)["Ann Lee"]
    assert (ann.phone_cell, ann.notes) == ("+61412000999", "=not a formula")


def test_utf16_tab_separated_unicode_text(au_db: Database, now: datetime) -> None:
    """Excel's "Unicode Text" and Google's old export: UTF-16 with a BOM, tab-separated."""
    text = "Name\tE-mail\tMobile\r\nMałgorzata Żółć\tmz@example.pl\t0412 777 888\r\n"
    plan = import_bytes(au_db, text.encode("utf-16"), now)
    assert plan.imported == 1
    assert customers(au_db)["Małgorzata Żółć"].phone_cell == "+61412777888"


def test_refusals_agree_with_the_core_rule(au_db: Database, now: datetime) -> None:
    """Every row the import would add passes core.consent.is_blocked; every refusal fails it."""
    with au_db.unit_of_work() as s:
        lead = add_lead(
            s, NewLead(name="Zoe M", email="zoe.mueller@example.com", answered=True), now=now
        )
        revoke_consent(s, lead.customer_id, None, source="letter", words=None, now=now)
        s.add(
            Suppression(
                email_hash=suppression_hash("priya@example.com"),
                phone_hash=suppression_hash("+61491570156"),
                created_at=now,
                reason="erased",
            )
        )
    table = read_csv((DATA / "google_contacts.csv").read_bytes())
    with au_db.reading() as s:
        plan = plan_import(s, table)
        for r in plan.rows:
            if r.values is None or r.action is RowAction.DUPLICATE:
                continue
            phones = r.values.phones or (None,)
            core = [is_blocked(s, email=r.values.email, phone=p) for p in phones]
            if r.action is RowAction.IMPORT:
                assert core == [None] * len(core), r
            else:
                assert any(core), r
    assert {r.row for r in plan.rows if r.action is RowAction.BLOCKED} == {2, 6, 7}


def test_excel_quirks(au_db: Database, now: datetime) -> None:
    """Excel's sep= line, old Mac line ends, phones turned into 6.14E+11, "Name <address>"."""
    data = (
        b"sep=;\r"
        b"Name;Email;Mobile\r"
        b"Ann Lee;Ann Lee <ann@example.com>;6.14123E+11\r"
        b"Bo Chen;bo@example.com;412 345 000\r"
    )
    plan = import_bytes(au_db, data, now)
    assert [(r.row, r.action) for r in plan.rows] == [(2, RowAction.IMPORT), (3, RowAction.IMPORT)]
    assert [(p.row, p.message) for p in plan.problems] == [
        (
            2,
            "phone '6.14123E+11' was turned into a number by a spreadsheet and its digits are "
            "lost; format the column as text and export again; left out",
        )
    ]
    people = customers(au_db)
    assert people["Ann Lee"].email == "ann@example.com"
    # A spreadsheet dropped the leading 0; the number is still whole.
    assert people["Bo Chen"].phone_cell == "+61412345000"


def test_binary_junk_under_a_good_header_is_a_row_problem(au_db: Database, now: datetime) -> None:
    junk = bytes(range(1, 256)).replace(b"\n", b"").replace(b"\r", b"")
    data = b"Name,Email\nAnn Lee,ann@example.com\n" + junk * 4 + b"\nBo Chen,bo@example.com\n"
    plan = import_bytes(au_db, data, now)
    assert set(customers(au_db)) == {"Ann Lee", "Bo Chen"}
    assert plan.rows[-1].row == 4
    assert {p.row for p in plan.problems} == {3}


def test_a_short_last_row_with_a_multiline_note_is_kept_whole(
    au_db: Database, now: datetime
) -> None:
    data = b'Name,Email,Phone,Notes\nAnn Lee,ann@example.com,"gate code 4471\nside entrance"\n'
    plan = import_bytes(au_db, data, now)
    assert [(r.row, r.action) for r in plan.rows] == [(2, RowAction.IMPORT)]
    # One record, not a stray quote: the whole note sits in the (short row's) third cell.
    assert [p.message for p in plan.problems] == [
        "phone 'gate code 4471 side entrance' is not a valid phone number; left out"
    ]


def test_an_erased_do_not_contact_person_cannot_be_imported_again(
    au_db: Database, now: datetime
) -> None:
    from deckfollow.core.trash import erase_customer

    data = (DATA / "outlook_contacts.csv").read_bytes()
    import_bytes(au_db, data, now)
    with au_db.unit_of_work() as s:
        cid = s.execute(
            select(Customer.id).where(Customer.display_name == "Siobhán O'Brien")
        ).scalar_one()
        revoke_consent(s, cid, None, source="phone call", words="please stop", now=now)
        erase_customer(s, cid, now=now)

    again = import_bytes(au_db, data, now)

    row = next(r for r in again.rows if r.name == "Siobhán O'Brien")
    assert row.action is RowAction.BLOCKED
    assert row.problems[-1] == "asked not to be contacted and was erased; not imported"
    assert "Siobhán O'Brien" not in customers(au_db)


def test_the_import_refuses_exactly_whom_adding_customers_refuses(
    au_db: Database, now: datetime
) -> None:
    """Rule 9 is read once, by one core reader: someone who said stop and is now in the trash
    is refused by a file and by adding customers alike, each naming them."""
    from deckfollow.core.customer_batch import NewCustomerAt, add_customers
    from deckfollow.core.customers import NewCustomer
    from deckfollow.core.trash import trash_customer

    with au_db.unit_of_work() as s:
        lead = add_lead(s, NewLead(name="Zoe M", phone="0412 345 678", answered=True), now=now)
        revoke_consent(s, lead.customer_id, None, source="phone call", words="stop", now=now)
        trash_customer(s, lead.customer_id, now=now)
    data = csv_bytes(
        ["Name", "Mobile Phone", "Email"],
        [["Zoë Müller", "+61 412 345 678", ""], ["Ann Lee", "0412 999 111", "ann@example.com"]],
    )
    plan = import_bytes(au_db, data, now)
    assert [(r.name, r.action) for r in plan.rows] == [
        ("Zoë Müller", RowAction.BLOCKED),
        ("Ann Lee", RowAction.IMPORT),
    ]
    assert plan.rows[0].problems[-1] == "Zoe M (customer 1) asked not to be contacted; not imported"
    refused = r"Zoe M \(customer 1\) asked not to be contacted"
    with pytest.raises(ValidationError, match=refused), au_db.unit_of_work() as s:
        add_customers(s, [NewCustomerAt(NewCustomer("Zoë Müller", phone="0412345678"), now)])


_STATES = ["Name", "Mobile Phone", "Region", "Country"]


def _states_file() -> bytes:
    return csv_bytes(
        _STATES,
        [
            ["Ann Lee", "0412 111 001", "new south wales", "Australia"],
            ["Bo Chen", "0412 111 002", "VIC", "Australia"],
            ["Cy Diaz", "0412 111 003", "QLD", ""],
            ["Di Ekt", "0412 111 004", "", "Australia"],
            ["Ed Fox", "0412 111 005", "", ""],
            ["Tex Ranger", "0412 111 006", "Texas", "Australia"],
            ["Fi Gee", "+1 512 555 0107", "Texas", "USA"],
        ],
    )


def test_a_state_that_is_not_of_the_rows_country_is_reported_and_the_rest_imports(
    au_db: Database, now: datetime
) -> None:
    plan = import_bytes(au_db, _states_file(), now)

    assert [(p.row, p.message) for p in plan.problems] == [
        (
            7,
            "state or region 'Texas' is not a state of Australia; use one of ACT, NSW, NT, "
            "QLD, SA, TAS, VIC, WA; not imported",
        )
    ]
    assert plan.imported == 6
    people = customers(au_db)
    assert "Tex Ranger" not in people
    # Stored as adding them by hand stores them: each state as its code.
    assert {n: (c.country, c.region) for n, c in people.items()} == {
        "Ann Lee": ("AU", "NSW"),
        "Bo Chen": ("AU", "VIC"),
        "Cy Diaz": ("AU", "QLD"),
        "Di Ekt": ("AU", None),
        "Ed Fox": ("AU", None),
        "Fi Gee": ("US", "TX"),
    }
