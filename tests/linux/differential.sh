#!/usr/bin/env bash
# Linux differential test: boot memprobe and Debian 12's Linux 6.1 on the
# very same OVMF + QEMU VM and compare them with the tool a user runs,
# `memprobe compare RUN_FOLDER LINUX_LOG`, stage by stage (then Debian 12's
# Linux 6.12 on the same VM, compared the same way with the same run folder:
# compare takes kernel=6.12 from the log's "Linux version" line): the e820 lines,
# the efi=debug lines of the descriptors the firmware owns (runtime, ACPI,
# MMIO), e820__memblock_setup's lines, the ACPI lines (table list,
# Reserving, SRAT, SLIT verdict, MADT overrides), the NUMA and zone lines
# (init_mem_mapping's page tables, cleanup, NODE_DATA, free_area_init),
# sparse_init's memblock requests and answers and efi_reserve_boot_services's
# (the prediction takes the boot's own EFI map from efi=debug's listing), the
# memory-type and bring-up lines, and those after
# free_area_init (the memblock requests and answers up to setup_percpu, the late
# e820 lines, percpu, zonelists, swiotlb, SLUB, hash tables, the memory block
# size, the atomic DMA pools, HugeTLB, and on q35 the MCFG's MMCONFIG lines).
# Besides, memprobe's node view against what the booted Linux shows in /sys
# and /proc/zoneinfo (read by a tiny initramfs, tests/linux/sysview, in the
# same 6.1 boot: compare takes the initrd's place from the log), and the
# DirectMap totals of /proc/meminfo: Linux splits some big pages after
# init_mem_mapping (what it protects), which keeps their sum, so the sums
# must be equal and the split amount is shown.
#
# Linux gets "ignore_loglevel" besides the issue's command line because the
# e820 update/remove lines are KERN_DEBUG and would not reach the console
# otherwise; it changes no memory decision.
#
# Usage: differential.sh [NAME...]   (default: every topology below)
# Logs are kept in build/linux-diff/NAME/.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/build/linux-diff"
# nokaslr (given to memprobe too) makes Linux's kernel placement, and so its
# first page-table pages, the same on every boot.
linux_cmdline="console=ttyS0 memblock=debug efi=debug panic=-1 softlockup_panic=1 ignore_loglevel nokaslr"

# name | run-qemu.sh topology arguments | options given to both memprobe and Linux
#      | options given to Linux only (earlyprintk: a log too long for the early
#        ring buffer reaches the serial port whole; it changes no memory decision)
#      | words of the usual command line both boot without (nokaslr, memblock=debug:
#        how users boot; without memblock=debug the memblock stages are not there)
topologies=(
	"seed||"
	# QEMU's default devices, as a real machine has them: a VGA and a network card whose option
	# ROMs Linux's EFI stub copies into setup_data, and a boot logo Linux reserves (BGRT).
	"seed-default-devices|--default-devices|"
	# KASLR on, as Linux boots by default: compare takes the kernel's random place from
	# memblock=debug's first dump, and 6.12's count of page tables for the CPU entry areas it
	# places at random from trap_init's requests.
	"seed-default-devices-kaslr|--default-devices|||nokaslr"
	# No memblock=debug, as Linux boots by default: every other stage still identical.
	"q35-2nodes-no-memblock-debug|--machine q35 --numa 2G,cpus=0-1 --numa 2G,cpus=2-3|||memblock=debug"
	"q35-2nodes-default-devices|--machine q35 --default-devices --numa 2G,cpus=0-1 --numa 2G,cpus=2-3|"
	# A TPM 2.0, as most real machines have: OVMF's event log and final events table.
	"seed-tpm|--tpm|"
	"q35-2nodes|--machine q35 --numa 2G,cpus=0-1 --numa 2G,cpus=2-3|"
	"pc-nonuma|--machine pc --mem 4G --smp 2|"
	# Every CPU's lines: two sockets of two cores on the two nodes, and 20 CPUs (wider columns;
	# past 17, start_kernel grows the log buffer by 4 KiB per CPU).
	"seed-2sockets|--smp 4,sockets=2,cores=2 --numa 2G,cpus=0-1 --numa 2G,cpus=2-3|"
	"pc-20cpus|--mem 4G --smp 20|"
	"q35-mem3G|--machine q35 --numa 2G,cpus=0-1 --numa 2G,cpus=2-3|mem=3G"
	# mem= below the ACPI tables: 6.12 ends RAM at their end (e820__end_ram_pfn), 6.1 does not.
	"q35-2G-mem1536M|--machine q35 --mem 2G|mem=1536M"
	"pc-6G-3nodes|--numa 1G,cpus=0 --numa 0,cpus=1 --numa 5G,cpus=2-3|"
	"q35-4nodes-slit|--machine q35 --numa 1G,cpus=0-1 --numa 1G,cpus=2-3 --numa 0,cpus=4 --numa 2G,cpus=5 -- -numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=31 -numa dist,src=0,dst=3,val=41 -numa dist,src=1,dst=2,val=22 -numa dist,src=1,dst=3,val=32 -numa dist,src=2,dst=3,val=23|"
	"pc-injected-srat|--mem 5G -- -acpitable file=@SRAT@|"
	"seed-numa-fake4||numa=fake=4"
	# swiotlb=: 300 slabs and 3 areas, said as the parameter is parsed, the slabs rounded up to 512;
	# coherent_pool=: atomic DMA pools of 1 MiB.
	"seed-swiotlb-pool||swiotlb=300,3 coherent_pool=1M"
	# 6.12 prints the MTRRs' state and its cache map line by line (6.1 passes the word to init).
	"seed-mtrr-debug||mtrr=debug"
	"seed-numa-fake2U||numa=fake=2U"
	"pc-cpuless-node|--numa 2G,cpus=0-3 --numa 2G|"
	# A node of 4 MiB: its NODE_DATA, its section's 2 MiB memmap and its CPUs' 2 MiB of per-CPU areas do not all fit.
	"pc-tiny-node|--numa 4G,cpus=0-1 --numa 4M,cpus=2-3|"
	"pc-64nodes|--mem 5G -- -acpitable file=@SRAT64@||earlyprintk=serial,ttyS0,115200"
	# QEMU's max CPU under TCG has LA57 and 1 GiB pages: 5-level paging, then no5lvl.
	"seed-cpu-max|-- -cpu max|"
	"q35-6G-cpu-max-no5lvl|--machine q35 --mem 6G -- -cpu max|no5lvl"
	# Broken tables (tests/data/acpi/broken.sh): Linux's NUMA and zone lines on each.
	"broken-srat-past-end|--mem 4G -- -acpitable file=@BROKEN@/past-end.aml|"
	"broken-srat-zero-length|--mem 4G -- -acpitable file=@BROKEN@/zero-length.aml|"
	"broken-srat-overlap|--mem 4G -- -acpitable file=@BROKEN@/overlap.aml|"
	"broken-srat-flags-beyond|--mem 4G -- -acpitable file=@BROKEN@/flags-beyond.aml|"
	"broken-srat-cpu-missing|--mem 4G -- -cpu Nehalem -acpitable file=@BROKEN@/cpu-missing.aml|"
	# The same on QEMU's AMD model: CPUs 2 and 3 get their node from their last-level cache
	# (srat_detect_node), and CPU 1 shares that cache across two nodes.
	"broken-srat-cpu-missing-amd|--mem 4G -- -acpitable file=@BROKEN@/cpu-missing.aml|"
	"broken-slit-diagonal|--mem 4G -- -acpitable file=@BROKEN@/slit-diagonal.aml -acpitable file=@BROKEN@/slit-diagonal-slit.aml|"
	"broken-slit-ten|--mem 4G -- -acpitable file=@BROKEN@/slit-ten.aml -acpitable file=@BROKEN@/slit-ten-slit.aml|"
	"broken-slit-short|--mem 4G -- -acpitable file=@BROKEN@/slit-short.aml -acpitable file=@BROKEN@/slit-short-slit.aml|"
	# Linux drops the SRAT (a PXM past MAX_PXM_DOMAINS) after entries whose blocks would merge.
	"broken-srat-pxm-too-big|--mem 4G -- -acpitable file=@BROKEN@/pxm-too-big.aml|"
	# (broken.sh's many-pxms, 1,025 proximity domains, is booted by tests/qemu only: its
	# 41 KB SRAT lands elsewhere when OVMF boots Linux through -kernel than when it
	# boots memprobe from the disk, which shifts every line that holds an address.)
)

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf \
	qemu-system-x86 ca-certificates acpica-tools swtpm || exit 1
vmlinuz=$("$here/tests/linux/fetch-kernel.sh") || { echo "differential: cannot get the kernel" >&2; exit 1; }
vmlinuz612=$("$here/tests/linux/fetch-kernel.sh" linux-image-6.12-amd64) ||
	{ echo "differential: cannot get the 6.12 kernel" >&2; exit 1; }
make -s -C "$here" image build/memprobe || exit 1
mkdir -p "$out"
iasl -p "$out/srat-interleaved" "$here/tests/data/acpi/srat-interleaved.asl" >/dev/null || exit 1
"$here/tests/data/acpi/srat-64nodes.sh" >"$out/srat-64nodes.asl" &&
	iasl -p "$out/srat-64nodes" "$out/srat-64nodes.asl" >/dev/null || exit 1
for c in past-end zero-length overlap flags-beyond cpu-missing slit-diagonal slit-ten slit-short pxm-too-big; do
	"$here/tests/data/acpi/broken.sh" "$c" "$out/broken" || exit 1
done
# A tiny initramfs whose init prints Linux's node views (/sys, /proc/zoneinfo) and powers off.
gcc -O2 -static -o "$out/sysview-init" "$here/tests/linux/sysview/init.c" &&
	gcc -O2 -o "$out/mkcpio" "$here/tests/linux/sysview/mkcpio.c" &&
	"$out/mkcpio" "$out/sysview-init" "$out/sysview.cpio" || exit 1

# Linux's boots: each retried once when it did not reach its end (boot-linux.sh).
. "$here/tests/lib/boot-linux.sh"

# The line count of a stage compare found identical (0 when it differs or is missing),
# in compare.txt or the file given second.
count() {
	sed -n "s/^compare: $1: identical (\([0-9]*\) lines)$/\1/p" "${2:-$dir/compare.txt}" | grep . || echo 0
}

# compare_nodes: the node view, sorted, as Linux's /sys and /proc show it; otherwise the diff.
compare_nodes() {
	diff -u "$dir/linux.nodes" "$dir/memprobe.nodes" >"$dir/nodes.diff" && [ "$(wc -l <"$dir/linux.nodes")" -ge 3 ] &&
		return 0
	echo "FAIL $name: memprobe's node view differs from Linux's /sys and /proc (--- Linux, +++ memprobe):"
	sed 's/^/  /' "$dir/nodes.diff"
	return 1
}

# enough STAGE MIN [FILE]: compare found at least MIN identical lines (fewer: the log lost them).
enough() {
	[ "$(count "$1" "${3:-}")" -ge "$2" ] && return 0
	echo "FAIL $name: compare's $1 stage has $(count "$1" "${3:-}") identical lines, fewer than $2" \
		"(see ${3:-$dir/compare.txt})"
	return 1
}

# mb_enough STAGE MIN [FILE]: the same for a stage of memblock=debug's lines; without
# memblock=debug the stage must be missing (what compare cannot see, it does not claim).
mb_enough() {
	if [ "$memblock_debug" = yes ]; then
		enough "$@"
	elif [ "$(count "$1" "${3:-}")" -ne 0 ]; then
		echo "FAIL $name: without memblock=debug compare's $1 stage has $(count "$1" "${3:-}") lines"
		return 1
	fi
}

# without WORDS LIST: LIST's words less WORDS'.
without() {
	local w out=""
	for w in $2; do
		[[ " $1 " == *" $w "* ]] || out="$out${out:+ }$w"
	done
	echo "$out"
}

# The prediction took the boot's own EFI map from efi=debug's listing, so boot-services memory is compared.
boot_map_taken() {
	grep -q "^compare: taken from the log: the boot's EFI memory map (efi=debug's [0-9]* descriptors)" \
		"$dir/compare.txt" && return 0
	echo "FAIL $name: compare did not take the boot's EFI memory map from the log (see $dir/compare.txt)"
	return 1
}

# The prediction from LOG's facts has its "Memory:" line (6.12's with the run's available memory as "?"),
# so compare's mm_init stage held it.
memory_line_predicted() {
	local predicted="$dir/predicted-$(basename "$1" .log).txt"

	"$here/build/memprobe" analyze "$dir/run" --log "$1" >"$predicted" 2>/dev/null
	grep -q '^\(memprobe: \)\?Memory: [0-9?]*K/' "$predicted" && return 0
	echo "FAIL $name: memprobe predicted no Memory: line from $1"
	return 1
}

kb_sum() {
	awk '{ s += $2 } END { print s + 0 }' "$1"
}

# The DirectMap sums (kB) of Linux's /proc/meminfo and of memprobe's plan are equal.
compare_direct_map() {
	local linux memprobe
	linux=$(kb_sum "$dir/linux.directmap") memprobe=$(kb_sum "$dir/memprobe.directmap")
	[ "$(wc -l <"$dir/linux.directmap")" -ge 2 ] && [ "$linux" = "$memprobe" ] && return 0
	echo "FAIL $name: the DirectMap totals differ (Linux's /proc/meminfo, then memprobe's plan):"
	sed 's/^/  /' "$dir/linux.directmap" "$dir/memprobe.directmap"
	return 1
}

# What Linux split after init_mem_mapping: each size that changed, plan -> /proc/meminfo.
direct_map_split() {
	local size l p out=""
	for size in 4k 2M 1G; do
		l=$(awk -v k="DirectMap$size:" '$1 == k { print $2 }' "$dir/linux.directmap")
		p=$(awk -v k="DirectMap$size:" '$1 == k { print $2 }' "$dir/memprobe.directmap")
		[ "${l:-0}" != "${p:-0}" ] && out="$out${out:+, }DirectMap$size ${p:-0} -> ${l:-0} kB"
	done
	echo "split later by Linux: ${out:-nothing}"
}

# The boots that did not reach their end twice (boot_linux_to_end names each).  More than
# $max_uncompared of them in one run fail it: then it is no longer TCG's chance.
max_uncompared=2 uncompared=0

# Linux 6.12 on the same VM, compared with the same run folder: every stage identical.
linux_612() {
	local c="$dir/compare-6.12.txt"
	# shellcheck disable=SC2086
	if ! boot_linux_to_end "$name (6.12)" "$LINUX_END_NO_ROOT" "$dir/linux-6.12.log" "$dir/linux-6.12.err" \
		--linux "$vmlinuz612" --append "$cmdline $opts $linux_only" $topo; then
		uncompared=$((uncompared + 1))
		echo "not compared (its boot did not reach its end twice)" >"$dir/identical-6.12"
		return 0
	fi
	"$here/build/memprobe" compare "$dir/run" "$dir/linux-6.12.log" >"$c" 2>&1
	if [ $? -ne 0 ] || ! grep -q '^compare: predicting Linux 6.12 (kernel=6.12)' "$c"; then
		echo "FAIL $name: memprobe compare says the prediction and Linux 6.12 differ:"
		sed 's/^/  /' "$c"
		return 1
	fi
	if ! enough e820 1 "$c" || ! mb_enough memblock 50 "$c" || ! enough ACPI 5 "$c" ||
		! mb_enough sparse 10 "$c" || ! mb_enough "late memblock" 30 "$c" ||
		! mb_enough "memblock from setup_percpu" 40 "$c" ||
		! grep -q "^compare: taken from the log: the boot's EFI memory map" "$c" ||
		[ $(($(count NUMA "$c") + $(count NODE_DATA "$c") + $(count zones "$c"))) -lt 10 ] ||
		! enough CPU 3 "$c" || ! memory_line_predicted "$dir/linux-6.12.log"; then
		echo "FAIL $name: compare with Linux 6.12 found too few identical lines (see $c)"
		return 1
	fi
	sed -n 's/^compare: \([0-9]* of [0-9]*\) comparable lines identical$/\1/p' "$c" >"$dir/identical-6.12"
}

passed=0 failed=0
for t in "${topologies[@]}"; do
	IFS='|' read -r name topo opts linux_only dropped <<<"$t"
	cmdline=$(without "$dropped" "$linux_cmdline")
	memblock_debug=yes
	[[ " $dropped " == *" memblock=debug "* ]] && memblock_debug=no
	topo=${topo//@SRAT@/$out/srat-interleaved.aml}
	topo=${topo//@SRAT64@/$out/srat-64nodes.aml}
	topo=${topo//@BROKEN@/$out/broken}
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	dir="$out/$name"
	rm -rf "$dir" && mkdir -p "$dir"
	# shellcheck disable=SC2086 # topology words are meant to split
	if ! "$here/run-qemu.sh" --no-install --app-args "$(without "$dropped" "efi=debug memblock=debug nokaslr") $opts" \
		--disk "$dir/disk.img" --log "$dir/memprobe.log" $topo >/dev/null 2>"$dir/memprobe.err"; then
		echo "FAIL $name: memprobe did not complete:"; sed 's/^/  /' "$dir/memprobe.err"
		failed=$((failed + 1)); continue
	fi
	# One boot gives the log and the views: the initramfs's init prints them (compare takes
	# the initrd's place from the log's RAMDISK: line).
	# shellcheck disable=SC2086
	if ! boot_linux_to_end "$name (6.1)" '^sysview: end$' "$dir/linux.log" "$dir/linux.err" \
		--linux "$vmlinuz" --initrd "$out/sysview.cpio" --append "$cmdline $opts $linux_only" $topo; then
		uncompared=$((uncompared + 1))
		continue	# nothing to compare: the 6.12 boot is not tried either
	fi
	sed -n '/^sysview: begin$/,/^sysview: end$/p' "$dir/linux.log" | grep '^node\|^Node' | sort >"$dir/linux.nodes"
	sed -n '/^memprobe: nodes /,/^memprobe: lscpu:$/p' "$dir/memprobe.log" | grep '^node\|^Node' | sort >"$dir/memprobe.nodes"
	sed -n '/^sysview: begin$/,/^sysview: end$/p' "$dir/linux.log" | grep '^DirectMap' >"$dir/linux.directmap"
	grep -a '^DirectMap' "$dir/memprobe.log" >"$dir/memprobe.directmap"
	mkdir -p "$dir/run"
	mcopy -i "$dir/disk.img" '::/memprobe/runs/0001/*' "$dir/run/" 2>/dev/null
	"$here/build/memprobe" compare "$dir/run" "$dir/linux.log" >"$dir/compare.txt" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL $name: memprobe compare says the prediction and Linux differ (exit $status):"
		sed 's/^/  /' "$dir/compare.txt"
		failed=$((failed + 1))
	elif enough e820 1 && enough efi 1 && mb_enough memblock 50 && enough ACPI 5 && enough CPU 3 && boot_map_taken &&
		[ $(($(count NUMA) + $(count NODE_DATA) + $(count zones))) -ge 10 ] &&
		mb_enough sparse 10 && mb_enough "late memblock" 30 && mb_enough "memblock from setup_percpu" 40 &&
		enough "late e820" 5 && enough percpu 4 &&
		enough zonelists 3 && enough mm_init 7 &&
		enough "hash tables" 4 && { [[ $name != q35* ]] || enough MMCONFIG 2; } && compare_nodes &&
		compare_direct_map && memory_line_predicted "$dir/linux.log" && linux_612; then
		nodes=$(sed -n 's/^compare: taken from the log: where the loader put the \([0-9]*\) setup_data node.*/\1/p' \
			"$dir/compare.txt")
		echo "PASS $name: $(count e820) e820 lines, $(count efi) efi=debug lines of firmware-owned" \
			"descriptors, $(count memblock) e820__memblock_setup and efi_reserve_boot_services lines, $(($(count ACPI) + $(count SRAT)))" \
			"ACPI lines, $(($(count NUMA) + $(count NODE_DATA) + $(count zones))) NUMA and zone lines," \
			"$(count CPU) memory-type and bring-up lines, $(count sparse) sparse_init requests and answers," \
			"$(count "late memblock") late memblock requests and answers (resources, nosave, command line)," \
			"$(count "memblock from setup_percpu") from setup_percpu to SLUB (percpu, cpumasks, CPU entry" \
			"areas, software IO TLB)," \
			"$(count "late e820") late e820 lines," \
			"$(($(count percpu) + $(count zonelists) + $(count mm_init) + $(count "hash tables"))) lines of" \
			"start_kernel's memory stages, $(count MMCONFIG) MMCONFIG lines" \
			"identical to Linux by memprobe compare, and $(wc -l <"$dir/linux.nodes") node-view lines (/sys," \
			"/proc/zoneinfo) (${nodes:-no} option ROM setup_data nodes placed from the log); DirectMap total identical," \
			"$(direct_map_split); Linux 6.12: $(cat "$dir/identical-6.12") lines identical"
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "linux-differential: $passed passed, $failed failed, $uncompared Linux boots not compared (at most $max_uncompared)"
[ "$failed" -eq 0 ] && [ "$uncompared" -le "$max_uncompared" ]
