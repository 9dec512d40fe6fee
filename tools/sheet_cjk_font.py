"""Rebuild static/fonts/sheet-cjk-regular.woff2: the Chinese names of the points in a content
release, cut from Noto Sans CJK SC (see static/fonts/README.txt for why and what).

    make sheet-font   # needs fonts-noto-cjk (apt) and the dev dependencies

tests/test_sheet_font.py fails when a release names a point with a character the font lacks.
"""

import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import newTable

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "content" / "guide.json"
FONT = ROOT / "static" / "fonts" / "sheet-cjk-regular.woff2"
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC = 2  # the face of the collection drawn for Simplified Chinese


def chinese_characters(release=RELEASE):
    """Every character of the points' Chinese names in a release file, sorted."""
    entries = json.loads(Path(release).read_text(encoding="utf-8"))
    names = "".join(
        entry["fields"].get("chinese_name", "")
        for entry in entries
        if entry["model"] == "points.point"
    )
    return "".join(sorted(set(names)))


def cut(characters):
    options = subset.Options()
    options.font_number = NOTO_SC
    options.hinting = False
    options.name_IDs = ["*"]
    options.layout_features = ["locl"]
    font = subset.load_font(str(NOTO), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    return font


def to_truetype(font):
    """Chromium embeds a CFF face in a PDF as anonymous Type 3 glyphs; a TrueType one keeps
    its name, which tests/browser/test_languages.py looks for."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for name in order:
        glyf.glyphs[name].recalcBounds(glyf)
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in [
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ]:
        setattr(maxp, field, 0)
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\0\1\0\0"


def rename(font):
    """ "Source" is a Reserved Font Name of the original, so the subset is "Sheet CJK"."""
    table = font["name"]
    for name_id in (1, 3, 4, 6, 16, 17):
        table.removeNames(nameID=name_id)
    for name_id, value in (
        (1, "Sheet CJK"),
        (3, "Sheet CJK Regular; subset"),
        (4, "Sheet CJK"),
        (6, "SheetCJK-Regular"),
    ):
        table.setName(value, name_id, 3, 1, 0x409)


def main():
    characters = chinese_characters()
    font = cut(characters)
    to_truetype(font)
    rename(font)
    font.flavor = "woff2"
    font.save(str(FONT))
    print(f"Wrote {FONT.relative_to(ROOT)}: {len(characters)} characters, {characters}")


if __name__ == "__main__":
    sys.exit(main())
