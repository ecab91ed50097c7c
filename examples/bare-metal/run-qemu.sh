#!/usr/bin/env bash
# Builds the networked bare-metal node (src/bin/network) for the ESP32-C3's core
# (riscv32imc) and runs it under QEMU's `virt` machine until killed, as node ID,
# its UART wired to the MQTT broker at HOST:PORT: QEMU opens the TCP connection
# (and opens it again when it drops), the firmware speaks MQTT over the UART, and
# its log comes out here through semihosting. Start the broker first.
#
#   bash examples/bare-metal/run-qemu.sh --broker 127.0.0.1:1883 --node-id 7C9EBD4A1B2C
#
# With --ca, --cert and --key (DER files: the CA of the broker's certificate, the
# node's certificate and its P-256 key), the node speaks TLS 1.3 with that client
# certificate, the broker's certificate checked against --server-name (default
# localhost).
#
# Prints one line when QEMU has started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

usage() {
    echo "usage: $0 --broker HOST:PORT --node-id ID [--ca CA.der --cert NODE.der --key NODE.key.der [--server-name NAME]]" >&2
    exit 2
}

broker="" node_id="" ca="" cert="" key="" server_name=localhost
while [ $# -gt 0 ]; do
    case "$1" in
    --broker) broker="${2:-}"; shift 2 || usage ;;
    --node-id) node_id="${2:-}"; shift 2 || usage ;;
    --ca) ca="${2:-}"; shift 2 || usage ;;
    --cert) cert="${2:-}"; shift 2 || usage ;;
    --key) key="${2:-}"; shift 2 || usage ;;
    --server-name) server_name="${2:-}"; shift 2 || usage ;;
    *) usage ;;
    esac
done
[ -n "$broker" ] && [ -n "$node_id" ] || usage
features=()
if [ -n "$ca$cert$key" ]; then
    [ -f "$ca" ] && [ -f "$cert" ] && [ -f "$key" ] || {
        echo "error: TLS needs --ca, --cert and --key, each an existing DER file" >&2
        exit 2
    }
    # Built in with include_bytes!, which takes absolute paths.
    export RAINMAKER_CA="$(realpath "$ca")" RAINMAKER_CERT="$(realpath "$cert")" \
        RAINMAKER_KEY="$(realpath "$key")" RAINMAKER_SERVER_NAME="$server_name"
    features=(--features tls)
fi
case "$broker" in
*:*) ;;
*) echo "error: --broker takes HOST:PORT, got $broker" >&2; exit 2 ;;
esac

target=riscv32imc-unknown-none-elf
rustup target add "$target" >/dev/null 2>&1 || true
if ! command -v qemu-system-riscv32 >/dev/null; then
    echo "error: qemu-system-riscv32 is missing (Debian: apt-get install qemu-system-misc)" >&2
    exit 1
fi

# The node id is built in (RAINMAKER_NODE_ID); cargo rebuilds when it changes.
RAINMAKER_NODE_ID="$node_id" cargo build -q --locked -p rainmaker-bare-metal --bin network \
    --target "$target" --profile firmware "${features[@]}"
target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
firmware="$target_dir/$target/firmware/network"

qemu-system-riscv32 -machine virt -cpu rv32 -smp 1 -m 64M -nographic -bios none \
    -monitor none -semihosting-config enable=on,target=native \
    -serial "tcp:$broker,reconnect=1" -kernel "$firmware" &
qemu=$!
trap 'kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null; exit 0' INT TERM
scheme=mqtt
[ ${#features[@]} = 0 ] || scheme=mqtts
echo "qemu started (pid $qemu): node $node_id on $scheme://$broker, firmware $firmware"
wait "$qemu"
