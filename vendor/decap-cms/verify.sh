#!/usr/bin/env bash
# Checks that dist/ is exactly the pinned decap-cms package from the npm
# registry: downloads the tarball named in package.json, checks its sha512
# integrity, and compares every file of dist/ with the package's.
# Run with UPDATE=1 to replace dist/ from the package (after changing the
# version, tarball and integrity in package.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
read -r tarball integrity < <(node -e '
  const p = require(process.argv[1]);
  console.log(p.medsite.tarball + " " + p.medsite.integrity);' "$here/package.json")
curl -fsSL "$tarball" -o "$work/package.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$work/package.tgz" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "decap-cms: the tarball's integrity is $actual, package.json pins $integrity" >&2
  exit 1
fi
tar -xzf "$work/package.tgz" -C "$work"
if [ "${UPDATE:-}" = 1 ]; then
  rm -rf "$here/dist"
  mkdir -p "$here/dist"
  (cd "$work/package/dist" && cp -- *decap-cms.js decap-cms.js.LICENSE.txt *.wasm "$here/dist/")
fi
status=0
for f in "$here"/dist/*; do
  name="$(basename "$f")"
  if ! cmp -s "$f" "$work/package/dist/$name"; then
    echo "decap-cms: dist/$name differs from the package" >&2
    status=1
  fi
done
for f in "$work"/package/dist/*decap-cms.js; do
  name="$(basename "$f")"
  [ -e "$here/dist/$name" ] || { echo "decap-cms: dist/$name is missing" >&2; status=1; }
done
[ "$status" = 0 ] && echo "decap-cms: dist/ ($(ls "$here/dist" | wc -l) files) is the registry's decap-cms $(node -p "require('$here/package.json').dependencies['decap-cms']")"
exit "$status"
