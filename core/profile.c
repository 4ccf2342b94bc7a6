// SPDX-License-Identifier: MIT
/*
 * The Linux versions memprobe predicts (see memprobe/profile.h), as
 * measured on Debian 12's kernels: 6.1 is its default
 * (linux-image-6.1.0-*-amd64), 6.12 the one it offers beside it
 * (linux-image-6.12.*+deb12-amd64) and Debian 13's.
 */
#include "memprobe/profile.h"

#include "memprobe/lib/util.h"
static const struct linux_profile profiles[] = {
	{
		.name = "6.1",
		.efi_revision_tenths = false,
		.efi_mmio_remove_min = 0,
		.srat_cpu_lines = true,
		.acpi_entries_prefix = "ACPI: ",
		.acpi_entries_past_max_warned = false,
		.cpu_topology_612 = false,
		.cache_bp_init_612 = false,
		.end_pfn_counts_acpi_data = false,
		.setup_data_kexec_update = true,
		.efi_config_tables_612 = false,
		.esrt_in_acpi_memory = false,
		.numa_trim_to_dram = false,
		.numa_coverage_by_memblock = false,
		.distance_table_memblock_alloc = false,
		.pgdat_size = 174208,
		.node_data_align = PAGE_SIZE,
		.offline_node_line = true,
		.offline_node_data_on_node = true,
		.offline_node_data_caller = "free_area_init",
		.zone_memmap_accounting = true,
		.zonelist_skips_memoryless_local = false,
		.zonelists_in_mm_core_init = false,
		.printk_record_max = 1024 - 32,
		/* linux-image-6.1.0-56-amd64 (6.1.192-2) */
		.percpu_static_size = 217088,
		.kernel_reserve_size = 0x3411000,
		.memory_line_after_deferred_init = false,
		.smp_alternatives_kib = 36,
		.sections = { 14343, 2338, 9132, 2824, 17344 },
		.percpu_dynamic_early_size = 12 << 10,
		.pcpu_chunk_size = 136,
		.cea_offsets_random = false,
		.cpu_local_masks = 4,
		/* sparse_init's 32768-byte roots and 896 bytes of usemaps for 16 sections */
		.mem_section_size = 32,
		.section_usage_size = 56,
		.io_tlb_slot_size = 24,
		.ecam_wording = false,
		.ecam_e820_check_before_year = 0,
	},
	{
		.name = "6.12",
		.efi_revision_tenths = true,
		.efi_mmio_remove_min = 256 * 1024,
		.srat_cpu_lines = false,
		.acpi_entries_prefix = "",
		.acpi_entries_past_max_warned = true,
		.cpu_topology_612 = true,
		.cache_bp_init_612 = true,
		.end_pfn_counts_acpi_data = true,
		.setup_data_kexec_update = false,
		.efi_config_tables_612 = true,
		.esrt_in_acpi_memory = true,
		.numa_trim_to_dram = true,
		.numa_coverage_by_memblock = true,
		.distance_table_memblock_alloc = true,
		/* NODE_DATA(0) allocated [mem 0x7ffd5680-0x7fffffff]: 0x2a980 bytes, 64-byte rounded */
		.pgdat_size = 174464,
		.node_data_align = SMP_CACHE_BYTES,
		.offline_node_line = false,
		.offline_node_data_on_node = false,
		.offline_node_data_caller = "alloc_offline_node_data",
		.zone_memmap_accounting = false,
		.zonelist_skips_memoryless_local = true,
		.zonelists_in_mm_core_init = true,
		.printk_record_max = 1024,
		/* linux-image-6.12.117+deb12-amd64 */
		.percpu_static_size = 233472,
		.kernel_reserve_size = 0x2c11000,
		.memory_line_after_deferred_init = true,
		.smp_alternatives_kib = 40,
		.sections = { 16384, 2499, 11720, 4260, 4904 },
		.percpu_dynamic_early_size = 20 << 10,
		.pcpu_chunk_size = 192,
		.cea_offsets_random = true,
		.cpu_local_masks = 1,
		.mem_section_size = 32,
		.section_usage_size = 56,
		.io_tlb_slot_size = 24,
		.ecam_wording = true,
		.ecam_e820_check_before_year = 2016,
	},
};

#define NR_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

/**
 * linux_profile_default() - the profile used without kernel=
 *
 * Return: Linux 6.1's profile.
 */
const struct linux_profile *linux_profile_default(void)
{
	return &profiles[0];
}

/**
 * linux_profile_named() - the profile kernel= names
 * @name: the value, not NUL-terminated
 * @len: its length
 *
 * Return: the profile, or NULL when no profile has that name.
 */
const struct linux_profile *linux_profile_named(const char *name, unsigned len)
{
	for (unsigned i = 0; i < NR_PROFILES; i++)
		if (mp_strlen(profiles[i].name) == len && !mp_memcmp(profiles[i].name, name, len))
			return &profiles[i];
	return NULL;
}

/**
 * linux_profile_for_release() - the profile of a kernel release
 * @release: a release as "Linux version" shows it ("6.12.117+deb12-amd64", "6.1.0-56-amd64")
 *
 * Return: the profile whose MAJOR.MINOR the release starts with, or NULL.
 */
const struct linux_profile *linux_profile_for_release(const char *release)
{
	for (unsigned i = 0; i < NR_PROFILES; i++) {
		unsigned n = mp_strlen(profiles[i].name);

		if (mp_starts_with(release, profiles[i].name) &&
		    (release[n] == '.' || release[n] == '-' || release[n] == '+'))
			return &profiles[i];
	}
	return NULL;
}

/**
 * linux_profile_at() - the profiles in turn, for messages and --help
 * @i: 0, 1, ...
 *
 * Return: the i-th profile, or NULL past the last.
 */
const struct linux_profile *linux_profile_at(unsigned i)
{
	return i < NR_PROFILES ? &profiles[i] : NULL;
}
