#!/bin/bash
# The retry rule of the tests that boot Linux (tests/lib/boot-linux.sh), on a stand-in
# run-qemu.sh that plays back one scripted boot per call: a boot that did not reach its
# end is booted once more with a note naming why, and a second one is named in ERR.
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-retry.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$root/tests/lib/check.sh"
. "$root/tests/lib/boot-linux.sh"

# The stand-in: boot number N (counted in $work/calls) writes plays/N.log to --log and exits plays/N.rc.
here=$work
cat >"$work/run-qemu.sh" <<'STUB'
#!/bin/bash
n=$(($(cat "$(dirname "$0")/calls" 2>/dev/null || echo 0) + 1))
echo $n >"$(dirname "$0")/calls"
while [ $# -gt 0 ]; do [ "$1" = --log ] && log=$2; shift; done
cp "$(dirname "$0")/plays/$n.log" "$log"
[ -s "$(dirname "$0")/plays/$n.err" ] && cat "$(dirname "$0")/plays/$n.err" >&2
exit "$(cat "$(dirname "$0")/plays/$n.rc")"
STUB
chmod +x "$work/run-qemu.sh"

# play N RC LOG-TEXT [STDERR-TEXT]: what boot N prints and how it ends.
play() {
	mkdir -p "$work/plays"
	printf '%s\n' "$3" >"$work/plays/$1.log"
	echo "$2" >"$work/plays/$1.rc"
	printf '%s' "${4:-}" >"$work/plays/$1.err"
}
# boot CASE: boot_linux_to_end on fresh plays' log; its stdout, return and ERR kept.
boot() {
	rm -f "$work/calls" "$work/$1.err"
	boot_linux_to_end "case $1" "$LINUX_END_NO_ROOT" "$work/$1.log" "$work/$1.err" --append x >"$work/$1.out"
	echo $? >"$work/$1.rc"
}
end="[    2.1] $LINUX_END_NO_ROOT: unknown-block(0,0)"

play 1 0 "Linux version 6.1
$end"
boot ends
check "a boot that ends: success at once" test "$(cat "$work/ends.rc")" -eq 0
check "a boot that ends: booted once, no note" test "$(cat "$work/calls")" -eq 1 -a ! -s "$work/ends.out"

play 1 1 "Linux version 6.1
[   40.0] Run /init as init process" "run-qemu.sh: error: QEMU did not finish within 300 seconds (--timeout)"
play 2 0 "Linux version 6.1
$end"
boot hang-once
check "a boot that hung once: success on the second boot" test "$(cat "$work/hang-once.rc")" -eq 0 -a "$(cat "$work/calls")" -eq 2
check "a boot that hung once: the note names run-qemu.sh's error and the last line" grep -qx \
	"note: case hang-once: Linux's boot did not reach its end under TCG: run-qemu.sh exited 1 (run-qemu.sh: error: QEMU did not finish within 300 seconds (--timeout)); its last line: \[   40.0\] Run /init as init process; booting again" \
	"$work/hang-once.out"

play 1 0 "Linux version 6.1
[    3.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s!
[    3.1] Kernel panic - not syncing: softlockup: hung tasks"
play 2 0 "[    1.0] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI
[    1.1] Kernel panic - not syncing: Fatal exception"
boot twice
check "two boots that did not end: failure" test "$(cat "$work/twice.rc")" -eq 1 -a "$(cat "$work/calls")" -eq 2
check "two boots that did not end: the first named a soft lockup" grep -q \
	"did not reach its end under TCG: a guest vCPU livelocked (soft lockup); its last line: .*hung tasks; booting again" "$work/twice.out"
check "two boots that did not end: named NOT COMPARED with why" grep -q \
	"^NOT COMPARED case twice: Linux's boot did not reach its end twice under TCG: the kernel crashed" "$work/twice.out"
check "two boots that did not end: ERR names the second, an Oops" grep -qx \
	"Linux's boot did not reach its end twice under TCG: the kernel crashed (\[    1.0\] Oops: int3: 0000 \[#1\] PREEMPT SMP NOPTI); its last line: \[    1.1\] Kernel panic - not syncing: Fatal exception (see $work/twice.log)" \
	"$work/twice.err"

play 1 0 "Linux version 6.1"
play 2 0 ""
boot no-end
check "a boot with no end line and status 0 is not taken: both named" grep -q \
	"no 'Kernel panic - not syncing: VFS: Unable to mount root fs' line; its last line: Linux version 6.1; booting again" "$work/no-end.out"
check "an empty log: its last line said to be none" grep -q "its last line: none (see" "$work/no-end.err"

finish linux-retry
