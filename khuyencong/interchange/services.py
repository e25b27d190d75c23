"""Importing the spec's files: validate the whole file first, then write it all in one transaction, or nothing.

`import_file` is what the CLI, the web pages, the benchmarks and the tests call. The file is read twice,
streaming (validation pass, then write pass), so memory stays flat however long the file is. Every row
is checked by the domain's rules in both passes (`Handler.build` + `Handler.check`); the write pass
writes each chunk of rows at once (`Handler.write`: bulk INSERT/UPDATE, then the audit entries of the
chunk, one per record as a form would leave, in one INSERT).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import scoping
from khuyencong.core.audit import bulk_log

from .columns import SPECS, match_header
from .importers import HANDLERS, Places
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
    file_name = name or Path(path).name
    handler.file_name = file_name
    handler.audit_data = {"import": {"kind": kind, "file": file_name}}
    total = sheet.total

    labels = {}

    def rows_of_chunk(chunk):
        parsed = []
        labels.clear()
        for number, values in chunk:
            row = {key: (values[i] if i < len(values) else None) for key, i in header.index.items()}
            labels[number] = row_label(row)
            key, data, errors = handler.parse(row)
            parsed.append((number, key, data, errors))
        handler.prepare_chunk([(key, data, errors) for _n, key, data, errors in parsed])
        return parsed

    # Pass 1: validate everything and count what would change.
    done = 0
    with transaction.atomic():  # a read-only pass; the atomic block keeps SQLite reads fast
        handler.start_pass()
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
                    continue
                record, _before, changed = handler.build(key, data, obj)
                if obj is not None and not changed:
                    report.unchanged += 1
                    continue
                rule_errors = handler.check(record, data)
                for column, message in rule_errors:
                    report.errors.append(RowError(number, header.names.get(column, column), message))
                if rule_errors:
                    continue
                if obj is None:
                    report.created += 1
                    if len(report.samples["create"]) < SAMPLES:
                        report.samples["create"].append({"row": number, "key": labels[number], "fields": []})
                else:
                    report.updated += 1
                    if len(report.samples["update"]) < SAMPLES:
                        report.samples["update"].append({"row": number, "key": labels[number], "fields": changed})
            done += len(chunk)
            report.rows = done
            if progress:
                progress("validate", done, total)
    if report.errors or dry_run:
        return report

    # Pass 2: write, all or nothing.
    done = 0

    def log(pairs):
        bulk_log(pairs, actor=user, additional_data=handler.audit_data)

    with transaction.atomic(), set_actor(user):
        handler.start_pass()
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
            created, updated = [], []
            for number, key, data, _e in parsed:
                obj = existing.get(key)
                refusal = None
                if obj is not None and not handler.may_edit_record(obj):  # moved between the passes: give up whole
                    refusal = [("code", _("you may not import records of this place"))]
                else:
                    record, before, changed = handler.build(key, data, obj, writing=True)
                    if obj is not None and not changed:
                        continue
                    refusal = handler.check(record, data)
                if refusal:  # the database changed between the passes: give up whole
                    transaction.set_rollback(True)
                    for column, message in refusal:
                        report.errors.append(RowError(number, header.names.get(column, column), message))
                    return report
                if obj is None:
                    created.append(record)
                else:
                    updated.append((record, before, changed))
            handler.write(created, updated, log=log)
            done += len(chunk)
            if progress:
                progress("write", done, total)
    report.written = True
    report.rounds_created = getattr(handler, "rounds_created", 0)
    return report
