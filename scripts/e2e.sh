#!/usr/bin/env bash
# npm run test:e2e: the Playwright tests, in a network namespace of their own where the machine
# allows it (root). The engine adds and removes a bridge for every sandbox, and Chromium aborts
# every load in flight (ERR_NETWORK_CHANGED) when the host's interfaces change; in a namespace
# that has only loopback, Chromium and the test server see none of it. The server still reaches
# the engine through its Unix socket.
set -euo pipefail
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && unshare --net true 2>/dev/null; then
  exec unshare --net sh -c 'ip link set lo up && exec npx playwright test "$@"' playwright "$@"
fi
exec npx playwright test "$@"
