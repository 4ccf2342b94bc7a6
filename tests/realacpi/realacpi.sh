#!/usr/bin/env bash
# The ACPI tables of 71 real machines (../shared/realacpi, public data kept
# beside the project, not in it): each machine decoded by the host tool
# built with AddressSanitizer and UndefinedBehaviorSanitizer, its SRAT,
# MADT CPUs and SLIT compared field by field with `iasl -d` of the same
# tables (acpica-tools) under Linux's rules, and its output bounded.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${REALACPI:-$here/../shared/realacpi}/corpus
tool="$here/build/memprobe-asan"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-realacpi.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"
. "$here/tests/lib/acpi-decode.sh"

if [ ! -d "$corpus" ]; then
	echo "realacpi: $corpus does not exist; the real machines' tables were not decoded"
	exit 0
fi
"$here/tests/lib/install-deps.sh" acpica-tools gawk xz-utils || exit 1

# Lines that say why Linux stopped taking SRAT entries; with one of them
# memprobe shows only a part of what iasl decodes.
srat_stopped='SRAT not used|Invalid zero length|skipped apicid that is too big|Too many proximity domains'

# same WHAT A B: the two decodes are equal, else count a mismatch and show it.
same() {
	if cmp -s "$2" "$3"; then
		return 0
	fi
	echo "    $name: $1 differs (--- iasl -d, +++ memprobe):"
	diff -u "$2" "$3" | sed -n '3,22s/^/      /p'
	mismatches=$((mismatches + 1))
	return 1
}

machines=0 tables=0 mismatches=0
for f in "$corpus"/*.txt.xz; do
	name=$(basename "$f" .txt.xz)
	dir="$work/$name"
	mkdir -p "$dir"
	machines=$((machines + 1))
	xz -dc "$f" >"$dir/acpi.txt" || { check "$name: the file decompresses" false; continue; }
	(cd "$dir" && for sig in SRAT APIC SLIT; do acpixtract -s $sig acpi.txt >/dev/null 2>&1; done
	 for t in *.dat; do [ -e "$t" ] && iasl -d "$t" >/dev/null 2>&1; done)
	"$tool" acpi "$dir/acpi.txt" >"$dir/out" 2>"$dir/err"
	status=$?
	check "$name: decoded under the sanitizers (exit 0)" test "$status" -eq 0 -a ! -s "$dir/err"
	check "$name: output bounded ($(wc -l <"$dir/out") lines)" test "$(wc -l <"$dir/out")" -lt 3000
	ok=1
	# Linux uses the first SRAT and, without acpi_apic_instance=, the first MADT.
	srat=$(ls "$dir"/srat.dsl "$dir"/srat1.dsl 2>/dev/null | head -1)
	madt=$(ls "$dir"/apic.dsl "$dir"/apic1.dsl 2>/dev/null | head -1)
	slit=$(ls "$dir"/slit.dsl "$dir"/slit1.dsl 2>/dev/null | head -1)
	if [ -n "$srat" ]; then
		tables=$((tables + 1))
		iasl_srat "$srat" | sort >"$dir/srat.iasl"
		memprobe_srat "$dir/out" | sort >"$dir/srat.memprobe"
		if grep -Eq "$srat_stopped" "$dir/out"; then
			comm -13 "$dir/srat.iasl" "$dir/srat.memprobe" >"$dir/srat.extra"
			same "SRAT (entries beyond iasl's)" /dev/null "$dir/srat.extra" || ok=0
		else
			same SRAT "$dir/srat.iasl" "$dir/srat.memprobe" || ok=0
		fi
	fi
	if [ -n "$madt" ]; then
		tables=$((tables + 1))
		iasl_madt "$madt" | sort >"$dir/madt.iasl"
		memprobe_madt "$dir/out" | sort >"$dir/madt.memprobe"
		same "MADT CPUs" "$dir/madt.iasl" "$dir/madt.memprobe" || ok=0
	fi
	if [ -n "$slit" ] && [ -n "$srat" ] && ! grep -q '^memprobe: SLIT: .*(not used)$' "$dir/out"; then
		tables=$((tables + 1))
		iasl_slit "$slit" "$dir/out" >"$dir/slit.iasl"
		memprobe_slit "$dir/out" >"$dir/slit.memprobe"
		same SLIT "$dir/slit.iasl" "$dir/slit.memprobe" || ok=0
	fi
	# Two MADTs: Linux's warning, and its line order for NMIs (every x2APIC one first).
	if [ -e "$dir/apic2.dsl" ]; then
		check "$name: Linux's multiple-MADT warning" \
			grep -qxF "ACPI: BIOS bug: multiple APIC/MADT found, using 0" "$dir/out"
	fi
	check "$name: no LAPIC_NMI line before an X2APIC_NMI line" \
		bash -c "! grep -o '^ACPI: [XL][2A]*A*P*I*C*_NMI' '$dir/out' | uniq | tr '\n' ' ' | grep -q 'LAPIC_NMI.*X2APIC_NMI'"
	check "$name: SRAT, MADT and SLIT match iasl -d" test $ok -eq 1
done
echo "realacpi: $machines machines, $tables tables compared with iasl -d, $mismatches mismatches"
check "realacpi: all 71 machines read" test $machines -eq 71
finish realacpi
