#!/usr/bin/env bash
# Makes sure a Docker Engine answers: uses the one running, or installs Debian's
# docker.io and starts dockerd in the background, waiting for its socket.
set -euo pipefail

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  echo "engine $(docker version --format '{{.Server.Version}}') is running"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "No Docker Engine answers. Start Docker (Docker Desktop, or 'sudo systemctl start docker') and try again." >&2
    exit 1
  fi
  echo "installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if [ "$(id -u)" != 0 ]; then
  echo "No Docker Engine answers. Start it ('sudo systemctl start docker') and try again." >&2
  exit 1
fi
echo "starting dockerd"
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 300); do
  if engine_answers; then
    echo "engine $(docker version --format '{{.Server.Version}}') is running"
    exit 0
  fi
  sleep 0.2
done
echo "dockerd did not answer within 60 s; its log:" >&2
tail -n 50 /var/log/dockerd.log >&2
exit 1
