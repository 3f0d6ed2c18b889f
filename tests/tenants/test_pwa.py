"""The installable portal: web manifest, service worker and offline page (issue 15, item 4)."""

import json
import math
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tenants import views
from tests.tenants.factories import ContractFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _static_file(url: str) -> str:
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is not a static file"
    return path


def _precache(script: str) -> list[str]:
    return json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script).group(1))


def test_manifest_makes_the_portal_installable_without_login(client):
    response = client.get(reverse("tenants:web_manifest"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    assert response["Cache-Control"] == "no-cache"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "meinTHOR"
    assert manifest["description"] == "Das Mieterportal von THOR"
    assert manifest["lang"] == "de"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    declared = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= declared


def test_manifest_colours_are_the_brand_blue_and_the_page_background(client):
    """The title bar and the splash screen of the installed app match the pages."""
    manifest = json.loads(client.get(reverse("tenants:web_manifest")).content)
    with open(finders.find("css/portal.css"), encoding="utf-8") as css:
        tokens = dict(re.findall(r"(--color-[\w-]+):\s*(#[0-9a-f]{6})", css.read()))

    assert manifest["theme_color"] == tokens["--color-brand-700"]
    assert manifest["background_color"] == tokens["--color-bg"]


def test_manifest_icons_exist_as_png_in_the_declared_sizes(client):
    manifest = json.loads(client.get(reverse("tenants:web_manifest")).content)

    for icon in manifest["icons"]:
        with Image.open(_static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert "{}x{}".format(*image.size) == icon["sizes"]


def test_maskable_icon_keeps_the_brand_mark_inside_the_safe_zone(client):
    """Launchers cut maskable icons to a circle of 80 % of the width: the mark must fit in it,
    and the background must reach the edges (no transparent corners)."""
    manifest = json.loads(client.get(reverse("tenants:web_manifest")).content)
    (src,) = [icon["src"] for icon in manifest["icons"] if icon["purpose"] == "maskable"]

    with Image.open(_static_file(src)) as image:
        image = image.convert("RGBA")
        size = image.width
        background = image.getpixel((0, 0))
        assert background[3] == 255
        centre, radius = (size - 1) / 2, 0.4 * size
        outside_safe_zone = [
            (x, y)
            for y in range(0, size, 2)
            for x in range(0, size, 2)
            if math.dist((x, y), (centre, centre)) > radius and image.getpixel((x, y)) != background
        ]
    assert outside_safe_zone == []


def test_service_worker_is_served_from_the_root_and_always_revalidated(client):
    response = client.get(reverse("tenants:service_worker"))

    assert reverse("tenants:service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    again = client.get(reverse("tenants:service_worker"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_service_worker_stays_no_cache_for_signed_in_tenants(client):
    client.force_login(TenantFactory().user)

    response = client.get(reverse("tenants:service_worker"))

    assert response["Cache-Control"] == "no-cache"


def test_service_worker_precaches_only_the_offline_page_and_its_static_files(client):
    script = client.get(reverse("tenants:service_worker")).content.decode()

    precache = _precache(script)
    assert precache[0] == reverse("tenants:offline")
    for url in precache[1:]:
        _static_file(url)
    # No run-time caching: the only cache write is the install's precache.
    assert script.count("cache.addAll(") == 1
    assert "cache.put(" not in script
    assert 'credentials: "omit"' in script


def test_offline_page_uses_only_precached_static_files(client):
    script = client.get(reverse("tenants:service_worker")).content.decode()
    html = client.get(reverse("tenants:offline")).content.decode()

    static_url = re.escape(settings.STATIC_URL)
    used = set(re.findall(rf'(?:href|src)="({static_url}[^"]+)"', html))
    assert used
    assert used <= set(_precache(script))


def test_service_worker_version_changes_when_the_offline_page_changes(settings):
    _script, before = views._service_worker_build()
    settings.PORTAL_EMERGENCY_PHONE = "040-99 99 99"

    script, after = views._service_worker_build()

    assert after != before
    assert f'const VERSION = "{after}";' in script


def test_offline_page_needs_no_login_and_shows_the_emergency_number(client):
    response = client.get(reverse("tenants:offline"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    html = response.content.decode()
    assert "Sie sind offline" in html
    assert "Erneut versuchen" in html
    assert settings.PORTAL_EMERGENCY_PHONE in html


def test_offline_page_shows_nothing_personal_even_when_signed_in(client):
    tenant = TenantFactory(first_name="Maria", last_name="Müller-Lüdenscheidt")
    ContractFactory(partners=[tenant], contract_number="1001-W01-01")
    client.force_login(tenant.user)

    html = client.get(reverse("tenants:offline")).content.decode()

    assert "Müller-Lüdenscheidt" not in html
    assert tenant.user.email not in html
    assert "1001-W01-01" not in html
    assert reverse("tenants:profile") not in html


def test_csp_allows_the_manifest_and_worker_from_the_portal_only(client):
    policy = client.get(reverse("tenants:offline"))["Content-Security-Policy"]

    assert "manifest-src 'self'" in policy
    assert "worker-src 'self'" in policy


@pytest.mark.parametrize(
    ("url_name", "signed_in"),
    [("account_login", False), ("tenants:help", False), ("tenants:home", True)],
)
def test_pages_link_the_manifest_and_register_the_worker_without_inline_script(
    client, url_name, signed_in
):
    if signed_in:
        tenant = TenantFactory()
        ContractFactory(partners=[tenant])
        client.force_login(tenant.user)

    html = client.get(reverse(url_name)).content.decode()

    assert f'<link rel="manifest" href="{reverse("tenants:web_manifest")}">' in html
    assert f'<meta name="theme-color" content="{views.PWA_THEME_COLOR}">' in html
    assert re.search(r'<script src="/static/js/pwa\.js" [^>]*defer></script>', html)
    assert '<link rel="apple-touch-icon" href="/static/img/icon-apple-180.png">' in html
