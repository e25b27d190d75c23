"""Demo photos for the catalogue: a simple illustrated card per demo product, uploaded through registry.services.

Repeatable: a product that already has a photo is left alone. The certified results and
certificates themselves come from the selection demo.
"""

import io
import textwrap
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.registry import services
from khuyencong.registry.models import Product

# product code: (background, accent, emoji-free motif drawn with shapes)
PALETTE = {
    "SP-001": ("#f4e3c1", "#b5651d", "squid"),
    "SP-002": ("#fde2d6", "#e4572e", "shrimp"),
    "SP-003": ("#fff1cf", "#d4a017", "shrimp"),
    "SP-004": ("#dfe9f3", "#2e6f9e", "machine"),
    "SP-005": ("#fdeef4", "#e07a9a", "cracker"),
    "SP-006": ("#f1f1f1", "#c0392b", "salt"),
    "SP-007": ("#e6f2d9", "#6a994e", "basket"),
    "SP-008": ("#f7f3e8", "#a68a64", "cracker"),
}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def _font(size: int, bold: bool = True):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _motif(draw, kind: str, accent: str, box):
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    if kind == "shrimp":
        for i in range(6):
            r = 130 - i * 18
            draw.arc([cx - r, cy - r, cx + r, cy + r], 200 + i * 8, 340 + i * 4, fill=accent, width=16)
        draw.ellipse([cx + 90, cy - 70, cx + 110, cy - 50], fill="#333")
    elif kind == "squid":
        draw.ellipse([cx - 70, cy - 150, cx + 70, cy + 40], fill=accent)
        for i in range(7):
            x = cx - 60 + i * 20
            draw.line([x, cy + 30, x + (i - 3) * 10, cy + 150], fill=accent, width=10)
    elif kind == "machine":
        draw.rounded_rectangle([cx - 110, cy - 60, cx + 110, cy + 80], radius=18, fill=accent)
        draw.polygon(
            [(cx - 70, cy - 60), (cx + 70, cy - 60), (cx + 30, cy - 140), (cx - 30, cy - 140)], fill="#5b8fb9"
        )
        draw.ellipse([cx - 30, cy - 10, cx + 30, cy + 50], fill="#f4d35e")
        draw.line([cx + 110, cy + 40, cx + 170, cy + 110], fill=accent, width=12)
    elif kind == "cracker":
        for i, (dx, dy) in enumerate([(-80, -40), (60, -60), (-20, 50), (100, 60), (-120, 70)]):
            r = 70 - i * 6
            draw.ellipse(
                [cx + dx - r, cy + dy - r * 0.7, cx + dx + r, cy + dy + r * 0.7],
                fill=accent,
                outline="#fff",
                width=4,
            )
    elif kind == "salt":
        draw.rounded_rectangle(
            [cx - 80, cy - 90, cx + 80, cy + 120], radius=20, fill="#fff", outline=accent, width=8
        )
        draw.rectangle([cx - 60, cy - 130, cx + 60, cy - 90], fill=accent)
        for i in range(30):
            draw.ellipse(
                [
                    cx - 60 + (i * 37) % 120,
                    cy - 40 + (i * 53) % 140,
                    cx - 52 + (i * 37) % 120,
                    cy - 32 + (i * 53) % 140,
                ],
                fill="#e63946" if i % 3 else "#f4a261",
            )
    else:  # basket
        draw.chord([cx - 140, cy - 60, cx + 140, cy + 160], 0, 180, fill=accent)
        for i in range(8):
            x = cx - 120 + i * 34
            draw.line([x, cy + 50, x + 10, cy + 150], fill="#f1faee", width=5)
        draw.arc([cx - 100, cy - 150, cx + 100, cy + 60], 180, 360, fill=accent, width=14)


def product_card(name: str, establishment: str, background: str, accent: str, motif: str) -> bytes:
    """An 800×600 JPEG: a drawn motif, the product's name and its maker."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (800, 600), background)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 430, 800, 600], fill=accent)
    _motif(draw, motif, accent, (200, 20, 600, 420))
    title = _font(44)
    lines = textwrap.wrap(name, width=26)[:2]
    y = 448 if len(lines) == 2 else 470
    for line in lines:
        draw.text((40, y), line, font=title, fill="#ffffff")
        y += 54
    draw.text(
        (40, 560 if len(lines) == 2 else 530),
        establishment[:60],
        font=_font(22, bold=False),
        fill="#ffffffdd",
    )
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


MOTIF_WORDS = [
    ("muc", "squid"),
    ("may", "machine"),
    ("banh", "cracker"),
    ("muoi", "salt"),
    ("tom", "shrimp"),
    ("lac", "basket"),
    ("gio", "basket"),
    ("dem", "basket"),
]
COLOURS = [
    ("#f4e3c1", "#b5651d"),
    ("#fde2d6", "#e4572e"),
    ("#dfe9f3", "#2e6f9e"),
    ("#e6f2d9", "#6a994e"),
    ("#fdeef4", "#c9577a"),
    ("#f7f3e8", "#8a6d45"),
]


def _look(product) -> tuple[str, str, str]:
    """Colours and motif for a product without a palette entry, from its name and group."""
    from khuyencong.core.text import fold

    name = fold(product.name)
    motif = next((m for word, m in MOTIF_WORDS if word in name.split()), None)
    motif = motif or {"handicraft": "basket", "machinery": "machine"}.get(product.group, "cracker")
    background, accent = COLOURS[product.pk % len(COLOURS)]
    return background, accent, motif


def load(ctx):
    user = ctx["users"]["admin"]
    made = 0
    certified = Product.objects.filter(results__certified=True).exclude(code__in=PALETTE).distinct()
    looks = [(code, PALETTE[code]) for code in PALETTE]
    looks += [(p.code, _look(p)) for p in certified.filter(photo="")]
    for code, (background, accent, motif) in looks:
        product = Product.objects.select_related("establishment").filter(code=code).first()
        if product is None or product.photo:
            continue
        photo = SimpleUploadedFile(
            f"{code.lower()}.jpg",
            product_card(product.name, product.establishment.name, background, accent, motif),
            content_type="image/jpeg",
        )
        services.update_product(user=user, product=product, data={"photo": photo})
        made += 1
    ctx["say"](f"Catalogue: {made} product photos made")
