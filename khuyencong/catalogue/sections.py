"""The catalogue's section on registry pages: is this product (or this establishment's products) public, and where."""

from khuyencong.accounts import permissions

from . import selectors


def product_section(request, product):
    """On a product's registry page: its public catalogue page, or why it is not there yet."""
    public = selectors.certified_products().filter(pk=product.pk).exists()
    return {
        "template": "catalogue/_registry_section.html",
        "order": 90,
        "context": {"public_products": [product] if public else [], "subject": "product"},
    }


def establishment_section(request, establishment):
    products = list(selectors.certified_products().filter(establishment=establishment).order_by("name"))
    is_rep = permissions.acts_for(request.user, establishment)
    return {
        "template": "catalogue/_registry_section.html",
        "order": 90,
        "context": {"public_products": products, "subject": "establishment", "is_rep": is_rep},
    }
