"""The demo's own certificate authority: a root and one signer certificate, made with `cryptography` under
PRIVATE_MEDIA_ROOT/signing/demo/ (never committed), so the demo can sign and verify without a real token.
A department configures its own PKCS#12 file and trust roots instead (settings PDF_SIGNING_*)."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

DEMO_PASSPHRASE = "demo-khuyencong"


def demo_folder() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "signing" / "demo"


def _name(common: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_ca(
    folder: Path, *, root_name: str, signer_name: str, org: str, passphrase: str
) -> tuple[Path, Path]:
    """A root CA and a signer certificate issued by it (digital signature + non-repudiation, as pyHanko
    expects of a document signer): writes root.pem and signer.p12 (with the root in its chain)."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_subject = _name(root_name, org)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_subject)
        .issuer_name(root_subject)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name, org))
        .issuer_name(root_subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    root_path = folder / "root.pem"
    root_path.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    p12_path = folder / "signer.p12"
    p12_path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            signer_name.encode(),
            key,
            cert,
            [root],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    p12_path.chmod(0o600)
    return root_path, p12_path


def ensure_demo_ca() -> tuple[Path, Path]:
    """The demo CA, made once (repeatable: kept when it exists)."""
    folder = demo_folder()
    root, p12 = folder / "root.pem", folder / "signer.p12"
    if root.exists() and p12.exists():
        return root, p12
    return make_ca(
        folder,
        root_name="Khuyến công Demo Root CA (chỉ dùng thử)",
        signer_name="Ủy ban nhân dân tỉnh Cà Mau (chữ ký thử nghiệm)",
        org="Khuyến công demo",
        passphrase=DEMO_PASSPHRASE,
    )
