#!/bin/sh
# Handles one HTTP request on stdin/stdout.
read -r method target _version
while read -r header && [ "$(printf '%s' "$header" | tr -d '\r')" != "" ]; do :; done
path="${target%%\?*}"

respond() {
  printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${#3}" "$3"
  echo "$method $path -> ${1%% *}" >&2
}

case "$method $path" in
  "GET /ping")     respond "200 OK" "application/json" '{"status":"ok","message":"pong"}' ;;
  "GET /env-test") respond "200 OK" "application/json" "{\"greeting\":\"${GREETING}\"}" ;;
  "GET /")         respond "200 OK" "text/plain" "Try /ping or /env-test" ;;
  *)               respond "404 Not Found" "text/plain" "not found: $path" ;;
esac
