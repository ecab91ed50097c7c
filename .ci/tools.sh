#!/usr/bin/env bash
# Installs the Debian packages of the command-line tools the CI scripts call when
# they are missing: openssl (test certificates for the QEMU and ESP32-C3 steps) and
# binutils (readelf and nm, for flash sizes).
set -euo pipefail

missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
{ command -v readelf >/dev/null 2>&1 && command -v nm >/dev/null 2>&1; } || missing+=(binutils)
if [ ${#missing[@]} = 0 ]; then
    echo "==> openssl, readelf and nm present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing ${missing[*]} and apt-get is not available" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "==> installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
