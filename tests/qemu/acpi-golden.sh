#!/usr/bin/env bash
# Golden ACPI tests against QEMU's real tables: memprobe.efi saves every
# table in acpidump format; ACPICA's acpixtract and iasl -d (Debian's
# acpica-tools) decode the same bytes independently, and their SRAT, MADT
# and SLIT fields must match memprobe's decode, field by field.  The host
# tool (memprobe acpi) must print the same ACPI lines from the saved dump
# as memprobe.efi printed on the console.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-acpi.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"
. "$here/tests/lib/acpi-decode.sh"

same() {	# same FILE1 FILE2: equal and not empty, or show the difference
	if [ -s "$1" ] && cmp -s "$1" "$2"; then
		return 0
	fi
	diff -u "$1" "$2" | sed 's/^/    /' | head -40
	return 1
}

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 \
	acpica-tools gawk || exit 1
make -s -C "$here" image build/memprobe || exit 1
iasl -p "$work/srat-interleaved" "$here/tests/data/acpi/srat-interleaved.asl" >/dev/null ||
	{ echo "acpi-golden: iasl cannot compile tests/data/acpi/srat-interleaved.asl" >&2; exit 1; }

# run_case NAME TABLES RUN-QEMU-ARGS...: TABLES names the NUMA tables the VM
# must have ("srat", "srat+slit" or "none"); each is compared, never skipped.
run_case() {
	local name=$1 tables=$2 dir="$work/$1"
	shift 2
	mkdir -p "$dir"
	if ! "$here/run-qemu.sh" --no-install --disk "$dir/disk.img" --log "$dir/console.log" "$@" \
		>/dev/null 2>"$dir/err"; then
		echo "FAIL $name: memprobe did not complete"; sed 's/^/    /' "$dir/err"
		failed=$((failed + 1))
		return
	fi
	mtype -i "$dir/disk.img" ::/memprobe/runs/0001/acpi.txt | tr -d '\r' >"$dir/acpi.txt"
	(cd "$dir" && acpixtract -a acpi.txt >/dev/null 2>&1)
	check "$name: acpixtract finds the MADT in memprobe's dump" test -s "$dir/apic.dat"
	for sig in SRAT SLIT; do
		local lower=${sig,,}
		if [[ $tables == *$lower* ]]; then
			check "$name: memprobe lists the $sig" grep -q "^ACPI: $sig 0x" "$dir/console.log"
			check "$name: acpixtract finds the $sig in memprobe's dump" test -s "$dir/$lower.dat"
		else
			check "$name: no $sig, and none in the dump" test ! -e "$dir/$lower.dat"
		fi
	done
	(cd "$dir" && for t in *.dat; do iasl -d "$t" >/dev/null 2>&1; done)

	# memprobe acpi on the saved dump prints what memprobe.efi printed.
	local acpi_lines='^ACPI: \|^SRAT: \|^memprobe: MADT: \|^memprobe: SLIT\|^node \|^ *[0-9]*: \|^memprobe: /sys/devices/system/node\|^memprobe: \[Firmware Bug\]: \(ACPI\|SRAT\|SLIT\|MADT\)'
	grep "$acpi_lines" "$dir/console.log" >"$dir/efi.lines"
	"$here/build/memprobe" acpi "$dir/acpi.txt" | grep "$acpi_lines" >"$dir/host.lines"
	check "$name: memprobe acpi on the dump = memprobe.efi's lines" same "$dir/efi.lines" "$dir/host.lines"

	if [[ $tables == *srat* ]]; then
		iasl_srat "$dir/srat.dsl" | sort >"$dir/srat.iasl"
		memprobe_srat "$dir/console.log" | sort >"$dir/srat.memprobe"
		check "$name: SRAT entries match iasl -d ($(wc -l <"$dir/srat.iasl") entries)" same "$dir/srat.iasl" "$dir/srat.memprobe"
	fi
	iasl_madt "$dir/apic.dsl" | sort >"$dir/madt.iasl"
	memprobe_madt "$dir/console.log" | sort >"$dir/madt.memprobe"
	check "$name: MADT CPUs match iasl -d ($(wc -l <"$dir/madt.iasl") CPUs)" same "$dir/madt.iasl" "$dir/madt.memprobe"
	if [[ $tables == *slit* ]]; then
		iasl_slit "$dir/slit.dsl" "$dir/console.log" >"$dir/slit.iasl"
		memprobe_slit "$dir/console.log" >"$dir/slit.memprobe"
		check "$name: SLIT matrix matches iasl -d" same "$dir/slit.iasl" "$dir/slit.memprobe"
	fi
}

run_case seed srat
run_case q35-4nodes-slit srat+slit --machine q35 --numa 1G,cpus=0-1 --numa 1G,cpus=2-3 --numa 0,cpus=4 \
	--numa 2G,cpus=5 -- -numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=31 \
	-numa dist,src=0,dst=3,val=41 -numa dist,src=1,dst=2,val=22 -numa dist,src=1,dst=3,val=32 \
	-numa dist,src=2,dst=3,val=23
run_case pc-injected-srat srat --mem 5G -- -acpitable file="$work/srat-interleaved.aml"
run_case q35-nonuma none --machine q35 --mem 4G --smp 2

finish acpi-golden
