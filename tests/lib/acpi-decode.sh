# Sourced by the ACPI tests: the SRAT, MADT and SLIT as `iasl -d` decodes
# them (ACPICA, independent of memprobe) and as memprobe prints them, both
# in one line format so that the two can be compared with sort and diff.
# The iasl side applies Linux 6.1's rules for what it uses: enabled entries
# only, a CPU entry's high PXM bytes only from SRAT revision 2, a memory
# entry's PXM cut to 8 bits up to revision 1.

# iasl's SRAT decode -> "cpu pxm=P apic=A" / "mem pxm=P start=S len=L" for enabled entries.
iasl_srat() {
	gawk '
	function hex(s) { return strtonum("0x" s) }
	function emit() {
		if (en != 1) return
		if (type == "00") printf "cpu pxm=%d apic=%d\n", rev >= 2 ? or(lo, lshift(hi, 8)) : lo, apic
		else if (type == "02") printf "cpu pxm=%d apic=%d\n", pxm, apic
		else if (type == "01") printf "mem pxm=%d start=%#x len=%#x\n", rev <= 1 ? and(pxm, 255) : pxm, base, len
	}
	{ value = $0; sub(/.* : /, "", value); sub(/ .*/, "", value) }
	!seen_rev && / Revision : / { rev = hex(value); seen_rev = 1 }
	/Subtable Type : / { emit(); type = value; lo = hi = pxm = apic = base = len = en = 0 }
	/Proximity Domain Low\(8\) : / { lo = hex(value) }
	/Proximity Domain High\(24\) : / { hi = hex(value) }
	/ Proximity Domain : / { pxm = hex(value) }
	/ Apic ID : / { apic = hex(value) }
	/ Base Address : / { base = hex(value) }
	/ Address Length : / { len = hex(value) }
	/^ *Enabled : / { en = value + 0 }
	END { emit() }' "$1"
}

# memprobe's SRAT lines -> the same form.
memprobe_srat() {
	sed -n -e 's/^SRAT: PXM \([0-9]*\) -> APIC \(0x[0-9a-f]*\) -> Node [0-9]*$/cpu \1 \2/p' \
		-e 's/^ACPI: SRAT: Node [0-9]* PXM \([0-9]*\) \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/mem \1 \2 \3/p' "$1" |
		while read -r kind a b c; do
			if [ "$kind" = cpu ]; then
				echo "cpu pxm=$a apic=$((b))"
			else
				printf 'mem pxm=%d start=%#x len=%#x\n' "$a" "$((b))" "$((c - b + 1))"
			fi
		done
}

# iasl's MADT decode -> "cpu uid=U apic=A STATE" for local APIC and x2APIC entries.
iasl_madt() {
	gawk '
	function hex(s) { return strtonum("0x" s) }
	function emit() {
		if (type == "00" || type == "09")
			printf "cpu uid=%d apic=%d %s\n", uid, apic,
				en ? "enabled" : oc ? "online capable" : "disabled"
	}
	{ value = $0; sub(/.* : /, "", value); sub(/ .*/, "", value) }
	/Subtable Type : / { emit(); type = value; uid = apic = en = oc = 0 }
	/\] *Processor ID : / || / Processor UID : / { uid = hex(value) }
	/ Local Apic ID : / || / Processor x2Apic ID : / { apic = hex(value) }
	/Processor Enabled : / { en = value + 0 }
	/Runtime Online Capable : / { oc = value + 0 }
	END { emit() }' "$1"
}

memprobe_madt() {
	sed -n 's/^memprobe: MADT: CPU [0-9]*: x*2*APIC \(0x[0-9a-f]*\), ACPI UID \([0-9]*\), \(.*\)/\2 \1 \3/p' "$1" |
		while read -r uid apic state; do
			echo "cpu uid=$uid apic=$((apic)) $state"
		done
}

# iasl's SLIT rows by PXM, restricted to the PXMs the SRAT gives a node
# (those memprobe's per-node rows show), in PXM order.
iasl_slit() {	# iasl_slit SLIT.DSL MEMPROBE-LOG
	local pxms
	pxms=$(slit_pxms "$2" | tr '\n' ' ')
	gawk -v pxms="$pxms" '
	BEGIN { n = split(pxms, p, " "); for (i = 1; i <= n; i++) want[p[i]] = 1 }
	/Locality +[0-9]+ : / {
		row = $0; sub(/.*Locality +/, "", row); sub(/ .*/, "", row); r = row + 0
		vals = $0; sub(/.* : /, "", vals); m = split(vals, v, " ")
		if (!(r in want)) next
		line = "pxm " r ":"
		for (c = 1; c <= m; c++) if ((c - 1) in want) line = line " " strtonum("0x" v[c])
		print line
	}' "$1" | sort -n -k2
}

# The PXMs that have a node, each once, from memprobe's SRAT lines.
slit_pxms() {
	sed -n -e 's/^SRAT: PXM \([0-9]*\) -> .*/\1/p' -e 's/^ACPI: SRAT: Node [0-9]* PXM \([0-9]*\) .*/\1/p' "$1" |
		sort -nu
}

# memprobe's per-node distance rows mapped back to PXMs, in PXM order.
memprobe_slit() {
	local log=$1
	declare -A pxm_of
	while read -r node pxm; do
		[ -n "${pxm_of[$node]:-}" ] || pxm_of[$node]=$pxm
	done < <(sed -n -e 's/^SRAT: PXM \([0-9]*\) -> APIC .* -> Node \([0-9]*\).*/\2 \1/p' \
		-e 's/^ACPI: SRAT: Node \([0-9]*\) PXM \([0-9]*\) .*/\1 \2/p' "$log")
	mapfile -t nodes < <(sed -n 's/^memprobe: \/sys\/devices\/system\/node\/node\([0-9]*\)\/distance: .*/\1/p' "$log")
	sed -n 's/^memprobe: \/sys\/devices\/system\/node\/node\([0-9]*\)\/distance: \(.*\)/\1 \2/p' "$log" |
		while read -r node row; do
			local -a cols=($row) out=()
			for i in "${!nodes[@]}"; do out[${pxm_of[${nodes[$i]}]}]=${cols[$i]}; done
			echo "pxm ${pxm_of[$node]}: ${out[*]}"
		done | sort -n -k2
}
