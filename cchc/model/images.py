"""Pictures as the pages show them: the sizes a photo was resized to, and the HTML that lets a
browser fetch the smallest one that fills its place (srcset/sizes), in WebP where it can, with
width and height so the text does not jump while it loads.

Plain data made by the build's image phase (build/images.py) from content/images/; read by
the links pass (pictures in bodies), the views (cover pictures, list thumbnails) and checks.
"""
from __future__ import annotations

import html as htmllib
from dataclasses import dataclass

from cchc.model.routes import relative

# How wide a picture shows, for the browser's choice among the widths (layouts/assets/style.css:
# the article column is at most 48rem, and the page's width less 1rem of margin each side on a
# phone; a list thumbnail 8rem). The browser multiplies by the screen's pixel density.
SIZES_BODY = "(max-width: 50rem) calc(100vw - 2rem), 48rem"
SIZES_THUMB = "8rem"


@dataclass(frozen=True)
class Variant:
    path: str          # under output/: images/x.480.webp, or images/x.jpg for the largest
    width: int
    height: int
    format: str        # "jpeg", "png" or "webp"
    size: int          # bytes


@dataclass(frozen=True)
class Picture:
    """One picture of content/images/ after resizing: its shape and every variant made of it."""
    path: str                          # "images/hoi-nghi/anh-1.jpg", as editors link to it
    width: int                         # of the largest variant (the picture as published)
    height: int
    format: str                        # the original's: "jpeg", "png" or "webp"
    variants: tuple[Variant, ...]

    def of_format(self, fmt: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.format == fmt), key=lambda v: v.width)

    @property
    def fallback(self) -> list[Variant]:
        """The variants in the original format, narrowest first (the widest is at `path`)."""
        return self.of_format(self.format)

    @property
    def webp(self) -> list[Variant]:
        """The WebP variants, when the original is not WebP already."""
        return [] if self.format == "webp" else self.of_format("webp")

    def view(self) -> dict:
        """Plain data for the layouts' `picture` macro (site-relative paths, for the |url filter)."""
        def srcs(variants):
            return [{"path": v.path, "width": v.width} for v in variants]
        return {"path": self.path, "width": self.width, "height": self.height,
                "webp": srcs(self.webp), "fallback": srcs(self.fallback)}


def srcset(variants: list[Variant], page_url: str, for_disk: bool = False) -> str:
    return ", ".join(f"{htmllib.escape(relative(page_url, v.path, for_disk))} {v.width}w" for v in variants)


def picture_html(picture: Picture, alt: str, page_url: str, lazy: bool, sizes: str = SIZES_BODY,
                 for_disk: bool = False, extra: str = "") -> str:
    """<picture> with a WebP source and the original format as <img>, for a page at page_url.
    `alt` is already escaped HTML text; `extra`, attributes kept from the editor's <img>."""
    fallback = picture.fallback
    img = (f'<img src="{htmllib.escape(relative(page_url, fallback[-1].path, for_disk))}"'
           + (f' srcset="{srcset(fallback, page_url, for_disk)}" sizes="{sizes}"' if len(fallback) > 1 else "")
           + f' width="{picture.width}" height="{picture.height}" alt="{alt}"'
           + (' loading="lazy"' if lazy else "") + ' decoding="async"' + extra + ">")
    if not picture.webp:
        return img
    return (f'<picture><source type="image/webp" srcset="{srcset(picture.webp, page_url, for_disk)}" '
            f'sizes="{sizes}">{img}</picture>')
