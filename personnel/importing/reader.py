"""Read an uploaded CSV or xlsx into header-keyed rows, with the spreadsheet's own row numbers."""

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.errors import DomainError
from personnel.importing.template import BY_HEADER, COLUMNS


@dataclass
class Sheet:
    keys: list[str | None]  # template key for each column of the file (None: a column we ignore)
    rows: Iterator[tuple[int, list]]  # (spreadsheet row number, values)


def _header_keys(header: list) -> list[str | None]:
    keys = []
    for cell in header:
        col = BY_HEADER.get(str(cell or "").strip().lower())
        keys.append(col.key if col else None)
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise DomainError(
            _("Kolom wajib tidak ditemukan di baris judul: %(cols)s. Gunakan templat yang disediakan.")
            % {"cols": ", ".join(missing)}
        )
    dupes = {k for k in keys if k and keys.count(k) > 1}
    if dupes:
        raise DomainError(_("Ada kolom yang muncul dua kali di baris judul."))
    return keys


def _csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise DomainError(_("Berkas kosong."))
    keys = _header_keys(header)
    return Sheet(keys, ((n, row) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)))


def _xlsx(data: bytes) -> Sheet:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DomainError(_("Berkas xlsx tidak dapat dibaca: pastikan berkas tidak rusak.")) from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if not header:
        raise DomainError(_("Berkas kosong."))
    keys = _header_keys(list(header))

    def rows():
        for n, row in enumerate(it, start=2):
            values = ["" if v is None else v for v in row]
            if any(str(v).strip() for v in values):
                yield n, values
        wb.close()

    return Sheet(keys, rows())


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Open the file by its content (xlsx is a zip), refusing anything else with a clear message."""
    if data[:2] == b"PK":
        return _xlsx(data)
    if filename.lower().endswith((".xlsx", ".xls")):
        raise DomainError(_("Berkas bukan xlsx yang sah."))
    if b"\x00" in data[:4096]:
        raise DomainError(_("Format berkas tidak dikenali: unggah xlsx atau CSV dari templat."))
    return _csv(data)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
