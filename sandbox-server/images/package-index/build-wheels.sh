#!/bin/sh
# Builds one wheel per line of packages.txt into $1: from Debian's copy of the upstream source
# (the *.orig.tar.* of `apt-get source`) when this mirror serves it unmodified, otherwise by
# repacking Debian's binary package (its upstream metadata and the modules it describes),
# with the WHEEL file's Generator naming the Debian package it came from.
set -eu
out="$1"; list="$2"
work=$(mktemp -d); mkdir -p "$out"
grep -v '^#' "$list" | awk 'NF == 3' > "$work/list"
cd "$work"
# Every URI at once (one resolver run), then the files in parallel; a 404 only drops that file.
awk '{ print $2 }' list | xargs apt-get source --print-uris -qq 2>/dev/null | grep "\.orig\.tar\." > src.uris || true
awk '{ print $3 }' list | xargs apt-get download --print-uris -qq > bin.uris
cat src.uris bin.uris | awk '{ gsub(/\x27/, "", $1); print $1, $2 }' \
  | xargs -P 8 -n 2 sh -c '/usr/lib/apt/apt-helper download-file "$0" "$1" >/dev/null 2>&1 || true'
while read -r name src bin; do
  orig=$(ls "${src}"_*.orig.tar.* 2>/dev/null | head -n1 || true)
  case "$orig" in *+ds*|*+dfsg*) orig="" ;; esac   # Debian removed files from these: not the upstream source
  if [ -n "$orig" ]; then
    mkdir "src-$name"; tar -C "src-$name" -xf "$orig"
    dir=$(find "src-$name" -mindepth 1 -maxdepth 1 -type d | head -n1)
    pip wheel --no-deps --no-build-isolation --no-index -q -w "$out" "$dir" > "build-$name.log" 2>&1 || { cat "build-$name.log"; exit 1; }
    echo "$name: built from $orig" | tee -a "$out/PROVENANCE"
  else
    deb=$(ls "${bin}"_*.deb 2>/dev/null | head -n1 || true)
    [ -n "$deb" ] || { echo "$name: neither $src's upstream source nor $bin is on this mirror" >&2; exit 1; }
    ver=$(dpkg-deb -f "$deb" Version)
    dpkg-deb -x "$deb" "root-$name"
    site="root-$name/usr/lib/python3/dist-packages"
    mkdir "pack-$name"
    for entry in "$site"/*; do
      case "$entry" in *.dist-info|*.egg-info|*/__pycache__) ;; *) cp -a "$entry" "pack-$name/" ;; esac
    done
    info=$(ls -d "$site"/*.dist-info 2>/dev/null | head -n1 || true)
    if [ -n "$info" ]; then
      cp -a "$info" "pack-$name/"
    else
      # Metadata 1.x/2.x from an egg-info becomes a dist-info: PKG-INFO is METADATA's format.
      egg=$(ls -d "$site"/*.egg-info | head -n1)
      info="pack-$name/$(basename "$egg" .egg-info).dist-info"
      mkdir "$info"; cp "$egg/PKG-INFO" "$info/METADATA"
      [ ! -f "$egg/top_level.txt" ] || cp "$egg/top_level.txt" "$info/"
      printf 'Wheel-Version: 1.0\nGenerator: x\nRoot-Is-Purelib: true\nTag: py3-none-any\n' > "$info/WHEEL"
    fi
    rm -f "pack-$name"/*.dist-info/RECORD "pack-$name"/*.dist-info/INSTALLER "pack-$name"/*.dist-info/direct_url.json
    find "pack-$name" -name __pycache__ -type d -prune -exec rm -rf {} +
    sed -i "s/^Generator: .*/Generator: Debian $bin $ver, repacked (its upstream source is not on this mirror)/" "pack-$name"/*.dist-info/WHEEL
    python3 -m wheel pack "pack-$name" -d "$out" > "pack-$name.log" 2>&1 || { cat "pack-$name.log"; exit 1; }
    echo "$name: repacked from Debian's $bin $ver" | tee -a "$out/PROVENANCE"
  fi
done < list
