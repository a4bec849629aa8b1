"""The PDF renderer reads nothing but files inside the template folders."""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import pytest
from render_helpers import TEST_TEMPLATES, make_request

from docflow.render import render_document
from docflow.render.fetcher import FetchRefused, allowed_path, make_url_fetcher
from docflow.resources import data_path

# a 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "data:text/css,p{}",
        "file://otherhost/etc/passwd",
    ],
    ids=["file-outside", "http", "https", "ftp", "data", "file-remote-host"],
)
def test_refuses_everything_but_template_files(tmp_path: Path, url: str) -> None:
    """Only file:// URLs inside the template folders are served."""
    fetcher = make_url_fetcher((tmp_path,))
    with pytest.raises(FetchRefused):
        fetcher(url)


def test_refuses_escape_by_dot_dot(tmp_path: Path) -> None:
    """A path that climbs out of the folder is outside it."""
    (tmp_path / "inside").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    with pytest.raises(FetchRefused):
        allowed_path((tmp_path / "inside").as_uri() + "/../secret.txt", (tmp_path / "inside",))


def test_serves_template_files(tmp_path: Path) -> None:
    """A file inside a template folder is served with its content type."""
    (tmp_path / "logo.png").write_bytes(PNG)
    response = make_url_fetcher((tmp_path,))((tmp_path / "logo.png").as_uri())
    assert response.read() == PNG
    assert response.content_type == "image/png"


def _folder_with_css(tmp_path: Path, image_url: str) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEST_TEMPLATES, folder)
    css = (data_path("doc_templates") / "style.css").read_text(encoding="utf-8")
    css += f'\nh1 {{ background: url("{image_url}") no-repeat; }}\n'
    (folder / "style.css").write_text(css, encoding="utf-8")
    return folder


def _has_image(pdf: bytes) -> bool:
    import pypdf

    return any(
        page["/Resources"].get("/XObject") for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )


def test_pdf_embeds_only_images_from_template_folders(tmp_path: Path) -> None:
    """A stylesheet image outside the template folders is not embedded; one inside is."""
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    refused = _folder_with_css(tmp_path / "a", outside.as_uri())
    out = render_document(make_request("en", dirs=(refused,)))
    assert not _has_image(out.pdf)

    allowed = _folder_with_css(tmp_path / "b", "logo.png")
    (allowed / "logo.png").write_bytes(PNG)
    out = render_document(make_request("en", dirs=(allowed,)))
    assert _has_image(out.pdf)
