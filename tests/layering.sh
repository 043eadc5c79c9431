#!/usr/bin/env bash
# Dependencies point one way (DESIGN.md): core includes only core; distributions, estimators
# and reports include core and themselves; suite may include all of them; nothing includes
# suite but suite, python, tests, bench, fuzz and examples. Fails naming each include that
# points up.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
allowed() {  # the folders a folder may include from
  case "$1" in
    core) echo "core" ;;
    distributions) echo "core distributions" ;;
    estimators) echo "core estimators" ;;
    reports) echo "core reports" ;;
  esac
}
bad=0
for folder in core distributions estimators reports; do
  ok=" $(allowed "$folder") "
  # Every quoted include of a project folder, as FILE:LINE:#include "FOLDER/...".
  while IFS= read -r hit; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$hit")
    case "$target" in core | distributions | estimators | reports | suite | python) ;; *) continue ;; esac
    if [[ "$ok" != *" $target "* ]]; then
      echo "layering: $hit: $folder may include only from: $(allowed "$folder")" >&2
      bad=1
    fi
  done < <(grep -rnE '^\s*#\s*include "[a-z_]+/' "$folder" --include='*.hpp' --include='*.cpp' \
           --include='*.inc' || true)
done
[ "$bad" -eq 0 ] && echo "layering: every include points down"
exit "$bad"
