#!/usr/bin/env bash
# broken.sh CASE DIR: write DIR/CASE.aml, a broken table for a pc VM with
# --mem 4G --smp 4 and no -numa (RAM 0-3G and 4G-5G), to inject with
# run-qemu.sh -- -acpitable file=DIR/CASE.aml (QEMU then makes no SRAT
# of its own, and sets the table's length to the file's and its checksum).
# The SRAT's base: CPUs 0-1 on PXM 0 and 2-3 on PXM 1; PXM 0 has 0-640K
# and 1M-2G, PXM 1 has 2G-3G and 4G-5G.  Each case breaks one thing:
#   past-end      the file ends 24 bytes before the last memory entry does
#                 (Linux reads those bytes from the memory after the table)
#   zero-length   the second memory entry has length 0 (Linux stops the walk)
#   overlap       node 1's 2G-3G range starts at 1.5G, inside node 0's
#   flags-beyond  reserved flag bits set, and a hot-pluggable range at 8G-16G
#   cpu-missing   the SRAT names APIC IDs 0x10, 0x11 instead of CPUs 2 and 3
#   slit-diagonal an SRAT, and a SLIT (slit-diagonal.aml) whose diagonal has 11
#   slit-ten      the same with 10 off the diagonal (only the diagonal may be local)
#   slit-short    the same with a valid SLIT cut by a byte: its locality count
#                 needs 4 entries, the table holds 3 (Linux reads the 4th from
#                 the memory after the table)
#   many-pxms     1,025 memory entries, one proximity domain each, in 4G-5G:
#                 one more than Linux's MAX_NUMNODES (1024) nodes
#   pxm-too-big   after the base's entries (node 0's two would merge), one of
#                 PXM 2000, past Linux's MAX_PXM_DOMAINS (1024): Linux drops the
#                 SRAT before any cleanup and fakes one node
set -euo pipefail

case=$1 dir=$2
. "$(dirname "$0")/asl.sh"

srat() {	# srat [APIC-OF-CPU-2 APIC-OF-CPU-3]
	srat_header BROKEN
	srat_cpu 0 0; srat_cpu 0 1; srat_cpu 1 "${1:-2}"; srat_cpu 1 "${2:-3}"
	srat_mem 0 0 0xa0000 1
	srat_mem 0 0x100000 $(((2 << 30) - 0x100000)) 1
	srat_mem 1 $((2 << 30)) $((1 << 30)) 1
	srat_mem 1 $((4 << 30)) $((1 << 30)) 1
}
compile() {	# compile NAME: DIR/NAME.asl -> DIR/NAME.aml
	iasl -p "$dir/$1" "$dir/$1.asl" >/dev/null
}
poke() {	# poke FILE OFFSET BYTE...: overwrite bytes in place
	local file=$1 at=$2
	shift 2
	for b in "$@"; do
		printf "\\x$b" | dd of="$file" bs=1 seek="$at" conv=notrunc status=none
		at=$((at + 1))
	done
}

# Offsets in the SRAT: header 48, four CPU entries of 16, then memory entries of 40 at 112.
mem_at() { echo $((112 + 40 * $1)); }

mkdir -p "$dir"
case $case in
past-end)
	srat >"$dir/$case.asl" && compile "$case"
	head -c $(($(stat -c %s "$dir/$case.aml") - 24)) "$dir/$case.aml" >"$dir/$case.cut"
	mv "$dir/$case.cut" "$dir/$case.aml" ;;
zero-length)
	srat >"$dir/$case.asl" && compile "$case"
	poke "$dir/$case.aml" $(($(mem_at 1) + 1)) 00 ;;
overlap)
	srat >"$dir/$case.asl" && compile "$case"
	poke "$dir/$case.aml" $(($(mem_at 2) + 8)) 00 00 00 60 ;;
flags-beyond)
	{ srat; srat_mem 1 $((8 << 30)) $((8 << 30)) 3; } >"$dir/$case.asl" && compile "$case"
	poke "$dir/$case.aml" $(($(mem_at 3) + 28)) 81 ;;
cpu-missing)
	srat 0x10 0x11 >"$dir/$case.asl" && compile "$case" ;;
slit-diagonal)
	srat >"$dir/$case.asl" && compile "$case"
	{ header SLIT BROKEN 01
	  entry 8 Localities 0000000000000002
	  printf '[%04d] %34s : %s\n' 2 "Locality   0" "0A 14"
	  printf '[%04d] %34s : %s\n' 2 "Locality   1" "14 0B"; } >"$dir/$case-slit.asl"
	compile "$case-slit" ;;
slit-ten | slit-short)
	srat >"$dir/$case.asl" && compile "$case"
	{ header SLIT BROKEN 01
	  entry 8 Localities 0000000000000002
	  if [ "$case" = slit-ten ]; then
		printf '[%04d] %34s : %s\n' 2 "Locality   0" "0A 0A"
		printf '[%04d] %34s : %s\n' 2 "Locality   1" "0A 0A"
	  else
		printf '[%04d] %34s : %s\n' 2 "Locality   0" "0A 14"
		printf '[%04d] %34s : %s\n' 2 "Locality   1" "14 0A"
	  fi; } >"$dir/$case-slit.asl"
	compile "$case-slit"
	if [ "$case" = slit-short ]; then
		head -c 47 "$dir/$case-slit.aml" >"$dir/$case-slit.cut"
		mv "$dir/$case-slit.cut" "$dir/$case-slit.aml"
	fi ;;
many-pxms)
	{ srat_header BROKEN
	  srat_cpu 0 0; srat_cpu 0 1; srat_cpu 1 2; srat_cpu 1 3
	  for pxm in $(seq 0 1024); do
		srat_mem "$pxm" $(((4 << 30) + pxm * (1 << 20))) $((1 << 20)) 1
	  done; } >"$dir/$case.asl" && compile "$case" ;;
pxm-too-big)
	{ srat; srat_mem 2000 $((5 << 30)) $((1 << 20)) 1; } >"$dir/$case.asl" && compile "$case" ;;
*)
	echo "broken.sh: unknown case '$case'" >&2
	exit 2 ;;
esac
