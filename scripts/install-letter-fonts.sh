#!/usr/bin/env bash
# Install the free faces the letters name first: FandolFang (仿宋, the body), FandolKai
# (楷体, run-in headings) and FandolHei (黑体), from Debian's texlive-lang-chinese.
# Debian puts them under TeX's tree, where fontconfig (and so WeasyPrint) does not look,
# so they are copied to /usr/local/share/fonts as well.
# Idempotent: does nothing when fontconfig already lists all three. Needs root (apt-get).
set -euo pipefail

faces=(FandolFang FandolKai FandolHei)
# The listing is read into a variable first: `fc-list | grep -q` fails under pipefail when
# grep stops reading early.
known() { local listed; listed=$(fc-list : family 2>/dev/null || true); grep -qi "$1" <<<"$listed"; }
missing=()
for face in "${faces[@]}"; do
  known "$face" || missing+=("$face")
done
[ ${#missing[@]} -eq 0 ] && exit 0

source_dir=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
target_dir=/usr/local/share/fonts/fandol

if [ ! -f "$source_dir/FandolFang-Regular.otf" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Without the recommended packages: they add some fifty other fonts, which would change
  # which face fontconfig falls back to for a glyph that no named font has.
  apt-get install -y -qq --no-install-recommends texlive-lang-chinese
fi

for face in "${faces[@]}"; do
  install -D -m 644 "$source_dir/$face-Regular.otf" "$target_dir/$face-Regular.otf"
done
fc-cache -f "$target_dir" >/dev/null
for face in "${faces[@]}"; do
  known "$face" || { echo "$face is still not known to fontconfig" >&2; exit 1; }
done
echo "Fandol fonts installed for the letters: ${faces[*]}."
