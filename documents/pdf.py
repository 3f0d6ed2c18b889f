"""PDF rendering for every area (letters, mandates, statements) with WeasyPrint.

Fonts come from static/fonts and are embedded, so a PDF looks the same on every machine and no
font is ever fetched from outside. Templates extend templates/pdf/base.html.
"""

import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.template.loader import render_to_string

from tenants.context_processors import branding

STATIC_DIR = settings.BASE_DIR / "static"


def _url_fetcher():
    """Only files below static/ and inline data may go into a PDF: no network, no other paths."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith((STATIC_DIR.as_uri() + "/", "data:")):
                raise ValueError(f"PDF resource not allowed: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_url_fetcher()
    )
    return document.write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template from templates/pdf/ into PDF bytes."""
    return html_to_pdf(render_to_string(template, {"portal": branding(), **context}))


def render_pdf_pages(
    template: str, contexts: Iterable[dict], *, chunk_size: int = 100
) -> Iterator[bytes]:
    """Render one template per context, `chunk_size` at a time, yielding one PDF per chunk.

    The template receives `items` (the chunk's contexts). Chunking keeps memory flat for
    thousands of letters; `concatenate_pdfs` joins the chunks.
    """
    chunk: list[dict] = []
    for context in contexts:
        chunk.append(context)
        if len(chunk) == chunk_size:
            yield render_pdf(template, {"items": chunk})
            chunk = []
    if chunk:
        yield render_pdf(template, {"items": chunk})


def concatenate_pdfs(parts: Iterable[bytes], output) -> int:
    """Write the PDFs in `parts` one after the other into the binary file `output`.

    Returns the page count.
    """
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    writer.write(output)
    return len(writer.pages)
