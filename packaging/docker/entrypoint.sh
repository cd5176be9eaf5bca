#!/usr/bin/env bash
# Entrypoint of the Tether image: the same knobs as the Node.js agent's image, then exec the
# agent so that it, not this shell, receives docker's SIGTERM (from tini, pid 1).
#   CLIENT_CONFIG_PATH  config file            default /config/agent-config.json
#   LOG_FILE            JSON-lines log          default /logs/agent.log
#   TZ                  zone for local times    passed through (tzdata is in the image)
# Arguments are tether's: none means `run`; `check`, `stats`, `--version` work as on a host.
set -euo pipefail

export CLIENT_CONFIG_PATH="${CLIENT_CONFIG_PATH:-/config/agent-config.json}"
export LOG_FILE="${LOG_FILE:-/logs/agent.log}"

if [ -n "${TZ:-}" ]; then
  export TZ
  zone="${TZ#:}"
  # A name like Europe/Berlin must exist in tzdata, else every local time is silently UTC.
  case "$zone" in
    */*)
      if [ ! -e "/usr/share/zoneinfo/$zone" ]; then
        echo "entrypoint: warning: TZ=$TZ is not a known time zone; times will be UTC" >&2
      fi
      ;;
  esac
fi

if [ "$#" -eq 0 ]; then
  set -- run
fi

exec tether "$@"
