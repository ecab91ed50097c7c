#!/usr/bin/env bash
# Builds the ESP32-C3 example (examples/esp32c3: Wi-Fi, embassy-net, TLS 1.3,
# rainmaker-embedded's driver) for riscv32imc-unknown-none-elf with throwaway
# configuration (it cannot run here: no ESP32, no emulator for it), lints it, and
# prints its flash split into the RainMaker library, the MQTT client, TLS and the
# rest (Wi-Fi, network stack, HAL, runtime), by symbol.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rustup target add riscv32imc-unknown-none-elf >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(
    cd "$work"
    openssl ecparam -name prime256v1 -genkey -noout -out key.pem
    openssl req -x509 -new -key key.pem -subj "/CN=7C9EBD4A1B2C" -days 2 -out cert.pem
    openssl x509 -in cert.pem -outform der -out cert.der
    openssl pkcs8 -topk8 -nocrypt -in key.pem -outform der -out key.der
) >/dev/null 2>&1
export WIFI_SSID=ci-network WIFI_PASSWORD=ci-password \
    RAINMAKER_BROKER_HOST=broker.example.com RAINMAKER_NODE_ID=7C9EBD4A1B2C \
    RAINMAKER_CA="$work/cert.der" RAINMAKER_CERT="$work/cert.der" RAINMAKER_KEY="$work/key.der"

cd examples/esp32c3
cargo fmt --check
cargo clippy -q --release --locked -- -D warnings
cargo build -q --release --locked
elf=target/riscv32imc-unknown-none-elf/release/rainmaker-esp32c3

# What goes to flash: code, read-only data and the initial values of data.
total=0
for size in $(readelf -S -W "$elf" |
    sed -n 's/^ *\[ *[0-9]*\] *\.\(text\|rodata\|rwtext\|data\)[^ ]* *PROGBITS *[0-9a-f]* *[0-9a-f]* *\([0-9a-f]*\).*/\2/p'); do
    total=$((total + 16#$size))
done

# By symbol, each in the first group its demangled name mentions.
nm -S -C -t d --size-sort "$elf" | awk -v total="$total" '
    $3 ~ /^[tTrRdD]$/ {
        size = $2 + 0
        name = $0
        if (name ~ /rainmaker_embedded::tls|embedded_tls|p256::|elliptic_curve|ecdsa::|primeorder|aes_gcm|aes::|ctr::|ghash|polyval|sha2::|hkdf::|hmac::|crypto_bigint|der::|signature::/)
            group = 3
        else if (name ~ /rainmaker_embedded/)
            group = 2
        else if (name ~ /rainmaker_types|rainmaker_tlv|rainmaker_example_devices|serde_json|serde::|nom::|smallvec|libm::/)
            group = 1
        else
            group = 4
        sums[group] += size
        counted += size
    }
    END {
        names[1] = "RainMaker library (rainmaker-types, -tlv, serde_json)"
        names[2] = "MQTT client and driver (rainmaker-embedded)"
        names[3] = "TLS (embedded-tls, P-256, AES-GCM, SHA-2)"
        names[4] = "the rest (Wi-Fi, embassy-net, HAL, runtime, core)"
        printf "ESP32-C3 firmware flash: %d bytes (%d KiB)\n", total, total / 1024
        for (group = 1; group <= 4; group++)
            printf "  %-55s %7d bytes (%d KiB)\n", names[group], sums[group], sums[group] / 1024
        printf "  %-55s %7d bytes\n", "in no symbol (alignment, section data)", total - counted
    }'
