#!/usr/bin/env bash
# Every CPU, read: memprobe on VMs of 1, 4 and 16 vCPUs, on Intel and AMD CPU
# models, with two sockets, with an AP that does not answer in time
# (ap_hold=) and without the MP protocol (no_mp_services).  Each run folder's
# cpu.txt holds every CPU's record, and memprobe analyze reproduces the report.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-cpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
run="$here/run-qemu.sh"
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 ||
	exit 1

has_line() { grep -qxF -- "$2" "$1"; }
analysed_part() { sed -n '2,/^memprobe: report complete$/p' "$1"; }

# boot NAME [run-qemu.sh ARGS...]: the VM's report in $work/NAME.log, its run folder in $work/NAME/.
boot() {
	local name=$1
	shift
	"$run" --no-install --disk "$work/$name.img" --log "$work/$name.log" "$@" >/dev/null 2>"$work/$name.err"
	check "$name: run-qemu.sh succeeds" test $? -eq 0
	mkdir -p "$work/$name"
	mcopy -i "$work/$name.img" '::/memprobe/runs/0001/*' "$work/$name/" 2>/dev/null
	"$here/build/memprobe" analyze "$work/$name" >"$work/$name.analyze" 2>"$work/$name.analyze.err"
	check "$name: memprobe analyze reproduces the report from cpu.txt" cmp -s \
		<(analysed_part "$work/$name/report.txt") <(analysed_part "$work/$name.analyze")
}

boot one --mem 4G --smp 1
check "one CPU: one record" has_line "$work/one/cpu.txt" "cpus: mp-services 1 of 1"
check "one CPU: no AP announced" test "$(grep -c 'Booting SMP configuration' "$work/one.log")" -eq 0
check "one CPU: smp: Brought up 1 node, 1 CPU" has_line "$work/one.log" "smp: Brought up 1 node, 1 CPU"
check "one CPU: no inconsistent MTRRs without APs" test "$(grep -c '^mtrr: ' "$work/one.log")" -eq 0

boot sixteen --mem 4G --smp 16
check "16 CPUs: 16 records" has_line "$work/sixteen/cpu.txt" "cpus: mp-services 16 of 16"
check "16 CPUs: every one read" test "$(grep -c '^cpu: .* read$' "$work/sixteen/cpu.txt")" -eq 16
check "16 CPUs: the announce line, 3 columns a CPU" has_line "$work/sixteen.log" \
	".... node  #0, CPUs:        #1  #2  #3  #4  #5  #6  #7  #8  #9 #10 #11 #12 #13 #14 #15"
check "16 CPUs: IA32_APIC_BASE read on each, the BSP bit on the boot CPU alone (QEMU: xAPIC)" test \
	"$(grep -c '^msr: 0x0000001b 0x00000000fee00900$' "$work/sixteen/cpu.txt"):$(grep -c '^msr: 0x0000001b 0x00000000fee00800$' "$work/sixteen/cpu.txt")" = 1:15
check "16 CPUs: the collection timed" grep -q '^memprobe: reading 16 CPUs took [0-9]* us' "$work/sixteen.log"
check "16 CPUs: the first APs' MTRRs named against the boot CPU's" grep -q \
	'^memprobe: \[Firmware Bug\]: MTRR: the CPU of APIC ID 0x8 differs from the boot CPU' "$work/sixteen.log"
check "16 CPUs: the rest counted" has_line "$work/sixteen.log" \
	"memprobe: ... and 7 more CPUs whose MTRRs differ from the boot CPU's"

boot nehalem --mem 4G -- -cpu Nehalem
check "Nehalem: an Intel record" grep -qx 'vendor: GenuineIntel' "$work/nehalem/cpu.txt"
check "Nehalem: its brand string, no vendor added" grep -q '^smpboot: CPU0: Intel Core i7 9xx' "$work/nehalem.log"
check "Nehalem: the bring-up predicted" has_line "$work/nehalem.log" "smp: Brought up 1 node, 4 CPUs"

boot epyc --mem 4G -- -cpu EPYC
check "EPYC: the brand string holds the vendor: none added" grep -q \
	'^smpboot: CPU0: AMD EPYC Processor (family: 0x17, ' "$work/epyc.log"
check "EPYC: the L3 leaf read (TCG has no TOPOEXT: the LLC is the package)" grep -q '^leaf: 0x80000006 ' \
	"$work/epyc/cpu.txt"
check "EPYC: the PAT line" has_line "$work/epyc.log" "x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  "

boot max --mem 4G -- -cpu max
check "max: the MTRRs read" grep -q '^msr: 0x000002ff ' "$work/max/cpu.txt"

# Two sockets of two cores, one node each: each socket its own last-level cache, no warning.
boot sockets --smp 4,sockets=2,cores=2 --numa 2G,cpus=0-1 --numa 2G,cpus=2-3
check "2 sockets: 6.12's count of packages" bash -c \
	"'$here/build/memprobe' analyze '$work/sockets' kernel=6.12 | grep -qx 'CPU topo: Max. logical packages:   2'"
check "2 sockets: no llc-sibling warning" test "$(grep -c '^sched: ' "$work/sockets.log")" -eq 0
check "2 sockets: the nodes' announce lines" has_line "$work/sockets.log" ".... node  #1, CPUs:   #2 #3"

boot hold --app-args "ap_hold=2"
check "ap_hold=2: the AP that did not answer named" grep -q \
	'^memprobe: warning: CPU 2 (APIC ID 0x2) did not answer within 200 ms (StartupAllAPs: EFI_TIMEOUT)' "$work/hold.log"
check "ap_hold=2: cpu.txt says so" grep -qx 'cpu: 2 0x2 0.2.0 timed out' "$work/hold/cpu.txt"
check "ap_hold=2: no verdict on the APs' MTRRs" grep -q \
	'^memprobe: 1 of the CPUs Linux brings up were not read: the mtrr: lines after bring-up are not predicted' \
	"$work/hold.log"
check "ap_hold=2: the other APs still read" test "$(grep -c '^cpu: .* read$' "$work/hold/cpu.txt")" -eq 3

boot nomp --app-args "no_mp_services"
check "no MP services: said" has_line "$work/nomp.log" \
	"memprobe: warning: no_mp_services: EFI_MP_SERVICES_PROTOCOL not used; only the boot CPU is read"
check "no MP services: the boot CPU alone" has_line "$work/nomp/cpu.txt" "cpus: boot-only 1 of 1"
check "no MP services: the memory types still from the boot CPU" grep -q '^x86/PAT: Configuration' "$work/nomp.log"
check "no MP services: the bring-up not predicted, and said" grep -q \
	"^memprobe: the bring-up's lines need every CPU's CPUID" "$work/nomp.log"

finish cpus
