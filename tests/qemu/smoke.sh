#!/usr/bin/env bash
# QEMU smoke tests: boot memprobe under OVMF through run-qemu.sh and check
# the report, the saved report files, the shell path and the error paths.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
run="$here/run-qemu.sh"
. "$here/tests/lib/check.sh"

has_line() { grep -qxF -- "$2" "$1"; }
count_prefix() { grep -c -- "^$2" "$1"; }

# The report as the console shows it, from the banner to the saved-file line.
report_part() {
	sed -n '/^memprobe: memprobe /,/^memprobe: report saved as /p' "$1"
}

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 ||
	exit 1

# 1. The seed VM: boots, completes, powers off; the report is on the disk.
disk="$work/disk.img"
"$run" --no-install --disk "$disk" --log "$work/seed.log" >/dev/null 2>"$work/seed.err"
check "seed VM: run-qemu.sh succeeds" test $? -eq 0
check "seed VM: banner" grep -q '^memprobe: memprobe [0-9.]* (UEFI x86_64)$' "$work/seed.log"
check "seed VM: firmware line" grep -q '^memprobe: firmware: EDK II revision 0x[0-9a-f]*, UEFI 2\.[0-9][0-9]$' "$work/seed.log"
check "seed VM: e820 table" has_line "$work/seed.log" "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable"
check "seed VM: 4 GiB of RAM end at 0x140000" has_line "$work/seed.log" "last_pfn = 0x140000 max_arch_pfn = 0x400000000"
check "seed VM: trim_bios_range" has_line "$work/seed.log" "e820: remove [mem 0x000a0000-0x000fffff] usable"
check "seed VM: no efi=debug lines without the option" test "$(count_prefix "$work/seed.log" 'efi: mem')" -eq 0
check "seed VM: memmap view" has_line "$work/seed.log" "0x100000000-0x13fffffff System RAM"
check "seed VM: powered off" has_line "$work/seed.log" "memprobe: powering off"
mtype -i "$disk" ::/memprobe/report-0001.txt 2>/dev/null | tr -d '\r' >"$work/report-0001.txt"
report_part "$work/seed.log" >"$work/console-report.txt"
check "seed VM: saved report equals the console's" cmp -s "$work/report-0001.txt" "$work/console-report.txt"
check "seed VM: saved report is not empty" test "$(wc -l <"$work/report-0001.txt")" -gt 20

# 2. A second run on the same disk adds report-0002 and leaves report-0001 alone.
"$run" --no-install --disk "$disk" --app-args "efi=debug" --log "$work/second.log" >/dev/null 2>&1
check "second run: succeeds" test $? -eq 0
check "second run: efi=debug lines" test "$(count_prefix "$work/second.log" 'efi: mem[0-9][0-9]: \[')" -gt 10
check "second run: new file" has_line "$work/second.log" 'memprobe: report saved as \memprobe\report-0002.txt'
check "second run: first report unchanged" cmp -s <(mtype -i "$disk" ::/memprobe/report-0001.txt | tr -d '\r') "$work/report-0001.txt"

# 3. A wrong option is named, and the run still completes.
"$run" --no-install --machine q35 --app-args "bogus-option mem=2G" --log "$work/bad.log" >/dev/null 2>&1
check "wrong option: run completes" test $? -eq 0
check "wrong option: named" has_line "$work/bad.log" "memprobe: error: unknown option 'bogus-option' ignored (see --help)"
check "wrong option: mem=2G still applied" has_line "$work/bad.log" "user-defined physical RAM map:"
check "no --numa: q35 VM, no SRAT: Linux's fall-back" has_line "$work/bad.log" "No NUMA configuration found"
check "no --numa: one faked node up to the end of the RAM mem=2G leaves" \
	has_line "$work/bad.log" "Faking a node at [mem 0x0000000000000000-0x000000007ff3ffff]"
check "no --numa: the SRAT's absence named" \
	has_line "$work/bad.log" "memprobe: NUMA: the SRAT is not used: the firmware has no SRAT"

# 4. From the UEFI shell: arguments on the command line, back to the shell.
"$run" --no-install --shell --app-args "efi=debug" --log "$work/shell.log" >/dev/null 2>&1
check "shell: run-qemu.sh succeeds" test $? -eq 0
check "shell: arguments read" has_line "$work/shell.log" "memprobe: options: efi=debug"
check "shell: returned to the shell" has_line "$work/shell.log" "memprobe: back in the UEFI shell"

# 5. memprobe --help prints its usage and no report.
"$run" --no-install --app-args "--help" --log "$work/help.log" >/dev/null 2>&1
check "app --help: succeeds" test $? -eq 0
check "app --help: usage" grep -q '^usage: memprobe.efi' "$work/help.log"
check "app --help: no report" test "$(count_prefix "$work/help.log" 'BIOS-e820')" -eq 0

# 6. run-qemu.sh's own errors.
"$run" --help >"$work/usage.txt" 2>&1
check "run-qemu.sh --help" grep -q -- '--numa SIZE\[,cpus=LIST\]' "$work/usage.txt"
"$run" --no-install --numa 2X >/dev/null 2>"$work/usage-err.txt"
check "bad --numa size: exit 2" test $? -eq 2
check "bad --numa size: named" grep -q "bad size '2X'" "$work/usage-err.txt"
"$run" --no-install --mem 3G --numa 2G >/dev/null 2>"$work/mem-err.txt"
check "--mem disagreeing with nodes: exit 2" test $? -eq 2
"$run" --no-install --timeout 1 >/dev/null 2>"$work/timeout.txt"
check "timeout: exit 1" test $? -eq 1
check "timeout: said" grep -q "did not finish within 1 seconds" "$work/timeout.txt"
"$run" --no-install -- -no-such-qemu-option >/dev/null 2>"$work/qemu-err.txt"
check "QEMU failure: exit 1 with QEMU's message" grep -q "QEMU failed" "$work/qemu-err.txt"

finish qemu-smoke
