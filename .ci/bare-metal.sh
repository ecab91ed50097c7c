#!/usr/bin/env bash
# Builds the node side for bare-metal RISC-V and runs it: rainmaker-tlv and
# rainmaker-types without std for the ESP32-C3's core (riscv32imc) and the
# ESP32-C6/H2's (riscv32imac), then the example firmware (examples/bare-metal) for
# both, each run under QEMU's `virt` machine: a scripted conversation compared byte
# for byte with the host build's. Fails when a build fails, the firmware reports a
# mismatch, QEMU does not exit in time, or the library's share of flash is over its
# 208 KiB budget. Prints the flash (.text + .rodata) of the firmware with and without
# the node, and the peak heap.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGETS=(riscv32imc-unknown-none-elf riscv32imac-unknown-none-elf)
QEMU_TIMEOUT="${QEMU_TIMEOUT:-120}"
# The library's share of the firmware's flash may not grow past 208 KiB. It was 150
# KiB before the conversation ran schedules: the schedule service, the engine, POSIX
# time zones and sunrise/sunset (with libm's trigonometry) add about 52 KiB.
FLASH_BUDGET=212992

rustup target add "${TARGETS[@]}" >/dev/null
if ! command -v qemu-system-riscv32 >/dev/null; then
    echo "installing qemu-system-misc"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq qemu-system-misc >/dev/null
fi

# Where cargo puts what it builds (CARGO_TARGET_DIR, a config's target-dir, or
# target/), as cargo itself says.
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
if [ -z "$TARGET_DIR" ]; then
    echo "error: cargo metadata gave no target directory" >&2
    exit 1
fi

flash() {
    # The sizes of the sections that go to flash on a device: code and read-only data.
    local sum=0 size
    for size in $(readelf -S -W "$1" | sed -n 's/^ *\[ *[0-9]*\] *\.\(text\|rodata\|srodata\)[^ ]* *[A-Z_]* *[0-9a-f]* *[0-9a-f]* *\([0-9a-f]*\).*/\2/p'); do
        sum=$((sum + 16#$size))
    done
    echo "$sum"
}

for target in "${TARGETS[@]}"; do
    echo "==> $target: libraries without std"
    cargo build -q --locked -p rainmaker-tlv --no-default-features --target "$target"
    cargo build -q --locked -p rainmaker-types --no-default-features --features derive --target "$target"

    echo "==> $target: the example firmware"
    cargo clippy -q --locked -p rainmaker-bare-metal --target "$target" -- -D warnings
    cargo build -q --locked -p rainmaker-bare-metal --target "$target" --profile firmware
    firmware="$TARGET_DIR/$target/firmware/rainmaker-bare-metal"
    log="$TARGET_DIR/$target/firmware/qemu.log"
    status=0
    timeout "$QEMU_TIMEOUT" qemu-system-riscv32 -machine virt -cpu rv32 -smp 1 -m 64M \
        -nographic -bios none -semihosting-config enable=on,target=native \
        -kernel "$firmware" >"$log" 2>&1 || status=$?
    cat "$log"
    if [ "$status" = 124 ]; then
        echo "error: the firmware did not exit within ${QEMU_TIMEOUT} s" >&2
        exit 1
    fi
    if [ "$status" != 0 ]; then
        echo "error: the firmware exited with status $status" >&2
        exit 1
    fi
    grep -q "all steps match the host" "$log"

    full=$(flash "$firmware")
    cp "$firmware" "$firmware.node"
    cargo build -q --locked -p rainmaker-bare-metal --target "$target" --profile firmware --features baseline
    baseline=$(flash "$firmware")
    mv "$firmware.node" "$firmware"
    library=$((full - baseline))
    echo "flash (.text + .rodata, opt-level s): with the node $full bytes, without $baseline bytes, library $library bytes ($((library / 1024)) KiB)"
    if [ "$library" -gt "$FLASH_BUDGET" ]; then
        echo "error: the library's share of flash is over its budget of $FLASH_BUDGET bytes (208 KiB)" >&2
        exit 1
    fi
done
