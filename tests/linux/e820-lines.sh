#!/usr/bin/env bash
# Print the e820-stage lines of a console log (Linux's or memprobe's), with
# dmesg timestamps removed, in order:
#   efi: EFI v..., BIOS-provided/BIOS-e820, extended (SETUP_E820_EXT),
#   user-defined (mem=), e820: update/remove, last_pfn.
# Lines that only a booting Linux can have are left out: the setup_data
# nodes its EFI stub allocates (PCI option ROM copies) show up as
# "usable ==> usable" updates and a "reserve setup_data" table, whose
# addresses depend on the loader, not on the firmware's map.
set -euo pipefail

sed -e 's/^\[ *[0-9]*\.[0-9]*\] //' -e 's/\r$//' "$1" | awk '
	pending != "" {
		if ($0 ~ /^extended: /) print pending
		pending = ""
	}
	/^extended physical RAM map:$/ { pending = $0; next }
	/^e820: update .* usable ==> usable$/ { next }
	/^efi: EFI v[0-9]/ ||
	/^BIOS-provided physical RAM map:$/ ||
	/^BIOS-(e820|e801|88): \[mem / ||
	/^extended: \[mem / ||
	/^user-defined physical RAM map:$/ ||
	/^user: \[mem / ||
	/^e820: (update|remove) \[mem / ||
	/^too many entries; ignoring / ||
	/^last_pfn = / { print }
'
