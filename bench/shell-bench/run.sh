#!/bin/sh
# Shell benchmark (not part of the tests): output MB/s and keystroke echo p50/p99 on loopback.
#   bench/shell-bench/run.sh [--mb=100] [--keys=300] [--encoding=utf8|base64]
# Uses TETHER_AGENT_BIN when set; otherwise publishes the NativeAOT binary to /tmp/shell-bench-aot.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${TETHER_AGENT_BIN:-}" ]; then
  dotnet publish "$root/src/Tether" -c Release -r linux-x64 -o /tmp/shell-bench-aot >/dev/null
  TETHER_AGENT_BIN=/tmp/shell-bench-aot/tether
fi
[ -d "$root/tests/peer/node_modules/socket.io" ] || (cd "$root/tests/peer" && npm ci --silent)
TETHER_AGENT_BIN="$TETHER_AGENT_BIN" exec node "$root/bench/shell-bench/bench.js" "$@"
