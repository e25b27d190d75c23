"""Bulk writes record the same audit entries as auditlog's own diff (the fast path for new records included)."""

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry

from khuyencong.core.audit import _CreationDiff, bulk_log
from khuyencong.programme.models import Project
from tests.factories import EstablishmentFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_new_records_get_exactly_auditlogs_diff():
    est = EstablishmentFactory(name="Hợp tác xã Khô mực", email="htx@example.vn", workers=12, founded=2001)
    product = ProductFactory(establishment=est, description="Khô mực câu")
    for obj in (est, product):
        expected = model_instance_diff(None, obj)
        assert expected and _CreationDiff(obj).diff(obj) == expected
    project = Project.objects.first()
    if project is not None:
        assert _CreationDiff(project).diff(project) == model_instance_diff(None, project)


def test_bulk_log_writes_one_entry_per_new_or_changed_record(officer):
    a, b = EstablishmentFactory(name="Cơ sở A"), EstablishmentFactory(name="Cơ sở B")
    LogEntry.objects.all().delete()
    before = EstablishmentFactory.build(pk=b.pk, code=b.code, name="Cơ sở B cũ", tax_code=b.tax_code)
    assert bulk_log([(None, a), (before, b), (b, b)], actor=officer, additional_data={"import": "x"}) == 2
    entries = {e.object_id: e for e in LogEntry.objects.all()}
    assert entries[a.pk].action == LogEntry.Action.CREATE and entries[a.pk].changes_dict["name"] == [
        "None",
        "Cơ sở A",
    ]
    assert entries[b.pk].action == LogEntry.Action.UPDATE
    assert entries[b.pk].changes_dict["name"] == ["Cơ sở B cũ", "Cơ sở B"]
    assert entries[a.pk].actor == officer and entries[a.pk].additional_data == {"import": "x"}


def test_bulk_log_entries_read_as_those_bulk_create_would_write(officer):
    """Every field of an entry written by bulk_log is what a LogEntry saved by Django holds (on SQLite they go by
    one executemany of prepared values, without a LogEntry each)."""
    a = EstablishmentFactory(name="Cơ sở A", email="a@example.vn")
    LogEntry.objects.all().delete()
    assert bulk_log([(None, a)], actor=officer, additional_data={"import": {"file": "f.csv"}}) == 1
    entry = LogEntry.objects.get()
    assert LogEntry.objects.get_for_object(a).get() == entry
    assert (entry.object_pk, entry.object_id, entry.object_repr) == (str(a.pk), a.pk, "Cơ sở A")
    assert entry.action == LogEntry.Action.CREATE and entry.changes_dict == {
        k: list(v) for k, v in model_instance_diff(None, a).items()
    }
    assert entry.actor == officer and entry.actor_email == officer.email
    assert entry.additional_data == {"import": {"file": "f.csv"}} and entry.timestamp is not None
    assert entry.serialized_data is None and entry.remote_addr is None
