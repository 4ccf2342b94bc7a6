#!/usr/bin/env bash
# memprobe replay on the Linux 6.1 and 6.12 boot logs kept in tests/data
# (captured with memblock=debug): every allocation and every dump must be
# identical.  Tampered logs must be caught.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
tool="$here/build/memprobe"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

# The summary says N of N allocations and K of K dumps, N > 0, and K is
# every dump but the first (which is the starting state, not a result).
all_identical() {	# all_identical OUTPUT LOG
	local dumps
	dumps=$(($(grep -c 'MEMBLOCK configuration:' "$2") - 1))
	[ "$dumps" -ge 1 ] &&
		grep -Eq "^replay: ([1-9][0-9]*) of \1 allocations identical, $dumps of $dumps dumps identical, ([0-9]+) of \2 array doublings identical" "$1"
}

for log in "$here"/tests/data/linux-6.1/*.log "$here"/tests/data/linux-6.12/*.log; do
	name=$(basename "$(dirname "$log")")/$(basename "$log" .log)
	mkdir -p "$work/$(dirname "$name")"
	"$tool" replay "$log" >"$work/$name.out"
	status=$?
	cat "$work/$name.out"
	check "$name: exit 0" test $status -eq 0
	check "$name: all allocations and dumps identical" all_identical "$work/$name.out" "$log"
	kernel=${name%%/*}
	check "$name: the profile of the log's kernel" \
		grep -q "^replay: Linux ${kernel#linux-} (${kernel#linux-}\.[0-9a-z+.-]*), as the log's 'Linux version' line says$" \
		"$work/$name.out"
done

# The profile matters: the 6.12 seed log read as a 6.1 one differs in its NUMA merge lines.
sed 's/^\(\[ *[0-9.]*\] Linux version \)6\.12\./\16.1./' "$here/tests/data/linux-6.12/seed.log" >"$work/as-6.1.log"
"$tool" replay "$work/as-6.1.log" >"$work/as-6.1.out"
check "6.12 log read as 6.1: exit 1" test $? -eq 1
check "6.12 log read as 6.1: the merge lines named" grep -q "numa_cleanup_meminfo's lines differ" "$work/as-6.1.out"

seed="$here/tests/data/linux-6.1/seed.log"
# A kernel memprobe does not model, a log whose start the ring buffer lost, a log cut after
# its first dump: named and refused (exit 2), never a pass or a false divergence.
for v in 5.10.0-28-amd64 6.6.13 garbage; do
	sed "s/^\(\[ *[0-9.]*\] Linux version \)6\.1\.[^ ]*/\1$v/" "$seed" >"$work/v.log"
	"$tool" replay "$work/v.log" >"$work/v.out"
	check "Linux $v: exit 2" test $? -eq 2
	check "Linux $v: the log's version named, not modelled" grep -q \
		"^replay: .*v.log: the log is of Linux $v, which memprobe does not model (it models 6.1, 6.12); not replayed" \
		"$work/v.out"
done
sed '/BIOS-e820: /d; /Linux version/d' "$seed" >"$work/wrapped.log"
"$tool" replay "$work/wrapped.log" >"$work/wrapped.out"
check "start lost: exit 2" test $? -eq 2
check "start lost: refused as compare refuses it" grep -q 'wrapped.log has no BIOS-e820 lines: not the start of a Linux x86 boot log' \
	"$work/wrapped.out"
awk '{ print } /MEMBLOCK configuration:/ { dump = 1 } dump && /reserved\[0x[0-9a-f]*\]/ { last = NR } dump && last && NR > last + 3 { exit }' \
	"$seed" >"$work/cut.log"
"$tool" replay "$work/cut.log" >"$work/cut.out"
check "cut after the first dump: exit 2" test $? -eq 2
check "cut after the first dump: nothing compared is said" grep -q 'nothing to compare after the first memblock dump' \
	"$work/cut.out"
# Without timestamps, from standard input: the same result.
sed 's/^\[ *[0-9.]*\] //' "$seed" | "$tool" replay - >"$work/stdin.out"
check "no timestamps, stdin: exit 0" test $? -eq 0
check "no timestamps, stdin: same summary" cmp -s "$work/stdin.out" "$work/linux-6.1/seed.out"

# A writer into a pipe is never cut off: replay reads its input to the end,
# here a megabyte past the "Memory:" line where replaying stops.
filler() { cat "$seed"; awk 'BEGIN { for (i = 0; i < 25000; i++) print "[    9.999999] a line after replay has stopped" }'; }
filler | "$tool" replay - >"$work/long.out"
check "long input through a pipe: both ends exit 0" test "${PIPESTATUS[*]}" = "0 0"

# A duplicated NODE_DATA line cannot come from Linux: a divergence, never a negative count.
awk '/NODE_DATA\(0\) allocated/ && !done { print; done = 1 } { print }' "$seed" >"$work/twice.log"
"$tool" replay "$work/twice.log" >"$work/twice.out"
check "NODE_DATA twice: exit 1" test $? -eq 1
check "NODE_DATA twice: named" grep -q "NODE_DATA(0): Linux allocated it twice" "$work/twice.out"
check "NODE_DATA twice: no wrapped count" bash -c "! grep -q 4294967295 '$work/twice.out'"

# The NUMA blocks go through the core's numa_cleanup_meminfo, whose merge lines must be Linux's.
sed '0,/NUMA: Node 0 \[mem 0x00000000-0x0009ffff\] + /s//NUMA: Node 0 [mem 0x00000000-0x0009fffe] + /' \
	"$seed" >"$work/merge.log"
"$tool" replay "$work/merge.log" >"$work/merge.out"
check "altered merge line: exit 1" test $? -eq 1
check "altered merge line: named" grep -q "numa_cleanup_meminfo's lines differ" "$work/merge.out"

# Linux dropped the SRAT (a PXM past MAX_PXM_DOMAINS) before its cleanup: replay follows the
# log's verdict.  Without the verdict's line, the SRAT's blocks would be cleaned up and merged.
rejected="$here/tests/data/linux-6.1/broken-srat-pxm-too-big.log"
check "SRAT dropped: the log holds Linux's verdict" grep -q 'ACPI: SRAT: SRAT not used.' "$rejected"
grep -v 'ACPI: SRAT: SRAT not used.' "$rejected" >"$work/verdict-lost.log"
"$tool" replay "$work/verdict-lost.log" >"$work/verdict-lost.out"
check "SRAT dropped, its verdict cut from the log: the merge Linux never made is named" \
	grep -q "numa_cleanup_meminfo's lines differ" "$work/verdict-lost.out"

# A log whose SRAT splits memory into 128 ranges: Linux doubles memblock.memory
# while it sets the nodes, and memprobe must do the same at the same place.
big="$here/tests/data/linux-6.1/pc-64nodes.log"
"$tool" replay "$big" >"$work/big.out"
check "64 nodes: exit 0" test $? -eq 0
check "64 nodes: the doublings (memory during NUMA setup, reserved twice) matched" \
	grep -q " 3 of 3 array doublings identical" "$work/big.out"

# Errors of the input and the output: named, exit 2.
check_io_errors "$tool" replay "$seed" "$work"

# Linux's answer to the first page-table allocation moved by one page.
awk '!done && /memblock_reserve: .*memblock_alloc_range_nid/ && prev ~ /alloc_low_pages/ {
	sub(/0x000000013ffff000/, "0x000000013fffe000"); done = 1 } { print; prev = $0 }' "$seed" >"$work/moved.log"
"$tool" replay "$work/moved.log" >"$work/moved.out"
check "moved allocation: exit 1" test $? -eq 1
check "moved allocation: divergence named" grep -q "allocation: Linux 0x13fffe000, memprobe 0x13ffff000" "$work/moved.out"
check "moved allocation: state shown" grep -q "^ memory\[0x0\]" "$work/moved.out"

# A line of the second dump (the first is the starting state) that memprobe's state cannot produce.
sed 's/^\(\[ *[0-9.]*\] \) memory\.cnt  = 0x9$/\1 memory.cnt  = 0xa/' "$seed" >"$work/dump.log"
"$tool" replay "$work/dump.log" >"$work/dump.out"
check "altered dump: exit 1" test $? -eq 1
check "altered dump: divergence named" grep -q "first divergence in the MEMBLOCK configuration dump" "$work/dump.out"

# No memblock=debug output at all.
grep -v "memblock\|MEMBLOCK\|memory\[\|reserved\[\|\.cnt\|memory size" "$seed" >"$work/plain.log"
"$tool" replay "$work/plain.log" >"$work/plain.out"
check "no memblock=debug: exit 2" test $? -eq 2
check "no memblock=debug: said" grep -q "was Linux booted with memblock=debug" "$work/plain.out"
"$tool" replay "$work/no-such-file" 2>"$work/missing.err"
check "missing file: exit 2" test $? -eq 2
"$tool" frobnicate 2>"$work/usage.err"
check "wrong command: exit 2" test $? -eq 2
check "wrong command: usage shown" grep -q "usage: memprobe replay BOOTLOG" "$work/usage.err"

finish replay-tests
