#!/usr/bin/env bash
# The USB stick image as a user boots it: build/memprobe-usb.img attached to
# QEMU as a USB mass-storage device (xHCI) under OVMF, no UEFI shell.  memprobe
# reads the stick's own config file, writes a run folder on the stick, and the
# test reads the folder back with mtools and checks every file.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/memprobe-usb.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -n "${KEEP_WORK:-}" ] && trap - EXIT && echo "work: $work"
. "$here/tests/lib/check.sh"
. "$here/tests/lib/boot-linux.sh"

"$here/tests/lib/install-deps.sh" make gcc libc6-dev binutils gnu-efi mtools ovmf qemu-system-x86 \
	fdisk acpica-tools jq python3-jsonschema ca-certificates || exit 1
make -s -C "$here" usb build/memprobe || exit 1

stick="$work/stick.img"
esp="$stick@@1M"	# the EFI System Partition starts at 1 MiB (make usb)
cp "$here/build/memprobe-usb.img" "$stick"
cp /usr/share/OVMF/OVMF_VARS.fd "$work/vars.fd"

check "stick: a GPT with one EFI System Partition" \
	test "$(sfdisk -l "$stick" 2>/dev/null | grep -c 'EFI System$')" -eq 1
check "stick: the default boot file" test "$(mtype -i "$esp" ::/EFI/BOOT/BOOTX64.EFI | head -c 2)" = MZ
check "stick: the README" grep -q 'memprobe analyze' <(mtype -i "$esp" ::/memprobe/README.txt)
mtype -i "$esp" ::/memprobe/memprobe.conf >"$work/default.conf"
check "stick: the config file lists every option with its default" \
	test "$(grep -c '^#  [a-z_=0-9A-Z]* *  ' "$work/default.conf")" -ge 15 -a \
	"$(grep -c 'default: ' "$work/default.conf")" -ge 15
check "stick: the config file sets no option" test "$(grep -cv '^#' "$work/default.conf")" -eq 0

# What a user would add: poweroff (so the test ends), an option, and a typo.
printf 'poweroff\nefi=debug\nnuma=fake=3 memblock=dbug nosuch\n' >>"$work/default.conf"
conf_lines=$(wc -l <"$work/default.conf")
mcopy -o -i "$esp" "$work/default.conf" ::/memprobe/memprobe.conf

# boot_stick STICK VARS LOG [QEMU-DEVICES...]: the stick on a q35 VM, no shell; the exit status is QEMU's.
boot_stick() {
	local img=$1 vars=$2 log=$3
	shift 3
	timeout 300 qemu-system-x86_64 -machine q35 -accel tcg -m 2048M -smp 2 \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd \
		-drive if=pflash,format=raw,file="$vars" \
		-device qemu-xhci -device usb-storage,drive=stick \
		-drive if=none,id=stick,format=raw,file="$img" \
		"$@" -display none -serial stdio -no-reboot </dev/null 2>>"$work/qemu.err" |
		sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\x1bc//g' -e 's/\r//g' >"$log"
	return "${PIPESTATUS[0]}"
}

# boot_linux STICK LOG [run-qemu.sh OPTIONS...]: Linux on the same VM, the stick attached, KASLR on,
# booted again if it did not reach its end (boot-linux.sh); a second such boot is named, never compared.
boot_linux() {
	local img=$1 log=$2
	shift 2
	boot_linux_to_end usb-stick "$LINUX_END_NO_ROOT" "$log" "$work/linux.err" --linux "$vmlinuz" --no-disk \
		--machine q35 --mem 2048M --smp 2 "$@" \
		--append "console=ttyS0 memblock=debug efi=debug panic=-1 softlockup_panic=1 ignore_loglevel" \
		-- -device qemu-xhci -device usb-storage,drive=stick -drive if=none,id=stick,format=raw,file="$img"
}

boot_stick "$stick" "$work/vars.fd" "$work/console.log" -nic none -vga none
check "boot from the stick: QEMU ends (memprobe powered off)" test $? -eq 0
check "boot from the stick: the report completes" grep -qx 'memprobe: report complete' "$work/console.log"
check "boot from the stick: the stick's config is read" \
	grep -qx 'memprobe: options: poweroff efi=debug numa=fake=3 memblock=dbug nosuch' "$work/console.log"
check "boot from the stick: an unknown option is named with file and line" grep -qx \
	"memprobe: \\\\memprobe\\\\memprobe.conf:$conf_lines: error: unknown option 'nosuch' ignored (see --help)" \
	"$work/console.log"
check "boot from the stick: Secure Boot state said" grep -q '^memprobe: Secure Boot: ' "$work/console.log"
check "boot from the stick: the run folder named" grep -qx \
	'memprobe: run saved in \\memprobe\\runs\\0001: report.txt report.json efi-read.txt ioapic.txt memmap.bin cpu.txt firmware.txt acpi.txt' \
	"$work/console.log"

run="$work/run"
mkdir -p "$run"
mcopy -i "$esp" '::/memprobe/runs/0001/*' "$run/" 2>/dev/null
for f in report.txt report.json efi-read.txt ioapic.txt memmap.bin cpu.txt firmware.txt acpi.txt; do
	check "run folder: $f is there and not empty" test -s "$run/$f"
done
check "run folder: report.txt is the console's report" cmp -s "$run/report.txt" \
	<(sed -n '/^memprobe: memprobe /,/^memprobe: run saved in /p' "$work/console.log")

(cd "$work" && mkdir x && cd x && acpixtract -a "$run/acpi.txt" >../acpixtract.out 2>&1)
check "run folder: acpixtract -a reads acpi.txt" test "$(ls "$work/x"/*.dat 2>/dev/null | wc -l)" -ge 4
# Debian's iasl (20200925) disassembles no RSDP file, acpidump's included; every table it does.
decoded=0 tables=0
for dat in "$work/x"/*.dat; do
	[ "${dat##*/}" = rsdp.dat ] && continue
	tables=$((tables + 1))
	(cd "$work/x" && iasl -d "$dat" >/dev/null 2>&1) && decoded=$((decoded + 1))
done
check "run folder: iasl -d decodes every extracted table ($decoded of $tables)" test "$decoded" -eq "$tables"

"$here/build/memprobe" analyze "$run" >"$work/analyze.txt" 2>"$work/analyze.err"
check "memprobe analyze: succeeds on the stick's folder" test $? -eq 0
check "memprobe analyze: the report after the banner, line for line" cmp -s \
	<(sed -n '2,/^memprobe: report complete$/p' "$run/report.txt") \
	<(sed -n '2,/^memprobe: report complete$/p' "$work/analyze.txt")
check "run folder: report.json follows docs/report-schema.json and agrees with report.txt" \
	"$here/tests/lib/report-json.py" "$run/report.json" "$run/report.txt"
check "run folder: report.json has the run's timing" test "$(jq '.timing_us["e820"] | type' "$run/report.json")" = '"number"'
"$here/build/memprobe" analyze --json "$run" >"$work/analyze.json" 2>"$work/analyze-json.err"
check "memprobe analyze --json: report.json again (but the front end and the timing)" cmp -s \
	<(jq -S 'del(.memprobe.frontend, .timing_us)' "$run/report.json") \
	<(jq -S 'del(.memprobe.frontend, .timing_us)' "$work/analyze.json")
check "memprobe analyze: numa=fake=3 came from the stick's config" \
	grep -q '^Faking node 1 at ' "$work/analyze.txt"
"$here/build/memprobe" analyze "$run" numa=off >"$work/analyze-off.txt" 2>&1
check "memprobe analyze: an option after the folder overrides the run's (numa=off)" \
	grep -qx 'memprobe: options: poweroff efi=debug memblock=dbug nosuch numa=off' "$work/analyze-off.txt"

# Linux on the same VM (the stick attached, KASLR on): compare takes the kernel's place from
# its log and must find every stage identical.
vmlinuz=$("$here/tests/linux/fetch-kernel.sh") || { echo "usb-stick: cannot get the kernel" >&2; exit 1; }
cp "$here/build/memprobe-usb.img" "$work/stick-linux.img"
if boot_linux "$work/stick-linux.img" "$work/linux.log"; then
	check "Linux booted with KASLR" bash -c "! grep -q 'Command line: .*nokaslr' '$work/linux.log'"
	"$here/build/memprobe" compare "$run" "$work/linux.log" >"$work/compare.txt" 2>&1
	check "memprobe compare: the stick's run and Linux's boot identical in every stage" test $? -eq 0
	check "memprobe compare: the kernel's place taken from Linux's log" \
		grep -q 'the kernel image at 0x[0-9a-f]* (KASLR' "$work/compare.txt"
	grep -q ': differs: ' "$work/compare.txt" && sed 's/^/    /' "$work/compare.txt"
fi

# The same stick on a VM with QEMU's default devices, as a real machine has them: a VGA card
# and a network card with their option ROMs (Linux's EFI stub copies them into setup_data)
# and a boot logo (Linux reserves the BGRT image).
cp "$here/build/memprobe-usb.img" "$work/screen-stick.img"
cp /usr/share/OVMF/OVMF_VARS.fd "$work/screen-vars.fd"
printf 'poweroff\nefi=debug memblock=debug\n' | mcopy -o -i "$work/screen-stick.img@@1M" - ::/memprobe/memprobe.conf
boot_stick "$work/screen-stick.img" "$work/screen-vars.fd" "$work/screen.log"
check "default devices: the stick's report completes" grep -qx 'memprobe: report complete' "$work/screen.log"
screen_run="$work/screen-run"
mkdir -p "$screen_run"
mcopy -i "$work/screen-stick.img@@1M" '::/memprobe/runs/0001/*' "$screen_run/" 2>/dev/null
check "default devices: firmware.txt lists the VGA's and the NIC's option ROMs" \
	test "$(grep -c '^pci_rom: ' "$screen_run/firmware.txt")" -ge 2
check "default devices: the boot logo's image reserved after the MADT" grep -q \
	'^e820: update \[mem 0x[0-9a-f]*-0x[0-9a-f]*\] usable ==> reserved$' \
	<(sed -n '/^ACPI: Reserving BGRT table memory/,$p' "$screen_run/report.txt")
if boot_linux "$work/screen-stick.img" "$work/screen-linux.log" --default-devices; then
	"$here/build/memprobe" compare "$screen_run" "$work/screen-linux.log" >"$work/screen-compare.txt" 2>&1
	check "default devices: memprobe compare finds every stage identical" test $? -eq 0
	check "default devices: compare took the option ROM copies' places from Linux's log" grep -q \
		"^compare: taken from the log: where the loader put the $(grep -c '^pci_rom: ' "$screen_run/firmware.txt") setup_data nodes" \
		"$work/screen-compare.txt"
	check "default devices: compare says where the boot logo was kept" \
		grep -q '^compare: .*the boot logo kept at \[mem ' "$work/screen-compare.txt"
	grep -q ': differs: ' "$work/screen-compare.txt" && sed 's/^/    /' "$work/screen-compare.txt"
fi

finish usb-stick
