#!/usr/bin/env bash
# Makes the card face's font, devices/src/main/resources/cardterm/devices/printer/face/fonts/
# CardtermFaceSans-Regular.otf, and its licence OFL.txt beside it. Run once by a developer when the
# font must change; the result is committed and the build only copies it (it needs no fonttools).
#
# Source: Noto Sans CJK SC Regular 2.004 (SIL OFL 1.1), face 2 of NotoSansCJK-Regular.ttc in
# Debian bookworm's fonts-noto-cjk 1:20220127+repack1-1 (the .deb's SHA-256 is checked below).
# Cut to: every code point Java's GBK encoder takes (the chip's name field, chip-profile.md EF06
# record 2) but controls and private use (GbkCodePoints.java), plus face-texts.txt. Layout tables,
# vertical metrics and hints go (Java2D draws the face horizontally, at 300 dpi). Renamed as the
# OFL asks of a Modified Version (rename-font.py): "Noto" is Google's trademark and "Source" an
# Adobe Reserved Font Name.
#
# Needs: apt-get (reachable archive), dpkg-deb, fonttools 4.38.0 (Debian: apt-get install fonttools),
# a JDK 21+ (`java`). Usage: devices/src/main/font/make-font.sh [WORKDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/cardterm/devices/printer/face/fonts"
work=${1:-$(mktemp -d)}
mkdir -p "$work" "$out"

pkg_version='1:20220127+repack1-1'
pkg_sha256=4a2515eb6db3978b897fef9709ed0d2b1f4c6c4df4d83d6c4ef65f71f1b1f502
fonttools_version=4.38.0

py=/usr/bin/python3
have=$("$py" -c 'import fontTools; print(fontTools.version)' 2>/dev/null || true)
[ "$have" = "$fonttools_version" ] || { echo "need fonttools $fonttools_version for $py (found: ${have:-none}): apt-get install fonttools" >&2; exit 2; }
command -v java >/dev/null || { echo "need a JDK 21+ (java)" >&2; exit 2; }

cd "$work"
deb=(fonts-noto-cjk_*_all.deb)
if [ ! -f "${deb[0]}" ]; then
  apt-get download "fonts-noto-cjk=$pkg_version"
  deb=(fonts-noto-cjk_*_all.deb)
fi
echo "$pkg_sha256  ${deb[0]}" | sha256sum -c -
rm -rf pkg && dpkg-deb -x "${deb[0]}" pkg
ttc=pkg/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

java "$here/GbkCodePoints.java" > gbk-code-points.txt
# the face's own texts as code points
grep -v '^#' "$here/face-texts.txt" | "$py" -c 'import sys; print("\n".join(sorted({"U+%04X" % ord(c) for c in sys.stdin.read() if not c.isspace()})))' > face-code-points.txt
cat gbk-code-points.txt face-code-points.txt | sort -u > code-points.txt

pyftsubset "$ttc" --font-number=2 --unicodes-file=code-points.txt \
  --layout-features='' --drop-tables+=GSUB,GPOS,GDEF,BASE,vhea,vmtx,VORG \
  --no-hinting --notdef-outline --name-IDs='*' --name-languages='*' \
  --output-file=subset.otf
"$py" "$here/rename-font.py" subset.otf "$out/CardtermFaceSans-Regular.otf"

# The licence: the font's copyright notice, what was changed, and the OFL 1.1 text as Debian ships it.
{
  echo "CardtermFaceSans-Regular.otf"
  echo
  echo "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."
  echo "Noto is a trademark of Google Inc."
  echo
  echo "A Modified Version of Noto Sans CJK SC Regular 2.004 (https://github.com/googlefonts/noto-cjk,"
  echo "from Debian's fonts-noto-cjk $pkg_version): cut to the characters GBK encodes and the card"
  echo "face's texts, without layout, vertical metrics and hints, and renamed \"Cardterm Face Sans\""
  echo "(devices/src/main/font/make-font.sh in cardterm's sources). It is licensed under the SIL Open"
  echo "Font License, Version 1.1, as the original:"
  echo
  sed -n '/^License: SIL-1.1$/,/^License: /p' pkg/usr/share/doc/fonts-noto-cjk/copyright \
    | sed '1d;$d' | sed -n '/SIL OPEN FONT LICENSE/,$p' | sed 's/^ \.$//; s/^ //' | sed '1s/^/-----------------------------------------------------------\n/'
} > "$out/OFL.txt"

ls -l "$out"
