#!/usr/bin/env bash
# exit_boot_services, booted: memprobe leaves boot services, builds and
# loads its page tables, verifies them and hashes what the firmware keeps;
# the VM powers off, and the next boot of the same disk and variable store
# prints the kept lines and saves them beside its report.
#   seed VM (two nodes, default CPU: no 1 GiB pages), q35 with 6 GiB, and
#   -cpu max (1 GiB pages, LA57: Linux runs 5 levels, so memprobe switches
#   the firmware's 4-level paging to 5), also with no5lvl (stays at 4).
# (A VM without COM1 would show nothing here: run-qemu.sh reads the serial port.)
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-ebs.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 || exit 1
make -s -C "$here" image || exit 1

# The line starting with $2 in log $1, or nothing.
line() { grep -a -m1 "^$2" "$work/$1.log"; }

# case NAME OPTIONS RUN-QEMU-ARGS...: both boots and their checks.
case_() {
	local name=$1 options=$2 mismatches changed
	shift 2
	"$here/run-qemu.sh" --no-install --disk "$work/$name.img" --vars "$work/$name.vars" \
		--app-args "exit_boot_services $options" --log "$work/$name.log" "$@" >/dev/null 2>"$work/$name.err"
	check "$name: the report completes and the VM powers off after ExitBootServices" test $? -eq 0
	check "$name: the page-table line" grep -aqE \
		'^memprobe: page tables: [45] levels, [1-9][0-9]* bytes of tables, DirectMap4k/2M/1G [0-9]+ kB [0-9]+ kB [0-9]+ kB$' \
		"$work/$name.log"
	mismatches=$(line "$name" "memprobe: page tables verified: " | sed -n 's/.*pages checked, \([0-9]*\) mismatches$/\1/p')
	check "$name: tables verified with 0 mismatches" test "${mismatches:-x}" = 0
	changed=$(line "$name" "memprobe: integrity: " | sed -n 's/.*before and after, \([0-9]*\) changed$/\1/p')
	check "$name: nothing hashed changed" test "${changed:-x}" = 0

	"$here/run-qemu.sh" --no-install --disk "$work/$name.img" --vars "$work/$name.vars" \
		--log "$work/$name-next.log" "$@" >/dev/null 2>"$work/$name-next.err"
	check "$name: the next boot completes" test $? -eq 0
	check "$name: the next boot prints the kept lines" \
		grep -aqF "$(line "$name" "memprobe: integrity: ")" \
		<(sed -n '/^memprobe: previous run after ExitBootServices:$/,/^memprobe: cpu: /p' \
			"$work/$name-next.log")
	mtype -i "$work/$name.img" ::/memprobe/runs/0002/previous-run-after-exit.txt >"$work/$name-saved.txt" 2>/dev/null
	check "$name: and saves them in its run folder" grep -aqF "$(line "$name" "memprobe: page tables: ")" \
		"$work/$name-saved.txt"
}

case_ seed ""
check "seed: the direct map's 4k and 2M totals are the plan's" test \
	"$(line seed "memprobe: page tables: " | awk '{ print $(NF-5), $(NF-3) }')" = \
	"$(grep -a '^DirectMap4k:\|^DirectMap2M:' "$work/seed.log" | awk '{ printf "%s%s", sep, $2; sep = " " }')"
check "seed: no GOP (-vga none) is named" grep -aq \
	'^memprobe: no GOP screen (EFI_NOT_FOUND): the lines after ExitBootServices go to COM1 and the next run only$' \
	"$work/seed.log"
case_ q35-6G "" --machine q35 --mem 6G
case_ cpu-max "" -- -cpu max
check "cpu-max: 5-level tables with 1 GiB pages in the direct map" grep -aqE \
	'^memprobe: page tables: 5 levels, .* DirectMap4k/2M/1G [0-9]+ kB [0-9]+ kB [1-9][0-9]* kB$' \
	"$work/cpu-max.log"
check "cpu-max: the firmware's 4-level paging switched to 5" grep -aqE \
	'^memprobe: CR3 switched from 0x[0-9a-f]+ to 0x[0-9a-f]+, paging from 4 to 5 levels \(LA57 on\)$' \
	"$work/cpu-max.log"
case_ cpu-max-no5lvl no5lvl -- -cpu max
check "cpu-max-no5lvl: 4-level tables, no switch" grep -aq '^memprobe: page tables: 4 levels' \
	"$work/cpu-max-no5lvl.log"

# A stale map key (ebs_stale_keys= allocates a page between GetMemoryMap and
# ExitBootServices): once, the retry succeeds; twice, memprobe stays in boot
# services, says so, and still powers off.
"$here/run-qemu.sh" --no-install --app-args "exit_boot_services ebs_stale_keys=1" --log "$work/stale1.log" \
	>/dev/null 2>&1
check "stale key once: completes" test $? -eq 0
check "stale key once: the second attempt leaves boot services" grep -aq \
	'^memprobe: after ExitBootServices (attempt 2): ' "$work/stale1.log"
check "stale key once: tables verified with 0 mismatches" grep -aqE \
	'^memprobe: page tables verified: .* 0 mismatches$' "$work/stale1.log"
"$here/run-qemu.sh" --no-install --app-args "exit_boot_services ebs_stale_keys=2" --log "$work/stale2.log" \
	>/dev/null 2>&1
check "stale key twice: completes and powers off" test $? -eq 0
check "stale key twice: named, boot services kept" grep -aqx \
	'memprobe: error: ExitBootServices failed on attempt 2 of 2 (EFI_INVALID_PARAMETER); staying in boot services' \
	"$work/stale2.log"

# The screen: a VM with a GOP framebuffer that stops instead of powering off
# (-no-shutdown), so QEMU's monitor can take a screendump once memprobe has
# said it powers off.  Each text row (the font's height in pixels) holding
# light grey pixels is a line memprobe drew after ExitBootServices.
port=$((40000 + $$ % 20000))
"$here/run-qemu.sh" --no-install --app-args "exit_boot_services" --timeout 300 -- -vga std -no-shutdown \
	-monitor "telnet:127.0.0.1:$port,server,nowait" >"$work/screen.out" 2>"$work/screen.err" &
qemu_pid=$!
until grep -q '^memprobe: powering off' "$work/screen.out" || ! kill -0 $qemu_pid 2>/dev/null; do
	sleep 1
done
# The screendump is whole when it has the header ("P6\nW H\n255\n") and W x H pixels.
size=$(sed -n "s/^memprobe: screen: \([0-9]*\)x\([0-9]*\) GOP.*/\1 \2/p" "$work/screen.out")
status=1
if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
	if [ -n "$size" ]; then
		want=$(( ${size% *} * ${size#* } * 3 + ${#size} + 8 ))
		printf 'screendump %s\n' "$work/screen.ppm" >&3
		until [ "$(stat -c %s "$work/screen.ppm" 2>/dev/null || echo 0)" -ge "$want" ] ||
			! kill -0 $qemu_pid 2>/dev/null; do
			sleep 1
		done
	fi
	printf 'quit\n' >&3
	wait $qemu_pid
	status=$?
	exec 3>&-
fi
wait
check "screen: the run completes" test "$status" -eq 0
after_exit=$(sed -n '/^memprobe: after ExitBootServices/,$p' "$work/screen.out" | grep -c '^memprobe: ')
font_height=$(sed -n "s/^memprobe: screen: .* the firmware's [0-9]*x\([0-9]*\) font.*/\1/p" "$work/screen.out")
check "screen: the GOP framebuffer and the firmware's font are found" test -n "$font_height"
if [ -s "$work/screen.ppm" ] && [ -n "$font_height" ]; then
	# P6 header "P6\nW H\n255\n", then one pixel row per od line.
	width=$(head -c 20 "$work/screen.ppm" | sed -n 2p | cut -d' ' -f1)
	header=$(head -3 "$work/screen.ppm" | wc -c)
	rows=$(tail -c +$((header + 1)) "$work/screen.ppm" | od -An -v -tu1 -w$((width * 3)) |
		awk -v h="$font_height" '/ 192 192 192/ { lit[int((NR - 1) / h)] = 1 } END { print length(lit) }')
else
	rows=none
fi
check "screen: one drawn text row per line after ExitBootServices ($after_exit lines, $rows rows)" \
	test "$rows" = "$after_exit"
finish exit-boot-services
