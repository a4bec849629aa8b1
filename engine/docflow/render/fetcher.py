"""The only way WeasyPrint may read a resource: files inside the template folders.

Inline PNG and JPEG images (``data:image/png;base64,...``, the letterhead's logo) are decoded
in memory. Everything else (http, https, ftp, other data, files elsewhere) is refused, so
neither a template nor data that slipped into markup can embed ``file:///etc/passwd`` or call
the network. The same rule, real paths inside the template folders, holds for every template
file the renderers read (:func:`template_file`: style.css, frame.docx, labels.yaml; Jinja
templates through :class:`docflow.render.sandbox.ConfinedLoader`).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from docflow.errors import TemplateError

__all__ = ["FetchRefused", "allowed_path", "make_url_fetcher", "template_file"]


class FetchRefused(ValueError):
    """A resource URL outside the template folders."""


def allowed_path(url: str, roots: tuple[Path, ...]) -> Path:
    """The file a ``file://`` URL names, if it lies inside one of ``roots``; else refuse."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused to fetch {url[:80]!r}: only template files may be read")
    path = Path(unquote(parts.path)).resolve()
    for root in roots:
        if path.is_relative_to(root.resolve()) and path.is_file():
            return path
    raise FetchRefused(f"refused to fetch {url[:80]!r}: outside the template folders")


def template_file(path: Path, roots: tuple[Path, ...]) -> Path:
    """``path`` if its real path (symbolic links resolved) is a file inside one of ``roots``.

    Raises TemplateError naming the file otherwise: a link in a template folder must not
    make a file elsewhere (``/etc/passwd``) part of a document.
    """
    real = path.resolve()
    if not any(real.is_relative_to(root.resolve()) for root in roots):
        raise TemplateError(
            f"{path} leads outside the template folders (to {real}); template files are read "
            "only from inside them",
            str(path),
        )
    return real


# The company letterhead's logo comes inline (docflow.render.letterhead): decoding these
# reads no file and calls no network.
_INLINE_IMAGES = ("data:image/png;base64,", "data:image/jpeg;base64,")
_MAX_INLINE = 4 * 1024 * 1024


def inline_image(url: str) -> bytes:
    """The bytes of an inline PNG or JPEG ``data:`` URL (bounded); refuse anything else."""
    import base64
    import binascii

    head, _, body = url.partition(",")
    if len(body) > _MAX_INLINE:
        raise FetchRefused("refused an inline image larger than 4 MiB")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FetchRefused(f"refused an inline image that is not base64 ({head})") from exc


def make_url_fetcher(roots: tuple[Path, ...]) -> Any:
    """A WeasyPrint URL fetcher that serves files under ``roots`` and refuses the rest."""
    from docflow.render.libs import import_weasyprint

    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateFilesFetcher(URLFetcher):  # type: ignore[misc]
        """Serves template files; raises FetchRefused for everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            """The file behind ``url`` if it is a template file (or an inline logo)."""
            if url.startswith(_INLINE_IMAGES):
                return URLFetcherResponse(url, body=inline_image(url), headers={})
            path = allowed_path(url, roots)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
            )

    return TemplateFilesFetcher(timeout=1, allowed_protocols=("file",))
