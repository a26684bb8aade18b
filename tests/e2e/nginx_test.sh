#!/usr/bin/env bash
# The README's nginx configuration ("Behind nginx (TLS)") in front of the
# real binary, with a self-signed certificate: a person signs in over TLS
# and gets a Secure cookie, the client's own X-Forwarded-For is not
# believed, and the event stream comes through unbuffered.
# Skipped (exit 77) when nginx or openssl is not installed.
# Usage: nginx_test.sh EXEMPLAR_BINARY README.md
set -euo pipefail
binary=$1
readme=$(realpath "$2")
for tool in nginx openssl curl jq; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "SKIPPED: $tool is not installed (scripts/deps installs it)"
    exit 77
  fi
done
PATH="$PATH:/usr/sbin"
work=$(mktemp -d)
chmod 755 "$work"
server_pid=""
stream_pid=""
cleanup() {
  local pids=("$stream_pid" "$server_pid")
  [ -f "$work/nginx.pid" ] && pids+=("$(cat "$work/nginx.pid")")
  for pid in "${pids[@]}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  for log in serve.log error.log; do
    [ -f "$work/$log" ] && { echo "--- $log" >&2; tail -20 "$work/$log" >&2; }
  done
  exit 1
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
cd "$work"

"$binary" demo --data ./data >demo.out 2>&1 || fail "exemplar demo"
"$binary" serve --data ./data --port 0 --trusted-proxy 127.0.0.1 \
  --public-url https://exemplar.example.vn >serve.log 2>&1 &
server_pid=$!
port=""
for _ in $(seq 300); do
  # The log may not exist yet: the child opens it after the fork.
  port=$(sed -n 's|.*serving http://[^:]*:\([0-9]*\) .*|\1|p' serve.log 2>/dev/null || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the server did not start"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=exemplar.example.vn \
  -keyout exemplar.key -out exemplar.pem 2>/dev/null
tls_port=$(free_port)
# The README's server block, with this test's certificate and ports.
server_block=$(awk '/^```nginx$/ { inside = 1; next } /^```$/ && inside { exit } inside' "$readme" |
  sed -e "s|listen 443 ssl;|listen 127.0.0.1:$tls_port ssl;|" \
    -e "s|/etc/ssl/certs/exemplar.pem|$work/exemplar.pem|" \
    -e "s|/etc/ssl/private/exemplar.key|$work/exemplar.key|" \
    -e "s|127.0.0.1:8080|127.0.0.1:$port|")
[ -n "$server_block" ] || fail "README.md has no nginx block"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >nginx.conf <<CONF
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
    access_log $work/access.log;
    client_body_temp_path $work/client_body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
$server_block
}
CONF
nginx -p "$work" -c "$work/nginx.conf" || fail "nginx did not start"
base="https://exemplar.example.vn:$tls_port"
tls=(--cacert exemplar.pem --resolve "exemplar.example.vn:$tls_port:127.0.0.1")
for _ in $(seq 50); do
  curl -sS "${tls[@]}" "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# Sign in over TLS: the cookie is Secure; a forged X-Forwarded-For is not
# believed (nginx appends the address it saw, which the server takes).
curl -sS --fail-with-body "${tls[@]}" -D headers -c jar -H 'Content-Type: application/json' \
  -H 'X-Forwarded-For: 198.51.100.1' "$base/v1/session" \
  -d '{"user_id": "auditor-kh", "password": "demo-matkhau-2026"}' >me.json || fail "sign-in through nginx"
grep -qi '^set-cookie: exemplar_session=.*; Secure' headers || fail "the cookie is not Secure: $(cat headers)"
jq -e '.auth == "session"' me.json >/dev/null || fail "no session: $(cat me.json)"
curl -sS --fail-with-body "${tls[@]}" -b jar "$base/v1/session" | jq -e '.user_id == "auditor-kh"' >/dev/null ||
  fail "the session does not work through nginx"
ADMIN=$(jq -er .admin data/demo-tokens.json)
curl -sS --fail-with-body "${tls[@]}" -H "Authorization: Bearer $ADMIN" \
  "$base/v1/events?stream=credential-auditor-kh" |
  jq -e '[.events[] | select(.type == "signed_in")] | last | .remote_address == "127.0.0.1"' >/dev/null ||
  fail "the signed_in event does not name the proxied client"

# The event stream through nginx: a new event arrives while the stream is open.
curl -sSN "${tls[@]}" --max-time 8 -H "Authorization: Bearer $ADMIN" \
  "$base/v1/events/stream" >stream.out 2>/dev/null &
stream_pid=$!
sleep 1
started=$(date +%s%N)
curl -sS --fail-with-body "${tls[@]}" -b jar -H "X-CSRF-Token: $(jq -er .csrf_token me.json)" \
  -X DELETE "$base/v1/session" || fail "sign-out through nginx"
for _ in $(seq 40); do
  grep -q signed_out stream.out && break
  sleep 0.05
done
grep -q signed_out stream.out || fail "the event stream did not pass signed_out through nginx"
echo "ok: signed_out arrived through nginx in $((($(date +%s%N) - started) / 1000000)) ms"
echo "ok: nginx in front"
