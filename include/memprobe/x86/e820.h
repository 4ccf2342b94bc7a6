/* SPDX-License-Identifier: MIT */
/*
 * The e820 table as Linux 6.1 keeps it (arch/x86/kernel/e820.c): entry
 * types, the sanitizer, range update/remove, printing and end-of-RAM.
 */
#ifndef MEMPROBE_X86_E820_H
#define MEMPROBE_X86_E820_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/lib/util.h"

/* boot_params.e820_table holds 128 entries; the kernel's tables 3200. */
#define E820_MAX_ENTRIES_ZEROPAGE 128
#define E820_MAX_ENTRIES (128 + 3 * 1024)

/* Linux's legacy layout constants (LOWMEMSIZE, BIOS_BEGIN, HIGH_MEMORY). */
#define E820_LOWMEMSIZE 0x9f000ULL
#define E820_BIOS_BEGIN 0xa0000ULL
#define E820_BIOS_END 0x100000ULL

/* The real-mode trampoline of Debian's 6.1 kernel: 28 KiB below 1 MiB. */
#define REALMODE_SIZE 0x7000ULL

enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_PMEM = 7,
	E820_TYPE_PRAM = 12,
	E820_TYPE_RESERVED_KERN = 128,
	E820_TYPE_SOFT_RESERVED = 0xefffffff,
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct e820_table {
	uint32_t nr_entries;
	struct e820_entry entries[E820_MAX_ENTRIES];
};

/*
 * Working memory of the sanitizer, kept out of the stack (UEFI stacks are
 * small) and out of globals (the core has none).
 */
struct e820_change_point {
	uint64_t addr;
	uint32_t entry;
};

struct e820_sanitizer {
	struct e820_change_point points[2 * E820_MAX_ENTRIES];
	uint32_t overlap[E820_MAX_ENTRIES];
	struct e820_entry out[E820_MAX_ENTRIES];
};

const char *e820_type_name(uint32_t type, char *buf, unsigned size);
const char *e820_type_to_string(uint32_t type);

void e820__range_add(struct mp_log *log, struct e820_table *table, uint64_t start, uint64_t size,
		    uint32_t type);
int e820__update_table(struct e820_table *table, struct e820_sanitizer *scratch);
void e820__range_update_kexec(struct mp_log *log, uint64_t start, uint64_t size, uint32_t old_type,
			      uint32_t new_type);
uint64_t e820__range_update(struct mp_log *log, struct e820_table *table, uint64_t start,
			   uint64_t size, uint32_t old_type, uint32_t new_type);
uint64_t e820__range_remove(struct mp_log *log, struct e820_table *table, uint64_t start,
			   uint64_t size, uint32_t old_type, bool check_type);
void e820__print_table(struct mp_log *log, const struct e820_table *table, const char *who);
uint64_t e820_end_pfn(struct mp_log *log, const struct e820_table *table, uint64_t limit_pfn,
		      uint64_t max_arch_pfn, uint32_t type, uint32_t also_type);
struct memblock;
void e820__register_nosave_regions(struct mp_log *log, struct memblock *mb, const struct e820_table *table,
				   uint64_t limit_pfn);
void e820__reserve_resources(struct memblock *mb, const struct e820_table *table, const struct e820_table *firmware);
uint64_t e820__setup_pci_gap(struct mp_log *log, const struct e820_table *table, uint64_t max_pfn);
void e820__reserve_resources_late(struct mp_log *log, const struct e820_table *table);

#endif
