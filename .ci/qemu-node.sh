#!/usr/bin/env bash
# The networked bare-metal node (examples/bare-metal, src/bin/network) under QEMU
# against a real mosquitto on loopback, as `examples/bare-metal/run-qemu.sh` runs
# it: `rainmaker check-node` drives it (config, init, writes and their deltas,
# commands over TLV, an OTA offer) and must find it conformant, first over plain
# MQTT, then over TLS 1.3 with a client certificate (P-256, certificates made
# here with openssl); then the broker restarts and the TLS node must come back on
# its persistent session. Prints the reconnect time and the firmware's heap and
# stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WAIT="${QEMU_NODE_WAIT:-90}"
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
work="$(mktemp -d)"
# Started as root, mosquitto drops to its own user, which must still read its
# certificates and write its persistence file here.
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

free_port() {
    local port=$1
    while listening "$port"; do port=$((port + 1)); done
    echo "$port"
}

echo "==> certificates (P-256): a CA, the broker (localhost), the nodes, the cloud"
tls="$work/tls"
mkdir -p "$tls"
(
    cd "$tls"
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=rainmaker qemu CA" -days 2 -out ca.pem \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    issue() { # name, subject CN, extensions
        openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
        openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
        printf '%s\n' "$3" >"$1.ext"
        openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
            -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    }
    issue server localhost "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
    issue node 7C9EBD4A1B2E "extendedKeyUsage=clientAuth"
    issue cloud cloud "extendedKeyUsage=clientAuth"
    openssl x509 -in ca.pem -outform der -out ca.der
    openssl x509 -in node.pem -outform der -out node.der
    openssl pkcs8 -topk8 -nocrypt -in node.key -outform der -out node.key.der
    chmod 644 ./*
) >/dev/null

plain=$(free_port 18900)
secure=$(free_port $((plain + 1)))
cat >"$work/mosquitto.conf" <<CONF
per_listener_settings false
allow_anonymous true
persistence true
persistence_location $work/
autosave_interval 1
log_dest stderr
log_type all
listener $plain 127.0.0.1
listener $secure 127.0.0.1
cafile $tls/ca.pem
certfile $tls/server.pem
keyfile $tls/server.key
require_certificate true
use_identity_as_username true
CONF
broker_pid=""
start_broker() {
    "$MOSQUITTO" -c "$work/mosquitto.conf" 2>>"$work/broker.log" &
    broker_pid=$!
    pids+=("$broker_pid")
    wait_for 10 listening "$plain" && wait_for 10 listening "$secure" ||
        fail "mosquitto does not listen on $plain and $secure"
}
start_broker

echo "==> building the firmware, plain and with TLS, and the CLI"
tls_firmware=(--ca "$tls/ca.der" --cert "$tls/node.der" --key "$tls/node.key.der")
RAINMAKER_NODE_ID=7C9EBD4A1B2D cargo build -q --locked -p rainmaker-bare-metal --bin network \
    --target riscv32imc-unknown-none-elf --profile firmware
RAINMAKER_NODE_ID=7C9EBD4A1B2E RAINMAKER_CA="$tls/ca.der" RAINMAKER_CERT="$tls/node.der" \
    RAINMAKER_KEY="$tls/node.key.der" cargo clippy -q --locked -p rainmaker-bare-metal \
    --bin network --target riscv32imc-unknown-none-elf --features tls -- -D warnings
cargo build -q --locked -p rainmaker-cli
target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
cli="$target_dir/debug/rainmaker"

# check-node against the firmware run by run-qemu.sh: node id, log name, then
# check-node's broker options, `--`, and run-qemu.sh's.
conversation() {
    local node_id=$1 name=$2
    shift 2
    local check_args=() qemu_args=()
    while [ "$1" != -- ]; do check_args+=("$1"); shift; done
    shift
    qemu_args=("$@")
    "$cli" check-node --node-id "$node_id" "${check_args[@]}" >"$work/$name-check.log" 2>&1 &
    local check=$!
    pids+=("$check")
    bash examples/bare-metal/run-qemu.sh --node-id "$node_id" "${qemu_args[@]}" \
        >"$work/$name-qemu.log" 2>&1 &
    qemu_script=$!
    pids+=("$qemu_script")
    local status=0
    wait "$check" || status=$?
    cat "$work/$name-check.log"
    [ "$status" = 0 ] || fail "check-node found the $name node not conformant (exit $status)"
    grep -q "qemu started" "$work/$name-qemu.log" || fail "run-qemu.sh printed no start line"
}

echo "==> check-node against the firmware under QEMU, plain MQTT (127.0.0.1:$plain)"
conversation 7C9EBD4A1B2D plain --broker "mqtt://127.0.0.1:$plain" -- --broker "127.0.0.1:$plain"
kill "$qemu_script"
grep "^memory:" "$work/plain-qemu.log" | tail -n 1

echo "==> check-node against the firmware under QEMU, TLS 1.3 with client certificates (127.0.0.1:$secure)"
conversation 7C9EBD4A1B2E tls --broker "mqtts://127.0.0.1:$secure" --ca "$tls/ca.pem" \
    --cert "$tls/cloud.pem" --key "$tls/cloud.key" --server-name localhost \
    -- --broker "127.0.0.1:$secure" "${tls_firmware[@]}"
grep "^memory:" "$work/tls-qemu.log" | tail -n 1

echo "==> the broker restarts; the TLS node comes back on its session"
connections() { grep -c "^Connected {" "$work/tls-qemu.log" || true; }
before="$(connections)"
kill "$broker_pid"
wait "$broker_pid" 2>/dev/null || true
start_broker
started=$(date +%s%N)
back() { [ "$(connections)" -gt "$before" ]; }
wait_for "$WAIT" back || fail "the node did not reconnect within $WAIT s"
elapsed=$((($(date +%s%N) - started) / 1000000))
grep "^Connected {" "$work/tls-qemu.log" | tail -n 1 | grep -q "session_present: true" ||
    fail "the broker did not keep the node's session"
echo "reconnected $elapsed ms after the broker came back (keep-alive 10 s, answer timeout 5 s)"
