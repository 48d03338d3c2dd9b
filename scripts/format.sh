#!/usr/bin/env bash
# Formats the C++ sources (engine/, bindings/, tests/engine/, bench/native/) with clang-format
# and the repository's .clang-format.
#
#   scripts/format.sh            rewrite every unformatted file in place
#   scripts/format.sh --check    change nothing; list the unformatted files, exit 1 if any
#   scripts/format.sh [--check] FILE...   only these files
#
# Only files git knows (tracked, or new and not ignored) are considered, so build/ and .deps/
# never are; outside a git checkout, the same directories on disk.
# clang-format 14 (Debian bookworm's `clang-format` package) is what the style was written
# for; set CLANG_FORMAT to use another binary. `npm test` runs --check, so the tree stays formatted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

check=0
files=()
for a in "$@"; do
  case "$a" in
    --check) check=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "format.sh: unknown option $a (allowed: --check)" >&2; exit 2 ;;
    *) files+=("$a") ;;
  esac
done

clang_format=${CLANG_FORMAT:-}
if [ -z "$clang_format" ]; then
  for c in clang-format clang-format-14; do
    if command -v "$c" >/dev/null; then clang_format=$c; break; fi
  done
fi
if [ -z "$clang_format" ] || ! command -v "$clang_format" >/dev/null; then
  echo "format.sh: clang-format not found. Install it (Debian: sudo apt-get install -y clang-format)" >&2
  echo "           or point CLANG_FORMAT at a clang-format binary (version 14 or newer)." >&2
  exit 2
fi
version=$("$clang_format" --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')
if [ -n "$version" ] && [ "$version" -lt 14 ]; then
  echo "format.sh: $clang_format is version $version; .clang-format needs 14 or newer" >&2
  exit 2
fi

if [ ${#files[@]} -eq 0 ]; then
  dirs=(engine bindings tests/engine bench/native)
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(for d in "${dirs[@]}"; do
      git ls-files --cached --others --exclude-standard -- "$d/*.cpp" "$d/*.h"; done)
  else  # an unpacked archive: the same directories, found on disk
    mapfile -t files < <(find "${dirs[@]}" -type f \( -name '*.cpp' -o -name '*.h' \) 2>/dev/null | sort)
  fi
fi

unformatted=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! "$clang_format" --style=file "$f" | cmp -s - "$f"; then unformatted+=("$f"); fi
done

if [ $check = 1 ]; then
  if [ ${#unformatted[@]} -gt 0 ]; then
    echo "format.sh: ${#unformatted[@]} file(s) not formatted (run scripts/format.sh):" >&2
    printf '  %s\n' "${unformatted[@]}" >&2
    exit 1
  fi
  echo "format.sh: all ${#files[@]} file(s) formatted"
  exit 0
fi

for f in "${unformatted[@]}"; do
  "$clang_format" --style=file -i "$f"
  echo "formatted $f"
done
echo "format.sh: ${#unformatted[@]} of ${#files[@]} file(s) rewritten"
