// SPDX-License-Identifier: MIT
/*
 * pci_mmcfg_early_init(): the PCI Express configuration space (ECAM) regions
 * of the MCFG, as Linux's pci_arch_init takes them (arch/x86/pci/
 * mmconfig-shared.c): one line per region as it is added, then the check
 * that e820 reserves each (shrinking it to what is reserved), or the
 * rejection of them all.
 *
 * Linux first probes four old host bridges through PCI configuration
 * space (Intel E7520 and 945G, AMD family 10h with an option, nVidia
 * MCP55); memprobe does not read PCI configuration space and takes the
 * MCFG, as on every host bridge but those.  A rejected table is parsed
 * again by acpi_init, checked against the ACPI motherboard resources (AML):
 * memprobe names those lines as not predicted.
 */
#include "memprobe/x86/mmconfig.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"
#include "memprobe/mm/mm_init.h"

#define MCFG_HEADER_SIZE 44
#define MCFG_ENTRY_SIZE 16
#define MCFG_MAX_REGIONS 256
#define MMCONFIG_MIN_SIZE (16ULL << 20)	/* is_mmconf_reserved() halves down to this */

struct mmcfg_region {
	uint64_t address;	/* the MCFG's base: bus 0 of the segment */
	uint16_t segment;
	uint8_t start_bus, end_bus;
};

/* Return: the region's first byte: its start bus's. */
static uint64_t region_start(const struct mmcfg_region *r)
{
	return r->address + ((uint64_t)r->start_bus << 20);
}

/* Return: the region's last byte: its end bus's. */
static uint64_t region_end(const struct mmcfg_region *r)
{
	return r->address + (((uint64_t)r->end_bus + 1) << 20) - 1;
}

/* pci_mmconfig_add()'s line, in each kernel's words. */
static void print_region(struct machine *m, const struct mmcfg_region *r)
{
	if (m->opts.kernel->ecam_wording)
		mp_printk(m->log, "PCI: ECAM [mem %#010llx-%#010llx] (base %#llx) for domain %04x [bus %02x-%02x]\n",
			  (unsigned long long)region_start(r), (unsigned long long)region_end(r),
			  (unsigned long long)r->address, r->segment, r->start_bus, r->end_bus);
	else
		mp_printk(m->log, "PCI: MMCONFIG for domain %04x [bus %02x-%02x] at [mem %#010llx-%#010llx] (base %#llx)\n",
			  r->segment, r->start_bus, r->end_bus, (unsigned long long)region_start(r),
			  (unsigned long long)region_end(r), (unsigned long long)r->address);
}

/**
 * e820__mapped_all() - whether e820 entries of one type cover [start, end) without a gap
 * @table: the e820 table
 * @start: the first byte
 * @end: the byte after the last
 * @type: the type every covering entry has
 *
 * Linux walks the table once in its order, moving start past each entry
 * of the type that begins at or before it.
 *
 * Return: true when covered.
 */
static bool e820__mapped_all(const struct e820_table *table, uint64_t start, uint64_t end, uint32_t type)
{
	for (uint32_t i = 0; i < table->nr_entries; i++) {
		const struct e820_entry *e = &table->entries[i];

		if (e->type != type || e->addr >= end || e->addr + e->size <= start)
			continue;
		if (e->addr <= start)
			start = e->addr + e->size;
		if (start >= end)
			return true;
	}
	return false;
}

/* Return: whether an e820 entry of the type overlaps [start, end). */
static bool e820__mapped_any(const struct e820_table *table, uint64_t start, uint64_t end, uint32_t type)
{
	for (uint32_t i = 0; i < table->nr_entries; i++)
		if (table->entries[i].type == type && table->entries[i].addr < end &&
		    table->entries[i].addr + table->entries[i].size > start)
			return true;
	return false;
}

/*
 * is_mmconf_reserved() with e820: the region, or its first half, quarter,
 * ... down to 16 MiB, reserved; the line names the whole region and, when
 * shrunk, a second the part kept.  Return: whether the region stays.
 */
static bool is_mmconf_reserved(struct machine *m, struct mmcfg_region *r)
{
	uint64_t addr = region_start(r), old_size = region_end(r) + 1 - addr, size = old_size;
	bool ecam = m->opts.kernel->ecam_wording;

	while (!e820__mapped_all(&m->e820_table, addr, addr + size, E820_TYPE_RESERVED)) {
		size >>= 1;
		if (size < MMCONFIG_MIN_SIZE)
			break;
	}
	if (size < MMCONFIG_MIN_SIZE && size != old_size)
		return false;
	mp_printk(m->log, ecam ? "PCI: ECAM [mem %#010llx-%#010llx] reserved as E820 entry\n"
			       : "PCI: MMCONFIG at [mem %#010llx-%#010llx] reserved in E820\n",
		  (unsigned long long)addr, (unsigned long long)region_end(r));
	if (size == old_size)
		return true;
	r->end_bus = (uint8_t)(r->start_bus + (size >> 20) - 1);
	if (ecam)
		mp_printk(m->log, "PCI: ECAM [mem %#010llx-%#010llx] (base %#llx) for %04x [bus%02x-%02x] (size reduced!)\n",
			  (unsigned long long)addr, (unsigned long long)region_end(r), (unsigned long long)r->address,
			  r->segment, r->start_bus, r->end_bus);
	else
		mp_printk(m->log, "PCI: MMCONFIG for %04x [bus%02x-%02x] at [mem %#010llx-%#010llx] (base %#llx) (size "
				  "reduced!)\n",
			  r->segment, r->start_bus, r->end_bus, (unsigned long long)addr,
			  (unsigned long long)region_end(r), (unsigned long long)r->address);
	return true;
}

/*
 * acpi_mcfg_check_entry(): a region at or above 4 GiB only from SGI, or
 * with a revision-1 table on a BIOS from 2010 on.  Return: 1 accepted,
 * 0 refused, -1 not known (the BIOS date is not).
 */
static int mcfg_entry_allowed(const struct machine *m, const struct acpi_table *t, uint64_t address)
{
	uint8_t revision = acpi_u8(t, 8);

	if (address < 0xffffffffULL || !mp_memcmp(t->bytes + 10, "SGI", 3))
		return 1;
	if (revision < 1)
		return 0;
	if (!m->dmi.known)
		return -1;
	return m->dmi.bios_year >= 2010;
}

/* Where the early pass leaves the lines to acpi_init's, which memprobe does not predict. */
static void late_pass_not_predicted(struct machine *m, const char *why)
{
	mp_printk(m->log, "memprobe: %s: Linux parses the MCFG again in acpi_init and checks it against the ACPI "
			  "motherboard resources (AML), which memprobe does not evaluate: those lines are not predicted\n",
		  why);
	m->unpredicted |= UNPREDICTED_MMCONFIG_LATE;
}

/* pci_parse_mcfg(): the regions in (segment, start bus) order.  Return: how many, or -1 when none are kept. */
static int pci_parse_mcfg(struct machine *m, const struct acpi_table *t, struct mmcfg_region *regions)
{
	bool ecam = m->opts.kernel->ecam_wording;
	uint32_t entries = t->length >= MCFG_HEADER_SIZE ? (t->length - MCFG_HEADER_SIZE) / MCFG_ENTRY_SIZE : 0;
	int n = 0;

	if (t->length < MCFG_HEADER_SIZE) {
		fw_bug(m->log, "MCFG", "length", 4,
		       "memprobe: [Firmware Bug]: MCFG: the table is %u bytes, shorter than its 44-byte header; Linux's "
		       "entry count wraps and it reads past the table: the MMCONFIG lines are not predicted\n",
		       t->length);
		m->unpredicted |= UNPREDICTED_MMCONFIG | UNPREDICTED_MMCONFIG_LATE;
		return -1;
	}
	if (!entries) {
		mp_printk(m->log, ecam ? "PCI: MCFG has no entries\n" : "PCI: MMCONFIG has no entries\n");
		return -1;
	}
	for (uint32_t i = 0; i < entries; i++) {
		uint32_t off = MCFG_HEADER_SIZE + i * MCFG_ENTRY_SIZE;
		struct mmcfg_region r = { acpi_u64(t, off), acpi_u16(t, off + 8), acpi_u8(t, off + 10),
					  acpi_u8(t, off + 11) };
		int allowed = mcfg_entry_allowed(m, t, r.address), at;

		if (allowed < 0) {
			mp_printk(m->log, "memprobe: the MCFG's region at %#llx is above 4 GiB, which Linux allows by the "
					  "BIOS date, and the run has no SMBIOS bytes: the MMCONFIG lines are not predicted\n",
				  (unsigned long long)r.address);
			m->unpredicted |= UNPREDICTED_MMCONFIG;
			return -1;
		}
		if (!allowed) {
			if (ecam)
				mp_printk(m->log, "PCI: ECAM at %#llx for %04x [bus %02x-%02x] is above 4GB, ignored\n",
					  (unsigned long long)r.address, r.segment, r.start_bus, r.end_bus);
			else
				mp_printk(m->log, "PCI: MCFG region for %04x [bus %02x-%02x] at %#llx is above 4GB, "
						  "ignored\n",
					  r.segment, r.start_bus, r.end_bus, (unsigned long long)r.address);
			fw_bug(m->log, "MCFG", "above-4g", off,
			       "memprobe: [Firmware Bug]: MCFG: region %u (segment %04x) is at %#llx, above 4 GiB, in a "
			       "table of revision %u or on a BIOS dated before 2010; Linux drops the whole table and "
			       "uses no ECAM\n",
			       i, r.segment, (unsigned long long)r.address, acpi_u8(t, 8));
			return -1;
		}
		if (r.end_bus < r.start_bus) {
			fw_bug(m->log, "MCFG", "bus-range", off + 10,
			       "memprobe: [Firmware Bug]: MCFG: region %u (segment %04x) ends at bus %02x, before its start "
			       "bus %02x; Linux's size arithmetic wraps: the MMCONFIG lines are not predicted\n",
			       i, r.segment, r.end_bus, r.start_bus);
			m->unpredicted |= UNPREDICTED_MMCONFIG | UNPREDICTED_MMCONFIG_LATE;
			return -1;
		}
		if (!r.address) {
			mp_printk(m->log, "PCI: no memory for MCFG entries\n");
			fw_bug(m->log, "MCFG", "zero-base", off,
			       "memprobe: [Firmware Bug]: MCFG: region %u (segment %04x) has base 0; Linux drops the "
			       "whole table and uses no ECAM\n",
			       i, r.segment);
			return -1;
		}
		if (n == MCFG_MAX_REGIONS) {
			mp_printk(m->log, "memprobe: the MCFG has more than %u regions: the MMCONFIG lines after them "
					  "are not predicted\n", MCFG_MAX_REGIONS);
			m->unpredicted |= UNPREDICTED_MMCONFIG;
			return -1;
		}
		/* list_add_sorted(): before the first with a greater segment, or the same and a start bus not below */
		for (at = 0; at < n; at++)
			if (regions[at].segment > r.segment ||
			    (regions[at].segment == r.segment && regions[at].start_bus >= r.start_bus))
				break;
		for (int k = n; k > at; k--)
			regions[k] = regions[k - 1];
		regions[at] = r;
		n++;
		print_region(m, &r);
	}
	return n;
}

/**
 * pci_mmcfg_early_init() - the MCFG's ECAM regions, as pci_arch_init takes them
 * @m: the machine, with its final e820 table
 *
 * 6.12 checks e820 only for a BIOS dated before 2016 (profile:
 * ecam_e820_check_before_year), and accepts the regions silently otherwise.
 */
void pci_mmcfg_early_init(struct machine *m)
{
	const struct acpi_table *t = acpi_find_table(&m->acpi, "MCFG");
	struct mmcfg_region regions[MCFG_MAX_REGIONS];
	bool ecam = m->opts.kernel->ecam_wording;
	int n;

	if (!t)
		return;
	n = pci_parse_mcfg(m, t, regions);
	if (n < 0) {
		if (!(m->unpredicted & UNPREDICTED_MMCONFIG))
			late_pass_not_predicted(m, "the MCFG gave Linux no region");
		return;
	}
	if (m->opts.kernel->ecam_e820_check_before_year && !m->dmi.known) {
		mp_printk(m->log, "memprobe: 6.12 checks the ECAM against e820 only on a BIOS dated before 2016, and "
				  "the run has no SMBIOS bytes: whether it does is not predicted\n");
		m->unpredicted |= UNPREDICTED_MMCONFIG;
		return;
	}
	if (m->opts.kernel->ecam_e820_check_before_year && m->dmi.bios_year >= m->opts.kernel->ecam_e820_check_before_year) {
		/* unchecked, each region goes to pci_mmcfg_arch_init(), whose ioremap refuses RAM */
		for (int i = 0; i < n; i++)
			if (e820__mapped_any(&m->e820_table, region_start(&regions[i]), region_end(&regions[i]) + 1,
					     E820_TYPE_RAM)) {
				mp_printk(m->log, "memprobe: the ECAM [mem %#010llx-%#010llx] is RAM: Linux's ioremap "
						  "refuses it (\"can't map ECAM\") and acpi_init tries again, which memprobe "
						  "does not predict\n",
					  (unsigned long long)region_start(&regions[i]),
					  (unsigned long long)region_end(&regions[i]));
				m->unpredicted |= UNPREDICTED_MMCONFIG_LATE;
				return;
			}
		return;
	}
	for (int i = 0; i < n; i++) {
		if (is_mmconf_reserved(m, &regions[i]))
			continue;
		if (ecam)
			mp_printk(m->log, "PCI: not using ECAM ([mem %#010llx-%#010llx] not reserved)\n",
				  (unsigned long long)region_start(&regions[i]), (unsigned long long)region_end(&regions[i]));
		else
			mp_printk(m->log, "PCI: not using MMCONFIG\n");
		fw_bug(m->log, "MCFG", "not-reserved", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: MCFG: the ECAM [mem %#010llx-%#010llx] is not reserved in e820 (the "
		       "EFI memory map's EfiReservedMemoryType), not even its first 16 MiB; Linux drops every region "
		       "at pci_arch_init\n",
		       (unsigned long long)region_start(&regions[i]), (unsigned long long)region_end(&regions[i]));
		late_pass_not_predicted(m, "the early ECAM check failed");
		return;
	}
}
