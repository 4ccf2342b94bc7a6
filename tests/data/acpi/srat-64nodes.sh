#!/usr/bin/env bash
# Print, as iasl data-table source, an SRAT that splits a 5 GiB pc VM's RAM
# (0-3G and 4G-6G, no -numa) into 128 slices (96 of 32 MiB below 4 GiB, 32
# of 64 MiB above) dealt to 64 proximity domains in turn: each node gets
# two ranges with other nodes
# between them, so numa_register_memblks splits memblock's memory into more
# than 128 regions and Linux doubles the array during NUMA setup.  CPUs 0-3
# are on PXMs 0-3.
set -euo pipefail

. "$(dirname "$0")/asl.sh"

srat_header "NODES64 "
for cpu in 0 1 2 3; do
	srat_cpu "$cpu" "$cpu"
done
for i in $(seq 0 127); do
	if [ "$i" -lt 96 ]; then
		slice=$((32 << 20)) base=$((i * (32 << 20)))
	else
		slice=$((64 << 20)) base=$(((4 << 30) + (i - 96) * (64 << 20)))
	fi
	if [ "$i" -lt 64 ]; then pxm=$(((i % 32) + 32)); else pxm=$((i % 32)); fi
	srat_mem "$pxm" "$base" "$slice" 1
done
