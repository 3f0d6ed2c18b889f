"""PDF rendering for every area (letters, mandates, statements) with WeasyPrint.

Fonts come from static/fonts and are embedded, so a PDF looks the same on every machine and no
font is ever fetched from outside. Templates extend templates/pdf/base.html.
"""

import io
from array import array
from collections.abc import Iterable, Iterator
from typing import BinaryIO

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


class _CountingWriter:
    """Writes through to a binary file and knows the offset (the output need not seek)."""

    def __init__(self, output: BinaryIO):
        self.output = output
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.output.write(data)
        self.offset += len(data)
        return len(data)


def concatenate_pdfs(parts: Iterable[bytes | BinaryIO], output: BinaryIO) -> int:
    """Write the PDFs in `parts` one after the other into the binary file `output`, streaming.

    `parts` yields PDF bytes or open, seekable binary files (a part file from the storage is
    read only while it is the current part). Each part's pages and everything they use (fonts,
    images, content streams) are copied to `output` as soon as the part is read, renumbered,
    and the part is released before the next one: memory stays flat however many parts
    there are. What is kept is the offset of each object and the number of each page (8 bytes
    each). The catalog and the page tree come last, then the cross-reference table. `output`
    must be empty (the offsets count from its start); it needs no seek. Only the pages are
    taken over: outlines, named destinations and metadata of the parts are not.

    Returns the page count.
    """
    from pypdf import PdfReader

    out = _CountingWriter(output)
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    # Object numbers: 1 is the catalog, 2 the page tree (both written at the end).
    offsets = array("Q", [0, 0, 0])
    kids = array("Q")
    for part in parts:
        stream = io.BytesIO(part) if isinstance(part, bytes | bytearray) else part
        # Closing drops the reader's objects; they refer to the reader, so without it they
        # would wait for the garbage collector and pile up part by part.
        with PdfReader(stream) as reader:
            if reader.is_encrypted:
                raise ValueError("Encrypted PDFs cannot be concatenated.")
            kids.extend(_copy_part(reader, out, offsets))
    pages_number, catalog_number = 2, 1
    offsets[pages_number] = out.offset
    out.write(b"2 0 obj\n<< /Type /Pages /Count %d /Kids [" % len(kids))
    for start in range(0, len(kids), 1000):
        out.write(b"".join(b" %d 0 R" % number for number in kids[start : start + 1000]))
    out.write(b" ] >>\nendobj\n")
    offsets[catalog_number] = out.offset
    out.write(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    xref = out.offset
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(offsets))
    for start in range(1, len(offsets), 1000):
        out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets[start : start + 1000]))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets), xref)
    )
    return len(kids)


def _copy_part(reader, out: _CountingWriter, offsets: array) -> list[int]:
    """Copy the reader's pages and what they refer to; returns the pages' new numbers.

    The part's catalog and page-tree nodes become the output's (1 and 2), so nothing copies
    them; each page's /Parent is the output's page tree. Inherited page attributes (resources,
    media box) are on the page already: pypdf puts them there when it lists the pages.
    """
    from pypdf.generic import IndirectObject, NameObject

    numbers: dict[tuple[int, int], int] = {}
    todo: list[IndirectObject] = []

    def renumber(ref: IndirectObject) -> IndirectObject:
        key = (ref.idnum, ref.generation)
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(offsets)
            offsets.append(0)
            todo.append(ref)
        return IndirectObject(number, 0, None)

    root = reader.trailer.raw_get("/Root")
    if isinstance(root, IndirectObject):
        numbers[(root.idnum, root.generation)] = 1
    nodes = [reader.trailer["/Root"].raw_get("/Pages")]
    while nodes:  # the page-tree nodes (not the pages)
        node = nodes.pop()
        target = node.get_object()
        if target.get("/Type") != "/Pages":
            continue
        if isinstance(node, IndirectObject):
            numbers[(node.idnum, node.generation)] = 2
        nodes.extend(target.get("/Kids", []) if isinstance(target.get("/Kids"), list) else [])

    pages = {}
    page_numbers = []
    for page in reader.pages:
        ref = page.indirect_reference
        pages[(ref.idnum, ref.generation)] = page
        page_numbers.append(renumber(ref).idnum)
    parent = NameObject("/Parent")
    while todo:
        ref = todo.pop()
        key = (ref.idnum, ref.generation)
        source = pages.get(key)
        if source is None:
            source = reader.get_object(ref)
        copy = _renumbered(source, renumber)
        if key in pages:
            copy[parent] = IndirectObject(2, 0, None)
        number = numbers[key]
        offsets[number] = out.offset
        out.write(b"%d 0 obj\n" % number)
        copy.write_to_stream(out)
        out.write(b"\nendobj\n")
    return page_numbers


def _renumbered(obj, renumber):
    """A copy of a PDF object whose indirect references point to the output's numbers."""
    from pypdf.generic import (
        ArrayObject,
        ContentStream,
        DecodedStreamObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
    )

    if isinstance(obj, IndirectObject):
        return renumber(obj)
    if isinstance(obj, StreamObject):
        if isinstance(obj, ContentStream):  # parsed: its decoded bytes, without the filter
            copy, data = DecodedStreamObject(), obj.get_data()
            skip = {"/Length", "/Filter", "/DecodeParms"}
        else:  # the bytes as they are in the part, still encoded
            copy, data, skip = obj.__class__(), obj._data, {"/Length"}
        for key, value in obj.items():
            if key not in skip:
                copy[key] = _renumbered(value, renumber)
        copy._data = data
        return copy
    if isinstance(obj, DictionaryObject):
        return DictionaryObject({key: _renumbered(value, renumber) for key, value in obj.items()})
    if isinstance(obj, ArrayObject):
        return ArrayObject(_renumbered(value, renumber) for value in obj)
    return obj
