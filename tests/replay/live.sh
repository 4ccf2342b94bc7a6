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

# add_dev_cpu DIR: /dev/cpu/N/cpuid and msr as sparse files that answer reads as Linux's
# devices do under tests/replay/devcpu-shim.c (see there), from the seed run's cpu.txt, as
# the seed VM's Linux leaves them: every AP with the boot CPU's MTRRs, PAT Linux's own;
# /proc/cpuinfo with the four processors and their APIC IDs.
add_dev_cpu() {
	python3 - "$here/tests/data/runs/seed/cpu.txt" "$1" <<'PY'
import os, struct, sys
cpus, cur = [], None
for line in open(sys.argv[1]):
    w = line.split()
    if w[:1] == ['cpu:']:
        cur = {'n': int(w[1]), 'apic': int(w[2], 16), 'leaf': [], 'msr': {}}
        cpus.append(cur)
    elif w[:1] == ['leaf:'] and cur:
        cur['leaf'].append([int(x, 16) for x in w[1:7]])
    elif w[:1] == ['msr:'] and cur:
        cur['msr'][int(w[1], 16)] = int(w[2], 16)
mtrrs = {k: v for k, v in cpus[0]['msr'].items() if 0x200 <= k <= 0x2ff and k != 0x277}
info = ''
for c in cpus:
    d = os.path.join(sys.argv[2], 'dev/cpu', str(c['n']))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'cpuid'), 'wb') as f:
        for leaf, sub, a, b, cx, dx in c['leaf']:
            f.seek((sub << 32 | leaf) * 16)
            f.write(struct.pack('<4I', a, b, cx, dx))
    c['msr'].update(mtrrs)
    c['msr'][0x277] = 0x0407050600070106
    with open(os.path.join(d, 'msr'), 'wb') as f:
        for msr, v in c['msr'].items():
            f.seek(msr * 8)
            f.write(struct.pack('<Q', v))
    info += ('processor\t: %d\nvendor_id\t: AuthenticAMD\napicid\t\t: %d\nflags\t\t: fpu pse pge nx lm\n'
             'address sizes\t: 40 bits physical, 48 bits virtual\n\n' % (c['n'], c['apic']))
open(os.path.join(sys.argv[2], 'proc/cpuinfo'), 'w').write(info)
open(os.path.join(sys.argv[2], 'sys/devices/system/cpu/present'), 'w').write('0-%d\n' % (len(cpus) - 1))
PY
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

# Every CPU through /dev/cpu: the bring-up and PAT lines are Linux's; the APs' MTRRs are
# Linux's copies, so no verdict on them, said.
check "no /dev/cpu: said" grep -q '^memprobe: note: analyze --live: the CPUs. CPUID and MSRs are not readable (.*/dev/cpu/0/cpuid: No such file' \
	"$work/live.out"
cp -r "$work/tree" "$work/cpus" && mkdir -p "$work/cpus/sys/devices/system/cpu" && add_dev_cpu "$work/cpus"
shim() { LD_PRELOAD="$here/build/devcpu-shim.so" ASAN_OPTIONS=verify_asan_link_order=0 "$@"; }
shim "$tool" analyze --live --root "$work/cpus" >"$work/cpus.out" 2>"$work/cpus.err"
check "/dev/cpu: exit 0" test $? -eq 0
check "/dev/cpu: every CPU read, and what that holds said" grep -q \
	'^memprobe: note: analyze --live: 4 of 4 CPUs read through .*/dev/cpu/N/cpuid and msr: CPUID as the hardware gives it; the MTRRs and PAT as Linux left them' \
	"$work/cpus.out"
for s in 'x86/PAT:' 'smpboot: CPU0:' 'smp: Brought up' 'smpboot: Max logical packages' 'smpboot: Allowing'; do
	check "/dev/cpu: '$s' lines are Linux's" cmp -s <(stage "$s" "$work/cpus.out") <(stage "$s" "$log")
done
check "/dev/cpu: the llc-sibling warning is Linux's" grep -qxF \
	"sched: CPU #2's llc-sibling CPU #0 is not on the same node! [node: 1 != 0]. Ignoring dependency." "$work/cpus.out"
check "/dev/cpu: no verdict on the APs' MTRRs (Linux's copies)" bash -c "! grep -q '^mtrr: your CPUs\|mtrr-ap-differs' '$work/cpus.out'"
check "/dev/cpu: that said" grep -q "^memprobe: the APs' MTRRs are as Linux left them (--live" "$work/cpus.out"
shim "$tool" analyze --live --root "$work/cpus" nopat >"$work/nopat.out" 2>&1
check "/dev/cpu, nopat: the firmware's PAT not known, said" grep -q \
	"^memprobe: the boot CPU's PAT is as Linux left it (--live), not as the firmware did" "$work/nopat.out"
check "/dev/cpu, nopat: no PAT line from Linux's value" bash -c "! grep -q '^x86/PAT: Configuration' '$work/nopat.out'"
shim "$tool" compare --live --root "$work/cpus" "$log" >"$work/cpus.cmp" 2>&1
check "/dev/cpu, compare: the APs' mtrr: lines not compared, said" grep -q \
	"^compare: note: 3 of the APs Linux brings up were not read as the firmware left them (or --live" "$work/cpus.cmp"
check "/dev/cpu, compare: the CPU stage (node lines rejoined) is Linux's" grep -q '^compare: CPU: identical' "$work/cpus.cmp"
cp -r "$work/cpus" "$work/nomsr" && rm "$work/nomsr"/dev/cpu/*/msr
shim "$tool" analyze --live --root "$work/nomsr" >"$work/nomsr.out" 2>&1
check "no msr device: exit 0" test $? -eq 0
check "no msr device: said" grep -q '^memprobe: note: analyze --live: 4 of 4 CPUs read through .*cpuid: CPUID as the hardware gives it; the MSRs are not readable' \
	"$work/nomsr.out"
check "no msr device: the MTRR lines not predicted, said" grep -q "^memprobe: the boot CPU's MTRRs were not read" "$work/nomsr.out"
check "no msr device: the bring-up still predicted" cmp -s <(stage 'smp: Brought up' "$work/nomsr.out") \
	<(stage 'smp: Brought up' "$log")

cp -r "$work/cpus" "$work/silent" && : >"$work/silent/dev/cpu/0/cpuid"
shim "$tool" analyze --live --root "$work/silent" >"$work/silent.out" 2>&1
check "a cpuid device that answers nothing: said, not taken for a CPU" grep -q \
	'^memprobe: note: analyze --live: the CPUs. CPUID and MSRs are not readable (.*/dev/cpu/0/cpuid: no answer' \
	"$work/silent.out"
check "a cpuid device that answers nothing: /proc/cpuinfo's facts kept" grep -q '^memprobe: cpu: AuthenticAMD, 40 physical' \
	"$work/silent.out"

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
