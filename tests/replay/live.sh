#!/usr/bin/env bash
# memprobe analyze --live --root on /sys- and /proc-shaped trees built from
# the seed VM's Linux boot (tests/data/linux-6.1/seed.log: its BIOS-e820
# table as /sys/firmware/memmap, its log as /dev/kmsg, its command line) and
# QEMU's tables of the same VM (tests/data/acpi/qemu-pc-2nodes.acpidump, as
# /sys/firmware/acpi/tables).  The prediction's lines must be the ones that
# Linux printed; a tree without the kernel's log must say the tables'
# addresses are unknown; a broken tree is named, exit 2.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
tool="$here/build/memprobe-asan"	# the host tool under ASan and UBSan
log="$here/tests/data/linux-6.1/seed.log"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-live.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

# make_tree DIR: the seed VM as its Linux shows it.
make_tree() {
	local t=$1
	mkdir -p "$t/sys/firmware/memmap" "$t/sys/firmware/acpi/tables/data" "$t/sys/firmware/efi" "$t/proc" \
		"$t/dev" "$t/x"
	sed -n 's/^\[ *[0-9.]*\] BIOS-e820: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\] \(.*\)$/\1 \2 \3/p' "$log" |
		awk -v d="$t/sys/firmware/memmap" '{
			type = $3; for (i = 4; i <= NF; i++) type = type " " $i
			name = type == "usable" ? "System RAM" : type == "reserved" ? "Reserved" :
			       type == "ACPI data" ? "ACPI Tables" : type == "ACPI NVS" ? "ACPI Non-volatile Storage" : type
			dir = d "/" NR - 1
			system("mkdir -p " dir)
			print $1 > (dir "/start"); print $2 > (dir "/end"); print name > (dir "/type")
		}'
	(cd "$t/x" && acpixtract -a "$here/tests/data/acpi/qemu-pc-2nodes.acpidump" >/dev/null)
	for f in "$t/x"/*.dat; do
		name=$(basename "$f" .dat | tr a-z A-Z)
		case $name in RSDP | XSDT | RSDT) continue ;; esac	# Linux does not show these
		cp "$f" "$t/sys/firmware/acpi/tables/$name"
	done
	rm -rf "$t/x"
	cp "$log" "$t/dev/kmsg"
	sed -n 's/^\[ *[0-9.]*\] Command line: //p' "$log" >"$t/proc/cmdline"
	printf 'ACPI20=0xbf77e014\nACPI=0xbf77e000\n' >"$t/sys/firmware/efi/systab"
	printf 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu de pse tsc msr pae pge cmov syscall nx lm\naddress sizes\t: 40 bits physical, 48 bits virtual\n\n' \
		>"$t/proc/cpuinfo"
}

# The lines of one stage, in order, from a report or from Linux's log.
stage() { sed 's/^\[ *[0-9.]*\] //' "$2" | grep -a -- "$1"; }

"$here/tests/lib/install-deps.sh" acpica-tools jq python3-jsonschema || exit 1
make_tree "$work/tree"
"$tool" analyze --live --root "$work/tree" >"$work/live.out" 2>"$work/live.err"
check "live: exit 0" test $? -eq 0
for s in '^BIOS-e820: ' '^ACPI: SRAT: Node' '^SRAT: PXM' '^NUMA: Node' '^NODE_DATA(' '^Zone ranges:' \
	'^  DMA\|^  Normal' '^Early memory node ranges' '^  node  ' '^Initmem setup node' '^On node' \
	'^ACPI: Reserving' '^ACPI: [A-Z]\{4\} 0x0000000[0-9A-F]* 0[0-9A-F]* (v'; do
	check "live: '$s' lines are Linux's" cmp -s <(stage "$s" "$work/live.out") <(stage "$s" "$log" |
		grep -v '^ACPI: XSDT\|^ACPI: RSDP')
done
check "live: the tables' addresses from the kernel's log" grep -qx \
	'memprobe: note: analyze --live: 7 ACPI tables from .*/sys/firmware/acpi/tables, 7 with the address the kernel.s log gives' \
	"$work/live.out"
check "live: the RSDP from systab" grep -q '^memprobe: note: analyze --live: the RSDP is at 0xbf77e014 ' "$work/live.out"
check "live: the modelled words of the command line" grep -qx 'memprobe: options: memblock=debug efi=debug' \
	"$work/live.out"
check "live: no 'efi: EFI v0.00' line for an unknown revision" bash -c "! grep -q '^efi: EFI v' '$work/live.out'"
"$tool" analyze --json --live --root "$work/tree" >"$work/live.json"
check "live --json: follows the schema and agrees with the text" \
	"$here/tests/lib/report-json.py" "$work/live.json" "$work/live.out"
"$tool" analyze --live --root "$work/tree" numa=off >"$work/off.out"
check "live: an option after it overrides the machine's" grep -qx 'NUMA turned off' "$work/off.out"

# Without the kernel's log (not root, or a copy without it): addresses unknown, said.
make_tree "$work/nolog"
rm "$work/nolog/dev/kmsg" "$work/nolog/sys/firmware/efi/systab"
"$tool" analyze --live --root "$work/nolog" >"$work/nolog.out" 2>&1
check "no log: exit 0" test $? -eq 0
check "no log: said" grep -q 'with the address the kernel.s log gives (no kernel log' "$work/nolog.out"
check "no log: no table line at address 0" bash -c "! grep -q '^ACPI: [A-Z]\{4\} 0x0000000000000000' '$work/nolog.out'"
check "no log: no Reserving line" bash -c "! grep -q '^ACPI: Reserving' '$work/nolog.out'"
check "no log: the SRAT still read" grep -qxF 'ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x13fffffff]' "$work/nolog.out"

# A BIOS boot's e820 (no /sys/firmware/efi, an entry not in whole pages): rounded, and said.
cp -r "$work/tree" "$work/bios" && rm -r "$work/bios/sys/firmware/efi"
echo 0x9fbff >"$work/bios/sys/firmware/memmap/0/end"
"$tool" analyze --live --root "$work/bios" >"$work/bios.out" 2>&1
check "BIOS e820: exit 0" test $? -eq 0
check "BIOS e820: the partial page said" grep -q '^memprobe: note: analyze --live: 1 entries of /sys/firmware/memmap are not whole pages' \
	"$work/bios.out"
check "BIOS e820: RAM rounded inward" grep -qxF 'BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable' "$work/bios.out"
check "BIOS e820: no UEFI boot said" grep -q 'this Linux did not boot through UEFI' "$work/bios.out"

# Broken trees: named, exit 2.
cp -r "$work/tree" "$work/nocpu" && rm "$work/nocpu/proc/cpuinfo"
"$tool" analyze --live --root "$work/nocpu" >/dev/null 2>"$work/nocpu.err"
check "no cpuinfo: exit 2" test $? -eq 2
check "no cpuinfo: named" grep -q 'cannot read .*/nocpu/proc/cpuinfo' "$work/nocpu.err"
cp -r "$work/tree" "$work/badtype" && echo 'Flux Capacitor' >"$work/badtype/sys/firmware/memmap/3/type"
"$tool" analyze --live --root "$work/badtype" >/dev/null 2>"$work/badtype.err"
check "unknown memmap type: exit 2" test $? -eq 2
check "unknown memmap type: named with its entry" \
	grep -q "badtype/sys/firmware/memmap/3: unknown type 'Flux Capacitor'" "$work/badtype.err"
"$tool" analyze --live --root "$work/empty-dir-that-is-not-there" >/dev/null 2>"$work/none.err"
check "no /sys at all: exit 2" test $? -eq 2
check "no /sys at all: named" grep -q 'sys/firmware/memmap: no entries' "$work/none.err"

finish live
