#!/usr/bin/env bash
# Builds the networked bare-metal node (src/bin/network) for the ESP32-C3's core
# (riscv32imc) and runs it under QEMU's `virt` machine until killed, as node ID,
# its UART wired to the MQTT broker at HOST:PORT: QEMU opens the TCP connection
# (and opens it again when it drops), the firmware speaks MQTT over the UART, and
# its log comes out here through semihosting. Start the broker first.
#
#   bash examples/bare-metal/run-qemu.sh --broker 127.0.0.1:1883 --node-id 7C9EBD4A1B2C
#
# Prints one line when QEMU has started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

usage() {
    echo "usage: $0 --broker HOST:PORT --node-id ID" >&2
    exit 2
}

broker="" node_id=""
while [ $# -gt 0 ]; do
    case "$1" in
    --broker) broker="${2:-}"; shift 2 || usage ;;
    --node-id) node_id="${2:-}"; shift 2 || usage ;;
    *) usage ;;
    esac
done
[ -n "$broker" ] && [ -n "$node_id" ] || usage
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
    --target "$target" --profile firmware
target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
firmware="$target_dir/$target/firmware/network"

qemu-system-riscv32 -machine virt -cpu rv32 -smp 1 -m 64M -nographic -bios none \
    -monitor none -semihosting-config enable=on,target=native \
    -serial "tcp:$broker,reconnect=1" -kernel "$firmware" &
qemu=$!
trap 'kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null; exit 0' INT TERM
echo "qemu started (pid $qemu): node $node_id on mqtt://$broker, firmware $firmware"
wait "$qemu"
