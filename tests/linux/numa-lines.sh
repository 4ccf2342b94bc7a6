#!/usr/bin/env bash
# Print the NUMA and zone lines of a console log (Linux's or memprobe's),
# timestamps and caller offsets removed: init_mem_mapping's memblock
# requests (the probe and the page-table pages), numa_init's lines
# (cleanup, distance table, NODE_DATA, the dummy fall-back) and
# free_area_init's (zone ranges, node ranges, unavailable ranges).
#
# Where init_mem_mapping's 2 MiB probe lands is not compared: it is the
# highest free 2 MiB below the end of RAM, which can fall among EFI
# boot-services allocations that differ between memprobe's run and Linux's
# boot (each was started by a different loader).
set -euo pipefail

sed -e 's/^\[ *[0-9]*\.[0-9]*\] //' -e 's/\r$//' \
	-e 's/ \([A-Za-z0-9_.]*\)+0x[0-9a-f]*\/0x[0-9a-f]*$/ \1/' "$1" | grep -E \
	-e '^memblock_phys_alloc_range: .* (init_mem_mapping|alloc_low_pages)$' \
	-e '^NUMA: ' -e '^ *NODE_DATA\(' -e '^No NUMA configuration found$' -e '^NUMA turned off$' \
	-e '^Faking (a )?node ' -e '^node [0-9]+ \[mem .* overlaps ' -e '^Warning: node ' \
	-e '^Cannot find [0-9]+ bytes in any node' \
	-e '^Zone ranges:$' -e '^  (DMA|DMA32|Normal|Device) ' -e '^Movable zone start for each node$' \
	-e '^  Node [0-9]+: ' -e '^Early memory node ranges$' -e '^  node +[0-9]+: \[mem ' \
	-e '^Initmem setup node ' -e '^Initializing node [0-9]+ as memoryless$' \
	-e '^On node [0-9]+, zone [A-Za-z0-9]+: [0-9]+ pages in unavailable ranges$' || true
