"""``docflow sign``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit
from docflow.errors import InvalidInput


def _password(path: Path | None) -> bytes | None:
    if path is not None:
        try:
            return path.read_bytes().rstrip(b"\r\n")
        except OSError as exc:
            raise InvalidInput(f"cannot read the password file {path}: {exc.strerror}") from exc
    env = os.environ.get("DOCFLOW_P12_PASSWORD")
    return env.encode() if env is not None else None


@click.command()
@click.argument("doc_id")
@click.option("--party", type=click.Choice(["client", "vendor"]), required=True)
@click.option("--signer", required=True, help="Name of the person who signed.")
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A scan (PDF, PNG, JPEG) or the PDF the party signed digitally.",
)
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Signing date.")
@click.option(
    "--p12",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Vendor: sign the PDF with this PKCS#12 certificate.",
)
@click.option(
    "--p12-password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File holding the PKCS#12 password (else DOCFLOW_P12_PASSWORD).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def sign(
    env: Env,
    doc_id: str,
    party: str,
    signer: str,
    file: Path | None,
    date: dt.datetime | None,
    p12: Path | None,
    p12_password_file: Path | None,
    as_json: bool,
) -> None:
    """Record PARTY's signature on DOC_ID."""
    from docflow.runtime.signing import SignRequest
    from docflow.runtime.signing import sign as record

    if file is not None and p12 is not None:
        raise InvalidInput("give either --file or --p12, not both")
    req = SignRequest(
        doc_id,
        party,
        signer,
        file,
        date.date() if date else None,
        p12,
        _password(p12_password_file) if p12 else None,
    )
    view = record(env.session(), req)

    def human(con: Any) -> None:
        sig = view["signature"]
        con.print(
            f"{view['id']} v{view['version']}: {party} signed ({sig['method']}) by {signer}"
            + (f", certificate {sig['certificate']}" if sig["certificate"] else "")
        )
        con.print(
            f"  status {view['status']}"
            + (f", awaiting {', '.join(view['awaiting'])}" if view["awaiting"] else "")
        )
        if view.get("change_effective"):
            con.print(f"  {view['change_effective']} is now effective; project.yaml updated")

    emit(view, as_json, human)
