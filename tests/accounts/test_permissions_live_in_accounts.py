"""Every permission is decided in `khuyencong/accounts/`: no other module or template looks at roles."""

import re
from pathlib import Path

import pytest

from khuyencong.accounts.models import Role

ROOT = Path(__file__).resolve().parents[2] / "khuyencong"
ROLE_VALUES = "|".join(re.escape(value) for value in Role.values)
STAFF_VALUES = "|".join(re.escape(value) for value in Role.values if value != Role.ESTABLISHMENT)

# A user role compared, filtered on or read: `user.role == ...`, `role in ("judge", ...)`, `role__in=[...]`,
# `.exclude(role="viewer")`, `Role.X` in a comparison, `{% if user.role ... %}` in a template.
CHECKS = [
    re.compile(r"role\s*(==|!=|in|not in)\s*[(\"'\[]"),  # the before-stop hook's pattern
    re.compile(r"\buser\.role\b"),
    re.compile(r"\brole(__in)?\s*=\s*[\[(]?\s*[\"'](" + ROLE_VALUES + r")[\"']"),
    re.compile(r"(==|!=|\bin|\bnot in)\s*[\[({]?\s*Role\.[A-Z_]+"),
    re.compile(r"Role\.[A-Z_]+\s*(==|!=|\bin\b)"),
    # "establishment" is also a field's name: only the other roles' values are suspect on their own
    re.compile(r"[\"'](" + STAFF_VALUES + r")[\"']\s*(==|!=|\bin\b)"),
    re.compile(r"(==|!=)\s*[\"'](" + STAFF_VALUES + r")[\"']"),
]


def offending_lines(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.html")]):
        rel = path.relative_to(root)
        if rel.parts[0] == "accounts" or "migrations" in rel.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(check.search(line) for check in CHECKS):
                found.append(f"khuyencong/{rel}:{number}: {line.strip()}")
    return found


def test_no_module_outside_accounts_compares_roles():
    offending = offending_lines()
    assert not offending, (
        "Role checks outside khuyencong/accounts/ (ask a predicate of accounts.permissions instead):\n"
        + "\n".join(offending)
    )


@pytest.mark.parametrize(
    "line",
    [
        'if user.role == "establishment":',
        "if request.user.role in ('judge',):",
        '{% if user.role != "establishment" %}',
        'qs = User.objects.filter(role__in=["judge", "province_officer"])',
        'users.exclude(role="viewer")',
        "if user.role == Role.JUDGE:",
        "return Role.VIEWER == user.role",
        'if "judge" in roles:',
        "if kind != 'viewer':",
    ],
)
def test_the_guard_catches_each_way_of_writing_a_role_check(tmp_path, line):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "views.py").write_text(f"{line}\n", encoding="utf-8")
    assert offending_lines(tmp_path) == [f"khuyencong/registry/views.py:1: {line}"]


def test_the_guard_leaves_accounts_and_plain_words_alone(tmp_path):
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "permissions.py").write_text('return user.role == "judge"\n', encoding="utf-8")
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "page.html").write_text('<div role="alert">{{ p.role }}</div>\n', encoding="utf-8")
    assert offending_lines(tmp_path) == []
