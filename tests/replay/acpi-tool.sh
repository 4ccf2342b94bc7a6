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

# A dump as acpidump writes it on a machine where it cannot read physical memory: no RSDP,
# every table "@ 0x0000000000000000".  No line may show address 0 as if Linux printed it.
awk '/^RSDP @/ { skip = 1; next } /^$/ { skip = 0 } !skip' "$dump" |
	sed 's/ @ 0x[0-9A-Fa-f]*$/ @ 0x0000000000000000/' >"$work/noaddr.txt"
"$tool" acpi "$work/noaddr.txt" >"$work/noaddr.out" 2>&1
check "no addresses: still decoded (exit 0)" test $? -eq 0
check "no addresses: the SRAT's nodes" grep -qxF "ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x13fffffff]" \
	"$work/noaddr.out"
check "no addresses: no table line at address 0" bash -c "! grep -q '^ACPI: [A-Z0-9]\{4\} 0x0000000000000000' '$work/noaddr.out'"
check "no addresses: no Reserving line" bash -c "! grep -q '^ACPI: Reserving' '$work/noaddr.out'"
check "no addresses: said once" test "$(grep -c 'the input gives no address for [0-9]* of them' "$work/noaddr.out")" -eq 1
check "no addresses: each table named without one" grep -qxF "memprobe: ACPI: SRAT at an unknown address, 272 bytes" \
	"$work/noaddr.out"

# Errors of the input and the output: named, exit 2.
check_io_errors "$tool" acpi "$dump" "$work"

finish acpi-tool-tests
