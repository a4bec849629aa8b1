"""A small test PKI shared by the signing tests: a CA, a client and a vendor certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pki:
    """A test CA with a client and a vendor certificate, both as PKCS#12 under one password."""

    ca_pem: bytes
    client_p12: bytes
    vendor_p12: bytes
    password: bytes


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


Validity = tuple[dt.timedelta, dt.timedelta]
# From a day ago to a year from now.
VALID_NOW: Validity = (dt.timedelta(days=-1), dt.timedelta(days=365))


def _cert(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    validity: Validity = VALID_NOW,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    is_ca = issuer is None
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + validity[0])
        .not_valid_after(now + validity[1])
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(
    password: bytes,
    organisation: str = "Docflow Test PKI",
    *,
    client_validity: Validity = VALID_NOW,
) -> Pki:
    """A CA ("<organisation> CA"), "Client Signer" and "Vendor Signer" certificates.

    `client_validity` is the client certificate's validity period, relative to now (the CA
    is valid from ten years ago), e.g. ``(-timedelta(days=30), -timedelta(days=1))`` for a
    certificate that expired yesterday.
    """
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_validity = (dt.timedelta(days=-3650), dt.timedelta(days=3650))
    ca = _cert(_name(f"{organisation} CA", organisation), ca_key, None, ca_key, ca_validity)
    p12s = []
    for party, common_name in (("client", "Client Signer"), ("vendor", "Vendor Signer")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        validity = client_validity if party == "client" else VALID_NOW
        cert = _cert(_name(common_name, organisation), key, ca, ca_key, validity)
        p12s.append(
            pkcs12.serialize_key_and_certificates(
                party.encode(), key, cert, [ca], serialization.BestAvailableEncryption(password)
            )
        )
    return Pki(ca.public_bytes(serialization.Encoding.PEM), p12s[0], p12s[1], password)
