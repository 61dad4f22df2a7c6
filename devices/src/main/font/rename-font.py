"""Renames a subset of Noto Sans CJK SC as the SIL OFL 1.1 asks of a Modified Version.

Usage: rename-font.py IN.otf OUT.otf
The primary font names (name table IDs 1, 2, 3, 4, 6, 16, 17 and the CFF table's names) become
"Cardterm Face Sans"; the copyright, trademark, designer, licence and licence-URL entries stay, and
the description (ID 10) says what was changed and from what.
"""
import sys
from fontTools.ttLib import TTFont

FAMILY = "Cardterm Face Sans"
PS_NAME = "CardtermFaceSans-Regular"

src, dst = sys.argv[1], sys.argv[2]
font = TTFont(src)
name = font["name"]
original_full = name.getDebugName(4)
original_version = name.getDebugName(5)
for nid in (1, 2, 3, 4, 6, 16, 17, 10):
    name.removeNames(nameID=nid)
entries = {
    1: FAMILY,
    2: "Regular",
    3: original_version.split(";")[0].replace("Version ", "") + ";cardterm;" + PS_NAME,
    4: FAMILY + " Regular",
    6: PS_NAME,
    10: "A Modified Version (subset: the characters GBK encodes, and renamed) of " + original_full
        + ", " + original_version.split(";")[0] + ", made for the card faces of cardterm; "
        "SIL Open Font License 1.1.",
}
for nid, text in entries.items():
    name.setName(text, nid, 3, 1, 0x409)   # Windows, Unicode BMP, English (US)
    name.setName(text, nid, 1, 0, 0)       # Macintosh, Roman, English
cff = font["CFF "].cff
old_ps = cff.fontNames[0]
cff.fontNames[0] = PS_NAME
top = cff[PS_NAME] if PS_NAME in cff else cff.topDictIndex[0]
top.FullName = FAMILY + " Regular"
top.FamilyName = FAMILY
if hasattr(top, "FDArray"):
    for fd in top.FDArray:
        if getattr(fd, "FontName", None):
            fd.FontName = fd.FontName.replace(old_ps, PS_NAME)
font.save(dst)
# nothing of the reserved or original names is left in a primary name
check = TTFont(dst)
for rec in check["name"].names:
    if rec.nameID in (1, 2, 3, 4, 6, 16, 17):
        text = rec.toUnicode()
        assert "Noto" not in text and "Source" not in text, (rec.nameID, text)
assert "Noto" not in check["CFF "].cff.fontNames[0]
