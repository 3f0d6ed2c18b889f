"""Handing a private file to the browser: by Django, or by nginx via X-Accel-Redirect."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(fieldfile, *, filename: str, content_type: str, inline: bool):
    """Only call this after the access check. Never a public URL."""
    disposition = content_disposition_header(not inline, filename)
    prefix = settings.DOCUMENTS_X_ACCEL_PREFIX
    if prefix:
        # nginx serves the bytes from an `internal` location; Django only decided who may.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(fieldfile.name)
    else:
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
