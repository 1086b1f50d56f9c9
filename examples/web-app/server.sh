#!/bin/sh
# Serves HTTP on the port given as the first argument; stops cleanly on SIGTERM.
port="${1:-$PORT}"
trap 'echo "stopping"; kill "$server" 2>/dev/null; exit 0' TERM INT
echo "listening on 0.0.0.0:${port}"
nc -ll -p "$port" -e /app/handle.sh &
server=$!
wait "$server"
