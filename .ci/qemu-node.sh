#!/usr/bin/env bash
# The networked bare-metal node (examples/bare-metal, src/bin/network) under QEMU
# against a real mosquitto on loopback: `rainmaker check-node` drives it (config,
# init, writes and their deltas, commands over TLV, an OTA offer) and must find it
# conformant; then the broker is restarted and the node must come back on its
# persistent session. Prints the reconnect time and the firmware's heap and stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODE_ID=7C9EBD4A1B2D
WAIT="${QEMU_NODE_WAIT:-90}"
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
work="$(mktemp -d)"
# Started as root, mosquitto drops to its own user, which must still write its
# persistence file and log here.
chmod 777 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "error: $*" >&2
    for log in "$work"/*.log; do
        echo "--- $log" >&2
        tail -n 40 "$log" >&2
    done
    exit 1
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

port=18900
while listening "$port"; do port=$((port + 1)); done
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $work/
autosave_interval 1
log_dest stderr
log_type all
CONF
broker_pid=""
start_broker() {
    "$MOSQUITTO" -c "$work/mosquitto.conf" 2>>"$work/broker.log" &
    broker_pid=$!
    pids+=("$broker_pid")
    wait_for 10 listening "$port" || fail "mosquitto does not listen on $port"
}
start_broker

echo "==> building the firmware (node $NODE_ID) and the CLI"
RAINMAKER_NODE_ID="$NODE_ID" cargo build -q --locked -p rainmaker-bare-metal --bin network \
    --target riscv32imc-unknown-none-elf --profile firmware
cargo build -q --locked -p rainmaker-cli
target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"

echo "==> check-node against the firmware under QEMU (broker on 127.0.0.1:$port)"
"$target_dir/debug/rainmaker" check-node --broker "mqtt://127.0.0.1:$port" --node-id "$NODE_ID" \
    --report "$work/report.json" >"$work/check.log" 2>&1 &
check=$!
pids+=("$check")
bash examples/bare-metal/run-qemu.sh --broker "127.0.0.1:$port" --node-id "$NODE_ID" \
    >"$work/qemu.log" 2>&1 &
pids+=("$!")
status=0
wait "$check" || status=$?
cat "$work/check.log"
[ "$status" = 0 ] || fail "check-node found the firmware's node not conformant (exit $status)"
grep -q "qemu started" "$work/qemu.log" || fail "run-qemu.sh printed no start line"

echo "==> the broker restarts; the node comes back on its session"
connections() { grep -c "^Connected {" "$work/qemu.log" || true; }
before="$(connections)"
kill "$broker_pid"
wait "$broker_pid" 2>/dev/null || true
start_broker
started=$(date +%s%N)
back() { [ "$(connections)" -gt "$before" ]; }
wait_for "$WAIT" back || fail "the node did not reconnect within $WAIT s"
elapsed=$((($(date +%s%N) - started) / 1000000))
grep "^Connected {" "$work/qemu.log" | tail -n 1 | grep -q "session_present: true" ||
    fail "the broker did not keep the node's session"
echo "reconnected $elapsed ms after the broker came back (keep-alive 10 s, answer timeout 5 s)"
grep "^memory:" "$work/qemu.log" | tail -n 1
