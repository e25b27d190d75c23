"""What `/healthz` checks: the database answers, every migration is applied, the worker is alive.

Each check returns (ok, detail). `/healthz` answers 200 when all pass and 503 naming the failed ones.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from . import worker

_migrations_applied = False  # once applied, they stay applied for the life of the process


def check_database() -> tuple[bool, str]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer is the finding
        return False, f"{type(exc).__name__}: {exc}"[:300]
    return True, "reachable"


def check_migrations() -> tuple[bool, str]:
    global _migrations_applied
    if _migrations_applied:
        return True, "applied"
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"[:300]
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        return False, f"{len(plan)} not applied ({names}{', …' if len(plan) > 5 else ''})"
    _migrations_applied = True
    return True, "applied"


def check_worker() -> tuple[bool, str]:
    status = worker.worker_status()
    if not status["expected"]:
        return True, "no worker expected"
    if status["fresh"]:
        return True, f"heartbeat {status['age_seconds']} s ago"
    if status["age_seconds"] is None:
        return False, "no heartbeat from the background worker"
    return False, f"last heartbeat {status['age_seconds']} s ago (more than {worker.heartbeat_max_age():g} s)"


CHECKS = {"database": check_database, "migrations": check_migrations, "worker": check_worker}


def run_checks() -> dict:
    """{"status": "ok"|"fail", "checks": {name: {"ok": bool, "detail": str}}, "failed": [names]}."""
    results = {}
    for name, check in CHECKS.items():
        if name != "database" and not results["database"]["ok"]:
            results[name] = {"ok": False, "detail": "not checked: the database does not answer"}
            continue
        ok, detail = check()
        results[name] = {"ok": ok, "detail": detail}
    failed = [name for name, result in results.items() if not result["ok"]]
    return {"status": "fail" if failed else "ok", "checks": results, "failed": failed}
