#!/usr/bin/env sh
# Refresh the vendored front-end libraries in static/vendor/ from the npm registry.
# Versions are pinned here; change a version, run this script, commit the result.
# Nothing is fetched at run time: the app serves these files itself.
set -eu

TABLER=1.6.1
HTMX=2.0.11
ECHARTS=6.1.0

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "@tabler/core@$TABLER" "htmx.org@$HTMX" "echarts@$ECHARTS" >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done

rm -rf "$dest" && mkdir -p "$dest/tabler/css" "$dest/tabler/js" "$dest/htmx" "$dest/echarts"
cp tabler-core-*/package/dist/css/tabler.min.css "$dest/tabler/css/"
cp tabler-core-*/package/dist/js/tabler.min.js "$dest/tabler/js/"
cp tabler-core-*/package/LICENSE "$dest/tabler/" 2>/dev/null || true
cp htmx.org-*/package/dist/htmx.min.js "$dest/htmx/"
cp htmx.org-*/package/LICENSE "$dest/htmx/" 2>/dev/null || true
cp echarts-*/package/dist/echarts.min.js "$dest/echarts/"
cp echarts-*/package/LICENSE "$dest/echarts/" 2>/dev/null || true

cat > "$dest/VERSIONS" <<VERSIONS
@tabler/core $TABLER
htmx.org $HTMX
echarts $ECHARTS
VERSIONS
echo "vendored into static/vendor: tabler $TABLER, htmx $HTMX, echarts $ECHARTS"
