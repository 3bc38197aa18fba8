#!/bin/sh
# Records `ansible-config dump --only-changed` for each case directory here (run where Debian's
# ansible is installed; CI only reads the results). Each case runs in a copy of its directory,
# with HOME set beside it and the variables of its env.txt (one NAME=VALUE a line, taken
# verbatim); paths are written back as @DIR@ and @HOME@.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for case in "$here"/*/; do
  tmp=$(mktemp -d)
  mkdir -p "$tmp/home" "$tmp/case"
  cp -r "$case"/. "$tmp/case/"
  chmod 755 "$tmp" "$tmp/case"
  set --
  if [ -f "$case/env.txt" ]; then
    while IFS= read -r l; do set -- "$@" "$l"; done < "$case/env.txt"
  fi
  (cd "$tmp/case" && env -i PATH="$PATH" HOME="$tmp/home" LC_ALL=C.UTF-8 "$@" ansible-config dump --only-changed) \
    | sed "s#$tmp/case#@DIR@#g; s#$tmp/home#@HOME@#g" > "$case/expected.txt"
  rm -rf "$tmp"
done
