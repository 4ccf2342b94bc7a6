#!/usr/bin/env bash
# QEMU smoke tests: boot memprobe under OVMF through run-qemu.sh and check
# the report, the saved report files, the shell path and the error paths.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
run="$here/run-qemu.sh"
. "$here/tests/lib/check.sh"

has_line() { grep -qxF -- "$2" "$1"; }
count_prefix() { grep -c -- "^$2" "$1"; }

# The report as the console shows it, from the banner to the run-folder line.
report_part() {
	sed -n '/^memprobe: memprobe /,/^memprobe: run saved in /p' "$1"
}

# The lines a re-analysis reproduces: after the banner, to the complete line.
analysed_part() {
	sed -n '2,/^memprobe: report complete$/p' "$1"
}

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 ||
	exit 1

# 1. The seed VM: boots, completes, powers off; the report is on the disk.
disk="$work/disk.img"
"$run" --no-install --disk "$disk" --log "$work/seed.log" >/dev/null 2>"$work/seed.err"
check "seed VM: run-qemu.sh succeeds" test $? -eq 0
check "seed VM: banner" grep -q '^memprobe: memprobe [0-9.]* (UEFI x86_64) for Linux 6\.1$' "$work/seed.log"
check "seed VM: firmware line" grep -q '^memprobe: firmware: EDK II revision 0x[0-9a-f]*, UEFI 2\.[0-9][0-9]$' "$work/seed.log"
check "seed VM: e820 table" has_line "$work/seed.log" "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable"
check "seed VM: 4 GiB of RAM end at 0x140000" has_line "$work/seed.log" "last_pfn = 0x140000 max_arch_pfn = 0x400000000"
check "seed VM: trim_bios_range" has_line "$work/seed.log" "e820: remove [mem 0x000a0000-0x000fffff] usable"
check "seed VM: no efi=debug lines without the option" test "$(count_prefix "$work/seed.log" 'efi: mem')" -eq 0
check "seed VM: memmap view" has_line "$work/seed.log" "0x100000000-0x13fffffff System RAM"
check "seed VM: powered off" has_line "$work/seed.log" "memprobe: powering off"
# memprobe's own time covers the analysis, so it is longer than the analysis line's figure.
analysis_us=$(sed -n 's/^memprobe: analysis took \([0-9]*\) us .*/\1/p' "$work/seed.log")
finished_us=$(sed -n 's/^memprobe: finished in \([0-9]*\) us since its start$/\1/p' "$work/seed.log")
check "seed VM: memprobe's own time exceeds its analysis time" \
	test "${finished_us:-0}" -gt "${analysis_us:-0}" -a "${analysis_us:-0}" -gt 0
check "seed VM: the run folder named" has_line "$work/seed.log" \
	'memprobe: run saved in \memprobe\runs\0001: report.txt report.json efi-read.txt ioapic.txt memmap.bin cpu.txt firmware.txt acpi.txt'
check "seed VM: the IO APIC's version and GSI range, read from its registers" has_line "$work/seed.log" \
	'IOAPIC[0]: apic_id 0, version 32, address 0xfec00000, GSI 0-23'
mkdir -p "$work/run1"
mcopy -i "$disk" '::/memprobe/runs/0001/*' "$work/run1/" 2>/dev/null
check "seed VM: ioapic.txt keeps the registers read" grep -qx 'ioapic: 0xfec00000 0x00000000 0x00170020 0x00000000' "$work/run1/ioapic.txt"
report_part "$work/seed.log" >"$work/console-report.txt"
check "seed VM: report.txt equals the console's report" cmp -s "$work/run1/report.txt" "$work/console-report.txt"
check "seed VM: report.txt is not empty" test "$(wc -l <"$work/run1/report.txt")" -gt 20
check "seed VM: memmap.bin holds the header and whole descriptors" \
	test "$(head -c 8 "$work/run1/memmap.bin")" = MPEFIMAP
check "seed VM: cpu.txt says what CPUID said" grep -qx 'cpuid: read' "$work/run1/cpu.txt"
check "seed VM: firmware.txt keeps the config file" grep -qx '| poweroff' "$work/run1/firmware.txt"
"$here/build/memprobe" analyze "$work/run1" >"$work/analyze1.txt" 2>"$work/analyze1.err"
check "seed VM: memprobe analyze on the folder succeeds" test $? -eq 0
check "seed VM: memprobe analyze reproduces the report after the banner" \
	cmp -s <(analysed_part "$work/run1/report.txt") <(analysed_part "$work/analyze1.txt")
check "seed VM: the reproduced part is the whole analysis" \
	test "$(analysed_part "$work/analyze1.txt" | wc -l)" -gt 150

check "seed VM (-vga none -nic none): no option ROMs, so no setup_data" \
	test "$(grep -c '^pci_rom: ' "$work/run1/firmware.txt")" -eq 0 -a \
	"$(count_prefix "$work/run1/report.txt" 'reserve setup_data: ')" -eq 0
check "seed VM: Linux's efi: line from the configuration tables" \
	grep -q '^efi: .*ACPI 2.0=0x[0-9a-f]* .*MEMATTR=0x[0-9a-f]* $' "$work/seed.log"

# 1b. The seed VM with QEMU's default devices, as a real machine has them: a VGA card and a
# network card, each with an option ROM Linux's EFI stub copies into setup_data, and a boot logo.
"$run" --no-install --default-devices --disk "$work/screen.img" --log "$work/screen.log" >/dev/null 2>&1
check "default devices: the run completes" has_line "$work/screen.log" "memprobe: report complete"
mkdir -p "$work/screen-run"
mcopy -i "$work/screen.img" '::/memprobe/runs/0001/*' "$work/screen-run/" 2>/dev/null
roms=$(grep -c '^pci_rom: ' "$work/screen-run/firmware.txt")
check "default devices: firmware.txt lists the VGA's and the NIC's option ROMs" test "$roms" -ge 2
check "default devices: the stub's copies of the ROMs named, their places left to the loader" grep -q \
	"^memprobe: note: Linux's EFI stub copies $roms PCI option ROMs into setup_data" "$work/screen.log"
# Given the loader's places, the host predicts each node: a 16-byte header, the 48-byte
# pci_setup_rom and the ROM, marked in e820 and shown in the extended map.
rom0=$(sed -n 's/^pci_rom: [^ ]* [^ ]* \([0-9]*\)$/\1/p' "$work/screen-run/firmware.txt" | head -1)
"$here/build/memprobe" analyze "$work/screen-run" setup_data=0x7e000000,0x7e100000 >"$work/analyze-sd.txt" 2>&1
check "default devices: setup_data=: the first node is 64 bytes and its ROM" has_line "$work/analyze-sd.txt" \
	"$(printf 'e820: update [mem 0x7e000000-0x%08x] usable ==> usable' $((0x7e000000 + 64 + ${rom0:-0} - 1)))"
check "default devices: setup_data=: the nodes split the e820 map (extended physical RAM map)" \
	has_line "$work/analyze-sd.txt" "extended physical RAM map:"
check "default devices: the boot logo's image reserved after the MADT" grep -q \
	'^e820: update \[mem 0x[0-9a-f]*-0x[0-9a-f]*\] usable ==> reserved$' \
	<(sed -n '/^ACPI: Reserving BGRT table memory/,$p' "$work/screen.log")
check "default devices: the tables read from memory are saved (efi-read.txt)" \
	grep -q '^bgrt @ 0x' "$work/screen-run/efi-read.txt"
"$here/build/memprobe" analyze "$work/screen-run" >"$work/analyze-screen.txt" 2>&1
check "default devices: memprobe analyze reproduces the report after the banner" \
	cmp -s <(analysed_part "$work/screen-run/report.txt") <(analysed_part "$work/analyze-screen.txt")

# 2. A second run on the same disk adds folder 0002 and leaves 0001 alone; the old
# \memprobe.cfg is still read, below memprobe.conf.
printf 'efi=debug mem=1G\n' >"$work/old.cfg"
mcopy -o -i "$disk" "$work/old.cfg" ::/memprobe.cfg
"$run" --no-install --disk "$disk" --app-args "mem=3G" --log "$work/second.log" >/dev/null 2>&1
check "second run: succeeds" test $? -eq 0
check "second run: efi=debug from \memprobe.cfg" test "$(count_prefix "$work/second.log" 'efi: mem[0-9][0-9]: \[')" -gt 10
check "second run: memprobe.conf's mem=3G overrides \memprobe.cfg's mem=1G" \
	has_line "$work/second.log" "memprobe: options: efi=debug poweroff mem=3G"
check "second run: new folder" grep -q '^memprobe: run saved in \\memprobe\\runs\\0002: ' "$work/second.log"
check "second run: first report unchanged" \
	cmp -s <(mtype -i "$disk" ::/memprobe/runs/0001/report.txt) "$work/run1/report.txt"
mdel -i "$disk" ::/memprobe.cfg

# 3. A wrong option is named, and the run still completes.
"$run" --no-install --machine q35 --app-args "bogus-option mem=2G" --log "$work/bad.log" >/dev/null 2>&1
check "wrong option: run completes" test $? -eq 0
check "wrong option: named with the config file's line" has_line "$work/bad.log" \
	"memprobe: \\memprobe\\memprobe.conf:3: error: unknown option 'bogus-option' ignored (see --help)"
check "wrong option: mem=2G still applied" has_line "$work/bad.log" "user-defined physical RAM map:"
check "no --numa: q35 VM, no SRAT: Linux's fall-back" has_line "$work/bad.log" "No NUMA configuration found"
check "no --numa: one faked node up to the end of the RAM mem=2G leaves" \
	has_line "$work/bad.log" "Faking a node at [mem 0x0000000000000000-0x000000007ff3ffff]"
check "no --numa: the SRAT's absence named" \
	has_line "$work/bad.log" "memprobe: NUMA: the SRAT is not used: the firmware has no SRAT"

# 4. From the UEFI shell: arguments on the command line, back to the shell.
"$run" --no-install --shell --app-args "efi=debug" --log "$work/shell.log" >/dev/null 2>&1
check "shell: run-qemu.sh succeeds" test $? -eq 0
check "shell: arguments read" has_line "$work/shell.log" "memprobe: options: no_pause efi=debug"
check "shell: returned to the shell" has_line "$work/shell.log" "memprobe: back in the UEFI shell"

# 5. memprobe --help prints its usage and no report.
"$run" --no-install --disk "$work/help.img" --app-args "--help" --log "$work/help.log" >/dev/null 2>&1
check "app --help: succeeds" test $? -eq 0
check "app --help: usage" grep -q '^usage: memprobe.efi' "$work/help.log"
check "app --help: no report" test "$(count_prefix "$work/help.log" 'BIOS-e820')" -eq 0
check "app --help: no run folder left" test -z "$(mdir -b -i "$work/help.img" ::/memprobe/runs 2>/dev/null | grep -v '/\.\.*$')"

# 6. A full volume: the run completes and says which file could not be written.
cp "$here/build/memprobe.img" "$work/full.img"
free=$(mdir -i "$work/full.img" :: | sed -n 's/^ *\([0-9 ]*\) bytes free$/\1/p' | tr -d ' ')
head -c "$((free - 24 * 1024))" /dev/zero >"$work/filler"
mcopy -i "$work/full.img" "$work/filler" ::/filler
"$run" --no-install --disk "$work/full.img" --log "$work/full.log" >/dev/null 2>&1
check "full volume: the run completes" test $? -eq 0
check "full volume: the lost file is named on screen" \
	grep -q '^memprobe: warning: writing \\memprobe\\runs\\0001\\[a-z.]* failed (EFI_VOLUME_FULL)' "$work/full.log"

# 7. A read-only volume: the run completes and says nothing of it could be saved.
"$run" --no-install --read-only --log "$work/ro.log" >/dev/null 2>&1
check "read-only volume: the run completes" test $? -eq 0
check "read-only volume: said on screen" grep -q \
	'^memprobe: warning: cannot create \\memprobe\\runs on the boot volume (EFI_WRITE_PROTECTED); nothing of this run is saved$' \
	"$work/ro.log"

# 8. run-qemu.sh's own errors.
"$run" --help >"$work/usage.txt" 2>&1
check "run-qemu.sh --help" grep -q -- '--numa SIZE\[,cpus=LIST\]' "$work/usage.txt"
"$run" --no-install --numa 2X >/dev/null 2>"$work/usage-err.txt"
check "bad --numa size: exit 2" test $? -eq 2
check "bad --numa size: named" grep -q "bad size '2X'" "$work/usage-err.txt"
"$run" --no-install --mem 3G --numa 2G >/dev/null 2>"$work/mem-err.txt"
check "--mem disagreeing with nodes: exit 2" test $? -eq 2
"$run" --no-install --no-disk >/dev/null 2>"$work/no-disk-err.txt"
check "--no-disk without --linux: exit 2" test $? -eq 2
check "--no-disk without --linux: named" grep -q -- "--no-disk needs --linux" "$work/no-disk-err.txt"
"$run" --no-install --timeout 1 >/dev/null 2>"$work/timeout.txt"
check "timeout: exit 1" test $? -eq 1
check "timeout: said" grep -q "did not finish within 1 seconds" "$work/timeout.txt"
"$run" --no-install -- -no-such-qemu-option >/dev/null 2>"$work/qemu-err.txt"
check "QEMU failure: exit 1 with QEMU's message" grep -q "QEMU failed" "$work/qemu-err.txt"

finish qemu-smoke
