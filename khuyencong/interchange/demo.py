"""Demo: Cà Mau's 2016–2023 history imported from the four interchange files (repeatable: a second run changes nothing)."""  # noqa: E501

from .history import DEFAULT_DIR
from .services import import_file

FILES = ["establishments", "products", "projects", "results"]


def load(ctx) -> None:
    actor = (ctx.get("users") or {}).get("admin")
    say = ctx.get("say") or (lambda msg: None)
    for kind in FILES:
        report = import_file(user=actor, kind=kind, path=str(DEFAULT_DIR / f"{kind}.csv"))
        if report.errors:
            raise RuntimeError(f"demo history {kind}: " + "; ".join(str(e) for e in report.errors[:5]))
        say(
            f"history {kind}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )
