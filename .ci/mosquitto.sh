#!/usr/bin/env bash
# Installs Debian's mosquitto broker when it is missing. The end-to-end tests
# of rainmaker-examples start their own mosquitto (own port, own
# configuration, TLS with certificates made at test time); they never use the
# system service or /etc/mosquitto.
set -euo pipefail

if command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; then
    echo "==> mosquitto present: $( (command -v mosquitto || echo /usr/sbin/mosquitto) | head -n1)"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "mosquitto is missing and apt-get is not available; install mosquitto 2.x" >&2
    exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi

echo "==> installing mosquitto"
$sudo apt-get update -qq
# The package may try to start its service; policy-rc.d or a missing init
# system refusing that is fine, the tests do not use it.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends mosquitto
/usr/sbin/mosquitto -h 2>&1 | head -n1 || true
