/* SPDX-License-Identifier: MIT */
/*
 * The stages of setup_arch() that act on the firmware's memory map and
 * ACPI tables, in setup_arch()'s order; memprobe_run calls them all.
 */
#ifndef MEMPROBE_X86_SETUP_ARCH_H
#define MEMPROBE_X86_SETUP_ARCH_H

struct machine;

void efi_stub_setup_e820(struct machine *m);
void early_reserve_memory(struct machine *m);
void e820__memory_setup(struct machine *m);
void parse_setup_data(struct machine *m);
void parse_early_param(struct machine *m);
void efi_memblock_x86_reserve_range(struct machine *m);
void e820__finish_early_params(struct machine *m);
void efi_init(struct machine *m);
void trim_bios_range(struct machine *m);
void find_max_pfns(struct machine *m);
void e820__memblock_setup(struct machine *m);
void early_reservations(struct machine *m);
void reserve_initrd(struct machine *m);
void acpi_boot_table_init(struct machine *m);

#endif
