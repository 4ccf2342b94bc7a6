#!/usr/bin/env bash
# Print the memblock lines of e820__memblock_setup from a console log:
# its memblock_add/memblock_reserve lines (caller offsets "+0x../0x.."
# removed, memprobe prints the bare caller name) and the memory part of the
# MEMBLOCK configuration dump that follows them.  The reserved part is left
# out: it holds Linux's kernel image, brk and EFI map copy, which depend on
# where the loader put them.
set -euo pipefail

sed -e 's/^\[ *[0-9]*\.[0-9]*\] //' -e 's/\r$//' \
	-e 's/ \([A-Za-z0-9_.]*\)+0x[0-9a-f]*\/0x[0-9a-f]*$/ \1/' "$1" | awk '
	/^memblock_(add|reserve): .* e820__memblock_setup$/ { print; next }
	/^MEMBLOCK configuration:$/ { dump = 1; print; next }
	dump && /^ memory\.cnt  = / { print; next }
	dump && /^ memory\[0x[0-9a-f]*\]\t/ { print; next }
	dump && /^ reserved\.cnt  = / { exit }
'
