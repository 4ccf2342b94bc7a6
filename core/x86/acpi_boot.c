// SPDX-License-Identifier: MIT
/*
 * acpi_boot.c: Linux's arch/x86/kernel/acpi/boot.c, the part that prints
 * about the machine: which MADT is used, and acpi_boot_init()'s tables.
 */
#include "memprobe/x86/acpi_boot.h"

#include "memprobe/acpi/madt.h"
#include "memprobe/x86/efi.h"
#include "memprobe/machine.h"

/* early_acpi_boot_init(): the check for more than one MADT, and which one Linux uses. */
void early_acpi_boot_init(struct machine *m)
{
	m->acpi_apic_instance = check_multiple_madt(&m->acpi, m->acpi_apic_instance, m->log);
}

/* The MADT part of acpi_boot_init(), the boot logo (BGRT), and the MADT/SRAT cross-check. */
void acpi_boot_init(struct machine *m)
{
	madt_parse(&m->madt, &m->acpi, m->acpi_apic_instance, m->log);
	efi_bgrt_init(m);
	madt_cross_check(&m->madt, &m->srat, m->log);
}
