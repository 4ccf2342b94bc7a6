#!/usr/bin/env bash
# memprobe replay on the Linux 6.1 boot logs kept in tests/data (captured by
# tests/linux with memblock=debug): every allocation and every dump must be
# identical.  Tampered logs must be caught.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
tool="$here/build/memprobe"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

all_identical() {	# the summary line says N of N, K of K, with N > 0 and K >= 2
	grep -Eq '^replay: ([1-9][0-9]*) of \1 allocations identical, ([2-9]|[1-9][0-9]+) of \2 dumps identical, ([0-9]+) of \3 array doublings identical' "$1"
}

for log in "$here"/tests/data/linux-6.1/*.log; do
	name=$(basename "$log" .log)
	"$tool" replay "$log" >"$work/$name.out"
	status=$?
	cat "$work/$name.out"
	check "$name: exit 0" test $status -eq 0
	check "$name: all allocations and dumps identical" all_identical "$work/$name.out"
done

seed="$here/tests/data/linux-6.1/seed.log"
# Without timestamps, from standard input: the same result.
sed 's/^\[ *[0-9.]*\] //' "$seed" | "$tool" replay - >"$work/stdin.out"
check "no timestamps, stdin: exit 0" test $? -eq 0
check "no timestamps, stdin: same summary" cmp -s "$work/stdin.out" "$work/seed.out"

# Linux's answer to the first page-table allocation moved by one page.
awk '!done && /memblock_reserve: .*memblock_alloc_range_nid/ && prev ~ /alloc_low_pages/ {
	sub(/0x000000013ffff000/, "0x000000013fffe000"); done = 1 } { print; prev = $0 }' "$seed" >"$work/moved.log"
"$tool" replay "$work/moved.log" >"$work/moved.out"
check "moved allocation: exit 1" test $? -eq 1
check "moved allocation: divergence named" grep -q "allocation: Linux 0x13fffe000, memprobe 0x13ffff000" "$work/moved.out"
check "moved allocation: state shown" grep -q "^ memory\[0x0\]" "$work/moved.out"

# A dump line that memprobe's state cannot produce.
sed '0,/^\(\[ *[0-9.]*\] \) memory\.cnt  = 0x8/s//\1 memory.cnt  = 0x9/' "$seed" >"$work/dump.log"
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
