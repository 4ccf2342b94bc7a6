#!/usr/bin/env bash
# Print the efi=debug lines of a console log for the descriptors a loader
# cannot change (runtime, ACPI, MMIO, reserved, ...), with the "memNN:"
# index removed.  Conventional, loader and boot-services descriptors differ
# between a memprobe run and a Linux boot (each allocates its own memory),
# the others must be the same.  Only the listing of efi_init() counts, the
# one before trim_bios_range; Linux lists the map again after
# SetVirtualAddressMap.
set -euo pipefail

sed -e 's/^\[ *[0-9]*\.[0-9]*\] //' -e 's/\r$//' "$1" |
	awk '/^e820: update \[mem 0x00000000-0x00000fff\]/ { exit } { print }' |
	grep '^efi: mem[0-9]*: \[' |
	grep -v '^efi: mem[0-9]*: \[\(Conventional\|Loader Code\|Loader Data\|Boot Code\|Boot Data\) *|' |
	sed 's/^efi: mem[0-9]*: /efi: memNN: /'
