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
int acpi_srat_slit(struct machine *m);
void x86_numa_init(struct machine *m);
void free_area_init(struct machine *m);
void acpi_boot_init(struct machine *m);

/* Views of the result. */
void report_firmware_memmap(struct mp_log *log, const struct e820_table *firmware);
void report_iomem(struct mp_log *log, const struct e820_table *table);

#endif
