#!/usr/bin/env bash
# A repeated-fault run on loopback: `rainmaker sim` (NODES nodes, ROUNDS rounds)
# against a local mosquitto with persistence on, which is stopped with SIGTERM
# three times and killed with SIGKILL three times, each time restarted after
# DOWN_S seconds. Prints the sim's summary and how many times the broker went
# away. Bounded: the sim settles for at most 60 s after its last round.
#
#   bash scripts/fault-run.sh            # 500 nodes, 120 rounds every 250 ms
#   NODES=200 ROUNDS=60 bash scripts/fault-run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODES="${NODES:-500}"
ROUNDS="${ROUNDS:-120}"
INTERVAL_MS="${INTERVAL_MS:-250}"
DOWN_S="${DOWN_S:-1}"
PORT="${PORT:-18883}"
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

cargo build --release --locked -q -p rainmaker-cli
dir="$(mktemp -d)"
chmod 777 "$dir"
cat > "$dir/mosquitto.conf" <<CONF
persistence true
persistence_location $dir/
autosave_interval 1
autosave_on_changes true
log_dest file $dir/mosquitto.log
allow_anonymous true
max_queued_messages 100000
set_tcp_nodelay true
listener $PORT 127.0.0.1
CONF

broker=""
start_broker() {
    "$MOSQUITTO" -c "$dir/mosquitto.conf" &
    broker=$!
    sleep 0.5
}
cleanup() {
    [ -n "$broker" ] && kill -KILL "$broker" 2>/dev/null || true
    [ -n "${sim:-}" ] && kill -KILL "$sim" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT

start_broker
target="${CARGO_TARGET_DIR:-target}"
"$target/release/rainmaker" sim --broker "mqtt://127.0.0.1:$PORT" \
    --nodes "$NODES" --rounds "$ROUNDS" --interval-ms "$INTERVAL_MS" \
    --settle-s 60 --allow-duplicates --summary "$dir/summary.json" &
sim=$!
sleep 8
for signal in TERM KILL TERM KILL TERM KILL; do
    kill "-$signal" "$broker"
    wait "$broker" 2>/dev/null || true
    echo "broker stopped with SIG$signal; back in ${DOWN_S}s" >&2
    sleep "$DOWN_S"
    start_broker
    sleep 4
done
status=0
wait "$sim" || status=$?
cat "$dir/summary.json"
echo
echo "sim exit status: $status"
exit "$status"
