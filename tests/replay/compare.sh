#!/usr/bin/env bash
# memprobe analyze and memprobe compare (the ASan build) on a run folder kept
# as test data (tests/data/runs/seed: memprobe.efi on the seed VM) and the
# Linux boot logs of tests/data/linux-6.1 (seed.log is the same VM with KASLR
# on): matching, non-matching, tampered and unusable input, each with its
# exit status.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
tool="$here/build/memprobe-asan"
run="$here/tests/data/runs/seed"
logs="$here/tests/data/linux-6.1"
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$here/tests/lib/check.sh"

"$here/tests/lib/install-deps.sh" jq || exit 1
after_banner() { sed -n '2,/^memprobe: report complete$/p' "$1"; }

# analyze on the kept folder: the report, and report.json, as the machine wrote them.
"$tool" analyze "$run" >"$work/analyze.txt"
check "analyze: exit 0" test $? -eq 0
check "analyze: the kept report, line for line" cmp -s <(after_banner "$run/report.txt") <(after_banner "$work/analyze.txt")
"$tool" analyze --json "$run" >"$work/analyze.json"
check "analyze --json: the kept report.json" cmp -s <(jq -S 'del(.memprobe.frontend, .timing_us)' "$run/report.json") \
	<(jq -S 'del(.memprobe.frontend, .timing_us)' "$work/analyze.json")

# analyze --log: the whole prediction of the boot a log shows (6.12's, KASLR on): its facts replace
# the run's options, and each of Linux's late memory lines in that log is among the report's.
"$tool" analyze --log "$here/tests/data/linux-6.12/seed.log" "$run" >"$work/analyze-log.txt" 2>"$work/analyze-log.err"
check "analyze --log: exit 0" test $? -eq 0
check "analyze --log: the log's kernel and command line taken, and said" \
	grep -q "^memprobe: options: memblock=debug efi=debug kernel_addr=0x[0-9a-f]* .*kernel=6.12" "$work/analyze-log.txt"
check "analyze --log: what was taken, on standard error" grep -q "^analyze: taken from .*seed.log: Linux 6.12" \
	"$work/analyze-log.err"
sed 's/^\[ *[0-9.]*\] //' "$here/tests/data/linux-6.12/seed.log" |
	grep -E "^(percpu: |pcpu-alloc: |Fallback order|Built [0-9]+ zonelists|software IO TLB: area|DMA: preallocated|SLUB: )" \
	>"$work/late-lines"
check "analyze --log: the log has late memory lines to look for" test "$(wc -l <"$work/late-lines")" -ge 9
check "analyze --log: each of them in the report" sh -c 'while IFS= read -r l; do grep -qxF "$l" "$1" || exit 1; done <"$2"' \
	sh "$work/analyze-log.txt" "$work/late-lines"
"$tool" analyze "$run" --log "$here/tests/data/linux-6.12/seed.log" mem=2G >"$work/analyze-log-mem.txt" 2>/dev/null
check "analyze --log: an OPTION after it still wins (mem=2G)" grep -q "^user-defined physical RAM map:" "$work/analyze-log-mem.txt"
printf '{"__CURSOR":"s=1","MESSAGE":"Linux version 6.1.0-56-amd64"}\n' >"$work/json-analyze.log"
"$tool" analyze "$run" --log "$work/json-analyze.log" >/dev/null 2>"$work/analyze-json.err"
check "analyze --log: journalctl's JSON is exit 2, named" sh -c 'test $1 -eq 2 && grep -q "journalctl.s JSON" "$2"' \
	sh $? "$work/analyze-json.err"

# The log formats users have: each the same comparison as dmesg's; journalctl's JSON named.
sed 's/^\(\[ *[0-9.]*\]\) /<6>\1 /' "$logs/seed.log" >"$work/fmt-dmesg-r.log"
sed 's/^\[ *[0-9.]*\] /[Thu Dec  3 07:25:46 2026] /' "$logs/seed.log" >"$work/fmt-dmesg-T.log"
sed 's/^\[ *[0-9.]*\] /Dec 03 07:25:46 vm kernel: /' "$logs/seed.log" >"$work/fmt-journalctl.log"
sed 's/^\(\[ *[0-9.]*\]\) /\1 vm kernel: /' "$logs/seed.log" >"$work/fmt-short-monotonic.log"
sed 's/^/Dec  3 07:25:46 vm kernel: /' "$logs/seed.log" >"$work/fmt-kern.log"
sed 's/^/2026-12-03T07:25:46.123456+00:00 vm kernel: /' "$logs/seed.log" >"$work/fmt-iso.log"
sed 's/$/\r/' "$logs/seed.log" >"$work/fmt-serial-cr.log"
"$tool" compare "$run" "$logs/seed.log" | tail -1 >"$work/fmt.want"
for f in "$work"/fmt-*.log; do
	name=$(basename "$f" .log)
	"$tool" compare "$run" "$f" | tail -1 >"$work/$name.got"
	check "${name#fmt-}: the same comparison as dmesg's" cmp -s "$work/fmt.want" "$work/$name.got"
	"$tool" replay "$f" >"$work/$name.replay"
	check "${name#fmt-}: replay reads it too" test $? -eq 0
done
printf '{"__CURSOR":"s=1","MESSAGE":"Linux version 6.1.0-56-amd64"}\n' >"$work/json.log"
"$tool" compare "$run" "$work/json.log" >/dev/null 2>"$work/json.err"
check "journalctl -o json: exit 2, the format named" grep -q "json.log is journalctl's JSON (-o json), which memprobe does not read" \
	"$work/json.err"

# A kernel memprobe does not model: refused, its version named.
sed 's/^\(\[ *[0-9.]*\] Linux version \)6\.1\.[^ ]*/\15.10.0-28-amd64/' "$logs/seed.log" >"$work/5.10.log"
"$tool" compare "$run" "$work/5.10.log" >/dev/null 2>"$work/5.10.err"
check "Linux 5.10: exit 2" test $? -eq 2
check "Linux 5.10: refused, the version named" grep -q \
	'5.10.log is a boot of Linux 5.10.0-28-amd64, which memprobe does not model (it models 6.1, 6.12); not compared' \
	"$work/5.10.err"

# The same VM's Linux boot, KASLR on: identical once the kernel's place is taken from the log.
"$tool" compare "$run" "$logs/seed.log" >"$work/seed.out" 2>&1
check "seed: exit 0" test $? -eq 0
for stage in e820 efi memblock ACPI SRAT NUMA NODE_DATA zones "late memblock"; do
	check "seed: $stage identical" grep -q "^compare: $stage: identical ([1-9][0-9]* lines)$" "$work/seed.out"
done
check "seed: the kernel's place taken from the log" \
	grep -q "^compare: taken from the log: the command line's memory words 'memblock=debug efi=debug'; the kernel image at 0x[0-9a-f]* (KASLR" \
	"$work/seed.out"
check "seed: 6.1 keeps the CPU entry areas in order under KASLR: start_kernel's memblock lines identical" \
	grep -qE "^compare: memblock from setup_percpu: identical \\(([4-9][0-9]|[1-9][0-9]{2,}) lines\\)$" "$work/seed.out"
check "seed: the Memory: line compared" sh -c 'grep -q "\] Memory: " "$1" && grep -qE "^compare: mm_init: identical \([0-9]+ lines\)$" "$2"' \
	sh "$logs/seed.log" "$work/seed.out"
# Under memory KASLR vmalloc space takes a page-table page more, unless it starts on a top-level
# boundary: memprobe says both lines, compare takes either, and no third.
"$tool" analyze "$run" --log "$logs/seed.log" 2>/dev/null >"$work/seed-predicted.txt"
main=$(sed -n 's/^Memory: \([0-9]*\)K\/.*/\1/p' "$work/seed-predicted.txt")
other=$(sed -n 's/^memprobe: or Memory: \([0-9]*\)K\/.* - when memory KASLR starts vmalloc space on a top-level boundary (1 boot in 512): .*/\1/p' \
	"$work/seed-predicted.txt")
check "KASLR: the other Memory: line has a page more available" test "${other:-0}" -eq $((${main:-0} + 4))
for kib in "$main" "$other" $((main - 4)); do
	sed "s/\] Memory: [0-9]*K\//] Memory: ${kib}K\//" "$logs/seed.log" >"$work/memory-$kib.log"
	"$tool" compare "$run" "$work/memory-$kib.log" >"$work/memory-$kib.out" 2>&1
	echo $? >"$work/memory-$kib.rc"
done
check "KASLR: Linux's Memory: line as predicted: exit 0, no note" sh -c \
	'test "$(cat "$1.rc")" -eq 0 && ! grep -q "note: Linux printed the \"Memory:\" line" "$1.out"' sh "$work/memory-$main"
check "KASLR: Linux's Memory: line as the other one: exit 0, said" sh -c \
	'test "$(cat "$1.rc")" -eq 0 && grep -q "^compare: note: Linux printed the \"Memory:\" line memprobe gives as the other one" "$1.out"' \
	sh "$work/memory-$other"
check "KASLR: a third Memory: line differs" sh -c 'test "$(cat "$1.rc")" -eq 1 && grep -q "^compare: mm_init: differs" "$1.out"' \
	sh "$work/memory-$((main - 4))"
check "seed: the last line counts them" grep -qx 'compare: \([0-9]*\) of \1 comparable lines identical' "$work/seed.out"
check "seed: more than 100 lines compared" test "$(sed -n 's/^compare: \([0-9]*\) of.*/\1/p' "$work/seed.out")" -gt 100
# The same VM's Linux 6.12 boot (KASLR on): recognised by its 'Linux version' line, every stage identical.
"$tool" compare "$run" "$here/tests/data/linux-6.12/seed.log" >"$work/seed-6.12.out" 2>&1
check "seed, Linux 6.12: exit 0" test $? -eq 0
check "seed, Linux 6.12: the profile taken from the log" \
	grep -qx "compare: predicting Linux 6.12 (kernel=6.12), from the log's 'Linux version' line" "$work/seed-6.12.out"
for stage in e820 efi memblock ACPI SRAT NUMA NODE_DATA zones "late memblock"; do
	check "seed, Linux 6.12: $stage identical" grep -q "^compare: $stage: identical ([1-9][0-9]* lines)$" \
		"$work/seed-6.12.out"
done
check "seed, Linux 6.12: its random CPU entry areas' page tables counted from the log" grep -q \
	"^compare: taken from the log: .*; the CPU entry areas' 9 page-table pages (placed at random under KASLR)$" \
	"$work/seed-6.12.out"
check "seed, Linux 6.12: start_kernel's memblock lines identical with that count" \
	grep -qE "^compare: memblock from setup_percpu: identical \\(([4-9][0-9]|[1-9][0-9]{2,}) lines\\)$" "$work/seed-6.12.out"
# (the first request and its answer taken out)
awk '/ spp_getpage\+/ && !done { done = 1; skip = 1; next } skip { skip = 0; next } { print }' \
	"$here/tests/data/linux-6.12/seed.log" >"$work/seed-6.12-cea8.log"
"$tool" compare "$run" "$work/seed-6.12-cea8.log" >"$work/seed-6.12-cea8.out" 2>&1
check "seed, Linux 6.12: a page table less in the log is a count of 8 taken, and the answers after it differ" sh -c \
	'grep -q "the CPU entry areas. 8 page-table pages" "$1" && grep -q "^compare: memblock from setup_percpu: differs" "$1"' \
	sh "$work/seed-6.12-cea8.out"
check "seed, Linux 6.1: the profile taken from the log" \
	grep -qx "compare: predicting Linux 6.1 (kernel=6.1), from the log's 'Linux version' line" "$work/seed.out"
# Read as a 6.1 log, the 6.12 boot differs: the profile is what makes it match.
sed 's/^\(\[ *[0-9.]*\] Linux version \)6\.12\./\16.1./' "$here/tests/data/linux-6.12/seed.log" >"$work/as-6.1.log"
"$tool" compare "$run" "$work/as-6.1.log" >"$work/as-6.1.out" 2>&1
check "Linux 6.12 read as 6.1: exit 1" test $? -eq 1
check "Linux 6.12 read as 6.1: NODE_DATA differs" grep -q "^compare: NODE_DATA: differs" "$work/as-6.1.out"

# acpi_boot_init's lines: the PM timer, the IO APIC from its registers (ioapic.txt), the SMP
# configuration, the HPET and the possible CPUs, each compared with Linux's.
for line in 'ACPI: PM-Timer IO Port: 0xb008' 'IOAPIC[0]: apic_id 0, version 32, address 0xfec00000, GSI 0-23' \
	'ACPI: Using ACPI (MADT) for SMP configuration information' 'ACPI: HPET id: 0x8086a201 base: 0xfed00000' \
	'smpboot: Allowing 4 CPUs, 0 hotplug CPUs'; do
	check "seed: Linux prints '$line', and so does memprobe" \
		bash -c 'grep -qF -- "] $1" "$2" && grep -qxF -- "$1" "$3"' _ "$line" "$logs/seed.log" "$work/analyze.txt"
done
check "seed: no IOAPIC line left out of the comparison" bash -c '! grep -q "IOAPIC lines are not comparable" "$1"' _ \
	"$work/seed.out"
# Linux 6.12 counts the same CPUs in its own words.
"$tool" analyze "$run" kernel=6.12 >"$work/analyze-6.12.txt"
check "seed, Linux 6.12: Linux prints 'CPU topo: Allowing 4 present CPUs plus 0 hotplug CPUs', and so does memprobe" \
	bash -c 'grep -qF "] $1" "$2" && grep -qxF -- "$1" "$3"' _ 'CPU topo: Allowing 4 present CPUs plus 0 hotplug CPUs' \
	"$here/tests/data/linux-6.12/seed.log" "$work/analyze-6.12.txt"
# With nr_cpus=2 on the command line, Linux allows two CPUs: the prediction must follow the option.
"$tool" analyze "$run" nr_cpus=2 >"$work/analyze-nr2.txt"
check "seed, nr_cpus=2: two CPUs allowed, the others named as ignored" bash -c \
	'grep -qx "smpboot: Allowing 2 CPUs, 0 hotplug CPUs" "$1" && grep -qx "APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 2/0x2 ignored." "$1"' \
	_ "$work/analyze-nr2.txt"
# Another IO APIC version in ioapic.txt: the ACPI stage differs from Linux's.
cp -r "$run" "$work/ioapic-v17"
sed -i 's/^ioapic: 0xfec00000 0x00000000 0x00170020 /ioapic: 0xfec00000 0x00000000 0x00170011 /' "$work/ioapic-v17/ioapic.txt"
"$tool" compare "$work/ioapic-v17" "$logs/seed.log" >"$work/ioapic-v17.out" 2>&1
check "an IO APIC of version 17: exit 1" test $? -eq 1
check "an IO APIC of version 17: the ACPI stage differs at its line" grep -qF \
	"  memprobe: IOAPIC[0]: apic_id 0, version 17, address 0xfec00000, GSI 0-23" "$work/ioapic-v17.out"
# A damaged ioapic.txt is named, and nothing is predicted from it.
printf 'ioapic: 0xfec00000 0x0 0x170020\n' >"$work/ioapic-v17/ioapic.txt"
"$tool" analyze "$work/ioapic-v17" >/dev/null 2>"$work/ioapic-bad.err"
check "a damaged ioapic.txt: exit 2" test $? -eq 2
check "a damaged ioapic.txt: named, with its line" grep -qF \
	"ioapic.txt: line 1 is not 'ioapic: BASE REG0 REG1 REG2' ('ioapic')" "$work/ioapic-bad.err"

# A machine with a screen and a network card (QEMU's default devices): the EFI stub's copies of
# their option ROMs (setup_data) and the boot logo's reservation, their places taken from the log.
screen="$here/tests/data/runs/seed-default-devices"
for k in 6.1 6.12; do
	"$tool" compare "$screen" "$here/tests/data/linux-$k/seed-default-devices.log" >"$work/screen-$k.out" 2>&1
	check "default devices, Linux $k: exit 0" test $? -eq 0
	check "default devices, Linux $k: e820 identical, the extended map included" \
		grep -q "^compare: e820: identical ([5-9][0-9] lines)$" "$work/screen-$k.out"
	check "default devices, Linux $k: the two nodes' places from the log" grep -q \
		"^compare: taken from the log: where the loader put the 2 setup_data nodes" "$work/screen-$k.out"
done
# Without KASLR, every memblock request from setup_percpu to SLUB and its answer: the percpu areas,
# the cpumasks, the unknown parameters' copy, the CPU entry areas' page tables, the software IO TLB.
check "default devices, Linux 6.1: the memblock lines from setup_percpu identical" grep -qx \
	"compare: memblock from setup_percpu: identical (67 lines)" "$work/screen-6.1.out"
check "default devices, Linux 6.12: the memblock lines from setup_percpu identical" grep -qx \
	"compare: memblock from setup_percpu: identical (61 lines)" "$work/screen-6.12.out"
check "default devices: the unknown parameters taken from the log" grep -qxF \
	"compare: taken from the log: the parameters Linux passes to init, 'nokaslr' (start_kernel copies them in 9 bytes)" \
	"$work/screen-6.1.out"
check "default devices: the EFI stub's copy of the map taken from the log" grep -qxF \
	"compare: taken from the log: the EFI stub's copy of the memory map at 0xbf773040 (efi_memblock_x86_reserve_range)" \
	"$work/screen-6.1.out"
check "default devices: the software IO TLB's place and the Memory: line identical" grep -qx \
	"compare: mm_init: identical (11 lines)" "$work/screen-6.1.out"
check "default devices, Linux 6.12: Memory: identical but for the available memory (the run's)" grep -qx \
	"compare: mm_init: identical (11 lines)" "$work/screen-6.12.out"
check "default devices, Linux 6.12: that build's section sizes taken from the log, and said" grep -qxF \
	"compare: taken from the log: the kernel build's sections 16384,2499,11716,4264,4904 KiB (Memory:; the profile's build has 16384,2499,11720,4260,4904)" \
	"$work/screen-6.12.out"
# The reserved memory is predicted, not read: 4 KiB more reserved in the log differs.
for k in 6.1 6.12; do
	awk '/ Memory: [0-9]+K\// { n = split($0, w, " "); for (i = 1; i <= n; i++) if (w[i + 1] == "reserved,") sub(/^[0-9]+/, w[i] + 4, w[i]); line = w[1]; for (i = 2; i <= n; i++) line = line " " w[i]; $0 = line } { print }' \
		"$here/tests/data/linux-$k/seed-default-devices.log" >"$work/reserved-$k.log"
	"$tool" compare "$screen" "$work/reserved-$k.log" >"$work/reserved-$k.out" 2>&1
	check "Linux $k reserving 4 KiB more: exit 1" test $? -eq 1
	check "Linux $k reserving 4 KiB more: the Memory: line differs" grep -q "^  Linux:    Memory: .*K reserved, 0K cma" \
		"$work/reserved-$k.out"
done
# The same boot without memblock=debug (nokaslr): no dump, so the kernel is the EFI stub's Loader
# Code in the boot's map; every stage still identical, Memory: and the IO TLB's place among them.
grep -v -E '\] (memblock_|memblock: |MEMBLOCK configuration:| memory\.cnt| memory\[| reserved\.cnt| reserved\[)' \
	"$here/tests/data/linux-6.1/seed-default-devices.log" | sed 's/ memblock=debug//' >"$work/no-debug.log"
"$tool" compare "$screen" "$work/no-debug.log" >"$work/no-debug.out" 2>&1
check "without memblock=debug: exit 0" test $? -eq 0
for stage in percpu zonelists "hash tables"; do
	check "without memblock=debug: $stage identical" grep -q "^compare: $stage: identical ([1-9][0-9]* lines)$" \
		"$work/no-debug.out"
done
check "without memblock=debug: the kernel's place taken from the boot's map" grep -q \
	"; nokaslr: the kernel image at 0x1600000, the EFI stub's Loader Code in the boot's EFI map$" "$work/no-debug.out"
check "without memblock=debug: the boot's map taken" grep -q "^compare: taken from the log: the boot's EFI memory map" \
	"$work/no-debug.out"
check "without memblock=debug: Memory: and the IO TLB's place compared" sh -c \
	'grep -q "\] Memory: " "$1" && grep -q "\] software IO TLB: mapped" "$1" && grep -qE "^compare: mm_init: identical \([0-9]+ lines\)$" "$2"' \
	sh "$work/no-debug.log" "$work/no-debug.out"
# Two more unknown words: a copy 13 bytes long.
sed 's/^\(\[ *[0-9.]*\] Unknown kernel command line parameters "nokaslr\)"/\1 foo"/' \
	"$here/tests/data/linux-6.1/seed-default-devices.log" >"$work/unknown.log"
"$tool" compare "$screen" "$work/unknown.log" >"$work/unknown.out" 2>&1
check "an unknown parameter more: exit 1" test $? -eq 1
check "an unknown parameter more: the 13-byte copy predicted" grep -qE \
	"^  memprobe: memblock_alloc_try_nid: 13 bytes align=0x40 nid=-1 from=0x0+ max_addr=0x0+ start_kernel$" \
	"$work/unknown.out"
# A cpumask Linux did not take: the stage differs from there.
awk '/alloc_bootmem_cpumask_var/ && !gone { gone = 1; getline; next } { print }' \
	"$here/tests/data/linux-6.1/seed-default-devices.log" >"$work/no-mask.log"
"$tool" compare "$screen" "$work/no-mask.log" >"$work/no-mask.out" 2>&1
check "a cpumask Linux did not take: exit 1" test $? -eq 1
check "a cpumask Linux did not take: the stage from setup_percpu differs" grep -q \
	"^compare: memblock from setup_percpu: differs: " "$work/no-mask.out"
check "default devices: a run folder without ioapic.txt leaves Linux's IOAPIC line out, and says so" grep -qF \
	"compare: note: the run does not hold the registers of 1 IO APIC (an older memprobe's run folder, --live, or one memprobe would not touch), so 1 of Linux's IOAPIC lines are not comparable" \
	"$work/screen-6.1.out"
check "default devices: the logo moved between the boots, said with both places" grep -qF \
	"the boot logo kept at [mem 0xbdd0f000-0xbdd17fff] (for this run the firmware put it at 0xbdd42000" \
	"$work/screen-6.1.out"
# Each size is predicted, not read from the log: a ROM 1 KiB longer, or a logo a page longer, differs.
cp -r "$screen" "$work/bigrom"
sed -i 's/^\(pci_rom: 0000:00:02.0 1234:1111 \)39936$/\140960/' "$work/bigrom/firmware.txt"
"$tool" compare "$work/bigrom" "$here/tests/data/linux-6.1/seed-default-devices.log" >"$work/bigrom.out" 2>&1
check "a longer option ROM: exit 1" test $? -eq 1
check "a longer option ROM: its node differs in e820" grep -q '^compare: e820: differs: ' "$work/bigrom.out"
sed 's/e820: update \[mem 0xbdd0f000-0xbdd17fff\] usable ==> reserved/e820: update [mem 0xbdd0f000-0xbdd18fff] usable ==> reserved/' \
	"$here/tests/data/linux-6.1/seed-default-devices.log" >"$work/biglogo.log"
"$tool" compare "$screen" "$work/biglogo.log" >"$work/biglogo.out" 2>&1
check "a longer boot logo in the log: exit 1" test $? -eq 1
check "a longer boot logo in the log: e820 differs" grep -q '^compare: e820: differs: ' "$work/biglogo.out"
# Linux's efi: line comes from the run's configuration tables.
grep -v '^efi_table: eb9d2d31-' "$screen/firmware.txt" >"$work/nosmbios.txt"
cp -r "$screen" "$work/nosmbios" && cp "$work/nosmbios.txt" "$work/nosmbios/firmware.txt"
"$tool" compare "$work/nosmbios" "$here/tests/data/linux-6.1/seed-default-devices.log" >"$work/nosmbios.out" 2>&1
check "a run without the SMBIOS table: Linux's efi: line differs (in the e820 stage)" grep -q '^  Linux:    efi: SMBIOS=0xbf518000 ACPI=' "$work/nosmbios.out"
grep -v '^efi_table: ' "$screen/firmware.txt" >"$work/notables.txt"
cp -r "$screen" "$work/notables" && cp "$work/notables.txt" "$work/notables/firmware.txt"
"$tool" compare "$work/notables" "$here/tests/data/linux-6.1/seed-default-devices.log" >"$work/notables.out" 2>&1
check "a run without configuration tables: the efi: line said to be not comparable" grep -q \
	"^compare: note: the run does not hold the EFI configuration tables" "$work/notables.out"

# The boot's own EFI memory map, rebuilt from efi=debug's listing: boot-services memory as the
# boot had it, so efi_reserve_boot_services and sparse_init's answers are compared.
check "seed: the boot's EFI memory map taken from the log" grep -q \
	"^compare: taken from the log: the boot's EFI memory map (efi=debug's [0-9]* descriptors)" "$work/seed.out"
check "seed: no boot-services line left out" bash -c '! grep -q "boot-services memory is not the run" "$1"' _ "$work/seed.out"
check "seed: the sparse stage compares Linux's answers too" grep -q "^compare: sparse: identical ([1-9][0-9]* lines)$" \
	"$work/seed.out"
check "seed: the memblock stage holds the boot-services reservations" test \
	"$(sed -n 's/^compare: memblock: identical (\([0-9]*\) lines)$/\1/p' "$work/seed.out")" -gt 100
# The late memblock requests (HPET, IO APIC, e820 resources, firmware map, nosave records, the
# command line's two copies) and their answers; the command line's length taken from the log.
check "seed: the late memblock stage: Linux's 31 requests and their answers" grep -q \
	"^compare: late memblock: identical (62 lines)$" "$work/seed.out"
check "seed: the command line's length taken from the log" grep -q \
	"^compare: taken from the log: the command line's length, 65 bytes with its NUL (start_kernel's two copies of it)$" "$work/seed.out"
awk '/firmware_map_add_early/ && !gone { gone = 1; getline; next } { print }' "$logs/seed.log" >"$work/no-fwmap.log"
"$tool" compare "$run" "$work/no-fwmap.log" >"$work/no-fwmap.out" 2>&1
check "a firmware map entry Linux did not take: exit 1" test $? -eq 1
check "a firmware map entry Linux did not take: the late memblock stage differs" grep -q \
	"^compare: late memblock: differs: 60 of 60 Linux lines identical, memprobe has 62; from line 8:$" "$work/no-fwmap.out"
sed 's/^\(\[ *[0-9.]*\] Command line: .*\)$/\1 x/' "$logs/seed.log" >"$work/longer-cmdline.log"
"$tool" compare "$run" "$work/longer-cmdline.log" >"$work/longer-cmdline.out" 2>&1
check "a command line 2 bytes longer than the boot's: start_kernel's requests differ by 2" grep -qE \
	"^  memprobe: memblock_alloc_try_nid: [0-9]+ bytes align=0x40 nid=-1 from=0x0+ max_addr=0x0+ start_kernel$" \
	"$work/longer-cmdline.out"

# The listing feeds the prediction: a Boot Data descriptor listed as free memory is not reserved.
sed '0,/efi: mem13: \[Boot Data   |/s//efi: mem13: [Conventional|/' "$logs/seed.log" >"$work/boot-map.log"
"$tool" compare "$run" "$work/boot-map.log" >"$work/boot-map.out" 2>&1
check "a Boot Data descriptor listed as conventional: exit 1" test $? -eq 1
check "a Boot Data descriptor listed as conventional: Linux's reservation of it differs" grep -qF \
	"  Linux:    boot services: memblock_reserve: [0x00000000bbb5d000-0x00000000bbb7cfff] efi_reserve_boot_services" \
	"$work/boot-map.out"
# A listing line Linux would not print: the map is not taken, and why is said.
sed '0,/efi: mem13: \[Boot Data   |/s//efi: mem13: [Boot Dada   |/' "$logs/seed.log" >"$work/bad-map.log"
"$tool" compare "$run" "$work/bad-map.log" >"$work/bad-map.out" 2>&1
check "a damaged listing line: the map not taken, the line named" grep -qF \
	"compare: note: the boot's EFI memory map is not taken from the log (its line for mem13 is not one Linux prints:" \
	"$work/bad-map.out"
check "a damaged listing line: the boot-services lines then left out, and said" grep -q \
	"boot-services memory is not the run's (efi=debug's Boot Code and Boot Data descriptors differ), so its [1-9][0-9]* efi_reserve_boot_services lines" \
	"$work/bad-map.out"
# analyze --log predicts with the same map.
"$tool" analyze "$run" --log "$logs/seed.log" >"$work/analyze-boot-map.txt" 2>"$work/analyze-boot-map.err"
check "analyze --log: the boot's map taken, said on standard error" grep -q \
	"^analyze: taken from the log: the boot's EFI memory map (efi=debug's [0-9]* descriptors)" "$work/analyze-boot-map.err"
check "analyze --log: efi_reserve_boot_services as the boot's log has it" cmp -s \
	<(sed -n 's/^\[ *[0-9.]*\] \(memblock_reserve: .*efi_reserve_boot_services\)+.*/\1/p' "$logs/seed.log") \
	<(grep 'efi_reserve_boot_services$' "$work/analyze-boot-map.txt")

# Timestamps or not: dmesg -t gives the same lines.
sed 's/^\[ *[0-9.]*\] //' "$logs/seed.log" >"$work/seed-t.log"
"$tool" compare "$run" "$work/seed-t.log" >"$work/seed-t.out" 2>&1
check "seed without timestamps: identical too" test $? -eq 0

# The command line comes from the log: numa=fake=4 and numa=off boots of the same VM.
for log in seed-numa-fake4 seed-numa-off; do
	"$tool" compare "$run" "$logs/$log.log" >"$work/$log.out" 2>&1
	check "$log: identical with the log's command line" test $? -eq 0
done

# Without the kernel's place, NODE_DATA of the top node can move: the run is named as such.
grep -v 'reserved\[0x' "$logs/seed.log" >"$work/nodump.log"
"$tool" compare "$run" "$work/nodump.log" >"$work/nodump.out" 2>&1
check "no memblock dump: the kernel's place is said to be unknown" grep -q "the kernel image's place is unknown" "$work/nodump.out"

# The initrd is taken from the log and fed into the prediction: put one where NODE_DATA(1) went.
sed 's/^\(\[ *[0-9.]*\] \)Command line: .*/&\n\1RAMDISK: [mem 0x13f000000-0x13fffffff]/' "$logs/seed.log" >"$work/initrd.log"
"$tool" compare "$run" "$work/initrd.log" >"$work/initrd.out" 2>&1
check "initrd: taken from the log" grep -qx 'compare: taken from the log: the initrd at \[mem 0x13f000000-0x13fffffff\] (RAMDISK:)' \
	"$work/initrd.out"
check "initrd: NODE_DATA(1) moves below it, so it differs from this log (made without one)" \
	grep -q '^  memprobe: NODE_DATA(1) allocated \[mem 0x13ef[0-9a-f]*-0x13ef[0-9a-f]*\]' "$work/initrd.out"

# Another machine's log: differences, exit 1.
"$tool" compare "$run" "$logs/q35-2nodes.log" >"$work/other.out" 2>&1
check "another VM: exit 1" test $? -eq 1
check "another VM: the zones differ" grep -q '^compare: zones: differs: ' "$work/other.out"
check "another VM: both sides of the first difference shown" grep -q '^  memprobe: ' "$work/other.out"

# A tampered line: exactly that stage, exactly one line.
sed 's/NODE_DATA(1) allocated \[mem 0x13ffd2000/NODE_DATA(1) allocated [mem 0x13ffd1000/' "$logs/seed.log" >"$work/tampered.log"
"$tool" compare "$run" "$work/tampered.log" >"$work/tampered.out" 2>&1
check "tampered NODE_DATA: exit 1" test $? -eq 1
check "tampered NODE_DATA: only that stage differs" test "$(grep -c ': differs: ' "$work/tampered.out")" -eq 1
check "tampered NODE_DATA: named" grep -q '^compare: NODE_DATA: differs: 1 of 2 Linux lines identical' "$work/tampered.out"
check "tampered NODE_DATA: one line short of all" test "$(sed -n 's/^compare: \([0-9]*\) of \([0-9]*\) comparable lines identical$/\2-\1/p' \
	"$work/tampered.out")" = "$(sed -n 's/^compare: \([0-9]*\) of.*/\1/p' "$work/seed.out")-$(( $(sed -n 's/^compare: \([0-9]*\) of.*/\1/p' "$work/seed.out") - 1 ))"

# /dev/kmsg as the log: read to its end without waiting there for the next message.
if [ -c /dev/kmsg ]; then
	timeout 120 "$tool" compare "$run" /dev/kmsg >/dev/null 2>&1
	status=$?
	check "/dev/kmsg: read to its end, no wait (exit $status)" test $status -ne 124
	timeout 120 "$tool" analyze --live >/dev/null 2>&1
	status=$?
	check "analyze --live on this machine: returns (exit $status)" test $status -ne 124
else
	echo "note: this machine has no /dev/kmsg: reading it is not tested here"
fi

# Unusable input: exit 2, named.
"$tool" compare "$run" "$here/README.md" >/dev/null 2>"$work/notalog.err"
check "not a boot log: exit 2" test $? -eq 2
check "not a boot log: named" grep -q 'README.md has no BIOS-e820 lines' "$work/notalog.err"
cp -r "$run" "$work/cut" && head -c 1000 "$run/memmap.bin" >"$work/cut/memmap.bin"
"$tool" compare "$work/cut" "$logs/seed.log" >/dev/null 2>"$work/cut.err"
check "truncated memmap.bin: exit 2" test $? -eq 2
check "truncated memmap.bin: named" grep -q 'cut/memmap.bin: its header says the map has' "$work/cut.err"
cp -r "$run" "$work/garbage" && printf 'RSDP @ 0x0\n  zz: nonsense\n' >"$work/garbage/acpi.txt"
"$tool" analyze "$work/garbage" >/dev/null 2>"$work/garbage.err"
check "corrupt acpi.txt: exit 2" test $? -eq 2
check "corrupt acpi.txt: named" grep -q 'garbage/acpi.txt: ' "$work/garbage.err"
"$tool" compare "$run" >/dev/null 2>"$work/usage.err"
check "a missing argument: exit 2" test $? -eq 2
check "a missing argument: usage" grep -q '^usage: memprobe compare' "$work/usage.err"
"$tool" compare "$run" "$work/no-such.log" >/dev/null 2>"$work/nolog.err"
check "a missing log: exit 2" test $? -eq 2
check "a missing log: named" grep -q 'no-such.log' "$work/nolog.err"

finish compare
