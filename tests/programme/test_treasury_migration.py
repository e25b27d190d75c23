"""The treasury migration on a database of projects paid the old way: totals kept, the missing final payment
carried over, in bulk (one UPDATE for every project, not one per project)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.programme.factories import ProjectFactory

BEFORE = [("programme", "0007_private_documents")]
AFTER = [("programme", "0008_treasury_money")]


@pytest.mark.django_db(transaction=True)
def test_settled_projects_get_their_final_payment_and_every_project_its_paid_total():
    from khuyencong.geo.services import load_places

    load_places()
    # made with today's models before going back (they write columns added later)
    unpaid, partly, running, untouched = (
        ProjectFactory(status="in_progress", support_approved=100_000_000) for _ in range(4)
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        OldProject = old.get_model("programme", "Project")
        OldPayment = old.get_model("programme", "Disbursement")
        OldProject.objects.filter(pk__in=[unpaid.pk, partly.pk]).update(
            status="settled", support_settled=90_000_000
        )
        OldPayment.objects.create(project_id=partly.pk, amount=60_000_000, paid_on="2026-03-01")
        OldPayment.objects.create(project_id=running.pk, amount=30_000_000, paid_on="2026-03-01")
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = MigrationExecutor(connection).loader.project_state(AFTER).apps
        Project = new.get_model("programme", "Project")
        Payment = new.get_model("programme", "Disbursement")
        paid = dict(Project.objects.values_list("pk", "support_paid"))
        assert paid[unpaid.pk] == paid[partly.pk] == 90_000_000
        assert paid[running.pk] == 30_000_000 and paid[untouched.pk] == 0
        carried = dict(Payment.objects.filter(source="carried").values_list("project_id", "amount"))
        assert carried == {unpaid.pk: 90_000_000, partly.pk: 30_000_000}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
