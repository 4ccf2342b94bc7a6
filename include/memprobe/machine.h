/* SPDX-License-Identifier: MIT */
/*
 * What a front end hands the core (struct fw_inputs) and everything the
 * core derives for one machine (struct machine).  No globals: a test may
 * build as many machines as it likes.
 */
#ifndef MEMPROBE_MACHINE_H
#define MEMPROBE_MACHINE_H

#include <stdint.h>

#include "memprobe/acpi.h"
#include "memprobe/e820.h"
#include "memprobe/efimap.h"
#include "memprobe/memblock.h"
#include "memprobe/numa.h"
#include "memprobe/madt.h"
#include "memprobe/options.h"
#include "memprobe/printk.h"

#define MEMPROBE_VERSION "0.1.0"

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE, MAX_NR_ZONES };

/* sizeof(pg_data_t) of Debian's 6.1 amd64 kernel (memory-less nodes get exactly this). */
#define PGDAT_SIZE 174208ULL

/* free_area_init()'s results, in page frame numbers. */
struct zones {
	uint64_t lowest[MAX_NR_ZONES], highest[MAX_NR_ZONES];
	uint64_t node_start[MAX_NUMNODES], node_end[MAX_NUMNODES];
	uint64_t zone_start[MAX_NUMNODES][MAX_NR_ZONES];
	uint64_t spanned[MAX_NUMNODES][MAX_NR_ZONES];
	uint64_t present[MAX_NUMNODES][MAX_NR_ZONES];
};

/*
 * The kernel image Linux's reservations depend on, for Debian's 6.1
 * kernel: without KASLR the EFI stub places it at LOAD_PHYSICAL_ADDR
 * (16 MiB) or, if that is taken, at the lowest 2 MiB-aligned free range
 * above; it spans KERNEL_IMAGE_SIZE up to the end of brk, and brk (which
 * holds the first page-table pages) starts KERNEL_BRK_OFFSET into it.
 */
#define KERNEL_LOAD_ADDR 0x1000000ULL
#define KERNEL_ALIGN 0x200000ULL
#define KERNEL_IMAGE_SIZE 0x3411000ULL
#define KERNEL_BRK_OFFSET 0x3400000ULL

#define DM_PGD_SLOTS 128	/* 2^46 bytes of physical address space, 512 GiB each */
#define DM_PUD_SLOTS 65536	/* 1 GiB each */
#define DM_MAX_PTE_TABLES 4096
#define DM_MAX_LEAF_RUNS 1024

struct dm_run {
	uint64_t first, last;	/* 2 MiB slot numbers */
};

/* init_mem_mapping()'s direct map, as far as page-table pages go. */
struct direct_map {
	unsigned page_size_mask;
	uint64_t pgt_buf_end, pgt_buf_top;	/* brk buffer, in pfns */
	bool can_use_brk, failed;
	uint64_t min_pfn_mapped, max_pfn_mapped;
	bool pud_tables[DM_PGD_SLOTS];
	uint8_t pud[DM_PUD_SLOTS];		/* per 1 GiB: none, PMD table, 1G leaf */
	unsigned nr_pte_tables, nr_leaves_2m;
	uint64_t pte_tables[DM_MAX_PTE_TABLES];	/* 2 MiB slots with a PTE table */
	struct dm_run leaves_2m[DM_MAX_LEAF_RUNS];
	unsigned brk_pages, memblock_pages;
};

/* Everything the firmware gave us, raw. */
struct fw_inputs {
	const char *frontend;		/* "UEFI x86_64", "host", ... */
	const char *cmdline;		/* options, as one string (may be NULL) */
	const char *notes;		/* the front end's own lines about collecting, or NULL */
	char fw_vendor[100];		/* ASCII copy of the system table's vendor */
	uint32_t fw_revision;
	uint32_t uefi_revision;		/* system table header revision */
	struct efi_memmap memmap;	/* map.map == NULL: the map could not be read */
	struct acpi_access acpi;	/* RSDP addresses and the way to read tables */
	bool cpu_gbpages;		/* CPUID: 1 GiB pages (pdpe1gb) */
};

struct machine {
	struct mp_log *log;
	const struct fw_inputs *fw;
	struct options opts;

	/* boot_params.e820_table as the EFI stub fills it. */
	uint32_t zeropage_entries;
	struct e820_entry zeropage[E820_MAX_ENTRIES_ZEROPAGE];
	uint32_t ext_entries;		/* entries the stub put in SETUP_E820_EXT */

	struct e820_table e820_table;
	struct e820_table e820_table_firmware;
	struct e820_sanitizer sanitizer;

	bool userdef;			/* mem= changed the table */
	uint64_t max_pfn;
	uint64_t max_low_pfn;

	struct memblock memblock;

	struct acpi_tables acpi;
	struct srat_info srat;
	struct slit_info slit;
	struct madt_info madt;
	struct numa_state numa;
	struct zones zones;
	struct direct_map dm;
	uint64_t kernel_addr;		/* physical address of the kernel image */
	bool kaslr;			/* memory KASLR (Debian's default; nokaslr turns it off) */
	struct mp_log *acpidump;	/* where the acpidump text goes, or NULL */
};

void machine_init(struct machine *m, const struct fw_inputs *fw, struct mp_log *log,
		  const struct memblock_storage *storage);
void machine_release(struct machine *m);
void memprobe_run(struct machine *m);

/* Stages, in Linux's order; memprobe_run calls them all. */
void efi_stub_setup_e820(struct machine *m);
void e820__memory_setup(struct machine *m);
void parse_setup_data(struct machine *m);
void parse_early_param(struct machine *m);
void e820__finish_early_params(struct machine *m);
void efi_init(struct machine *m);
void trim_bios_range(struct machine *m);
void find_max_pfns(struct machine *m);
void e820__memblock_setup(struct machine *m);
void acpi_boot_table_init(struct machine *m);
void early_reservations(struct machine *m);
void init_mem_mapping(struct machine *m);
uint64_t efi_stub_kernel_addr(const struct efi_memmap *map);
int acpi_srat_slit(struct machine *m);
void x86_numa_init(struct machine *m);
void free_area_init(struct machine *m);
void acpi_boot_init(struct machine *m);

/* Views of the result. */
void report_firmware_memmap(struct mp_log *log, const struct e820_table *firmware);
void report_iomem(struct mp_log *log, const struct e820_table *table);
void report_nodes(const struct machine *m);

#endif
