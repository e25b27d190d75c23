"""Forms of programme targets: the programme itself, and the grid of its targets (indicators × years)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import permissions
from khuyencong.core import forms as policy
from khuyencong.core.money import MoneyError, group_digits, parse_vnd

from .target_models import MONEY_INDICATORS, Indicator, ProgrammeScope, TargetProgramme


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TargetProgrammeForm(policy.ModelForm):
    class Meta:
        model = TargetProgramme
        fields = [
            "code",
            "name",
            "scope",
            "province",
            "start_year",
            "end_year",
            "decision_no",
            "decision_date",
            "issued_by",
            "notes",
        ]
        widgets = {"decision_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2, "col": "col-12"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["col"] = "col-12"
        if self.instance.pk:
            self.fields["scope"].disabled = True
            self.fields["province"].disabled = True
        elif user is not None and not permissions.can_manage_programme_targets(user, None):
            self.fields["scope"].choices = [(ProgrammeScope.PROVINCE, ProgrammeScope.PROVINCE.label)]
            self.initial.setdefault("scope", ProgrammeScope.PROVINCE)
            self.initial.setdefault("province", user.province_id)
        for field in self.fields.values():
            w = field.widget
            css = "form-select" if isinstance(w, forms.Select) else "form-control"
            w.attrs.setdefault("class", css)


def cell_name(indicator: str, year: int | None) -> str:
    return f"t_{indicator}_{year or 'period'}"


def parse_cell(indicator: str, raw: str):
    """A target as typed: đồng for money (300.000.000), a whole number otherwise; empty: no target."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return parse_vnd(raw)  # whole numbers with the Vietnamese grouping, for counts too
    except MoneyError as exc:
        if indicator in MONEY_INDICATORS:
            raise ValueError(
                _("“%(value)s” is not an amount of đồng; type it like 300.000.000.") % {"value": raw}
            ) from exc
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": raw}) from exc


def grid_rows(programme: TargetProgramme, data=None) -> list[dict]:
    """The grid's rows: each indicator with a cell per year and one for the whole period (typed or stored)."""
    stored = {(t.indicator, t.year): t.value for t in programme.targets.all()}
    rows = []
    for indicator in Indicator:
        cells = []
        for year in [*programme.years, None]:
            name = cell_name(indicator.value, year)
            if data is not None:
                value = data.get(name, "")
            else:  # stored figures as a reader types them: 1.500.000.000
                value = stored.get((indicator.value, year))
                value = group_digits(value) if value is not None else ""
            cells.append({"name": name, "year": year, "value": value})
        rows.append(
            {
                "indicator": indicator.value,
                "label": indicator.label,
                "money": indicator in MONEY_INDICATORS,
                "cells": cells,
            }
        )
    return rows
