/* SPDX-License-Identifier: MIT */
/*
 * The Linux versions memprobe predicts, and everything that differs between
 * them, in one place: a profile of facts and behaviours per version, chosen
 * with kernel= (or, by memprobe compare and replay, from a log's
 * "Linux version" line).  docs/linux-6.12.md names the source of each.
 */
#ifndef MEMPROBE_PROFILE_H
#define MEMPROBE_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

/* LOAD_PHYSICAL_ADDR (Debian's CONFIG_PHYSICAL_START) in both versions: the lowest the EFI stub puts the kernel. */
#define KERNEL_LOAD_ADDR 0x1000000ULL

/* The kernel image's sections as mem_init_print_info() gives them, in KiB. */
struct kernel_sections {
	uint64_t code_kib, rwdata_kib, rodata_kib, init_kib, bss_kib;
};

struct linux_profile {
	const char *name;		/* kernel='s value: "6.1", "6.12" */
	/* efi_systab_report_header(): "EFI v2.7" (minor / 10, then ".N" if any) or "v2.70" */
	bool efi_revision_tenths;
	/* efi_remove_e820_mmio(): EfiMemoryMappedIO this large leaves the e820 table; 0: never */
	uint64_t efi_mmio_remove_min;
	/* acpi_numa_(x2)apic_affinity_init(): "SRAT: PXM p -> APIC a -> Node n" printed (pr_info) */
	bool srat_cpu_lines;
	/*
	 * acpi_parse_entries_array()'s "[SRAT:0x01] Invalid zero length": 6.1 prints it
	 * from drivers/acpi/tables.c ("ACPI: " first), 6.12 from lib/fw_table.c (no prefix)
	 */
	const char *acpi_entries_prefix;
	/*
	 * acpi_parse_entries_array() past max_entries (the MADT's IO APICs: 128): 6.1
	 * stops the walk silently (drivers/acpi/tables.c); 6.12 goes on counting and
	 * warns "[APIC:0x01] ignored N entries of M found" (lib/fw_table.c)
	 */
	bool acpi_entries_past_max_warned;
	/*
	 * How the MADT's CPUs are counted and the possible CPUs said: 6.1's
	 * acpi_register_lapic/generic_processor_info and prefill_possible_map
	 * ("smpboot: Allowing N CPUs, M hotplug CPUs"); 6.12's topology_register_apic
	 * and topology_init_possible_cpus ("CPU topo: Allowing N present CPUs plus M
	 * hotplug CPUs", arch/x86/kernel/cpu/topology.c), which also counts a disabled
	 * entry without the online-capable bit only under a hypervisor
	 */
	bool cpu_topology_612;
	/*
	 * Memory types after the first last_pfn: 6.1's mtrr_bp_init() initialises PAT
	 * through the MTRR code (none when MTRRs are off: "Disabled", then
	 * init_cache_modes() prints the firmware's PAT); 6.12's cache_bp_init() prints
	 * the "MTRR map:" line, then PAT on its own (arch/x86/kernel/cpu/mtrr/mtrr.c)
	 */
	bool cache_bp_init_612;
	/*
	 * max_pfn and max_low_pfn: 6.1's e820_end_pfn(limit, E820_TYPE_RAM) ends at the last
	 * RAM; 6.12's e820__end_ram_pfn() at the last RAM or ACPI data (arch/x86/kernel/e820.c)
	 */
	bool end_pfn_counts_acpi_data;
	/* e820__reserve_setup_data(): 6.1 updates the kexec table too, and prints the line twice */
	bool setup_data_kexec_update;
	/* efi_config_parse_tables(): 6.12's common_tables name CCFinalLog and Unaccepted too */
	bool efi_config_tables_612;
	/* efi_esrt_init(): 6.12 takes an ESRT in ACPI reclaim or NVS memory too */
	bool esrt_in_acpi_memory;
	/* numa_cleanup_meminfo(): blocks trimmed to memblock's DRAM, not to [0, max_pfn) */
	bool numa_trim_to_dram;
	/*
	 * The nodes must cover all RAM but 1 MiB: 6.1's numa_meminfo_cover_memory()
	 * counts e820 RAM against the blocks; 6.12's memblock_validate_numa_coverage()
	 * counts memblock memory left without a node.
	 */
	bool numa_coverage_by_memblock;
	/*
	 * numa_alloc_distance(): 6.1 takes the table with memblock_phys_alloc_range()
	 * below max_pfn; 6.12 with memblock_alloc(), below memblock's current limit.
	 */
	bool distance_table_memblock_alloc;
	/* sizeof(pg_data_t) in Debian's build, and alloc_node_data()'s rounding of it */
	uint64_t pgdat_size;
	uint64_t node_data_align;	/* PAGE_SIZE (6.1) or SMP_CACHE_BYTES (6.12) */
	/*
	 * free_area_init() on a node not online: 6.1 says "Initializing node N as
	 * memoryless" and asks for its pg_data_t on the node; 6.12's
	 * alloc_offline_node_data() is silent and takes it from any node.
	 */
	bool offline_node_line;
	bool offline_node_data_on_node;
	const char *offline_node_data_caller;
	/*
	 * The kernel build's percpu section (__per_cpu_end - __per_cpu_start, the
	 * "s" of "percpu: Embedded"), and PERCPU_DYNAMIC_EARLY_SIZE, the least
	 * dynamic size of the first chunk (what the page allocator's chunk gets)
	 */
	/*
	 * free_area_init_core(): 6.1 takes each zone's memmap (and the DMA
	 * zone's reserve) from its managed pages and counts nr_kernel_pages
	 * from what is left; 6.12 leaves managed = present and counts
	 * memblock's free pages (calc_nr_kernel_pages)
	 */
	bool zone_memmap_accounting;
	/* find_next_best_node(): 6.12 leaves a memory-less node out of its own fallback order */
	bool zonelist_skips_memoryless_local;
	/*
	 * start_kernel(): 6.12 builds the zonelists in mm_core_init(), after the
	 * unknown parameters, the early hash tables and trap_init() (6.1 before them)
	 */
	bool zonelists_in_mm_core_init;
	/* LOG_LINE_MAX (6.1) or PRINTKRB_RECORD_MAX (6.12): the longest pr_cont() record */
	unsigned printk_record_max;
	/*
	 * mem_init_print_info(): 6.12 prints "Memory:" from page_alloc_init_late(),
	 * after the deferred init and after freeing the SMP alternatives (the
	 * build's lock table, "Freeing SMP alternatives memory: NK")
	 */
	bool memory_line_after_deferred_init;
	uint64_t smp_alternatives_kib;
	/* the image's sections as "Memory:" gives them */
	struct kernel_sections sections;
	uint64_t percpu_static_size;
	/* early_reserve_memory(): the kernel image from _text to the end of its early brk, as memblock reserves it */
	uint64_t kernel_reserve_size;
	uint64_t percpu_dynamic_early_size;
	/* sizeof(struct pcpu_chunk) before its populated bitmap: 136 (6.1), 192 (6.12) */
	uint64_t pcpu_chunk_size;
	/* init_cea_offsets(): under KASLR 6.12 puts each CPU's entry area in a random slot (6.1 in CPU order) */
	bool cea_offsets_random;
	/* setup_cpu_local_masks(): 6.1's four cpumasks (initialized, callin, callout, sibling setup), 6.12's one */
	unsigned cpu_local_masks;
	/* sizeof(struct mem_section) (a power of two) and mem_section_usage_size(): sparse_init's roots and usemaps */
	uint64_t mem_section_size;
	uint64_t section_usage_size;
	/* sizeof(struct io_tlb_slot): the software IO TLB's slots array */
	uint64_t io_tlb_slot_size;
	/* pci_mmcfg_early_init(): 6.12 says "ECAM ... reserved as E820 entry", 6.1 "MMCONFIG ... reserved in E820" */
	bool ecam_wording;
	/* pci_mmcfg_reject_broken(): 6.12 checks e820 only on a BIOS dated before this year (0: always) */
	int ecam_e820_check_before_year;
};

const struct linux_profile *linux_profile_default(void);
const struct linux_profile *linux_profile_named(const char *name, unsigned len);
const struct linux_profile *linux_profile_for_release(const char *release);
const struct linux_profile *linux_profile_at(unsigned i);

#endif
