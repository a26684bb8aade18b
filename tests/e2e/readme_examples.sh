#!/usr/bin/env bash
# Runs the README's examples as a reader would: on a fresh demo folder, with
# the real binary serving it, each block marked `<!-- example: tested -->`
# runs in order in its own `bash -euo pipefail`, from the folder holding
# ./data, with $EXEMPLAR pointing at the server and `exemplar` on PATH. A
# block must exit 0; an `<!-- example: output -->` block after it lists lines
# its output must hold, in order (`…` stands for any text). The demo's own
# printout is checked against the block marked `<!-- example: demo output -->`.
# Every sh block must be marked tested or illustrative.
#
# Usage: readme_examples.sh EXEMPLAR_BINARY README.md
set -euo pipefail

binary=$(realpath "$1")
readme=$(realpath "$2")
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# Splits the README into numbered files under $work/blocks: N.tested,
# N.illustrative, N.output and N.demo-output, each holding the block's
# lines, and N.line holding the line where its fence opens.
extract_blocks() {
  mkdir -p "$work/blocks"
  awk -v out="$work/blocks" '
    function finish() { close(file); file = "" }
    /^<!-- example: [a-z -]+ -->$/ {
      kind = $3; if ($4 != "-->") kind = kind "-" $4
      marked = NR; next
    }
    /^```/ && !inside {
      inside = 1
      if (marked == NR - 1) {
        n++; file = out "/" n "." kind
        printf "" > file
        print NR > (out "/" n ".line"); close(out "/" n ".line")
      } else if ($0 ~ /^```(sh|bash|shell)/) {
        print "README.md:" NR ": sh block without an example marker" > "/dev/stderr"
        unmarked = 1
      }
      next
    }
    /^```$/ && inside { inside = 0; if (file != "") finish(); next }
    inside && file != "" { print > file }
    END { exit unmarked }
  ' "$readme" || fail "every sh block needs <!-- example: tested --> or <!-- example: illustrative -->"
}

# Checks that the lines of pattern file $1 occur in order in output file $2,
# `…` in a pattern matching any text.
expect_lines() {
  local patterns=$1 output=$2 pattern line found
  exec 3<"$output"
  while IFS= read -r pattern; do
    [ -n "$pattern" ] || continue
    # Glob characters are literal; `…` is the only wildcard.
    pattern=$(printf '%s' "$pattern" | sed 's/[][*?\\]/\\&/g; s/…/*/g')
    found=""
    while IFS= read -r line <&3; do
      # shellcheck disable=SC2053  # the pattern is a glob on purpose
      if [[ $line == $pattern ]]; then
        found=1
        break
      fi
    done
    if [ -z "$found" ]; then
      exec 3<&-
      echo "expected a line matching: $pattern" >&2
      return 1
    fi
  done <"$patterns"
  exec 3<&-
}

start_server() {
  "$binary" serve --data ./data --port 0 >serve.log 2>&1 &
  server_pid=$!
  local port=""
  for _ in $(seq 300); do
    # The log may not exist yet: the child opens it after the fork.
    port=$(sed -n 's|.*serving http://[^:]*:\([0-9]*\) .*|\1|p' serve.log 2>/dev/null || true)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || { cat serve.log >&2; fail "the server did not start"; }
  export EXEMPLAR="http://127.0.0.1:$port"
}

cd "$work"
extract_blocks

"$binary" demo --data ./data >demo.out 2>&1 || { cat demo.out >&2; fail "exemplar demo"; }
for expected in blocks/*.demo-output; do
  [ -e "$expected" ] || fail "README.md has no <!-- example: demo output --> block"
  expect_lines "$expected" demo.out ||
    { cat demo.out >&2; fail "the demo's printout differs from README.md line $(cat "${expected%.*}.line")"; }
done

start_server
PATH="$(dirname "$binary"):$PATH"
export PATH
count=0
for ((number = 1; ; number++)); do
  [ -e "blocks/$number.line" ] || break
  block="blocks/$number.tested"
  [ -e "$block" ] || continue
  line=$(cat "blocks/$number.line")
  count=$((count + 1))
  if ! bash -euo pipefail "$block" >"$block.out" 2>&1; then
    echo "--- README.md line $line:" >&2
    cat "$block" >&2
    echo "--- its output:" >&2
    cat "$block.out" >&2
    fail "the example at README.md line $line"
  fi
  expected="blocks/$((number + 1)).output"
  if [ -e "$expected" ]; then
    expect_lines "$expected" "$block.out" ||
      { cat "$block.out" >&2; fail "the output shown at README.md line $(cat "blocks/$((number + 1)).line")"; }
  fi
  echo "ok: README.md line $line"
done
[ "$count" -gt 0 ] || fail "README.md marks no tested example"

kill -0 "$server_pid" || fail "the server stopped during the examples"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly"
server_pid=""
echo "$count tested examples ran"
