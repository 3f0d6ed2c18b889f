"""gunicorn reads this file from its working directory (the image's /app, the stack test, the
benchmarks): settings every web process of the portal shares.

Garbage collection: a worker holds a large, long-lived heap (Django, the apps, URL patterns,
compiled templates, translations). Python's full collections walk all of it again and again –
in a page of a few milliseconds that cost up to half the time (benchmarks/results/pages.md).
`gc.freeze()` moves everything alive at that moment out of the collector's way: once when the
worker has loaded the application, and once more after its first request, when URL patterns,
templates and catalogues are loaded too. Request garbage is still collected as before.
"""

import gc


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    _freeze()


def post_request(worker, req, environ, resp):
    if not getattr(worker, "portal_gc_frozen", False):
        worker.portal_gc_frozen = True
        _freeze()
