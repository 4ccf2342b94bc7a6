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

same() {	# same FILE1 FILE2: equal and not empty, or show the difference
	if [ -s "$1" ] && cmp -s "$1" "$2"; then
		return 0
	fi
	diff -u "$1" "$2" | sed 's/^/    /' | head -40
	return 1
}

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 \
	acpica-tools || exit 1
make -s -C "$here" image build/memprobe || exit 1
iasl -p "$work/srat-interleaved" "$here/tests/data/acpi/srat-interleaved.asl" >/dev/null ||
	{ echo "acpi-golden: iasl cannot compile tests/data/acpi/srat-interleaved.asl" >&2; exit 1; }

# Fields of an iasl -d listing: "value" of every "Name : value" line, in order.
field() { sed -n "s/^\[[0-9A-F]*h [0-9]* *[0-9]*\] *$1 : \([0-9A-Fa-f]*\).*/\1/p" "$2"; }

# iasl's SRAT decode -> "cpu pxm=P apic=A" / "mem pxm=P start=S end=E" for enabled entries.
iasl_srat() {
	local dsl=$1 type="" pxm=0 apic=0 base=0 len=0 en=0
	while IFS= read -r line; do
		case $line in
		*"Subtable Type : "*)
			emit_srat
			type=$(sed 's/.*Subtable Type : \([0-9A-F]*\).*/\1/' <<<"$line")
			pxm=0 apic=0 base=0 len=0 en=0 ;;
		*"Proximity Domain Low(8) : "*) pxm=$((16#${line##*: })) ;;
		*"Proximity Domain High(24) : "*) pxm=$((pxm | 16#${line##*: } << 8)) ;;
		*" Proximity Domain : "*) pxm=$((16#${line##*: })) ;;
		*" Apic ID : "*) apic=$((16#${line##*: })) ;;
		*" Base Address : "*) base=$((16#${line##*: })) ;;
		*" Address Length : "*) len=$((16#${line##*: })) ;;
		*" Enabled : "*) en=${line##*: } ;;
		esac
	done <"$dsl"
	emit_srat
}
emit_srat() {
	[ "$en" = 1 ] || return 0
	case $type in
	00 | 02) echo "cpu pxm=$pxm apic=$apic" ;;
	01) [ "$len" -gt 0 ] && printf 'mem pxm=%d start=%#x end=%#x\n' "$pxm" "$base" $((base + len - 1)) ;;
	esac
	return 0
}

# memprobe's SRAT lines -> the same form.
memprobe_srat() {
	sed -n -e 's/^SRAT: PXM \([0-9]*\) -> APIC \(0x[0-9a-f]*\) -> Node .*/cpu \1 \2/p' \
		-e 's/^ACPI: SRAT: Node [0-9]* PXM \([0-9]*\) \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/mem \1 \2 \3/p' "$1" |
		while read -r kind a b c; do
			if [ "$kind" = cpu ]; then
				echo "cpu pxm=$a apic=$((b))"
			else
				printf 'mem pxm=%d start=%#x end=%#x\n' "$a" "$((b))" "$((c))"
			fi
		done
}

# iasl's MADT decode -> "cpu uid=U apic=A enabled=E" for local APIC and x2APIC entries.
iasl_madt() {
	local type="" uid=0 apic=0 en=0
	while IFS= read -r line; do
		case $line in
		*"Subtable Type : "*)
			emit_madt
			type=$(sed 's/.*Subtable Type : \([0-9A-F]*\).*/\1/' <<<"$line")
			uid=0 apic=0 en=0 ;;
		*"] "*" Processor ID : "* | *" Processor UID : "*) uid=$((16#${line##*: })) ;;
		*" Local Apic ID : "* | *" Processor x2Apic ID : "*) apic=$((16#${line##*: })) ;;
		*"Processor Enabled : "*) en=${line##*: } ;;
		esac
	done <"$1"
	emit_madt
}
emit_madt() {
	case $type in
	00 | 09) echo "cpu uid=$uid apic=$apic enabled=$en" ;;
	esac
	return 0
}

memprobe_madt() {
	sed -n 's/^memprobe: MADT: CPU [0-9]*: APIC \(0x[0-9a-f]*\), ACPI UID \([0-9]*\), \(.*\)/\2 \1 \3/p' "$1" |
		while read -r uid apic state; do
			echo "cpu uid=$uid apic=$((apic)) enabled=$([ "$state" = enabled ] && echo 1 || echo 0)"
		done
}

# iasl's SLIT rows by PXM vs memprobe's per-node rows mapped back to PXMs.
iasl_slit() {
	sed -n 's/^\[.*\] *Locality *\([0-9]*\) : \(.*\)/\1 \2/p' "$1" | while read -r pxm row; do
		echo "pxm $pxm: $(for h in $row; do printf '%d ' "$((16#$h))"; done)"
	done
}

memprobe_slit() {
	local log=$1
	# node -> pxm from the SRAT lines (first seen)
	declare -A pxm_of
	while read -r node pxm; do
		[ -n "${pxm_of[$node]:-}" ] || pxm_of[$node]=$pxm
	done < <(sed -n -e 's/^SRAT: PXM \([0-9]*\) -> APIC .* -> Node \([0-9]*\).*/\2 \1/p' \
		-e 's/^ACPI: SRAT: Node \([0-9]*\) PXM \([0-9]*\) .*/\1 \2/p' "$log")
	mapfile -t nodes < <(sed -n 's/^memprobe: \/sys\/devices\/system\/node\/node\([0-9]*\)\/distance: .*/\1/p' "$log")
	sed -n 's/^memprobe: \/sys\/devices\/system\/node\/node\([0-9]*\)\/distance: \(.*\)/\1 \2/p' "$log" |
		while read -r node row; do
			# reorder the row's columns (by node) into PXM order
			local -a cols=($row) out=()
			for i in "${!nodes[@]}"; do out[${pxm_of[${nodes[$i]}]}]=${cols[$i]}; done
			echo "pxm ${pxm_of[$node]}: $(for d in "${out[@]}"; do printf '%d ' "$d"; done)"
		done | sort -n -k2
}

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
	mtype -i "$dir/disk.img" ::/memprobe/acpi-0001.txt | tr -d '\r' >"$dir/acpi.txt"
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
		iasl_slit "$dir/slit.dsl" >"$dir/slit.iasl"
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
