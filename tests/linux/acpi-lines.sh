#!/usr/bin/env bash
# Print the ACPI-stage lines of a console log (Linux's or memprobe's) with
# timestamps removed: ACPICA's table list, the Reserving lines, the SRAT
# lines of acpi_numa_init, the SLIT verdict, and the MADT lines Linux prints
# at acpi_boot_init (NMI and interrupt source overrides).
set -euo pipefail

sed -e 's/^\[ *[0-9]*\.[0-9]*\] //' -e 's/\r$//' "$1" | grep -E \
	-e '^ACPI: Early table checksum verification disabled$' \
	-e '^ACPI: (RSDP|[A-Z0-9]{4}) 0x[0-9A-F]{16} [0-9A-F]{6}' \
	-e '^ACPI: Reserving [A-Z0-9]{4} table memory at ' \
	-e '^SRAT: ' -e '^ACPI: SRAT: ' -e '^ACPI: \[SRAT:' \
	-e '^ACPI: SLIT table looks invalid' \
	-e '^ACPI: (LAPIC_NMI|X2APIC_NMI|INT_SRC_OVR|NMI_SRC) ' || true
