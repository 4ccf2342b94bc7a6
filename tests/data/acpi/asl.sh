# Sourced by the scripts that write ACPI tables as iasl data-table source
# (iasl -p compiles them, filling in lengths and checksums): one line per
# field, and the SRAT subtables the tests use.

entry() { printf '[%04d] %34s : %s\n' "$1" "$2" "$3"; }

header() {	# header SIG TABLE-ID [REVISION]
	entry 4 Signature "\"$1\""
	entry 4 "Table Length" 00000000
	entry 1 Revision "${3:-03}"
	entry 1 Checksum 00
	entry 6 "Oem ID" '"MPROBE"'
	entry 8 "Oem Table ID" "\"$2\""
	entry 4 "Oem Revision" 00000001
	entry 4 "Asl Compiler ID" '"INTL"'
	entry 4 "Asl Compiler Revision" 20200925
	echo
}

srat_header() {	# srat_header TABLE-ID
	header SRAT "$1"
	entry 4 "Table Revision" 00000001
	entry 8 Reserved 0000000000000000
	echo
}

srat_cpu() {	# srat_cpu PXM APIC
	entry 1 "Subtable Type" "00 [Processor Local APIC/SAPIC Affinity]"
	entry 1 Length 10
	entry 1 "Proximity Domain Low(8)" "$(printf %02X "$1")"
	entry 1 "Apic ID" "$(printf %02X "$2")"
	entry 4 "Flags (decoded below)" 00000001
	printf '%41s : 1\n' Enabled
	entry 1 "Local Sapic EID" 00
	entry 3 "Proximity Domain High(24)" 000000
	entry 4 "Clock Domain" 00000000
	echo
}

srat_mem() {	# srat_mem PXM BASE LENGTH FLAGS
	entry 1 "Subtable Type" "01 [Memory Affinity]"
	entry 1 Length 28
	entry 4 "Proximity Domain" "$(printf %08X "$1")"
	entry 2 Reserved1 0000
	entry 8 "Base Address" "$(printf %016X "$2")"
	entry 8 "Address Length" "$(printf %016X "$3")"
	entry 4 Reserved2 00000000
	entry 4 "Flags (decoded below)" "$(printf %08X "$4")"
	printf '%41s : %d\n%41s : %d\n%41s : %d\n' Enabled $(($4 & 1)) "Hot Pluggable" $((($4 >> 1) & 1)) \
		"Non-Volatile" $((($4 >> 2) & 1))
	entry 8 Reserved3 0000000000000000
	echo
}
