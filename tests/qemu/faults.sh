#!/usr/bin/env bash
# Hostile input to memprobe.efi itself, and firmware calls that fail.
# Option layering at boot (the hostile-inputs issue's 18): a memprobe.conf of
# 20,000 words (238 KB, past the 16 KiB the app reads of it) under the shell's
# command line; the stronger word wins, each unknown word is reported where it
# stands (bounded: a count of the rest).
# Firmware calls that fail (fail=, a test option of memprobe.efi): the run goes
# on and says what was lost.  The file system (no run folder: the report still
# completes on the console), the variables (Secure Boot unknown, said), the
# GOP after ExitBootServices (the lines go to COM1 only).  The MP services'
# absence (no_mp_services) and a failing ExitBootServices (ebs_stale_keys=2)
# have their own tests (cpus.sh, exit-boot-services.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-faults.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 ||
	exit 1

# boot NAME APP-ARGS: the report in $work/NAME.log, the boot disk in $work/NAME.img.
boot() {
	"$here/run-qemu.sh" --no-install --disk "$work/$1.img" --log "$work/$1.log" --app-args "$2" \
		>/dev/null 2>"$work/$1.err"
	check "$1: run-qemu.sh succeeds" test $? -eq 0
}

awk 'BEGIN { print "numa=off"; for (i = 0; i < 20000; i++) printf "w%d=%d%s", i, i, i % 10 == 9 ? "\n" : " " }' \
	>"$work/big.conf"
"$here/run-qemu.sh" --no-install --shell --config "$work/big.conf" --app-args "numa=fake=2" --log "$work/big.log" \
	>/dev/null 2>"$work/big.err"
check "20,000 words in memprobe.conf: the run completes" grep -aqx 'memprobe: report complete' "$work/big.log"
check "20,000 words: the file past the 16 KiB the app reads, said" grep -aq \
	'^memprobe: warning: \\memprobe\\memprobe.conf is longer than 16384 bytes; the rest is ignored' "$work/big.log"
check "20,000 words: the command line's numa= over the file's" grep -aq '^Faking node 1 at ' "$work/big.log"
check "20,000 words: an unknown word named with its file and line" grep -aq \
	"^memprobe: \\\\memprobe\\\\memprobe.conf:2: error: unknown option 'w0=0' ignored" "$work/big.log"
check "20,000 words: the messages bounded, the rest counted" grep -aqE \
	'^memprobe: error: [0-9]+ more messages about options not shown$' "$work/big.log"

boot fs "fail=fs"
check "fail=fs: the lost run folder said" grep -aq \
	'^memprobe: warning: cannot create \\memprobe\\runs on the boot volume (EFI_WRITE_PROTECTED, fail=fs); nothing of this run is saved' \
	"$work/fs.log"
check "fail=fs: the report still completes" grep -aqx 'memprobe: report complete' "$work/fs.log"
check "fail=fs: the e820 table still predicted" grep -aq '^BIOS-e820: \[mem ' "$work/fs.log"
check "fail=fs: no run folder on the disk" bash -c "! mdir -i '$work/fs.img' ::/memprobe/runs >/dev/null 2>&1"

boot variables "fail=variables"
check "fail=variables: the failed call and what it cost said" grep -aq \
	"^memprobe: warning: GetVariable(SecureBoot) failed: EFI_DEVICE_ERROR (fail=variables); Secure Boot is not known" \
	"$work/variables.log"
check "fail=variables: Secure Boot unknown in the report" grep -aqx 'memprobe: Secure Boot: unknown' "$work/variables.log"
check "fail=variables: the run folder still saved" bash -c \
	"mcopy -i '$work/variables.img' ::/memprobe/runs/0001/firmware.txt - | grep -qx 'secure_boot: unknown'"

boot gop "exit_boot_services fail=gop"
check "fail=gop: the lost screen said" grep -aq \
	'^memprobe: no GOP screen (EFI_DEVICE_ERROR, fail=gop): the lines after ExitBootServices go to COM1 and the next run only' \
	"$work/gop.log"
check "fail=gop: the page tables still built and verified on COM1" grep -aqE \
	'^memprobe: page tables verified: .* 0 mismatches$' "$work/gop.log"

boot bad "fail=disk"
check "fail=disk: an unknown item named" grep -aq "^memprobe: .*error: fail= takes fs, variables and gop, not 'disk'; ignored" \
	"$work/bad.log"

# A run cut off while writing its folder: the next run on the same disk says so.
boot cut1 ""
mcopy -i "$work/cut1.img" ::/memprobe/runs/0001/report.txt "$work/cut1-report.txt"
sed -i '/^memprobe: run saved in /,$d' "$work/cut1-report.txt"
mcopy -o -i "$work/cut1.img" "$work/cut1-report.txt" ::/memprobe/runs/0001/report.txt
"$here/run-qemu.sh" --no-install --disk "$work/cut1.img" --log "$work/cut2.log" >/dev/null 2>&1
check "a cut-off folder: the next run names it" grep -aq \
	"^memprobe: note: the previous run's folder \\\\memprobe\\\\runs\\\\0001 is incomplete: its report.txt does not end with the 'run saved in' line" \
	"$work/cut2.log"
"$here/run-qemu.sh" --no-install --disk "$work/cut1.img" --log "$work/cut3.log" >/dev/null 2>&1
check "a whole folder before: nothing said" bash -c "! grep -aq 'previous run.s folder' '$work/cut3.log'"
check "the third run has its own folder" grep -aq 'memprobe: run saved in \\memprobe\\runs\\0003: ' "$work/cut3.log"

finish faults
