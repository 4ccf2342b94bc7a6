#!/usr/bin/env bash
# memprobe acpi (host tool) on a saved acpidump of QEMU's tables
# (tests/data/acpi/qemu-pc-2nodes.acpidump, written by memprobe.efi on the
# seed VM): the decode, a dump cut short, input with nothing usable, and
# I/O errors, each with its exit status.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
tool="$here/build/memprobe"
dump="$here/tests/data/acpi/qemu-pc-2nodes.acpidump"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-acpi-tool.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

"$tool" acpi "$dump" >"$work/full.out"
check "saved dump: exit 0" test $? -eq 0
check "saved dump: the SRAT's nodes" grep -qxF "ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x13fffffff]" "$work/full.out"
check "saved dump: the MADT's CPUs" grep -qxF "memprobe: MADT: CPU 3: APIC 0x03, ACPI UID 3, enabled" "$work/full.out"
check "saved dump: no finding on QEMU's tables" bash -c "! grep -q 'Firmware Bug' '$work/full.out'"

# The dump cut in the middle of the DSDT: named as truncated, the rest still decoded.
awk '/^DSDT @/ { d = 1 } d && /^    0400:/ { exit } { print }' "$dump" >"$work/cut.txt"
"$tool" acpi "$work/cut.txt" >"$work/cut.out"
check "cut dump: still decoded (exit 0)" test $? -eq 0
check "cut dump: the DSDT named as truncated" \
	grep -q "^memprobe: acpidump line [0-9]*: table DSDT is truncated: its header says [0-9]* bytes, the dump holds 1024$" "$work/cut.out"
check "cut dump: the tables before it decoded" grep -q "^ACPI: FACP 0x" "$work/cut.out"

# Tables whose every header is broken: nothing usable is not success.
sed 's/^\(    0000: \)\(.. .. .. ..\) .. .. .. ../\1\2 00 00 00 00/' "$dump" | grep -v '^RSDP @' |
	awk '/^RSD PTR/ { next } { print }' >"$work/broken.txt"
"$tool" acpi "$work/broken.txt" >"$work/broken.out" 2>"$work/broken.err"
check "no usable table: exit 2" test $? -eq 2
check "no usable table: said" grep -q "no ACPI table in .* could be used" "$work/broken.err"

# Errors of the input and the output: named, exit 2.
check_io_errors "$tool" acpi "$dump" "$work"

finish acpi-tool-tests
