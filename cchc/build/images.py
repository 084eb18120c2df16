"""The image phase: each photo of content/images/ resized into a few widths, in WebP and in its own
format, turned upright, and without its metadata; the work cached by content hash.

Phones write 4000 px, 5 MB photos with the place they were taken in them (EXIF GPS). What is
published of a JPEG, PNG or WebP picture is only what this phase makes: the widths of site.yaml
`images.widths` narrower than the photo, and the photo's own width up to the widest of them; the
widest in the original format keeps the original's name (images/x.jpg: what og:image, feeds and
links in bodies point to), the others are named routes.image_variant. EXIF orientation is applied
to the pixels; EXIF, GPS, XMP and comments are left out (only the colour profile is kept).
GIF, SVG and other files are copied as they are.

The variants of a photo depend on its bytes and the settings only, so they are kept in
.cache/images/<sha256 of the bytes>-<settings>/ and copied from there (the output record then
skips unchanged copies). An index maps each file's size and modification time to its digest:
a build in which no photo changed reads no photo and does no image work.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from cchc.core.config import ImageSettings
from cchc.core.content_files import StaticFile
from cchc.core.files import atomic_write, portable_name
from cchc.core.messages import _
from cchc.core.problems import Problems
from cchc.model import routes
from cchc.model.images import Picture, Variant

RESIZED = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}
JPEG_QUALITY = 82
WEBP_QUALITY = 80
CODE_VERSION = "1"       # bump when the encoding changes: every cached variant is made again
INDEX = "index.json"


def _params(settings: ImageSettings) -> str:
    import PIL
    text = f"{CODE_VERSION}|pillow-{PIL.__version__}|{sorted(settings.widths)}|{JPEG_QUALITY}|{WEBP_QUALITY}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def widths_for(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The widths made of a picture `width` px wide: the wanted ones narrower than it, and its
    own width up to the widest wanted (a 4000 px photo: 480, 960, 1600; an 800 px one: 480, 800)."""
    top = min(width, max(wanted))
    return sorted({w for w in wanted if w < top} | {top})


def variant_files(width: int, fmt: str) -> list[tuple[int, str]]:
    """(width, format) of the files made of one picture: its own format, and WebP unless it is one."""
    return [(width, fmt)] + ([(width, "webp")] if fmt != "webp" else [])


class ImagePhase:
    """Resizes content/images/ into .cache/images/ and tells the build what to copy and show."""

    def __init__(self, cache_dir: Path, trust_index: bool = True):
        self.folder = cache_dir / "images"
        self.trust = trust_index
        self.processed = 0                  # pictures decoded by the last run (0: no image work)

    def run(self, static: list[StaticFile], settings: ImageSettings, problems: Problems,
           jobs: int = 0) -> tuple[dict[str, Picture], dict[str, Path]]:
        """(pictures by output path, {output path: file to copy}) for the resizable pictures."""
        params = _params(settings)
        index = self._load(params)
        todo: dict[Path, tuple[StaticFile, str]] = {}      # one job per distinct photo
        found: dict[str, tuple[str, Path]] = {}
        live: dict = {}
        for f in static:
            ext = f.output.rsplit(".", 1)[-1].lower()
            if not f.output.startswith(routes.IMAGES + "/") or ext not in RESIZED:
                continue
            try:
                st = f.source.stat()
            except OSError:
                continue
            stat = [st.st_size, st.st_mtime_ns]
            entry = index.get(f.output)
            sha = entry["sha"] if entry and entry["stat"] == stat and self.trust else None
            if sha is None:
                try:
                    sha = hashlib.sha256(f.source.read_bytes()).hexdigest()
                except OSError as exc:
                    problems.error(f"content/{f.output}", None,
                                   _("cannot read the picture: {reason}", reason=exc.strerror or exc))
                    continue
            where = self.folder / sha[:2] / f"{sha}-{params}"
            known = entry.get("meta") if entry and entry["sha"] == sha and self.trust else None
            live[f.output] = {"stat": stat, "sha": sha, "meta": known}
            found[f.output] = (sha, where)
            if where not in todo and (not self.trust or not (where / "meta.json").is_file()):
                todo[where] = (f, RESIZED[ext])
                live[f.output]["meta"] = None
        self.processed = len(todo)
        if todo:
            workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
            with ThreadPoolExecutor(workers) as pool:   # Pillow releases the GIL while it decodes and encodes
                made = pool.map(lambda item: _make(item[1][0].source, item[1][1], item[0], settings), todo.items())
                for (where, (f, _fmt)), error in zip(todo.items(), made):
                    if error:
                        problems.error(f"content/{f.output}", None, _("cannot read the picture: {reason}", reason=error),
                                       _("save it again as JPEG or PNG"))
                        for rel in [r for r, (_sha, w) in found.items() if w == where]:
                            found.pop(rel)
                            live.pop(rel, None)
        pictures, copies = {}, {}
        for rel, (sha, where) in found.items():
            meta = live[rel]["meta"]
            if meta is None:
                try:
                    meta = live[rel]["meta"] = json.loads((where / "meta.json").read_text(encoding="utf-8"))
                    if not _plain(meta):
                        raise ValueError(where)
                except (OSError, ValueError):
                    live.pop(rel)
                    continue
            picture = _picture(rel, meta)
            pictures[rel] = picture
            for v, name in zip(picture.variants, meta["files"]):
                copies[v.path] = where / name
            _check_size(picture, settings, problems)
        if live != index:
            self._save(params, live)
        return pictures, copies

    def _load(self, params: str) -> dict:
        try:
            data = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
            files = data["files"] if data.get("params") == params else {}
            # Its hashes and names become paths to read and copy into output/: only plain ones are
            # trusted (a forged "../.." would publish a file from elsewhere; issue 19, item 9).
            return {rel: e for rel, e in files.items() if _HASH.fullmatch(e["sha"]) and _plain(e.get("meta"))}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _save(self, params: str, files: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.folder / INDEX, json.dumps({"params": params, "files": files}, sort_keys=True,
                                                         ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass      # the next build hashes the photos again: slower, never wrong


_HASH = re.compile("[0-9a-f]{64}")


def _plain(meta) -> bool:
    """A picture's cached record (None: none yet) names only files of its own folder."""
    return meta is None or (isinstance(meta, dict) and isinstance(meta.get("files"), list)
                            and all(isinstance(n, str) and portable_name(n) for n in meta["files"]))


def _picture(rel: str, meta: dict) -> Picture:
    stem, ext = rel.rsplit(".", 1)
    fmt, top = meta["format"], meta["width"]
    variants = []
    for (width, height, vfmt, size) in meta["variants"]:
        if vfmt == fmt and width == top:
            path = rel
        else:
            path = routes.image_variant(rel, width, "webp" if vfmt == "webp" and fmt != "webp" else ext)
        variants.append(Variant(path, width, height, vfmt, size))
    return Picture(rel, meta["width"], meta["height"], fmt, tuple(variants))


def _check_size(picture: Picture, settings: ImageSettings, problems: Problems) -> None:
    """A warning when what a browser downloads at the widest is over images.max_kb: the widest
    WebP (every current browser takes it), or the widest file when there is no WebP."""
    shown = picture.webp or picture.fallback
    widest = shown[-1]
    if widest.size > settings.max_kb * 1024:
        problems.warning(f"content/{picture.path}", None,
                         _("the picture is {kb} KB at {width} px after resizing, more than images.max_kb "
                           "({limit} KB) in site.yaml", kb=widest.size // 1024, width=widest.width, limit=settings.max_kb),
                         _("crop it, or use a photo with less fine detail (noise, foliage)"))


def _make(source: Path, fmt: str, where: Path, settings: ImageSettings) -> str:
    """Decode, turn upright, resize and encode one picture into `where`; '' or what went wrong."""
    from PIL import Image, ImageOps
    try:
        with Image.open(source) as im:
            if fmt == "jpeg":
                # JPEG decodes at 1/2, 1/4, 1/8 scale: a 4000 px photo needs no more than 2000 px
                size = im.size[::-1] if (im.getexif().get(0x0112) or 1) >= 5 else im.size
                top = min(size[0], max(settings.widths))
                im.draft("RGB", (top * im.size[0] // size[0], top * im.size[1] // size[0]))
            icc = im.info.get("icc_profile")
            im = ImageOps.exif_transpose(im)
            im.load()
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        return str(exc) or type(exc).__name__
    full = im.size
    if im.mode not in ("RGB", "RGBA", "L", "LA"):
        im = im.convert("RGBA" if "transparency" in im.info or im.mode in ("P", "PA") and fmt != "jpeg" else "RGB")
    if fmt == "jpeg" and im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    im.info = {}                         # nothing of the original's metadata goes further
    widths = widths_for(full[0], tuple(settings.widths))
    files, variants = [], []
    tmp = where.with_name(where.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sized = im
    for width in reversed(widths):       # each from the next wider: 1600 -> 960 is cheap
        height = max(1, round(full[1] * width / full[0]))
        if (width, height) != sized.size:
            sized = sized.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        for w, vfmt in variant_files(width, fmt):
            data = _encode(sized, vfmt, icc)
            name = f"{w}.{vfmt}"
            (tmp / name).write_bytes(data)
            files.append(name)
            variants.append((w, height, vfmt, len(data)))
    # WebP is usually a quarter smaller; where it is not (noise, flat graphics), only the original format
    if sum(v[3] for v in variants if v[2] == "webp") >= sum(v[3] for v in variants if v[2] == fmt) and fmt != "webp":
        for n in [i for i, v in enumerate(variants) if v[2] == "webp"][::-1]:
            (tmp / files.pop(n)).unlink()
            variants.pop(n)
    variants, files = zip(*sorted(zip(variants, files)))
    meta = {"format": fmt, "width": widths[-1], "height": variants[-1][1], "variants": list(variants),
            "files": list(files)}
    (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(where, ignore_errors=True)     # made before (a build with --no-cache makes it again)
    os.replace(tmp, where)
    return ""


def _encode(im, fmt: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "jpeg":
        im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    elif fmt == "webp":
        im.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    else:
        im.save(out, "PNG", optimize=False, compress_level=9, **extra)
    return out.getvalue()


def pictures_digest(pictures: dict[str, Picture]) -> str:
    """What pages showing pictures depend on: their shapes and variants."""
    text = json.dumps([asdict(pictures[k]) for k in sorted(pictures)], sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
