#!/usr/bin/env bash
# memprobe's memblock against Linux 6.1's own mm/memblock.c on the same
# traces: the built-in one (memblock_trace.c) and the memblock operations of
# each boot log in tests/data/linux-6.1.  ns per step for each, alternating
# RUNS runs of each, the medians and their ratio, and whether both ended in
# the same state.  Linux's
# file and the user-space shims of its tools/testing/memblock come from
# Debian's linux-source-6.1, fetched and cached under build/linux-source;
# they are built here, never copied into memprobe.
#
# Usage: memblock-linux.sh [RUNS]   (default 5)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
pkg=linux-source-6.1
cache=$here/build/linux-source
src=$cache/$pkg
shims=$src/tools/testing/memblock
memprobe=$here/build/bench_memblock_trace
[ -x "$memprobe" ] || { echo "memblock-linux.sh: build $memprobe first (make bench)" >&2; exit 1; }

"$here/tests/lib/install-deps.sh" liburcu-dev xz-utils gawk

if [ ! -f "$src/mm/memblock.c" ]; then
	mkdir -p "$cache"
	(cd "$cache" && rm -f ./*.deb && apt-get download -q "$pkg" >&2)
	deb=$(ls "$cache"/*.deb)
	dpkg-deb -f "$deb" Version >"$cache/version"
	# Only what the shims build: memblock.c, two headers, and tools/.
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards "./usr/src/$pkg.tar.xz" |
		tar -xJ -C "$cache" --wildcards "$pkg/mm/memblock.c" "$pkg/include/linux/memblock.h" \
			"$pkg/include/linux/gfp_types.h" "$pkg/tools/testing/memblock/*" "$pkg/tools/include/*" \
			"$pkg/tools/lib/*" "$pkg/tools/arch/x86/include/*"
	rm -f "$deb"
fi

# The links the shims' own Makefile makes, then their objects with CONFIG_NUMA
# and Debian's NODES_SHIFT, -O2 like memprobe's side and without sanitizers.
linux=$cache/bench_memblock_linux
if [ ! -x "$linux" ] || [ "$here/tests/bench/memblock_linux.c" -nt "$linux" ] ||
	[ "$here/tests/bench/memblock_trace.c" -nt "$linux" ] || [ "$here/tests/bench/memblock_trace.h" -nt "$linux" ]; then
	(cd "$shims" && mkdir -p linux asm &&
		ln -sfn ../../../../include/linux/memblock.h linux/memblock.h &&
		ln -sfn ../../../arch/x86/include/asm/asm.h asm/asm.h &&
		ln -sfn ../../../arch/x86/include/asm/cmpxchg.h asm/cmpxchg.h &&
		ln -sfn ../../../mm/memblock.c memblock.c &&
		gcc -O2 -w -I. -I../../include -I"$here/tests/bench" -DCONFIG_PHYS_ADDR_T_64BIT -DCONFIG_NUMA \
			-DCONFIG_NODES_SHIFT=10 memblock.c lib/slab.c mmzone.c ../../lib/slab.c \
			"$here/tests/bench/memblock_linux.c" "$here/tests/bench/memblock_trace.c" -lurcu -o "$linux")
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-memblock.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A boot log's memblock=debug lines as trace operations (memblock_trace.h).
# An allocation's own memblock_reserve line (its caller memblock_alloc_range_nid)
# and a grown array's are left out: both sides make them.
log_trace() {
	sed 's/^\[[ 0-9.]*\] //' "$1" | awk '
	function span(r,  a) { split(substr(r, 2, length(r) - 2), a, "-"); return a[1] " " sprintf("%d", strtonum(a[2]) - strtonum(a[1]) + 1) }
	$1 == "memblock_add:" { print "add", span($2); next }
	$1 == "memblock_reserve:" && $3 !~ /^(memblock_alloc_range_nid|memblock_double_array)\+/ { print "reserve", span($2); next }
	$1 == "memblock_phys_free:" { print "free", span($2); next }
	$1 ~ /^memblock_.*alloc.*:$/ && $3 == "bytes" {
		nid = -1; from = 0; max = 0
		for (i = 4; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "align") align = kv[2]
			if (kv[1] == "nid") nid = kv[2]
			if (kv[1] == "from") from = kv[2]
			if (kv[1] == "max_addr") max = kv[2]
		}
		print "alloc", $2, align, from, max, nid, ($1 ~ /exact/ ? 1 : 0)
	}'
}

# Both sides RUNS times, alternating; each run writes its phases to OUT.SIDE.I.
run_both() {
	local out=$1
	shift
	for ((i = 0; i < runs; i++)); do
		"$memprobe" "$out.state-memprobe" "$@" >"$out.memprobe.$i"
		"$linux" "$out.state-linux" "$@" >"$out.linux.$i"
	done
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# PHASE memprobe-median linux-median ratio, for each phase of OUT.
report() {
	local out=$1 label=${2:-} phase m l
	for phase in $(awk '{ print $1 }' "$out.memprobe.0"); do
		m=$(cat "$out".memprobe.* | awk -v p="$phase" '$1 == p { print $2 }' | median)
		l=$(cat "$out".linux.* | awk -v p="$phase" '$1 == p { print $2 }' | median)
		printf '%-22s %12s %12s %7.2fx\n' "${label:-$phase}" "$m" "$l" "$(echo "$m $l" | awk '{ print $1 / $2 }')"
	done
}

same_state() {
	cmp -s "$1.state-memprobe" "$1.state-linux" && return 0
	echo "memblock-linux.sh: $2: the final states differ (memprobe, then Linux):" >&2
	diff "$1.state-memprobe" "$1.state-linux" | head -20 >&2
	return 1
}

status=0
echo "memblock against Linux $(cat "$cache/version")'s mm/memblock.c, median of $runs runs each, ns per step"
printf '%-22s %12s %12s %8s\n' step memprobe linux ratio
run_both "$work/trace"
report "$work/trace"
if same_state "$work/trace" "the built-in trace"; then
	echo "final states identical: $(grep -c '^memory' "$work/trace.state-linux") memory and" \
		"$(grep -c '^reserved' "$work/trace.state-linux") reserved regions"
else
	status=1
fi

echo
echo "the memblock operations of the boot logs in tests/data/linux-6.1, ns per operation"
printf '%-22s %12s %12s %8s %6s\n' log memprobe linux ratio ops
for log in "$here"/tests/data/linux-6.1/*.log; do
	name=$(basename "$log" .log)
	log_trace "$log" >"$work/$name.trace"
	run_both "$work/$name" "$work/$name.trace"
	printf '%s %6s\n' "$(report "$work/$name" "$name")" "$(wc -l <"$work/$name.trace")"
	same_state "$work/$name" "$name" || status=1
done
[ $status -eq 0 ] && echo "final states identical on every log"
exit $status
