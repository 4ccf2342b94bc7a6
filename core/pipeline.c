// SPDX-License-Identifier: MIT
/*
 * The sequencer: every stage in setup_arch()'s order on a machine that
 * machine_init() set up, then the views.  The UEFI app, the host tool and
 * the host tests all drive it.
 */
#include "memprobe/pipeline.h"

#include "memprobe/lib/util.h"
#include "memprobe/mm/mm_init.h"
#include "memprobe/x86/mmconfig.h"
#include "memprobe/mm/percpu.h"
#include "memprobe/mm/zonelists.h"
#include "memprobe/report/views.h"
#include "memprobe/x86/efi.h"
#include "memprobe/x86/io_apic.h"
#include "memprobe/x86/acpi_boot.h"
#include "memprobe/x86/cpu_entry_area.h"
#include "memprobe/x86/setup_arch.h"
#include "memprobe/x86/smpboot.h"
#include "memprobe/x86/topology.h"

static const char *const secure_boot_names[] = {
	[SECURE_BOOT_UNKNOWN] = "unknown",
	[SECURE_BOOT_UNSUPPORTED] = "off (the firmware has no SecureBoot variable)",
	[SECURE_BOOT_OFF] = "off",
	[SECURE_BOOT_ON] = "on (memprobe.efi runs only when signed by a key the firmware trusts)",
	[SECURE_BOOT_SETUP_MODE] = "off (setup mode: no platform key enrolled)",
};

static void print_banner(struct machine *m)
{
	const struct fw_inputs *fw = m->fw;
	char words[MP_LINE_MAX - 32], vendor[4 * sizeof(fw->fw_vendor)];

	mp_escape(vendor, sizeof(vendor), fw->fw_vendor, sizeof(fw->fw_vendor), false);
	mp_printk(m->log, "memprobe: memprobe %s (%s) for Linux %s\n", MEMPROBE_VERSION,
		  fw->frontend ? fw->frontend : "unknown front end", m->opts.kernel->name);
	if (fw->uefi_revision)
		mp_printk(m->log, "memprobe: firmware: %s revision 0x%08x, UEFI %u.%.02u\n",
			  fw->fw_vendor[0] ? vendor : "unknown", fw->fw_revision,
			  fw->uefi_revision >> 16, fw->uefi_revision & 0xffff);
	else	/* memprobe analyze --live: Linux does not show these */
		mp_printk(m->log, "memprobe: firmware: %s, revisions unknown\n",
			  fw->fw_vendor[0] ? vendor : "unknown");
	mp_printk(m->log, "memprobe: Secure Boot: %s\n", secure_boot_names[fw->secure_boot < SECURE_BOOT_STATES ? fw->secure_boot : SECURE_BOOT_UNKNOWN]);
	if (options_words(words, sizeof(words), m->option_src, m->nr_option_src))
		mp_printk(m->log, "memprobe: options: %s\n", words);
	for (const char *p = fw->notes; p && *p;) {
		int len = 0;

		while (p[len] && p[len] != '\n')
			len++;
		mp_printk(m->log, "%.*s\n", len, p);
		p += len + (p[len] == '\n');
	}
	options_print_messages(&m->opts, m->log);
}

/* The stopwatch of memprobe_run: time since the last mark, less what the sink took, to a phase. */
struct stopwatch {
	uint64_t at, output_at;
};

static void lap(struct machine *m, struct stopwatch *w, enum mp_phase phase)
{
	uint64_t now;

	if (!m->fw->clock.now_ns)
		return;
	now = m->fw->clock.now_ns(m->fw->clock.ctx);
	m->phase_ns[phase] += now - w->at - (m->phase_ns[PHASE_OUTPUT] - w->output_at);
	w->at = now;
	w->output_at = m->phase_ns[PHASE_OUTPUT];
}

/* memprobe: analysis took N us (...): the phases, in microseconds. */
static void print_timing(struct machine *m)
{
	uint64_t us[PHASES], total = 0;

	if (!m->fw->clock.now_ns)
		return;
	for (int i = 0; i < PHASES; i++)
		total += us[i] = m->phase_ns[i] / 1000;
	mp_printk(m->log, "memprobe: analysis took %llu us (e820 %llu, memblock %llu, acpi %llu, numa "
			  "%llu, zones %llu, late %llu, output %llu)\n",
		  (unsigned long long)total, (unsigned long long)us[PHASE_E820],
		  (unsigned long long)us[PHASE_MEMBLOCK], (unsigned long long)us[PHASE_ACPI],
		  (unsigned long long)us[PHASE_NUMA], (unsigned long long)us[PHASE_ZONES],
		  (unsigned long long)us[PHASE_LATE], (unsigned long long)us[PHASE_OUTPUT]);
	if (m->fw->cpus_ns)
		mp_printk(m->log, "memprobe: reading %u CPU%s took %llu us (before the analysis)\n", m->fw->cpus.nr,
			  m->fw->cpus.nr == 1 ? "" : "s", (unsigned long long)(m->fw->cpus_ns / 1000));
}

/* start_kernel()'s memory steps before the other CPUs come up, in each kernel's order. */
static void start_kernel_memory(struct machine *m)
{
	bool late_zonelists = m->opts.kernel->zonelists_in_mm_core_init;

	setup_command_line(m);
	setup_per_cpu_areas(m);
	if (!late_zonelists)
		build_all_zonelists(m);
	print_unknown_bootoptions(m);
	setup_log_buf(m);
	vfs_caches_init_early(m);
	setup_cpu_entry_areas(m);	/* trap_init() */
	if (late_zonelists)
		build_all_zonelists(m);
	swiotlb_init(m);
	if (!m->opts.kernel->memory_line_after_deferred_init)
		mem_init_print_info(m);	/* mm_init() */
	kmem_cache_init(m);
	check_numabalancing_enable(m);
	vfs_caches_init(m);
}

/*
 * The sequencer every front end shares: each stage in setup_arch()'s
 * order, then the views.  No stage calls back here.  With a clock, each
 * group of stages is timed, output apart (the views count as output).
 */
void memprobe_run(struct machine *m)
{
	struct stopwatch w = { m->fw->clock.now_ns ? m->fw->clock.now_ns(m->fw->clock.ctx) : 0, 0 };

	print_banner(m);
	if (m->opts.help) {
		options_print_help(m->log);
		return;
	}
	paging_mode_report(&m->paging, m->kaslr, m->log);
	m->kernel_reserve_size = m->opts.kernel_reserve_size ? m->opts.kernel_reserve_size
							     : m->opts.kernel->kernel_reserve_size;
	m->kernel_addr = m->opts.kernel_addr ? m->opts.kernel_addr
					     : efi_stub_kernel_addr(&m->fw->memmap, m->kernel_reserve_size);
	if (efi_memmap_usable(m->log, &m->fw->memmap))
		efi_memmap_check_order(m->log, &m->fw->memmap);

	efi_stub_setup_e820(m);
	efi_stub_setup_data(m);
	early_reserve_memory(m);
	e820__memory_setup(m);
	parse_setup_data(m);
	parse_early_param(m);
	efi_memblock_x86_reserve_range(m);
	e820__reserve_setup_data(m);
	e820__finish_early_params(m);
	efi_init(m);
	dmi_scan_machine(m);
	trim_bios_range(m);
	find_max_pfns(m);
	lap(m, &w, PHASE_E820);
	e820__memblock_setup(m);
	efi_esrt_init(m);
	efi_mokvar_table_init(m);
	early_reservations(m);
	init_mem_mapping(m);
	/* init_mem_mapping() maps all RAM; on 64-bit max_low_pfn becomes max_pfn. */
	memblock_set_current_limit(&m->memblock, PFN_PHYS(m->max_pfn));
	m->max_low_pfn = m->max_pfn;
	reserve_initrd(m);
	lap(m, &w, PHASE_MEMBLOCK);
	acpi_boot_table_init(m);
	early_acpi_boot_init(m);
	lap(m, &w, PHASE_ACPI);
	x86_numa_init(m);
	lap(m, &w, PHASE_NUMA);
	free_area_init(m);
	lap(m, &w, PHASE_ZONES);
	topology_apply_cmdline_limits_early(m);
	acpi_boot_init(m);
	init_possible_cpus(m);
	init_cpu_to_node(m);
	io_apic_init_mappings(&m->memblock, &m->io_apics);
	lap(m, &w, PHASE_ACPI);
	e820__reserve_resources(&m->memblock, &m->e820_table, &m->e820_table_firmware);
	e820__register_nosave_regions(m->log, &m->memblock, &m->e820_table, m->max_pfn);
	e820__setup_pci_gap(m->log, &m->e820_table, m->max_pfn);
	start_kernel_memory(m);
	lap(m, &w, PHASE_LATE);
	smp_init(m);
	if (m->opts.kernel->memory_line_after_deferred_init)
		mem_init_print_info(m);	/* page_alloc_init_late() */
	lap(m, &w, PHASE_ACPI);
	probe_memory_block_size(m);
	dma_atomic_pool_init(m);
	pci_mmcfg_early_init(m);
	hugetlb_init(m);
	e820__reserve_resources_late(m->log, &m->e820_table);
	swiotlb_print_info(m);
	lap(m, &w, PHASE_LATE);

	report_firmware_memmap(m->log, &m->e820_table_firmware);
	report_iomem(m->log, &m->e820_table);
	report_nodes(m);
	lap(m, &w, PHASE_OUTPUT);
	mp_printk(m->log, "memprobe: report complete\n");
	/* After the complete line: what a re-analysis reproduces ends there. */
	print_timing(m);
}

/* The ACPI stages alone, for tables without a memory map (memprobe acpi); acpi_apic_instance= first. */
void memprobe_run_acpi(struct machine *m)
{
	parse_early_param(m);
	acpi_boot_table_init(m);
	early_acpi_boot_init(m);
	x86_acpi_srat_slit(m);
	topology_apply_cmdline_limits_early(m);
	acpi_boot_init(m);
	init_possible_cpus(m);
}
