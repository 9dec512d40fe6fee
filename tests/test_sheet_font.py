"""The printable sheet's own CJK font covers every Chinese name in the content release."""

from fontTools.ttLib import TTFont

from tools.sheet_cjk_font import FONT, chinese_characters


def test_the_sheet_font_has_every_character_of_the_points_chinese_names():
    characters = chinese_characters()
    covered = TTFont(FONT).getBestCmap()

    missing = [character for character in characters if ord(character) not in covered]

    assert len(characters) > 20
    assert not missing, f"Run `make sheet-font`: {''.join(missing)} not in {FONT.name}"


def test_the_sheet_font_keeps_its_own_name_and_truetype_outlines():
    font = TTFont(FONT)

    assert font["name"].getDebugName(6) == "SheetCJK-Regular"
    assert "glyf" in font
    assert "CFF " not in font
