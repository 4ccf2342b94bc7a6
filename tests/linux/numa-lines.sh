#!/usr/bin/env bash
# Print the NUMA and zone lines of a console log (Linux's or memprobe's),
# timestamps and caller offsets removed: init_mem_mapping's memblock
# requests (the probe, and the page-table pages with the address each got),
# the distance table's request and address, numa_init's lines
# (cleanup, distance table, NODE_DATA, the dummy fall-back) and
# free_area_init's (zone ranges, node ranges, unavailable ranges).
#
# Where init_mem_mapping's 2 MiB probe lands is not compared: it is the
# highest free 2 MiB below the end of RAM, which can fall among EFI
# boot-services allocations that differ between memprobe's run and Linux's
# boot (each was started by a different loader).
set -euo pipefail

sed -e 's/^\[ *[0-9]*\.[0-9]*\] //' -e 's/\r$//' \
	-e 's/ \([A-Za-z0-9_.]*\)+0x[0-9a-f]*\/0x[0-9a-f]*$/ \1/' "$1" | awk '
	# The address Linux answered a page-table or distance-table request with.
	answer && /^memblock_reserve: .* memblock_alloc_range_nid$/ { print "answer: " $0; answer = 0; next }
	/^memblock_phys_alloc_range: .* (alloc_low_pages|numa_alloc_distance)$/ { print; answer = 1; next }
	/^memblock_phys_alloc_range: .* init_mem_mapping$/ ||
	/^NUMA: / || /^ *NODE_DATA\(/ || /^No NUMA configuration found$/ || /^NUMA turned off$/ ||
	/^Faking (a )?node / || /^node [0-9]+ \[mem .* overlaps / || /^Warning: node / ||
	/^Cannot find [0-9]+ bytes in any node/ ||
	/^Zone ranges:$/ || /^  (DMA|DMA32|Normal|Device) / || /^Movable zone start for each node$/ ||
	/^  Node [0-9]+: / || /^Early memory node ranges$/ || /^  node +[0-9]+: \[mem / ||
	/^Initmem setup node / || /^Initializing node [0-9]+ as memoryless$/ ||
	/^On node [0-9]+, zone [A-Za-z0-9]+: [0-9]+ pages in unavailable ranges$/ { print }
'
