#!/usr/bin/env bash
# Start a Docker engine in the background when none answers, and wait until it does.
# Used by CI and by developers on a machine without a service manager.
set -euo pipefail

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  echo "Docker engine already running: $(docker version --format '{{.Server.Version}}')"
  exit 0
fi
if [ -n "${DOCKER_HOST:-}" ]; then
  echo "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local engine." >&2
  exit 1
fi
command -v dockerd >/dev/null 2>&1 || { echo "dockerd is not installed (apt-get install docker.io)" >&2; exit 1; }

log_file=${DOCKERD_LOG:-/var/log/dockyard-dockerd.log}
pgrep -x containerd >/dev/null 2>&1 || { nohup containerd >"${log_file%.log}-containerd.log" 2>&1 & }
nohup dockerd --containerd=/run/containerd/containerd.sock >"$log_file" 2>&1 &
for _ in $(seq 1 60); do
  if engine_answers; then
    echo "Docker engine started: $(docker version --format '{{.Server.Version}}')"
    exit 0
  fi
  sleep 0.5
done
echo "Docker engine did not start; last lines of $log_file:" >&2
tail -n 30 "$log_file" >&2
exit 1
