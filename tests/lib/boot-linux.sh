# shellcheck shell=bash disable=SC2034,SC2154  # sourced: $here comes from the caller, LINUX_END_NO_ROOT goes to it
# Sourced by the tests that boot Debian's Linux under QEMU (TCG).
#
# Linux itself now and then dies or hangs under TCG (a vCPU livelocked while the
# kernel patches its code, an int3 Oops with some CPU models, a boot that never
# ends).  That says nothing about memprobe, so a boot that did not reach its end is
# booted once more with a note naming why; a second such boot is named
# NOT COMPARED, and the caller never compares it.

# The line Linux's boot ends with when it has no root file system (no initramfs).
LINUX_END_NO_ROOT='Kernel panic - not syncing: VFS: Unable to mount root fs'

# linux_boot_failure LOG STATUS END: why a boot did not reach END (empty when it did).
linux_boot_failure() {
	local log=$1 status=$2 end=$3 last
	if [ "$status" -eq 0 ] && grep -q -- "$end" "$log" 2>/dev/null; then
		return 0
	fi
	last=$(grep -a . "$log" 2>/dev/null | tail -n 1 | cut -c 1-160)
	if grep -q 'watchdog: BUG: soft lockup' "$log" 2>/dev/null; then
		printf 'a guest vCPU livelocked (soft lockup)'
	elif grep -q 'Oops: \|BUG: \|general protection fault' "$log" 2>/dev/null; then
		printf 'the kernel crashed (%s)' "$(grep -a -m 1 'Oops: \|BUG: \|general protection fault' "$log" | cut -c 1-120)"
	elif [ "$status" -ne 0 ]; then
		printf 'run-qemu.sh exited %s (%s)' "$status" "$(tail -n 1 "$log.err" 2>/dev/null | cut -c 1-120)"
	else
		printf "no '%s' line" "$end"
	fi
	printf '; its last line: %s' "${last:-none}"
}

# boot_linux_to_end WHO END LOG ERR run-qemu-args...: boot Linux through run-qemu.sh
# until its console shows END, at most twice.  WHO names the boot in the note.
# Return: 0 when a boot reached END; 1 otherwise, with why printed as NOT COMPARED and appended to ERR.
boot_linux_to_end() {
	local who=$1 end=$2 log=$3 err=$4 status why attempt
	shift 4
	for attempt in 1 2; do
		"$here/run-qemu.sh" --no-install --log "$log" "$@" >/dev/null 2>"$log.err"
		status=$?
		cat "$log.err" >>"$err"
		why=$(linux_boot_failure "$log" "$status" "$end")
		[ -z "$why" ] && return 0
		[ $attempt -eq 1 ] && echo "note: $who: Linux's boot did not reach its end under TCG: $why; booting again"
	done
	echo "Linux's boot did not reach its end twice under TCG: $why (see $log)" >>"$err"
	echo "NOT COMPARED $who: $(tail -n 1 "$err")"
	return 1
}
