#!/usr/bin/env bash
# memprobe with a person at the console: a VM with a screen (-vga std) and a
# keyboard (the serial terminal, fed through a FIFO), booted without poweroff.
# memprobe must choose the text mode with the most rows, stop after each page,
# and at the end say where the files are and act on p (power off), r (reboot),
# f (return).  The test answers each prompt when it appears in the output, so
# nothing depends on how fast the VM runs.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-screen.XXXXXX")
qpid=""
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
[ -n "${KEEP_WORK:-}" ] && trap - EXIT && echo "work: $work"
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 || exit 1
make -s -C "$here" image || exit 1

prompt='-- more: any key for the next page, c for no more pauses --'
question='memprobe: p: power off, r: reboot, Esc or f: return to the firmware'

# How often the raw console output holds a text.
count() { grep -aoF -- "$1" "$work/raw.log" | wc -l; }

# wait_for TEXT N [TEXT2]: until the output holds TEXT N times (or TEXT2 once); false if
# QEMU ends first or after 300 s (a bound for a stuck VM, not a measure of speed).
wait_for() {
	for _ in $(seq 3000); do
		[ "$(count "$1")" -ge "$2" ] && return 0
		[ -n "${3:-}" ] && [ "$(count "$3")" -ge 1 ] && return 1
		kill -0 "$qpid" 2>/dev/null || { [ "$(count "$1")" -ge "$2" ]; return; }
		sleep 0.1
	done
	return 1
}

# start CONFIG-TEXT: boot a fresh copy of the image with that config, keys from a FIFO.
start() {
	rm -f "$work/in" "$work/raw.log"
	cp "$here/build/memprobe.img" "$work/disk.img"
	cp /usr/share/OVMF/OVMF_VARS.fd "$work/vars.fd"
	printf '%s\n' "$1" >"$work/memprobe.conf"
	mmd -i "$work/disk.img" ::/memprobe
	mcopy -i "$work/disk.img" "$work/memprobe.conf" ::/memprobe/memprobe.conf
	mkfifo "$work/in"
	qemu-system-x86_64 -machine pc -accel tcg -m 2048M -smp 2 \
		-object memory-backend-ram,id=m0,size=1024M -numa node,nodeid=0,cpus=0,memdev=m0 \
		-object memory-backend-ram,id=m1,size=1024M -numa node,nodeid=1,cpus=1,memdev=m1 \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd \
		-drive if=pflash,format=raw,file="$work/vars.fd" \
		-drive format=raw,file="$work/disk.img" \
		-nic none -vga std -display none -serial stdio -no-reboot \
		<"$work/in" >"$work/raw.log" 2>"$work/qemu.err" &
	qpid=$!
	exec 3>"$work/in"
}

# finish: QEMU's exit status once it ends by itself.
finish_vm() {
	exec 3>&-
	wait "$qpid"
	local status=$?
	qpid=""
	return $status
}

# 1. Page by page with the space bar, then p.
start "efi=debug"
pages=0
while wait_for "$prompt" $((pages + 1)) "$question"; do
	pages=$((pages + 1))
	printf ' ' >&3
	[ $pages -ge 40 ] && break
done
# OVMF's GOP runs at 800x600 here: 80x25 and 100x31 text (80x50 does not fit).
check "pager: the text mode with the most rows is chosen" \
	grep -aq '^memprobe: screen: 100x31 text (the most rows of [0-9]* modes); pausing after each page' \
	<(tr -d '\r' <"$work/raw.log")
check "pager: the report stops after each page ($pages pages)" test "$pages" -ge 6 -a "$pages" -lt 40
check "pager: the question comes at the end" wait_for "$question" 1
check "pager: it says where the run's files are" \
	grep -aq 'memprobe: done; this run.s files are in \\memprobe\\runs\\0001 on the boot volume' "$work/raw.log"
printf 'p' >&3
finish_vm
check "p powers the VM off" test $? -eq 0
check "p: said" grep -aq 'memprobe: powering off' "$work/raw.log"
check "pager: no page holds more than 30 rows" \
	awk -v p="$prompt" 'index($0, p) { if (n > 30) bad = 1; n = 0; next } { n++ } END { exit bad }' \
	<(sed -n '/^memprobe: screen: /,$p' <(tr -d '\r' <"$work/raw.log" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g'))

# 2. c turns the pauses off; r reboots (QEMU's -no-reboot ends the VM).
start ""
check "c: the first prompt" wait_for "$prompt" 1
printf 'c' >&3
check "c: the question comes with no second prompt" wait_for "$question" 1
check "c: one prompt only" test "$(count "$prompt")" -eq 1
printf 'r' >&3
finish_vm
check "r reboots (the VM ends under -no-reboot)" grep -aq 'memprobe: rebooting' "$work/raw.log"

# 3. f returns to the firmware, which goes on to its next boot option (OVMF's setup screen).
start ""
check "f: the first prompt" wait_for "$prompt" 1
printf 'c' >&3
check "f: the question" wait_for "$question" 1
printf 'f' >&3
check "f: returns to the firmware" wait_for 'memprobe: returning to the firmware' 1
check "f: the firmware goes on" wait_for 'UiApp' 1
kill "$qpid" 2>/dev/null
finish_vm

# 4. no_pause: no stop and no question; memprobe returns by itself.
start "no_pause"
check "no_pause: the firmware goes on after the report" wait_for 'UiApp' 1
check "no_pause: the report completed" grep -aq 'memprobe: report complete' "$work/raw.log"
check "no_pause: no prompt and no question" test "$(count "$prompt")" -eq 0 -a "$(count "$question")" -eq 0
kill "$qpid" 2>/dev/null
finish_vm

finish screen
