#!/usr/bin/env bash
# Broken firmware, booted: memprobe under OVMF on a VM given one broken
# table of tests/data/acpi/broken.sh each (through QEMU's -acpitable): an
# SRAT subtable past the end, a zero-length one, overlapping nodes, reserved
# flags, CPUs the tables disagree on, SLITs with a bad diagonal, with 10 off
# it and cut short, and more proximity domains than Linux has nodes.
# Every run must complete and power off, and name its defect in one clear
# line.  What Linux makes of the same VMs is compared by tests/linux.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-broken.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 \
	acpica-tools jq python3-jsonschema || exit 1
make -s -C "$here" image build/memprobe || exit 1

has_line() { grep -qxF -- "$2" "$work/$1.log"; }
count_lines() { grep -cF -- "$2" "$work/$1.log"; }

# boot CASE [EXTRA-TABLE]: memprobe on a pc VM (4G, 4 CPUs) with the case's table(s).
boot() {
	local tables=(-acpitable "file=$work/$1.aml")
	"$here/tests/data/acpi/broken.sh" "$1" "$work" || return 1
	[ -e "$work/$1-slit.aml" ] && tables+=(-acpitable "file=$work/$1-slit.aml")
	"$here/run-qemu.sh" --no-install --mem 4G --smp 4 --disk "$work/$1.img" --log "$work/$1.log" \
		-- "${tables[@]}" >/dev/null 2>"$work/$1.err"
	check "$1: memprobe completes and powers off" test $? -eq 0
	mkdir -p "$work/$1.run"
	mcopy -i "$work/$1.img" '::/memprobe/runs/0001/*' "$work/$1.run/" 2>/dev/null
	"$here/build/memprobe" analyze "$work/$1.run" >"$work/$1.analyze" 2>&1
	check "$1: memprobe analyze of the run folder reproduces the report (bytes read past an end kept)" \
		cmp -s <(sed -n '2,/^memprobe: report complete$/p' "$work/$1.run/report.txt") \
		<(sed -n '2,/^memprobe: report complete$/p' "$work/$1.analyze")
	check "$1: report.json lists the defects the report names, with table and offset" \
		"$here/tests/lib/report-json.py" "$work/$1.run/report.json" "$work/$1.run/report.txt"
	# 1,025 proximity domains are Linux's limit, not a defect of the table: Linux's own line says it.
	[ "$1" = many-pxms ] ||
		check "$1: report.json lists at least one defect" \
			test "$(jq '.defects | length' "$work/$1.run/report.json" 2>/dev/null)" -ge 1
}

boot past-end
check "past-end: the subtable past the end named once, with what Linux does" test "$(count_lines past-end \
	"memprobe: [Firmware Bug]: SRAT at offset 0xe8: Memory Affinity subtable (40 bytes) runs past the table's end at 0xf8; Linux reads the missing bytes from the memory after the table, and so does memprobe: what follows depends on them")" -eq 1
check "past-end: no second line for the same subtable" test "$(count_lines past-end "SRAT at offset 0xe8")" -eq 1

boot zero-length
check "zero-length: Linux's line" has_line zero-length "ACPI: [SRAT:0x01] Invalid zero length"
check "zero-length: named" has_line zero-length \
	"memprobe: [Firmware Bug]: SRAT at offset 0x98: subtable length is 0 (type 1); the rest of the table cannot be walked"
check "zero-length: Linux's verdict (the zero length is also too short for a memory entry)" \
	has_line zero-length "ACPI: SRAT: SRAT not used."
check "zero-length: why the SRAT is not used" has_line zero-length \
	'memprobe: NUMA: the SRAT is not used: Linux dropped it ("SRAT not used" above)'

boot overlap
check "overlap: named" has_line overlap \
	"memprobe: [Firmware Bug]: SRAT: node 0 [mem 0x00100000-0x7fffffff] overlaps node 1 [mem 0x60000000-0x9fffffff]"
check "overlap: Linux's fall-back" has_line overlap "No NUMA configuration found"

boot flags-beyond
check "flags-beyond: reserved bits named" has_line flags-beyond \
	"memprobe: [Firmware Bug]: SRAT at offset 0x104: Memory Affinity flags 0x81 set reserved bits 0x80"
check "flags-beyond: the range beyond RAM is hot-pluggable, as Linux prints it" has_line flags-beyond \
	"ACPI: SRAT: Node 1 PXM 1 [mem 0x200000000-0x3ffffffff] hotplug"

boot cpu-missing
check "cpu-missing: a MADT CPU without an SRAT entry named" has_line cpu-missing \
	"memprobe: [Firmware Bug]: MADT CPU with APIC ID 0x2 has no SRAT affinity entry; Linux picks its node when it brings the CPU up"
check "cpu-missing: an SRAT CPU the MADT lacks named" has_line cpu-missing \
	"memprobe: [Firmware Bug]: SRAT names APIC ID 0x10 (node 1), which the MADT does not list"

boot slit-diagonal
check "slit-diagonal: Linux's verdict" has_line slit-diagonal "ACPI: SLIT table looks invalid. Not used."
check "slit-diagonal: named" has_line slit-diagonal \
	"memprobe: [Firmware Bug]: SLIT at offset 0x2f: distance from PXM 1 to PXM 1 is 11, must be 10 (local)"

boot slit-ten
check "slit-ten: Linux's verdict" has_line slit-ten "ACPI: SLIT table looks invalid. Not used."
check "slit-ten: named" has_line slit-ten \
	"memprobe: [Firmware Bug]: SLIT at offset 0x2d: distance from PXM 0 to PXM 1 is 10, must be more than 10"

boot slit-short
check "slit-short: the matrix read on past the table's end, as Linux reads it" has_line slit-short \
	"memprobe: [Firmware Bug]: SLIT at offset 36: locality count 2 needs 48 bytes, the table has 47; Linux reads the rest from the memory after the table, and so does memprobe: what follows depends on them"

boot many-pxms
check "many-pxms: Linux's verdict on the 1,025th proximity domain" has_line many-pxms \
	"ACPI: SRAT: Too many proximity domains."
check "many-pxms: Linux's fall-back" has_line many-pxms "No NUMA configuration found"

finish broken-firmware
