/* SPDX-License-Identifier: MIT */
/*
 * The ACPI stages of setup_arch() after the tables are loaded, as Linux's
 * arch/x86/kernel/acpi/boot.c holds them: early_acpi_boot_init() and
 * acpi_boot_init().
 */
#ifndef MEMPROBE_X86_ACPI_BOOT_H
#define MEMPROBE_X86_ACPI_BOOT_H

struct machine;

void early_acpi_boot_init(struct machine *m);
void acpi_boot_init(struct machine *m);

#endif
