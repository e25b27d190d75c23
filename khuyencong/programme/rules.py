"""Which rules hold for a project: by its approval date and by the authority over its money.

National funds are held to the national documents (Circular 28/2018/TT-BTC as amended by
64/2024/TT-BTC); a province's local funds to its People's Council resolution in force on the day,
and, for an activity the resolution does not cap, to the national circular. An activity added by a
decree (digital transformation, sustainable production: Decree 235/2025/NĐ-CP) exists only from its
date.

`RuleBook` holds every rule in memory, so one import of thousands of rows asks the database once;
the forms' services and the importer both call `programme.services.project_errors`, which uses it.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.money import format_vnd

from .models import Activity, ActivityPeriod, CeilingRule, Programme, Regulation


def rule_date(project) -> datetime.date:
    """The day whose rules hold for the project: its approval decision's date; before approval the
    day of the check, but not after the end of its plan year (a 2024 project is a 2024 project)."""
    if project.decision_date:
        return project.decision_date
    today = timezone.localdate()
    if project.year:
        return min(today, datetime.date(int(project.year), 12, 31))
    return today


@dataclass
class RuleUsed:
    """The rules a project was held to: the ceiling line (if its activity has one) and its document."""

    rule: CeilingRule | None
    regulation: Regulation | None
    on: datetime.date
    fallback: bool = False  # local funds held to the national circular (no resolution caps the activity)

    def describe(self) -> str:
        """One sentence naming the rule, for the project page, messages and the stored approval."""
        on = self.on.strftime("%d/%m/%Y")
        if self.rule is None:
            if self.regulation is None:
                return _("No support ceiling recorded for this activity on %(on)s.") % {"on": on}
            return _(
                "%(citation)s (in force from %(since)s): no ceiling for this activity, rules of %(on)s."
            ) % {
                "citation": self.regulation.citation,
                "since": self.regulation.effective_from.strftime("%d/%m/%Y"),
                "on": on,
            }
        parts = []
        if self.rule.max_share_percent is not None:
            parts.append(
                _("at most %(share)s %% of the cost") % {"share": _percent(self.rule.max_share_percent)}
            )
        if self.rule.max_amount is not None:
            parts.append(_("at most %(amount)s") % {"amount": format_vnd(self.rule.max_amount)})
        text = _("%(citation)s (in force from %(since)s): %(limits)s; rules of %(on)s.") % {
            "citation": self.rule.citation,
            "since": self.rule.effective_from.strftime("%d/%m/%Y"),
            "limits": _(" and ").join(parts) or _("no limit"),
            "on": on,
        }
        if self.fallback:
            text += " " + _(
                "No People's Council resolution of the province caps this activity: the national circular applies."
            )
        return text


def _percent(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


class RuleBook:
    """Every ceiling line and activity period, in memory."""

    def __init__(
        self, rules: list[CeilingRule], periods: list[ActivityPeriod] | None, regulations: list[Regulation]
    ):
        self.rules = sorted(rules, key=lambda r: r.effective_from, reverse=True)
        self._periods = periods
        self.regulations = sorted(regulations, key=lambda r: r.effective_from, reverse=True)

    @property
    def periods(self) -> list[ActivityPeriod]:
        """Read on first use (a page showing a ceiling never needs them)."""
        if self._periods is None:
            self._periods = list(ActivityPeriod.objects.select_related("regulation"))
        return self._periods

    @classmethod
    def load(cls) -> "RuleBook":
        regulations = list(Regulation.objects.filter(archived_at__isnull=True).select_related("province"))
        by_pk = {r.pk: r for r in regulations}
        rules = list(
            CeilingRule.objects.filter(
                # a rule of an archived document no longer holds
                models_q_active()
            )
        )
        for rule in rules:
            if rule.regulation_id:
                rule.regulation = by_pk.get(rule.regulation_id)
        return cls(rules, None, regulations)

    # --- ceilings ---

    def _latest(self, activity: str, on: datetime.date, province_id) -> CeilingRule | None:
        for rule in self.rules:
            if rule.activity == activity and rule.effective_from <= on and rule.province_id == province_id:
                return rule
        return None

    def _latest_document(self, on: datetime.date, province_id) -> Regulation | None:
        for regulation in self.regulations:
            if (
                regulation.effective_from <= on
                and regulation.province_id == province_id
                and regulation.kind != "decree"
            ):
                return regulation
        return None

    def ceiling(self, *, programme: str, province_id, activity: str, on: datetime.date) -> RuleUsed:
        """The ceiling in force on `on` for the activity, from the authority over the source's money."""
        if programme == Programme.LOCAL and province_id:
            rule = self._latest(activity, on, province_id)
            if rule is not None:
                return RuleUsed(rule, rule.regulation, on)
            national = self._latest(activity, on, None)
            resolution = self._latest_document(on, province_id)
            if national is not None:
                return RuleUsed(national, national.regulation, on, fallback=True)
            return RuleUsed(None, resolution or self._latest_document(on, None), on)
        rule = self._latest(activity, on, None)
        if rule is not None:
            return RuleUsed(rule, rule.regulation, on)
        return RuleUsed(None, self._latest_document(on, None), on)

    def for_project(self, project, on: datetime.date | None = None) -> RuleUsed:
        return self.ceiling(
            programme=project.programme,
            province_id=project.province_id,
            activity=project.activity,
            on=on or rule_date(project),
        )

    # --- activities ---

    def activity_error(self, activity: str, on: datetime.date) -> str:
        """Why the activity does not exist on `on` ("" when it does)."""
        periods = [p for p in self.periods if p.activity == activity]
        if not periods:
            return ""
        for period in periods:
            if period.available_from <= on and (
                period.available_until is None or on <= period.available_until
            ):
                return ""
        first = min(periods, key=lambda p: p.available_from)
        return _(
            "“%(activity)s” is an activity only from %(since)s (%(citation)s); this project's rules are those of %(on)s."  # noqa: E501
        ) % {
            "activity": Activity(activity).label,
            "since": first.available_from.strftime("%d/%m/%Y"),
            "citation": first.regulation.citation,
            "on": on.strftime("%d/%m/%Y"),
        }


def models_q_active():
    from django.db.models import Q

    return Q(regulation__isnull=True) | Q(regulation__archived_at__isnull=True)


def limit_of(rule: CeilingRule, *, total_cost, technology_line: bool, already: int = 0) -> int | None:
    """The most the rule allows: the share of the cost and the amount (×line multiplier, less what the
    establishment already has that year), whichever is lower; None when the share needs an unknown cost."""
    limits = []
    if rule.max_share_percent is not None:
        if not total_cost:
            return None
        limits.append(
            int((Decimal(total_cost) * rule.max_share_percent / 100).to_integral_value(ROUND_HALF_UP))
        )
    if rule.max_amount is not None:
        multiplier = rule.line_multiplier if technology_line else Decimal(1)
        cap = int((Decimal(rule.max_amount) * multiplier).to_integral_value(ROUND_HALF_UP))
        limits.append(max(0, cap - already))
    return min(limits) if limits else None
