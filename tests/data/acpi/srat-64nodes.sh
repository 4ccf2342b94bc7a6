#!/usr/bin/env bash
# Print, as iasl data-table source, an SRAT that splits a 5 GiB pc VM's RAM
# (0-3G and 4G-6G, no -numa) into 128 slices (96 of 32 MiB below 4 GiB, 32
# of 64 MiB above) dealt to 64 proximity domains in turn: each node gets
# two ranges with other nodes
# between them, so numa_register_memblks splits memblock's memory into more
# than 128 regions and Linux doubles the array during NUMA setup.  CPUs 0-3
# are on PXMs 0-3.
set -euo pipefail

entry() { printf '[%04d] %34s : %s\n' "$1" "$2" "$3"; }

entry 4 Signature '"SRAT"'
entry 4 "Table Length" 00000000
entry 1 Revision 03
entry 1 Checksum 00
entry 6 "Oem ID" '"MPROBE"'
entry 8 "Oem Table ID" '"NODES64 "'
entry 4 "Oem Revision" 00000001
entry 4 "Asl Compiler ID" '"INTL"'
entry 4 "Asl Compiler Revision" 20200925
echo
entry 4 "Table Revision" 00000001
entry 8 Reserved 0000000000000000
echo
for cpu in 0 1 2 3; do
	entry 1 "Subtable Type" "00 [Processor Local APIC/SAPIC Affinity]"
	entry 1 Length 10
	entry 1 "Proximity Domain Low(8)" "$(printf %02X "$cpu")"
	entry 1 "Apic ID" "$(printf %02X "$cpu")"
	entry 4 "Flags (decoded below)" 00000001
	printf '%41s : 1\n' Enabled
	entry 1 "Local Sapic EID" 00
	entry 3 "Proximity Domain High(24)" 000000
	entry 4 "Clock Domain" 00000000
	echo
done
for i in $(seq 0 127); do
	if [ "$i" -lt 96 ]; then
		slice=$((32 << 20)) base=$((i * (32 << 20)))
	else
		slice=$((64 << 20)) base=$(((4 << 30) + (i - 96) * (64 << 20)))
	fi
	entry 1 "Subtable Type" "01 [Memory Affinity]"
	entry 1 Length 28
	if [ "$i" -lt 64 ]; then pxm=$(((i % 32) + 32)); else pxm=$((i % 32)); fi
	entry 4 "Proximity Domain" "$(printf %08X "$pxm")"
	entry 2 Reserved1 0000
	entry 8 "Base Address" "$(printf %016X "$base")"
	entry 8 "Address Length" "$(printf %016X "$slice")"
	entry 4 Reserved2 00000000
	entry 4 "Flags (decoded below)" 00000001
	printf '%41s : 1\n%41s : 0\n%41s : 0\n' Enabled "Hot Pluggable" "Non-Volatile"
	entry 8 Reserved3 0000000000000000
	echo
done
