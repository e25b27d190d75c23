"""Importing the spec's files: validate the whole file first, then write it all in one transaction, or nothing.

`import_file` is what the CLI, the web pages and the tests call. The file is read twice, streaming
(validation pass, then write pass), so memory stays flat however long the file is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import scoping

from . import cells
from .columns import SPECS, match_header
from .importers import HANDLERS, Places, changed_fields
from .readers import FileError, open_sheet

CHUNK = 500
SAMPLES = 10


def row_label(row: dict) -> str:
    """How the preview names a row: its code, or for a result its product code and round."""
    from .cells import text

    return text(row.get("code")) or f"{text(row.get('product'))} · {text(row.get('round'))} · {text(row.get('level'))}"


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(why)s") % {"row": self.row, "column": self.column, "why": self.message}


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    rounds_created: int = 0
    # a few of the rows the import would create or change (row number, key, changed fields), for the preview
    samples: dict = field(default_factory=lambda: {"create": [], "update": []})

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_rows(self) -> dict[int, list[RowError]]:
        rows: dict[int, list[RowError]] = {}
        for error in self.errors:
            rows.setdefault(error.row, []).append(error)
        return rows

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "dry_run": self.dry_run, "rows": self.rows, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "written": self.written,
            "rounds_created": self.rounds_created, "samples": self.samples,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "warnings": self.warnings,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        errors = [RowError(**e) for e in data.pop("errors", [])]
        return cls(errors=errors, **data)


def may_import(user) -> bool:
    """Officers of a province and administrators import; the CLI runs as an administrator (or no one)."""
    return user is None or scoping.is_officer(user)


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_file(
    *,
    user,
    kind: str,
    path: str,
    name: str | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ImportReport:
    """Import one file of `kind` (establishments, products, projects, results) from `path`.

    Every row is checked before anything is written; any error leaves the database untouched.
    `progress(phase, rows_done, total)` is called as rows go by ("validate", then "write").
    """
    if kind not in SPECS:
        raise ValueError(kind)
    if not may_import(user):
        raise PermissionDenied(_("Only province officers and administrators import records."))
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        sheet = open_sheet(path, name)
    except FileError as exc:
        report.errors.append(RowError(1, "—", str(exc)))
        return report
    header = match_header(sheet.header, kind)
    if header.unknown:
        report.warnings.append(
            _("Columns not used (unknown): %(names)s.") % {"names": ", ".join(f"“{n}”" for n in header.unknown)}
        )
    for column in header.missing:
        report.errors.append(RowError(1, f"{column.key} ({column.label})", _("required column is missing")))
    for name_ in header.duplicates:
        report.errors.append(RowError(1, name_, _("the column appears twice")))
    if report.errors:
        return report

    places = Places()
    handler = HANDLERS[kind](user, places)
    total = sheet.total

    labels = {}

    def rows_of_chunk(chunk):
        parsed = []
        labels.clear()
        for number, values in chunk:
            row = {key: (values[i] if i < len(values) else None) for key, i in header.index.items()}
            row, refused = cells.clean_row(row)
            labels[number] = row_label(row)
            if refused:  # the row is reported on the refused cells alone; nothing of it is parsed
                parsed.append((number, None, {}, refused))
                continue
            key, data, errors = handler.parse(row)
            parsed.append((number, key, data, errors))
        handler.prepare_chunk([(key, data, errors) for _n, key, data, errors in parsed])
        return parsed

    # Pass 1: validate everything and count what would change.
    done = 0
    try:
        with transaction.atomic():  # a read-only pass; the atomic block keeps SQLite reads fast
            for chunk in _chunks(sheet.rows(), CHUNK):
                parsed = rows_of_chunk(chunk)
                good = [(n, k, d) for n, k, d, errs in parsed if not errs]
                existing = handler.existing([k for _n, k, _d in good])
                for number, _key, _data, errors in parsed:
                    for column, message in errors:
                        report.errors.append(RowError(number, header.names.get(column, column), message))
                for number, key, data in good:
                    obj = existing.get(key)
                    if obj is not None and not handler.may_edit_record(obj):
                        report.errors.append(RowError(number, header.names.get("code", "code"),
                                                      _("you may not import records of this place")))
                    elif obj is None:
                        report.created += 1
                        if len(report.samples["create"]) < SAMPLES:
                            report.samples["create"].append({"row": number, "key": labels[number], "fields": []})
                    elif changed := changed_fields(obj, data):
                        report.updated += 1
                        if len(report.samples["update"]) < SAMPLES:
                            report.samples["update"].append({"row": number, "key": labels[number], "fields": changed})
                    else:
                        report.unchanged += 1
                done += len(chunk)
                report.rows = done
                if progress:
                    progress("validate", done, total)
    except FileError as exc:  # unreadable from some row on: say where, and stop there
        report.errors.append(RowError(exc.row or 1, exc.column or "—", str(exc)))

    if report.errors or dry_run:
        return report

    # Pass 2: write, all or nothing.
    handler.seen_keys.clear()
    if hasattr(handler, "tax_seen"):
        handler.tax_seen.clear()
    done = 0
    try:
        with transaction.atomic(), set_actor(user):
            for chunk in _chunks(sheet.rows(), CHUNK):
                parsed = rows_of_chunk(chunk)
                bad = [(n, errs) for n, _k, _d, errs in parsed if errs]
                if bad:  # the file changed between the passes: give up whole
                    transaction.set_rollback(True)
                    for number, errors in bad:
                        for column, message in errors:
                            report.errors.append(RowError(number, header.names.get(column, column), message))
                    return report
                existing = handler.existing([k for _n, k, _d, _e in parsed])
                for number, key, data, _e in parsed:
                    obj = existing.get(key)
                    if obj is not None and not handler.may_edit_record(obj):  # moved between the passes: give up whole
                        transaction.set_rollback(True)
                        report.errors.append(RowError(number, header.names.get("code", "code"),
                                                      _("you may not import records of this place")))
                        return report
                    if obj is None:
                        handler.save(handler.new(key, data), data, True)
                    elif changed_fields(obj, data):
                        for attr, value in data.items():
                            setattr(obj, attr, value)
                        handler.save(obj, data, False)
                done += len(chunk)
                if progress:
                    progress("write", done, total)
    except FileError as exc:  # the file changed between the passes: nothing was written
        report.errors.append(RowError(exc.row or 1, exc.column or "—", str(exc)))
        return report
    report.written = True
    report.rounds_created = getattr(handler, "rounds_created", 0)
    return report
