"""Reading a CSV file someone exported from another program, whatever state it is in.

Bytes are decoded as UTF-8 (with or without a BOM), UTF-16 when it starts with a UTF-16
BOM, else Windows-1252 (what Excel on Windows writes; latin-1 would turn its curly quotes
and euro signs into control characters). The delimiter is sniffed from the header line.

Rows are numbered as a spreadsheet shows them: the header is row 1 and a quoted field
spanning several lines is still one row. Nothing here raises on bad data except a file
that has no usable header at all (`ValidationError`).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from deckfollow.core.errors import ValidationError
from deckfollow.cycle_pause import without_cycle_collection

DELIMITERS = (",", ";", "\t", "|")

# A record of a legitimate multi-line field rarely spans more lines than this; a stray
# opening quote otherwise swallows the rest of the file into one cell.
_MAX_RECORD_LINES = 200
_MAX_HEADER_CELL = 200
_SEP_LINE = re.compile(r'"?sep=([,;\t|])"?[ \t]*(?:\r\n|\r|\n)', re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its spreadsheet row number and its cells (padded to the header)."""

    number: int
    cells: tuple[str, ...]
    # What went wrong reading this row (stray quote, too many cells ...): shown as problems.
    notes: tuple[str, ...] = ()

    @property
    def is_blank(self) -> bool:
        return not "".join(self.cells).strip()


@dataclass(frozen=True)
class CsvTable:
    """A decoded file: how it was read, its header and its data rows."""

    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    encoding: str
    delimiter: str
    notes: tuple[str, ...] = ()

    @property
    def encoding_label(self) -> str:
        return {
            "utf-8-sig": "UTF-8 (with BOM)",
            "utf-8": "UTF-8",
            "utf-16": "UTF-16",
            "cp1252": "Windows-1252",
        }.get(self.encoding, self.encoding)

    @property
    def delimiter_label(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}[self.delimiter]


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was read with."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # errors="replace": five byte values are undefined in cp1252; never fail on them.
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most (comma when nothing else is seen)."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 0 else ","


def _split_plain(line: str, delimiter: str) -> list[str]:
    """A line split without quote handling (the fallback for a row with a stray quote)."""
    return [c.strip().strip('"') for c in line.rstrip("\r\n").split(delimiter)]


def _unterminated(lines: list[str], delimiter: str) -> bool:
    """True if these lines end inside a quoted field (a quote was opened and never closed)."""
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return True
    return False


def _records(text: str, delimiter: str) -> Iterator[tuple[list[str], list[str]]]:
    """Each record and what went wrong reading it; blank lines give an empty record."""
    lines = io.StringIO(text, newline="").readlines()
    expected: int | None = None
    pos = 0
    while pos < len(lines):
        # One reader for as long as the records read cleanly; a damaged one is read on its
        # own and a new reader starts on the line after it.
        base = pos
        reader = csv.reader(
            itertools.islice(lines, base, None), delimiter=delimiter, quotechar='"', strict=False
        )
        while pos < len(lines):
            start = pos
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error:
                # Typically a field over the csv module's size limit: read the line plainly.
                pos = start + 1
                yield _split_plain(lines[start], delimiter), ["could not be read as CSV"]
                break
            pos = base + reader.line_num
            span = pos - start
            if expected is None:
                expected = len(record)
                yield record, []
                continue
            # A quote opened and never closed runs to the end of the file: it is a stray
            # quote even when the swallowed lines happen to leave the right number of cells.
            at_end = pos >= len(lines) and _unterminated(lines[start:], delimiter)
            if at_end or (span > 1 and (len(record) != expected or span > _MAX_RECORD_LINES)):
                plain = _split_plain(lines[start], delimiter)
                if len(plain) == expected or span > _MAX_RECORD_LINES or at_end:
                    # A stray quote swallowed the following lines: take this line on its own.
                    pos = start + 1
                    yield plain, ['has an unmatched quote ("); read without it']
                    break
            yield record, []


@without_cycle_collection
def read_csv(data: bytes) -> CsvTable:
    """Decode and parse a CSV export; raises ValidationError only if there is no header.

    Damaged rows under a good header (binary junk, stray quotes, ragged rows) are kept,
    each with a note saying what was wrong, so the importer can report them by row.
    """
    text, encoding = decode(data)
    notes: list[str] = []
    if encoding == "cp1252":
        notes.append("The file is not UTF-8; it was read as Windows-1252.")
    sample = text[:4096].replace("\x00", "")
    looks_binary = bool(sample) and len(_CONTROL.findall(sample)) > len(sample) * 0.05
    if "\x00" in text:
        text = text.replace("\x00", "")
        notes.append("NUL characters in the file were removed.")
    declared = _SEP_LINE.match(text)
    if declared:
        # Excel's "sep=;" hint line: it names the delimiter and Excel does not show it as a row.
        delimiter = declared[1]
        text = text[declared.end() :]
    else:
        first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
        delimiter = sniff_delimiter(first_line)
    records = _records(text, delimiter)
    header: list[str] | None = None
    rows: list[CsvRow] = []
    number = 0
    for record, problems in records:
        number += 1
        if header is None:
            if not any(c.strip() for c in record):
                continue  # blank lines before the header are not the header
            header = [_clean_header(c) for c in record]
            if looks_binary and not _clear_header(header):
                raise ValidationError(
                    "file",
                    "this is not a text (CSV) file; export the contacts as CSV and try again",
                )
            if not _usable_header(header):
                raise ValidationError(
                    "file",
                    "the first line is not a row of column names; "
                    "save the contacts from your program as CSV with a header row",
                )
            continue
        if len(record) == len(header):  # nearly every row
            rows.append(CsvRow(number, tuple(record), tuple(problems)))
            continue
        cells = list(record)
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            problems = [*problems, f"has {len(cells)} cells but the header has {len(header)}"]
        cells = cells[: len(header)] + [""] * (len(header) - len(cells))
        rows.append(CsvRow(number, tuple(cells), tuple(problems)))
    if header is None:
        raise ValidationError("file", "the file is empty")
    return CsvTable(tuple(header), tuple(rows), encoding, delimiter, tuple(notes))


def _clean_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split())


def _clear_header(header: list[str]) -> bool:
    """Several printable column names: a CSV file, even if some rows below are damaged."""
    named = [h for h in header if h]
    return len(named) >= 2 and all(
        len(h) <= _MAX_HEADER_CELL and not _CONTROL.search(h) and any(c.isalpha() for c in h)
        for h in named
    )


def _usable_header(header: list[str]) -> bool:
    named = [h for h in header if h]
    if not named:
        return False
    good = [h for h in named if len(h) <= _MAX_HEADER_CELL and not _CONTROL.search(h)]
    # Binary junk decodes to cells full of control and replacement characters.
    return len(good) * 2 >= len(named) and any(any(ch.isalpha() for ch in h) for h in good)
