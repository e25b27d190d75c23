"""Place pickers narrowed by what is already chosen: the former provinces of the chosen province, the former
districts of the chosen former province (htmx refreshes them in place, see `registry.views.legacy_*_options`)."""

from django.urls import reverse

from . import selectors


def narrow_legacy_fields(form, province_field="province") -> None:
    """Offer in `legacy_province` / `legacy_district` only the former units of the chosen province, and refresh
    them when the province (or the former province) changes."""
    if "legacy_province" not in form.fields:
        return

    instance = getattr(form, "instance", None)

    def chosen(name):
        if form.is_bound:
            return form.data.get(name)
        value = form.initial.get(name)
        if value in (None, "") and instance is not None and instance.pk:
            value = getattr(instance, f"{name}_id", None)
        return value

    province, legacy_province = chosen(province_field), chosen("legacy_province")
    form.fields["legacy_province"].queryset = selectors.legacy_provinces_of(province)
    form.fields["legacy_province"].widget.attrs.update(
        {
            "hx-get": reverse("registry:legacy_province_options"),
            "hx-trigger": f"change from:#id_{province_field}",
            "hx-include": f"#id_{province_field}",
            "hx-target": "this",
            "hx-swap": "innerHTML",
        }
    )
    if "legacy_district" in form.fields:
        form.fields["legacy_district"].queryset = selectors.legacy_districts_of(province, legacy_province)
        form.fields["legacy_district"].widget.attrs.update(
            {
                "hx-get": reverse("registry:legacy_district_options"),
                "hx-trigger": f"change from:#id_{province_field}, change from:#id_legacy_province",
                "hx-include": f"#id_{province_field},#id_legacy_province",
                "hx-target": "this",
                "hx-swap": "innerHTML",
            }
        )
