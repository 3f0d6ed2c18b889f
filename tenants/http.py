from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, also behind our own load balancer(s).

    With PORTAL_TRUSTED_PROXY_COUNT = n, the n right-most X-Forwarded-For entries were added
    by our proxies; the entry before them is the client. Anything further left can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.PORTAL_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote
