"""The font types a PDF embeds, read from its font dictionaries (what ``pdffonts`` lists)."""

from __future__ import annotations

import re
from pathlib import Path

# PDF font subtypes (ISO 32000-1, 9.5-9.7): these names are /Subtype values of fonts only.
FONT_SUBTYPES = rb"Type0|Type1|MMType1|Type3|TrueType|CIDFontType0|CIDFontType2"


def font_subtypes(path: Path) -> set[str]:
    """Subtypes of the fonts in ``path``. Font dictionaries are plain PDF objects (only
    streams are compressed) unless packed in object streams, which this reader refuses."""
    data = Path(path).read_bytes()
    assert b"/ObjStm" not in data, f"{path}: object streams hide font dictionaries"
    found = re.findall(rb"/Subtype\s*/(" + FONT_SUBTYPES + rb")\b", data)
    return {name.decode() for name in found}
