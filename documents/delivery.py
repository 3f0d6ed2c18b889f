"""Handing a private file to the browser after the access check.

PORTAL_DOCUMENTS_DELIVERY:
- "stream" (default): Django streams the file from the storage.
- "x-accel": nginx sends it from an internal location (PORTAL_DOCUMENTS_X_ACCEL_PREFIX).
- "signed-url": redirect to a short-lived signed URL of S3-compatible storage (django-storages'
  S3Storage with a private bucket and querystring auth); the URL expires after
  PORTAL_DOCUMENTS_SIGNED_URL_SECONDS and carries the download name.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def private_file_response(fieldfile, *, filename: str, content_type: str, inline: bool):
    """Only call this after the access check. Never a public URL."""
    disposition = content_disposition_header(not inline, filename)
    mode = settings.DOCUMENTS_DELIVERY
    if mode == "signed-url":
        url = fieldfile.storage.url(
            fieldfile.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=settings.DOCUMENTS_SIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    prefix = settings.DOCUMENTS_X_ACCEL_PREFIX
    if mode == "x-accel" or prefix:
        # nginx serves the bytes from an `internal` location; Django only decided who may.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(fieldfile.name)
    else:
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
