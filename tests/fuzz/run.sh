#!/usr/bin/env bash
# Run every libFuzzer target in build/fuzz over its seeds (tests/fuzz/corpus,
# plus the real machines' tables of ../shared/realacpi for the ACPI readers
# when that folder exists) and new inputs.  A crash, a leak, a sanitizer
# report or an input slower than the per-input limit fails the target.
#
# Usage: run.sh brief      a few thousand new inputs each, with a fixed seed (make test)
#        run.sh SECONDS    each target for SECONDS (make fuzz), with its rate
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-brief}
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

case $mode in
brief) budget=(-runs=2000 -seed=1) ;;
*[!0-9]* | "") echo "usage: run.sh brief | SECONDS" >&2; exit 2 ;;
*) budget=(-max_total_time="$mode") ;;
esac

# The real machines' tables: as acpidump text, and as their NUMA tables back to back.
realacpi=$here/../shared/realacpi/corpus
if [ -d "$realacpi" ]; then
	mkdir -p "$work/real-text" "$work/real-tables"
	for f in "$realacpi"/*.txt.xz; do
		name=$(basename "$f" .txt.xz)
		xz -dc "$f" >"$work/real-text/$name"
		mkdir -p "$work/x/$name"
		(cd "$work/x/$name" && for sig in SRAT SLIT APIC; do
			acpixtract -s $sig "$work/real-text/$name" >/dev/null 2>&1; done
		 cat ./*.dat 2>/dev/null) >"$work/real-tables/$name"
		[ -s "$work/real-tables/$name" ] || rm -f "$work/real-tables/$name"
	done
else
	echo "fuzz: $realacpi does not exist; the ACPI readers get the repository's seeds only"
fi

for target in "$here"/build/fuzz/fuzz_*; do
	[[ $target == *.d ]] && continue	# the objects' dependency files
	name=${target##*/fuzz_}
	dir="$work/$name"
	mkdir -p "$dir/corpus"
	extra=()
	[ "$name" = acpidump ] && [ -d "$work/real-text" ] && extra=("$work/real-text")
	[ "$name" = acpi_listed ] && [ -d "$work/real-tables" ] && extra=("$work/real-tables")
	"$target" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/" "$dir/corpus" "$here/tests/fuzz/corpus/$name" "${extra[@]}" \
		>"$dir/log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
	[ "${rate:-0}" = 0 ] && rate="all in under a second" || rate="$rate/s"
	check "$name: no crash and no slow input in ${execs:-?} executions ($rate)" test $status -eq 0
	if [ $status -ne 0 ]; then
		grep -m 20 -E 'ERROR|SUMMARY|runtime error|Test unit written|ALARM|==[0-9]+==' "$dir/log" | sed 's/^/    /'
		mkdir -p "$here/build/fuzz-findings/$name" && cp "$dir"/crash-* "$dir"/timeout-* "$dir"/leak-* \
			"$dir"/slow-unit-* "$here/build/fuzz-findings/$name/" 2>/dev/null
		echo "    the input is kept in build/fuzz-findings/$name/"
	fi
done
finish fuzz
