"""Phone photos for the image tests: 4000 px JPEGs with the EXIF a phone writes (maker, an
orientation that needs turning, GPS coordinates) and XMP, and pixels with a photo's mix of
smooth areas and fine detail, made with Pillow alone (no file shipped, no download)."""
from __future__ import annotations

import io
import random

GPS = 0x8825
ORIENTATION = 0x0112
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="15,7.2N" '
       b'exif:GPSLongitude="108,48.0E"/></rdf:RDF></x:xmpmeta>')


def pixels(width: int, height: int, seed: int = 1):
    """Sky, ground, shapes of people and furniture, and sensor noise: compresses like a photo."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter
    rnd = random.Random(seed)
    sky = Image.linear_gradient("L").resize((width, height))
    im = Image.merge("RGB", (sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 130 + v // 4),
                             sky.point(lambda v: 200 - v // 3)))
    draw = ImageDraw.Draw(im)
    for _ in range(160):
        x, y = rnd.randrange(width), rnd.randrange(height // 3, height)
        w, h = rnd.randrange(width // 60, width // 8), rnd.randrange(height // 30, height // 4)
        draw.ellipse((x, y, x + w, y + h), fill=tuple(rnd.randrange(30, 230) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(width / 800))
    noise = Image.effect_noise((width, height), 12).convert("RGB")
    return ImageChops.add(im, noise, scale=1.0, offset=-48)


def phone_photo(width: int = 4000, height: int = 3000, seed: int = 1, orientation: int = 6) -> bytes:
    """A JPEG as a phone saves it: stored sideways with orientation 6 (turn 90° clockwise to show),
    so it shows `height` wide and `width` high, unless orientation is 1."""
    from PIL import Image
    im = pixels(width, height, seed)
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif[0x0110] = "SM-A525F"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS).update({1: "N", 2: (15.0, 7.0, 12.5), 3: "E", 4: (108.0, 48.0, 0.5)})
    out = io.BytesIO()
    im.save(out, "JPEG", quality=92, exif=exif, xmp=XMP)
    return out.getvalue()
