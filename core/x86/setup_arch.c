// SPDX-License-Identifier: MIT
/*
 * The stages of setup_arch() that act on the firmware's memory map and
 * ACPI tables, each printing what Linux 6.1 prints at that point: the EFI
 * stub's e820 table, Linux's e820 edits, efi_init, e820__memblock_setup,
 * the early reservations, and the ACPI table and MADT stages.
 */
#include "memprobe/x86/setup_arch.h"

#include "memprobe/acpi/acpidump.h"
#include "memprobe/lib/cmdline.h"
#include "memprobe/x86/efi.h"
#include "memprobe/lib/util.h"
#include "memprobe/machine.h"

/*
 * setup_e820() of the EFI stub: the first 128 entries go into boot_params,
 * the rest into a SETUP_E820_EXT node.  The stub sizes that node from the
 * descriptor count plus slack before it converts, so with one map it always
 * fits; the stub's "buffer too small" failure cannot arise here.
 */
void efi_stub_setup_e820(struct machine *m)
{
	struct efi_stub_e820_iter it;
	struct e820_entry e;

	m->zeropage_entries = 0;
	m->ext_entries = 0;
	efi_stub_e820_begin(&it, &m->fw->memmap, m->opts.soft_reserve);
	while (efi_stub_e820_next(&it, &e)) {
		if (m->zeropage_entries < E820_MAX_ENTRIES_ZEROPAGE)
			m->zeropage[m->zeropage_entries++] = e;
		else
			m->ext_entries++;
	}
}

/*
 * Append boot_params entries; fails, leaving what was appended, at an entry
 * that wraps past 2^64 (Linux's __append_e820_table).
 */
static int append_e820_table(struct machine *m, const struct e820_entry *entries, uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t start = entries[i].addr, size = entries[i].size;

		if (start > start + size - 1 && size)
			return -1;
		e820__range_add(m->log, &m->e820_table, start, size, entries[i].type);
	}
	return 0;
}

/*
 * e820__memory_setup(): take boot_params' table, or with fewer than two
 * entries (or a wrapping one) fake Linux's legacy 640K + 32M map, whose
 * size comes from alt_mem_k, which the EFI stub sets to 32 MiB.
 */
void e820__memory_setup(struct machine *m)
{
	const char *who = "BIOS-e820";

	if (m->zeropage_entries < 2 || append_e820_table(m, m->zeropage, m->zeropage_entries) < 0) {
		who = "BIOS-e801";
		m->e820_table.nr_entries = 0;
		e820__range_add(m->log, &m->e820_table, 0, E820_LOWMEMSIZE, E820_TYPE_RAM);
		e820__range_add(m->log, &m->e820_table, E820_BIOS_END, 32768ULL << 10, E820_TYPE_RAM);
	}
	e820__update_table(&m->e820_table, &m->sanitizer);
	m->e820_table_firmware = m->e820_table;
	mp_printk(m->log, "BIOS-provided physical RAM map:\n");
	e820__print_table(m->log, &m->e820_table, who);
}

/* parse_setup_data(): the SETUP_E820_EXT node, if the stub needed one. */
void parse_setup_data(struct machine *m)
{
	struct efi_stub_e820_iter it;
	struct e820_entry e;
	uint32_t index = 0;

	if (!m->ext_entries)
		return;
	efi_stub_e820_begin(&it, &m->fw->memmap, m->opts.soft_reserve);
	while (efi_stub_e820_next(&it, &e)) {
		if (index++ < E820_MAX_ENTRIES_ZEROPAGE)
			continue;
		if (e.addr > e.addr + e.size - 1 && e.size)
			break;	/* __append_e820_table stops here too */
		e820__range_add(m->log, &m->e820_table, e.addr, e.size, e.type);
	}
	e820__update_table(&m->e820_table, &m->sanitizer);
	m->e820_table_firmware = m->e820_table;
	mp_printk(m->log, "extended physical RAM map:\n");
	e820__print_table(m->log, &m->e820_table, "extended");
}

/* Linux's parse_memopt(): mem=nopentium is x86_32's; any other value caps RAM at its size. */
static int parse_memopt(struct machine *m, const char *value)
{
	uint64_t mem_size;

	if (!mp_strcmp(value, "nopentium")) {
		mp_printk(m->log, "mem=nopentium ignored! (only supported on x86_32)\n");
		return -1;
	}
	m->userdef = true;	/* set before the value is checked, as in Linux */
	mem_size = memparse(value, NULL);
	if (mem_size == 0)
		return -1;	/* Linux keeps its memory rather than remove it all */
	e820__range_remove(m->log, &m->e820_table, mem_size, UINT64_MAX - mem_size, E820_TYPE_RAM, true);
	return 0;
}

/* Linux's acpi_parse_apic_instance(): the MADT to use when there are several. */
static int acpi_parse_apic_instance(struct machine *m, const char *value)
{
	if (!kstrtoint(value, &m->acpi_apic_instance))
		return -1;
	mp_printk(m->log, "ACPI: Shall use APIC/MADT table %d\n", m->acpi_apic_instance);
	return 0;
}

/* kernel/smp.c's nr_cpus=: fewer CPU numbers (never more than NR_CPUS). */
static int nrcpus(struct machine *m, const char *value)
{
	int n;

	get_option(value, &n);
	if (n > 0 && (unsigned)n < m->cpus.nr_cpu_ids)
		m->cpus.nr_cpu_ids = (unsigned)n;
	return 0;
}

/* kernel/smp.c's maxcpus=: 0 also turns the IO APICs off (x86's arch_disable_smp_support). */
static int maxcpus(struct machine *m, const char *value)
{
	get_option(value, &m->cpus.setup_max_cpus);
	if (!m->cpus.setup_max_cpus)
		m->opts.noapic = true;
	return 0;
}

/* possible_cpus=: the possible CPUs, whatever the MADT says. */
static int setup_possible_cpus(struct machine *m, const char *value)
{
	get_option(value, &m->cpus.setup_possible_cpus);
	return 0;
}

/* nopat: pat_disable()'s line, as the parameter is parsed. */
static int nopat(struct machine *m, const char *value)
{
	(void)value;
	mp_printk(m->log, "x86/PAT: PAT support disabled via boot option.\n");
	return 0;
}

/* mtrr=: 6.12's handler refuses all but "debug"; 6.1 has none (the word goes to init). */
static int mtrr_param_setup(struct machine *m, const char *value)
{
	return m->opts.kernel->cache_bp_init_612 && mp_strcmp(value, "debug");
}

/*
 * The early parameters whose handler acts when parse_early_param() reaches
 * it, as Linux's early_param() registers them.  The others (efi=, numa=,
 * memblock=, gbpages) only set what later stages read, which the options
 * already hold.
 */
static const struct {
	const char *name;
	int (*setup)(struct machine *m, const char *value);	/* nonzero: Linux refuses the value */
} early_params[] = {
	{ "mem", parse_memopt },
	{ "acpi_apic_instance", acpi_parse_apic_instance },
	{ "nr_cpus", nrcpus },
	{ "maxcpus", maxcpus },
	{ "possible_cpus", setup_possible_cpus },
	{ "nopat", nopat },
	{ "mtrr", mtrr_param_setup },
	{ "swiotlb", setup_io_tlb_npages },
	{ "coherent_pool", early_coherent_pool },
};

/**
 * parse_early_param() - Linux's early parameters, in command-line order
 * @m: the machine
 *
 * Each is handed to its handler as do_early_param() hands it, with Linux's
 * "Malformed early option" when the handler refuses the value.  One
 * memprobe line names the order.
 */
void parse_early_param(struct machine *m)
{
	const struct options *o = &m->opts;

	if (o->nr_early) {
		mp_printk(m->log, "memprobe: early parameters, in the order parse_early_param applies them:");
		for (unsigned i = 0; i < o->nr_early; i++)
			mp_printk(m->log, " %s", o->early[i].word);
		mp_printk(m->log, "\n");
	}
	for (unsigned i = 0; i < o->nr_early; i++) {
		const struct early_param *e = &o->early[i];

		for (size_t k = 0; k < ARRAY_SIZE(early_params); k++)
			if (mp_strlen(early_params[k].name) == e->name_len &&
			    !mp_memcmp(early_params[k].name, e->word, e->name_len) &&
			    early_params[k].setup(m, e->word + e->name_len + 1))
				mp_printk(m->log, "Malformed early option '%.*s'\n", (int)e->name_len, e->word);
	}
}

/**
 * e820__finish_early_params() - Linux's e820__finish_early_params()
 * @m: the machine
 *
 * Only after mem= (m->userdef): the table is sanitized and printed as the
 * "user" map.  Where Linux panics on a table that cannot be sanitized,
 * memprobe says so and keeps the table unsanitized.
 */
void e820__finish_early_params(struct machine *m)
{
	if (!m->userdef)
		return;
	if (e820__update_table(&m->e820_table, &m->sanitizer) < 0) {
		/* Linux stops here with early_panic(); memprobe says so and goes on. */
		mp_printk(m->log, "Invalid user supplied memory map\n");
		mp_printk(m->log, "memprobe: Linux would panic here; continuing with the table as is\n");
		return;
	}
	mp_printk(m->log, "user-defined physical RAM map:\n");
	e820__print_table(m->log, &m->e820_table, "user");
}

/*
 * efi_remove_e820_mmio() (Linux 6.12): EfiMemoryMappedIO descriptors of at
 * least min bytes leave the e820 table, so PCI may use their space; smaller
 * ones stay.  Descriptors are numbered as efi=debug numbers them.
 */
static void efi_remove_e820_mmio(struct machine *m, uint64_t min)
{
	struct efi_md md;

	for (uint32_t at = 0, shown = 0; efi_memmap_next_valid(&m->fw->memmap, &at, &md); shown++) {
		uint64_t size = md.num_pages << EFI_PAGE_SHIFT;

		if (md.type == EFI_MEMORY_MAPPED_IO && size >= min) {
			mp_printk(m->log, "efi: Remove mem%02u: MMIO range=[0x%08llx-0x%08llx] (%lluMB) from e820 map\n",
				  shown, (unsigned long long)md.phys_addr,
				  (unsigned long long)(md.phys_addr + size - 1), (unsigned long long)(size >> 20));
			e820__range_remove(m->log, &m->e820_table, md.phys_addr, size, E820_TYPE_RESERVED, true);
		} else if (md.type == EFI_MEMORY_MAPPED_IO) {
			mp_printk(m->log, "efi: Not removing mem%02u: MMIO range=[0x%08llx-0x%08llx] (%lluKB) from e820 map\n",
				  shown, (unsigned long long)md.phys_addr,
				  (unsigned long long)(md.phys_addr + size - 1), (unsigned long long)(size >> 10));
		}
	}
}

/* The memory-map parts of efi_init(): header, cleaning, MMIO removal (6.12), efi=debug listing. */
void efi_init(struct machine *m)
{
	const struct fw_inputs *fw = m->fw;
	unsigned minor = fw->uefi_revision & 0xffff;

	char version[32], vendor[4 * sizeof(m->fw->fw_vendor)];

	/* 6.12: "v2.7", "v2.3.1" (the minor in tenths, then its last digit if not 0); 6.1: "v2.70" */
	if (m->opts.kernel->efi_revision_tenths && minor % 10)
		mp_snprintf(version, sizeof(version), "%u.%u.%u", fw->uefi_revision >> 16, minor / 10,
			    minor % 10);
	else if (m->opts.kernel->efi_revision_tenths)
		mp_snprintf(version, sizeof(version), "%u.%u", fw->uefi_revision >> 16, minor / 10);
	else
		mp_snprintf(version, sizeof(version), "%u.%.02u", fw->uefi_revision >> 16, minor);
	if (fw->uefi_revision)
		mp_printk(m->log, "efi: EFI v%s by %s\n", version,
			  fw->fw_vendor[0] ? mp_escape(vendor, sizeof(vendor), fw->fw_vendor, sizeof(fw->fw_vendor), false)
					   : "unknown");
	else	/* memprobe analyze --live: the system table's revision is not shown by Linux */
		mp_printk(m->log, "memprobe: efi: the EFI revision is not known here, so Linux's "
				  "'efi: EFI v...' line is not predicted\n");
	efi_config_parse_tables(m);
	if (!efi_memmap_nr_desc(&fw->memmap))
		return;
	m->efi_nr_map = efi_memmap_nr_desc(&fw->memmap) - efi_clean_memmap(m->log, &fw->memmap);
	if (m->opts.kernel->efi_mmio_remove_min)
		efi_remove_e820_mmio(m, m->opts.kernel->efi_mmio_remove_min);
	if (m->opts.efi_debug)
		efi_print_memmap(m->log, &fw->memmap);
}

/* trim_bios_range(): page 0 becomes reserved, RAM in 640K-1M goes away. */
void trim_bios_range(struct machine *m)
{
	e820__range_update(m->log, &m->e820_table, 0, PAGE_SIZE, E820_TYPE_RAM, E820_TYPE_RESERVED);
	e820__range_remove(m->log, &m->e820_table, E820_BIOS_BEGIN, E820_BIOS_END - E820_BIOS_BEGIN,
			   E820_TYPE_RAM, true);
	e820__update_table(&m->e820_table, &m->sanitizer);
}

/*
 * max_pfn, and max_low_pfn when RAM reaches past 4 GiB (a second line);
 * between them the memory types, and the RAM the MTRRs leave uncached.
 * 6.12 ends RAM at its last ACPI data too: with mem= below the ACPI tables,
 * max_pfn (and so the zones) reach up to them.
 */
void find_max_pfns(struct machine *m)
{
	uint64_t max_arch_pfn = m->paging.max_arch_pfn;
	uint32_t also = m->opts.kernel->end_pfn_counts_acpi_data ? E820_TYPE_ACPI : 0;

	m->max_pfn = e820_end_pfn(m->log, &m->e820_table, max_arch_pfn, max_arch_pfn, E820_TYPE_RAM, also);
	mtrr_bp_init(m);
	if (mtrr_trim_uncached_memory(m))
		m->max_pfn = e820_end_pfn(m->log, &m->e820_table, max_arch_pfn, max_arch_pfn, E820_TYPE_RAM, also);
	init_cache_modes(m);
	if (m->max_pfn > (1ULL << (32 - PAGE_SHIFT)))
		m->max_low_pfn = e820_end_pfn(m->log, &m->e820_table, 1ULL << (32 - PAGE_SHIFT),
					      max_arch_pfn, E820_TYPE_RAM, also);
	else
		m->max_low_pfn = m->max_pfn;
}

/*
 * e820__memblock_setup(): usable RAM becomes memblock memory, soft-reserved
 * ranges are reserved, everything else stays out; then regions are trimmed
 * to whole pages.  Linux lowers current_limit to 1 MiB just before.
 */
void e820__memblock_setup(struct machine *m)
{
	struct memblock *mb = &m->memblock;

	memblock_set_current_limit(mb, E820_BIOS_END);
	memblock_allow_resize(mb);
	for (uint32_t i = 0; i < m->e820_table.nr_entries; i++) {
		const struct e820_entry *e = &m->e820_table.entries[i];

		if (e->type == E820_TYPE_SOFT_RESERVED)
			memblock_reserve(mb, e->addr, e->size);
		else if (e->type == E820_TYPE_RAM || e->type == E820_TYPE_RESERVED_KERN)
			memblock_add(mb, e->addr, e->size);
	}
	memblock_trim_memory(mb, PAGE_SIZE);
	memblock_dump_all(mb);
}

/*
 * acpi_boot_table_init() and acpi_reserve_initial_tables(): the table list
 * with ACPICA's header lines, then each table reserved in memblock.  Every
 * table also goes to the acpidump sink when there is one.
 */
void acpi_boot_table_init(struct machine *m)
{
	acpi_tables_load(&m->acpi, &m->fw->acpi, m->log);
	m->acpi.overreads = &m->acpi_overreads;
	acpi_print_reservations(&m->acpi, m->log);
	for (unsigned i = 0; i < m->acpi.nr; i++)
		if (m->acpi.t[i].phys)	/* 0: a listed table whose address the input does not give */
			memblock_reserve(&m->memblock, m->acpi.t[i].phys, m->acpi.t[i].length);
	if (m->acpidump)
		acpidump_write(&m->acpi, m->acpidump);
}

/* Whether the setup_data nodes are known, their addresses too (setup_data= gives them). */
static bool setup_data_placed(const struct machine *m)
{
	for (unsigned i = 0; i < m->nr_setup_data; i++)
		if (!m->setup_data[i].addr)
			return false;
	return m->fw->efi.roms_known;
}

/*
 * early_reserve_memory(): what setup_arch() reserves first, before
 * memblock=debug is parsed (so Linux prints no memblock line for it): the
 * first 64 KiB, the kernel image (its size the build's, where the EFI stub
 * or kernel_addr= puts it), the initrd (early_reserve_initrd) and the
 * setup_data nodes (memblock_x86_reserve_range_setup_data).
 */
void early_reserve_memory(struct machine *m)
{
	bool debug = m->memblock.debug;

	m->memblock.debug = false;
	/* BIOS-owned, often corrupted; page 0 also for L1TF */
	memblock_reserve_from(&m->memblock, 0, 0x10000, "early_reserve_memory");
	memblock_reserve_from(&m->memblock, m->kernel_addr, m->kernel_reserve_size, "early_reserve_memory");
	if (m->opts.ramdisk_last) {
		/* from the image's first byte to the end of its last page */
		uint64_t end = (m->opts.ramdisk_last + PAGE_SIZE) & ~(uint64_t)(PAGE_SIZE - 1);

		memblock_reserve_from(&m->memblock, m->opts.ramdisk_first, end - m->opts.ramdisk_first,
				      "early_reserve_initrd");
		mp_printk(m->log, "memprobe: initrd at [mem %#010llx-%#010llx] reserved (ramdisk=)\n",
			  (unsigned long long)m->opts.ramdisk_first, (unsigned long long)(end - 1));
	}
	if (setup_data_placed(m))
		for (unsigned i = 0; i < m->nr_setup_data; i++)
			memblock_reserve_from(&m->memblock, m->setup_data[i].addr, m->setup_data[i].size,
					      "memblock_x86_reserve_range_setup_data");
	m->memblock.debug = debug;
}

/**
 * efi_memblock_x86_reserve_range() - the EFI stub's copy of the memory map, reserved
 * @m: the machine, after parse_early_param
 *
 * Its descriptors, where the stub put them: efi_memmap_at= (memprobe's own
 * boot has its own loader memory, so it does not know the place).
 */
void efi_memblock_x86_reserve_range(struct machine *m)
{
	uint64_t size = (uint64_t)efi_memmap_nr_desc(&m->fw->memmap) * m->fw->memmap.desc_size;

	if (!size)
		return;
	if (!m->opts.efi_memmap_at) {
		if (m->memblock.debug)
			mp_printk(m->log, "memprobe: where Linux's EFI stub copies the memory map is not known "
					  "(efi_memmap_at= gives it): its memblock_reserve is left out\n");
		return;
	}
	memblock_reserve(&m->memblock, m->opts.efi_memmap_at, size);
}

/* The early reservations only the boot places, which memprobe leaves out without the options that give them. */
static void print_unplaced_reservations(struct machine *m)
{
	const char *missing[3];
	unsigned n = 0;
	char list[160];
	size_t len = 0;

	if (!m->opts.ramdisk_last)
		missing[n++] = "the initrd (ramdisk=)";
	if (!setup_data_placed(m))
		missing[n++] = "setup_data (setup_data=)";
	if (!m->opts.efi_memmap_at)
		missing[n++] = "the EFI memory map copy (efi_memmap_at=)";
	if (!n)
		return;
	for (unsigned i = 0; i < n; i++)
		len += mp_snprintf(list + len, sizeof(list) - len, "%s%s", i ? i + 1 == n ? " and " : ", " : "",
				   missing[i]);
	mp_printk(m->log, "memprobe: note: not placed before NUMA setup (where the loader puts them): %s\n", list);
}

/*
 * What setup_arch reserves between e820__memblock_setup and
 * init_mem_mapping that the firmware decides: the EFI boot-services
 * regions (as efi_mem_reserve() split them), and the real-mode trampoline
 * with all of the first MiB.
 */
void early_reservations(struct machine *m)
{
	struct efi_md md, piece;

	for (uint32_t at = 0; efi_memmap_next_valid(&m->fw->memmap, &at, &md);) {
		if (md.type != EFI_BOOT_SERVICES_CODE && md.type != EFI_BOOT_SERVICES_DATA)
			continue;
		for (uint64_t off = 0; efi_memmap_pieces(m, &md, &off, &piece);) {
			uint64_t size = piece.num_pages << EFI_PAGE_SHIFT;

			if (!memblock_is_region_reserved(&m->memblock, piece.phys_addr, size))
				memblock_reserve_from(&m->memblock, piece.phys_addr, size, "efi_reserve_boot_services");
		}
	}
	if (!memblock_phys_alloc_range_from(&m->memblock, REALMODE_SIZE, PAGE_SIZE, 0, E820_BIOS_END,
					    "reserve_real_mode"))
		mp_printk(m->log, "No sub-1M memory is available for the trampoline\n");
	memblock_reserve_from(&m->memblock, 0, E820_BIOS_END, "setup_arch");
	print_unplaced_reservations(m);
}

/*
 * pfn_range_is_mapped(), from what init_mem_mapping() mapped: the first MiB
 * and the memory regions below max_pfn_mapped, each whole.
 */
static bool range_is_mapped(const struct machine *m, uint64_t start, uint64_t end)
{
	if (end <= E820_BIOS_END)
		return true;
	return end <= PFN_PHYS(m->dm.max_pfn_mapped) && memblock_is_region_memory(&m->memblock, start, end - start);
}

/**
 * reserve_initrd() - the initrd, once the direct map exists
 * @m: the machine
 *
 * Linux's reserve_initrd() after init_mem_mapping(): an initrd the direct
 * map does not cover (above mem=, or in a hole) is copied to memory that
 * memblock gives below max_pfn_mapped, and its old place freed; that move
 * can push NODE_DATA and later allocations down.  ramdisk= gives the
 * initrd's bytes (memprobe compare takes them from the log).
 */
void reserve_initrd(struct machine *m)
{
	uint64_t image = m->opts.ramdisk_first, size = m->opts.ramdisk_last - image + 1;
	uint64_t end = round_up(image + size, PAGE_SIZE), moved;

	if (!m->opts.ramdisk_last)
		return;
	mp_printk(m->log, "RAMDISK: [mem %#010llx-%#010llx]\n", (unsigned long long)image,
		  (unsigned long long)end - 1);
	if (range_is_mapped(m, image, end))
		return;
	moved = memblock_phys_alloc_range_from(&m->memblock, round_up(size, PAGE_SIZE), PAGE_SIZE, 0,
					       PFN_PHYS(m->dm.max_pfn_mapped), "setup_arch");
	if (!moved) {
		mp_printk(m->log, "memprobe: error: Linux would panic here: \"Cannot find place for new RAMDISK of "
				  "size %lld\"; continuing with the initrd where it is\n",
			  (long long)size);
		return;
	}
	mp_printk(m->log, "Allocated new RAMDISK: [mem %#010llx-%#010llx]\n", (unsigned long long)moved,
		  (unsigned long long)(moved + size - 1));
	mp_printk(m->log, "Move RAMDISK from [mem %#010llx-%#010llx] to [mem %#010llx-%#010llx]\n",
		  (unsigned long long)image, (unsigned long long)(image + size - 1), (unsigned long long)moved,
		  (unsigned long long)(moved + size - 1));
	memblock_phys_free_from(&m->memblock, image, end - image, "setup_arch");
}
