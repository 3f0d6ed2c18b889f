"""Render the PWA icons (static/img/icon-*.png) from static/img/brand.svg with headless Chromium.

Run again after the brand mark changes: .venv/bin/python scripts/render_icons.py
"""

import base64
import io
import os
import re
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
src = ROOT / "static/img/brand.svg"
if not src.exists():
    src = ROOT / "static/img/favicon.svg"
svg = src.read_text()
print("source", src)


def full_bleed(svg: str, scale: float) -> str:
    """Square background to the edges, the mark scaled around the centre (safe zone)."""
    # favicon geometry: <rect .../> background + house path; scale the path only.
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    w = float(m.group(1))
    bg = re.search(r'<rect[^>]*fill="([^"]+)"', svg).group(1)
    inner = re.sub(r"<rect[^>]*/>", "", re.sub(r"^<svg[^>]*>|</svg>\s*$", "", svg.strip()))
    c = w / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:g} {w:g}">'
        f'<rect width="{w:g}" height="{w:g}" fill="{bg}"/>'
        f'<g transform="translate({c:g} {c:g}) scale({scale}) translate({-c:g} {-c:g})">'
        f"{inner}</g></svg>"
    )


jobs = [
    ("icon-192.png", svg, 192),
    ("icon-512.png", svg, 512),
    ("icon-maskable-512.png", full_bleed(svg, 0.75), 512),
    ("icon-apple-180.png", full_bleed(svg, 0.9), 180),
]
out = ROOT / "static/img"
with sync_playwright() as p:
    b = p.chromium.launch(
        executable_path=os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"),
        headless=True,
        args=["--no-sandbox", "--disable-gpu"],
    )
    for name, s, size in jobs:
        page = b.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
        uri = "data:image/svg+xml;base64," + base64.b64encode(s.encode()).decode()
        page.set_content(
            f'<html><body style="margin:0;background:transparent">'
            f'<img src="{uri}" width="{size}" height="{size}" style="display:block"></body></html>'
        )
        page.wait_for_function("document.images[0].complete")
        png = page.screenshot(omit_background=True)
        img = Image.open(io.BytesIO(png)).convert("RGBA")
        if img.size != (size, size):
            sys.exit(f"{name}: rendered {img.size}, wanted {size}x{size}")
        # Few colours (brand blue, white, antialiasing): a 64-colour palette is lossless to the eye.
        q = img.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
        # The octree averages alpha (opaque areas come out as 254): snap near-opaque back.
        pal = q.getpalette("RGBA")
        pal[3::4] = [255 if a >= 245 else a for a in pal[3::4]]
        pal = [255 if v >= 253 else v for v in pal]
        q.putpalette(pal, "RGBA")
        q.save(out / name, optimize=True)
        print(name, size, (out / name).stat().st_size, "bytes")
        page.close()
    b.close()
