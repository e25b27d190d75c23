"""Official documents: who signs them (per organisation or round) and the register of the PDFs issued.

A decision or certificate, once issued, is frozen: its PDF bytes are kept with their SHA-256, so a PDF
signed elsewhere can be checked against exactly what was issued, and a PDF a buyer holds can be looked up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import TimeStamped
from khuyencong.core.uploads import RandomUploadPath, private_storage


class SignatoryKind(models.TextChoices):
    DECISION = "decision", _("Decision and certificates of a selection round")
    REPORT = "report", _("Programme summary report")


class Signatory(TimeStamped):
    """Who issues and signs a kind of document: for one round, else for a province (an organisation), else
    for the Ministry's agency (neither). The most specific one found is used."""

    kind = models.CharField(_("documents"), max_length=20, choices=SignatoryKind.choices)
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province (empty: the Ministry's agency)"),
    )
    round = models.ForeignKey(
        "selection.Round",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("round (empty: every round of the province)"),
    )
    superior_body = models.CharField(_("governing body"), max_length=200, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    symbol = models.CharField(_("document symbol"), max_length=40, blank=True, help_text="QĐ-UBND")
    place_name = models.CharField(_("place written before the date"), max_length=100)
    decider = models.CharField(_("competent authority (decisions)"), max_length=300, blank=True)
    authority = models.CharField(_("signing on behalf (TM./KT.)"), max_length=200, blank=True)
    title = models.CharField(_("signer's title"), max_length=200)
    name = models.CharField(_("signer's name"), max_length=200, blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận), one per line"), blank=True)
    legal_basis = models.TextField(_("legal basis (Căn cứ), one per line"), blank=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "province", "round"], name="signatory_one_per_kind_place_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} {self.name}".strip()


class DocumentType(models.TextChoices):
    DECISION = "decision", _("Decision")
    CERTIFICATE = "certificate", _("Certificate")


class SignatureStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, not signed")
    SIGNING = "signing", _("Being signed")
    SIGNED = "signed", _("Digitally signed")
    FAILED = "failed", _("Signing failed")


class SignatureMethod(models.TextChoices):
    KEY = "key", _("The organisation's certificate")
    UPLOAD = "upload", _("Signed elsewhere and uploaded")


class IssuedDocument(TimeStamped):
    """The PDF of a decision or certificate as issued (frozen), and once signed, the signed PDF."""

    kind = models.CharField(
        pgettext_lazy("official document", "document"), max_length=20, choices=DocumentType.choices
    )
    round = models.ForeignKey(
        "selection.Round", on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("round")
    )
    certificate = models.OneToOneField(
        "selection.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_document",
        verbose_name=_("certificate"),
    )
    number = models.CharField(_("number"), max_length=100)
    original = models.FileField(
        _("PDF as issued"),
        upload_to=RandomUploadPath("issued"),
        storage=private_storage,
        max_length=300,
        blank=True,  # empty while a signing task has still to render it
    )
    original_sha256 = models.CharField(
        _("SHA-256 of the PDF as issued"), max_length=64, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.ISSUED
    )
    signed = models.FileField(
        _("signed PDF"),
        upload_to=RandomUploadPath("signed"),
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    signed_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True, db_index=True)
    method = models.CharField(_("signed with"), max_length=20, choices=SignatureMethod.choices, blank=True)
    signer_name = models.CharField(_("signer (certificate subject)"), max_length=300, blank=True)
    signer_issuer = models.CharField(_("certificate issued by"), max_length=300, blank=True)
    signer_serial = models.CharField(_("certificate serial number"), max_length=80, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signing recorded by"),
    )
    failure = models.TextField(_("why signing failed"), blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["round_id", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(kind="decision"), name="issued_one_decision_per_round"
            ),
            models.CheckConstraint(
                condition=Q(kind="decision", certificate__isnull=True)
                | Q(kind="certificate", certificate__isnull=False),
                name="issued_certificate_iff_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | (~Q(signed_sha256="") & Q(signed_at__isnull=False)),
                name="issued_signed_has_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_signed(self) -> bool:
        return self.status == SignatureStatus.SIGNED

    @property
    def file_stem(self) -> str:
        prefix = "quyet-dinh" if self.kind == DocumentType.DECISION else "giay-chung-nhan"
        return f"{prefix}-{self.number}".replace("/", "-")
