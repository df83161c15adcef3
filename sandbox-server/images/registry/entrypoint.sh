#!/bin/sh
# Like the official image: a config file argument means `serve` it; anything else runs as given.
set -e
case "${1:-}" in
  *.yaml|*.yml) set -- docker-registry serve "$@" ;;
  serve|garbage-collect|help|-*) set -- docker-registry "$@" ;;
esac
exec "$@"
