"""Renders static/img/icon.svg into the raster icons browsers ask for:
favicon.ico (16, 32, 48 px), apple-touch-icon.png (180 px) and the web
manifest's 192 and 512 px icons. Run after changing the SVG:

    .venv/bin/python docs/render_icons.py

Uses the Debian Chromium the browser tests use (Playwright) and Pillow.
"""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent.parent / "static" / "img"


def render(browser, size):
    page = browser.new_page(viewport={"width": size, "height": size})
    svg = (IMG / "icon.svg").read_text()
    page.set_content(
        f"<style>html,body{{margin:0;background:transparent}}svg{{width:{size}px;"
        f"height:{size}px;display:block}}</style>{svg}"
    )
    png = page.screenshot(omit_background=True)
    page.close()
    return Image.open(io.BytesIO(png)).convert("RGBA")


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for size, name in [
            (180, "apple-touch-icon.png"),
            (192, "icon-192.png"),
            (512, "icon-512.png"),
        ]:
            image = render(browser, size)
            if name == "apple-touch-icon.png":
                # iOS draws transparency as black: give the touch icon its own background.
                background = Image.new("RGBA", image.size, "#15161b")
                image = Image.alpha_composite(background, image)
            image.save(IMG / name, optimize=True)
        render(browser, 48).save(IMG / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
        browser.close()


if __name__ == "__main__":
    main()
