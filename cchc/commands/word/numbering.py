"""Word's list numbers as text: "1.", "a)", "2.3.", "Điều 4." exactly as Word shows them.

mammoth turns every numbered Word list into <ol>, so Markdown would number it 1, 2, 3 again:
a list in "a)", "b)" style (the points of a Vietnamese clause, cited as "điểm a khoản 1")
loses its letters, and a list that an ordinary paragraph interrupts restarts at 1 where Word
goes on (3., 4.). Before mammoth reads the file, this pass computes each numbered paragraph's
label the way Word does (one counter per level of an abstract numbering, deeper levels reset
when a level moves on, `startOverride` restarting a list, `isLgl` forcing digits), writes it at
the start of the paragraph and takes the paragraph out of the list. Bulleted lists stay lists.
Known gaps: lvlRestart, numbering-style links (numStyleLink) and the rarer formats (Chinese
counting, ordinal text…) are read as plain restarts and digits.
"""
from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W = f"{{{W_NS}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class Level:
    """One level of an abstract numbering: <w:lvl>."""

    def __init__(self, element):
        def val(tag: str, default: str = "") -> str:
            child = element.find(W + tag)
            return child.get(W + "val", default) if child is not None else default
        self.format = val("numFmt", "decimal")
        self.text = val("lvlText", "%1.")
        self.start = _int(val("start", "1"), 1)
        self.legal = element.find(W + "isLgl") is not None and val("isLgl", "1") not in ("0", "false")
        self.style = val("pStyle")


class Numbering:
    """numbering.xml and the paragraph styles that carry a list: where a paragraph's label comes from."""

    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes | None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}   # numId -> (abstractNumId, {ilvl: start})
        self.levels_override: dict[str, dict[int, Level]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        if numbering_xml:
            root = etree.fromstring(numbering_xml, _PARSER)
            for a in root.iter(W + "abstractNum"):
                levels = {_int(lvl.get(W + "ilvl"), 0): Level(lvl) for lvl in a.findall(W + "lvl")}
                self.abstract[a.get(W + "abstractNumId", "")] = levels
                for ilvl, level in levels.items():   # a style linked from the level: Heading 1 -> "Chương %1"
                    if level.style:
                        self.style_num.setdefault(level.style, (None, ilvl))
            for n in root.iter(W + "num"):
                num_id = n.get(W + "numId", "")
                ref = n.find(W + "abstractNumId")
                starts, own = {}, {}
                for o in n.findall(W + "lvlOverride"):
                    ilvl = _int(o.get(W + "ilvl"), 0)
                    so = o.find(W + "startOverride")
                    if so is not None:
                        starts[ilvl] = _int(so.get(W + "val"), 1)
                    lvl = o.find(W + "lvl")
                    if lvl is not None:
                        own[ilvl] = Level(lvl)
                self.nums[num_id] = (ref.get(W + "val", "") if ref is not None else "", starts)
                self.levels_override[num_id] = own
            # a level's pStyle names the style; find which numId uses that abstract numbering
            for num_id, (abstract_id, _) in self.nums.items():
                for ilvl, level in self.abstract.get(abstract_id, {}).items():
                    if level.style and self.style_num.get(level.style, (None,))[0] is None:
                        self.style_num[level.style] = (num_id, ilvl)
        if styles_xml:
            root = etree.fromstring(styles_xml, _PARSER)
            for s in root.iter(W + "style"):
                if s.get(W + "type") != "paragraph":
                    continue
                sid = s.get(W + "styleId", "")
                based = s.find(W + "basedOn")
                if based is not None:
                    self.style_parent[sid] = based.get(W + "val", "")
                num_pr = s.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    num_id, ilvl = _num_pr(num_pr)
                    self.style_num[sid] = (num_id, ilvl if ilvl is not None else 0)

    def level(self, num_id: str, ilvl: int) -> Level | None:
        own = self.levels_override.get(num_id, {}).get(ilvl)
        if own is not None:
            return own
        abstract_id = self.nums.get(num_id, ("", {}))[0]
        return self.abstract.get(abstract_id, {}).get(ilvl)

    def of_style(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_parent.get(style)
        return None, None


class Counters:
    """Word's counters: one per (abstract numbering, level); a num with startOverride restarts."""

    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.values: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The text Word shows before this paragraph, or None for a bullet (left to mammoth)."""
        n = self.numbering
        level = n.level(num_id, ilvl)
        if level is None or level.format == "bullet":
            return None
        abstract_id, starts = n.nums.get(num_id, (num_id, {}))
        values = self.values.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for at, start in starts.items():
                values[at] = start - 1
        values[ilvl] = values.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in values if k > ilvl]:
            del values[deeper]
        text = level.text
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token in text:
                other = n.level(num_id, k - 1)
                value = values.get(k - 1, other.start if other else 1)
                fmt = "decimal" if level.legal else (other.format if other else "decimal")
                text = text.replace(token, _format(value, fmt))
        return text.strip() or None


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out, value = out + letters, value - number
    return out


def _int(text: str | None, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _num_pr(num_pr) -> tuple[str | None, int | None]:
    num = num_pr.find(W + "numId")
    ilvl = num_pr.find(W + "ilvl")
    return (num.get(W + "val") if num is not None else None,
            _int(ilvl.get(W + "val"), 0) if ilvl is not None else None)


def _parts(z: zipfile.ZipFile) -> tuple[str, str | None, str | None]:
    """The main document part and its numbering and styles parts, by their relationships."""
    main = "word/document.xml"
    try:
        rels = etree.fromstring(z.read("_rels/.rels"), _PARSER)
        for rel in rels.iter(f"{{{R_NS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", main).lstrip("/")
    except KeyError:
        pass
    folder, name = posixpath.split(main)
    found: dict[str, str] = {}
    try:
        rels = etree.fromstring(z.read(posixpath.join(folder, "_rels", name + ".rels")), _PARSER)
        for rel in rels.iter(f"{{{R_NS}}}Relationship"):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind in ("numbering", "styles") and rel.get("TargetMode") != "External":
                found[kind] = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
    except KeyError:
        pass
    return main, found.get("numbering"), found.get("styles")


def with_labels(docx: bytes) -> bytes:
    """The .docx with every numbered paragraph's label written as text (bullets left as lists).
    The file comes back unchanged when it has no numbered paragraph."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        main, numbering_name, styles_name = _parts(z)
        names = set(z.namelist())
        if numbering_name not in names:
            return docx
        numbering = Numbering(z.read(numbering_name), z.read(styles_name) if styles_name in names else None)
        root = etree.fromstring(z.read(main), _PARSER)
        counters = Counters(numbering)
        changed = False
        # mc:AlternateContent holds a text box twice (Choice and Fallback); mammoth reads the Fallback
        hidden = {id(p) for choice in root.iter(MC + "Choice") for p in choice.iter(W + "p")}
        for p in root.iter(W + "p"):
            if id(p) in hidden:
                continue
            ppr = p.find(W + "pPr")
            num_id, ilvl = _num_pr(ppr.find(W + "numPr")) if ppr is not None and ppr.find(W + "numPr") is not None \
                else (None, None)
            if num_id is None:
                style = ppr.find(W + "pStyle") if ppr is not None else None
                style_num, style_lvl = numbering.of_style(style.get(W + "val") if style is not None else None)
                num_id = style_num
                ilvl = ilvl if ilvl is not None else style_lvl
            if not num_id or num_id == "0":
                continue
            label = counters.label(num_id, ilvl or 0)
            if label is None:
                continue
            _write_label(p, ppr, label)
            changed = True
        if not changed:
            return docx
        document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for info in z.infolist():
                new.writestr(info, document if info.filename == main else z.read(info.filename))
        return out.getvalue()


def _write_label(p, ppr, label: str) -> None:
    """The label as the paragraph's first run, and the paragraph out of its list (numId 0)."""
    if ppr is None:
        ppr = etree.SubElement(p, W + "pPr")
        p.insert(0, ppr)
    old = ppr.find(W + "numPr")
    if old is not None:
        ppr.remove(old)
    num_pr = etree.Element(W + "numPr")
    etree.SubElement(num_pr, W + "ilvl").set(W + "val", "0")
    etree.SubElement(num_pr, W + "numId").set(W + "val", "0")
    style = ppr.find(W + "pStyle")
    ppr.insert(1 if style is not None and ppr.index(style) == 0 else 0, num_pr)
    run = etree.Element(W + "r")
    t = etree.SubElement(run, W + "t")
    t.set(XML_SPACE, "preserve")
    t.text = label + " "
    p.insert(p.index(ppr) + 1, run)
