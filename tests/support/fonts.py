"""Whether the chart font can draw a text (a missing glyph is drawn as an empty box)."""

from bot.exports.chart import font_path


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the chart font has no glyph for."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(font_path()))
    return {ch for ch in set(text) if not ch.isspace() and font.get_char_index(ord(ch)) == 0}
