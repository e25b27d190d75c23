"""Where the guide's screenshots live: `help/static/help/shots/<language>/<role>-<task>.png`, written by
`khuyencong guide` and committed, served as static files and embedded in the PDF from the same folder."""

from __future__ import annotations

from pathlib import Path

from django.templatetags.static import static

from .guide import RoleGuide, Task, screenshot_name

SHOTS_DIR = Path(__file__).resolve().parent / "static" / "help" / "shots"
LANGUAGES = ("vi", "en")


def screenshot_file(role: RoleGuide, task: Task, language: str) -> Path | None:
    """The file of the task's screenshot in `language` (the Vietnamese one when that language has none)."""
    if not task.screen:
        return None
    for lang in (language, "vi"):
        path = SHOTS_DIR / lang / screenshot_name(role, task)
        if path.exists():
            return path
    return None


def screenshot_url(role: RoleGuide, task: Task, language: str) -> str | None:
    path = screenshot_file(role, task, language)
    return static(f"help/shots/{path.parent.name}/{path.name}") if path else None
