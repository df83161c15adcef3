#!/bin/sh
# Like the official image: `docker run redis --appendonly yes` means redis-server with those
# options, and a server started without a config file listens everywhere, protected mode off.
set -e
case "${1:-}" in -*) set -- redis-server "$@" ;; esac
if [ "${1:-}" = redis-server ]; then
  case " $* " in
    *" --protected-mode "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
  case "${2:-}" in
    *.conf) ;;
    *) case " $* " in *" --bind "*) ;; *) set -- "$@" --bind 0.0.0.0 ;; esac ;;
  esac
fi
exec "$@"
