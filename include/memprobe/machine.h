/* SPDX-License-Identifier: MIT */
/*
 * What a front end hands the core (struct fw_inputs, the sinks) and
 * everything the core derives for one machine (struct machine).  No
 * globals: a test may build as many machines as it likes.
 */
#ifndef MEMPROBE_MACHINE_H
#define MEMPROBE_MACHINE_H

#include <stdint.h>

#include "memprobe/acpi/madt.h"
#include "memprobe/acpi/slit.h"
#include "memprobe/acpi/srat.h"
#include "memprobe/acpi/tables.h"
#include "memprobe/lib/defects.h"
#include "memprobe/lib/printk.h"
#include "memprobe/mm/memblock.h"
#include "memprobe/mm/mm_init.h"
#include "memprobe/mm/percpu.h"
#include "memprobe/mm/zonelists.h"
#include "memprobe/mm/zones.h"
#include "memprobe/options.h"
#include "memprobe/version.h"
#include "memprobe/x86/cpu_record.h"
#include "memprobe/x86/e820.h"
#include "memprobe/x86/efi.h"
#include "memprobe/x86/efimap.h"
#include "memprobe/x86/io_apic.h"
#include "memprobe/x86/mtrr.h"
#include "memprobe/x86/numa.h"
#include "memprobe/x86/paging.h"
#include "memprobe/x86/pgtable.h"
#include "memprobe/x86/topology.h"

/* A clock the front end lends the core: nanoseconds from any fixed point. */
struct mp_clock {
	uint64_t (*now_ns)(void *ctx);
	void *ctx;
};

/* Where memprobe_run's time goes, as its closing timing line names it. */
enum mp_phase { PHASE_E820, PHASE_MEMBLOCK, PHASE_ACPI, PHASE_NUMA, PHASE_ZONES, PHASE_LATE, PHASE_OUTPUT, PHASES };

/* The firmware's Secure Boot state, as its variables tell it. */
enum secure_boot {
	SECURE_BOOT_UNKNOWN, SECURE_BOOT_UNSUPPORTED, SECURE_BOOT_OFF, SECURE_BOOT_ON, SECURE_BOOT_SETUP_MODE,
	SECURE_BOOT_STATES
};

/* Everything the firmware gave us, raw. */
struct fw_inputs {
	const char *frontend;		/* "UEFI x86_64", "host", ... */
	const char *cmdline;		/* the command line's options, the strongest (may be NULL) */
	/* Options below the command line, weakest first: the config files. */
	struct option_source option_files[OPTION_SOURCES_MAX - 1];
	unsigned nr_option_files;
	const char *notes;		/* the front end's own lines about collecting, or NULL */
	char fw_vendor[100];		/* ASCII copy of the system table's vendor */
	uint32_t fw_revision;
	uint32_t uefi_revision;		/* system table header revision */
	enum secure_boot secure_boot;	/* from the SecureBoot and SetupMode variables */
	struct efi_memmap memmap;	/* map.map == NULL: the map could not be read */
	struct efi_tables efi;		/* the configuration tables and the PCI option ROMs */
	struct acpi_access acpi;	/* RSDP addresses and the way to read tables */
	struct cpu_facts cpu;		/* CPUID, as far as Linux's memory setup depends on it */
	struct cpu_records cpus;	/* every CPU's leaves and MSRs, raw (source CPUS_NOT_READ: none) */
	uint64_t cpus_ns;		/* the front end's time reading them, 0: not timed */
	struct ioapic_access ioapic;	/* the IO APICs' registers (read NULL: not known) */
	struct mp_clock clock;		/* now_ns NULL: memprobe does not time itself */
};

/* Where the core's output goes; the front end decides. */
struct sinks {
	struct mp_log *report;		/* the report's lines */
	struct mp_log *acpidump;	/* every ACPI table in acpidump's text format, or NULL */
};

struct machine {
	struct mp_log *log;		/* where the stages print: &m->stage_log */
	struct mp_log stage_log;	/* into report_sink, timed as output; records the defects */
	struct mp_log *report_sink;	/* the front end's report (sinks.report) */
	uint64_t phase_ns[PHASES];	/* output: time in the report's sink, and the views */
	struct mp_log *acpidump;	/* sinks.acpidump */
	const struct fw_inputs *fw;
	struct defects defects;		/* the firmware defects, recorded where found */
	struct options opts;		/* parsed once, by machine_init */
	struct option_source option_src[OPTION_SOURCES_MAX];	/* where they came from, weakest first */
	unsigned nr_option_src;
	struct paging_mode paging;	/* from the CPU facts and the options, by machine_init */

	/* What the EFI stub hands the kernel: setup_data, and boot_params.e820_table. */
	unsigned nr_setup_data;
	struct setup_data_node setup_data[SETUP_DATA_MAX];
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

	/* Linux's EFI memory map as efi_mem_reserve() changes it, and the EFI tables' bytes read. */
	uint32_t efi_nr_map;		/* efi.memmap.nr_map */
	uint64_t efi_memmap_phys, efi_memmap_size;	/* the map memblock gave, 0 while the stub's */
	unsigned nr_efi_kept;
	struct efi_kept_range efi_kept[EFI_KEPT_MAX];
	struct efi_reads efi_reads;
	struct dmi_info dmi;		/* the SMBIOS BIOS date, as Linux's dmi_scan_machine() reads it */

	/* What the firmware's tables say: parsed once, read-only after. */
	struct acpi_tables acpi;
	struct acpi_overreads acpi_overreads;	/* where the stages read past a table's end */
	struct srat_info srat;
	struct slit_info slit;
	struct madt_info madt;		/* the MADT instance Linux uses */
	struct io_apics io_apics;	/* the MADT's IO APICs, as Linux registers them */
	struct cpu_count cpus;		/* the MADT's CPUs, as Linux counts them */
	struct mtrr_state mtrr;		/* the boot CPU's MTRRs and PAT, as Linux reads them */
	struct cpu_bringup bringup;	/* the CPUs Linux brings up, in its CPU numbers */

	/* Linux's state, stage by stage. */
	struct numa_state numa;
	struct zones zones;
	struct direct_map dm;
	struct pcpu_alloc_info percpu;	/* setup_per_cpu_areas' first chunk */
	struct zonelists zonelists;	/* build_all_zonelists' working state */
	struct swiotlb_state swiotlb;	/* swiotlb= and the software IO TLB */
	struct dma_pools dma_pools;	/* coherent_pool= */
	unsigned unpredicted;		/* enum unpredicted_lines: what the late stages could not say */
	const char *memblock_unpredicted;	/* why memblock's last requests are not predicted (NULL: they are) */
	int acpi_apic_instance;		/* the MADT instance Linux uses, after check_multiple_madt */
	uint64_t kernel_addr;		/* physical address of the kernel image */
	uint64_t kernel_reserve_size;	/* what memblock reserves for it */
	bool kaslr;			/* memory KASLR (Debian's default; nokaslr turns it off) */
};

const char *secure_boot_word(enum secure_boot s);
unsigned machine_option_sources(const struct fw_inputs *fw, const char *overrides,
				struct option_source src[OPTION_SOURCES_MAX]);
void machine_init(struct machine *m, const struct fw_inputs *fw, const char *overrides,
		  const struct sinks *sinks, const struct memblock_storage *storage);
void machine_release(struct machine *m);

#endif
