// SPDX-License-Identifier: MIT
/*
 * What Linux takes from the EFI configuration tables and the PCI option
 * ROMs before the zones, with its lines: the EFI stub's setup_data copies
 * of the ROMs and e820__reserve_setup_data(), efi_config_parse_tables()'s
 * "efi: ACPI=..." line and the memory attributes table, the ESRT, the
 * MOKvar table and the boot logo (BGRT), each kept with efi_mem_reserve().
 *
 * Addresses only Linux's boot decides (where the loader puts the
 * setup_data nodes) come from the options (memprobe compare takes them
 * from the log); bytes the tables hold are read through the firmware
 * inputs' accessor and recorded, so a run folder keeps them.
 */
#include "memprobe/x86/efi.h"

#include "memprobe/acpi/acpidump.h"
#include "memprobe/lib/util.h"
#include "memprobe/machine.h"

#define EFI_MEMMAP_ALLOC_ALIGN SMP_CACHE_BYTES
#define ESRT_HEADER_SIZE 16
#define ESRT_ENTRY_SIZE 40	/* struct efi_system_resource_entry_v1 */
#define ESRT_MAX_RESOURCES 128
#define MOKVAR_ENTRY_HEADER 264	/* char name[256]; u64 data_size */
#define MOKVAR_ENTRIES_MAX 1024
#define MEMATTR_HEADER_SIZE 16
#define MEMRESERVE_HEADER_SIZE 16	/* int size; atomic_t count; phys_addr_t next */
#define MEMRESERVE_ENTRY_SIZE 16	/* phys_addr_t base, size */
#define MEMRESERVE_LINKS_MAX 64
#define BGRT_TABLE_SIZE 56
#define BMP_HEADER_SIZE 6	/* u16 id "BM"; u32 size */
#define READ_MERGE_GAP 4096	/* reads this close to the last are kept as one */
#define READ_MAX_LENGTH (256u << 10)

/* EFI_GUID(a, b, c, d0..d7) as it lies in memory. */
#define GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                                               \
	{ (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, ((a) >> 24) & 0xff, (b) & 0xff,          \
	  ((b) >> 8) & 0xff, (c) & 0xff, ((c) >> 8) & 0xff, d0, d1, d2, d3, d4, d5, d6, d7 }

enum linux_table {
	TABLE_OTHER, TABLE_ESRT, TABLE_MEMATTR, TABLE_MOKVAR, TABLE_MEMRESERVE, TABLE_TPM_FINAL_LOG, TABLE_SMBIOS,
	TABLE_SMBIOS3,
};

/* The tables efi_config_parse_tables() knows on x86 (common_tables, then arch_tables), by GUID. */
static const struct {
	uint8_t guid[16];
	const char *name;	/* as the "efi:" line names it */
	bool since_612;		/* in 6.12's common_tables, not in 6.1's */
	enum linux_table use;
} known_tables[] = {
	{ GUID(0x8868e871, 0xe4f1, 0x11d3, 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81), "ACPI 2.0", false, TABLE_OTHER },
	{ GUID(0xeb9d2d30, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d), "ACPI", false, TABLE_OTHER },
	{ GUID(0xeb9d2d31, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d), "SMBIOS", false, TABLE_SMBIOS },
	{ GUID(0xf2fd1544, 0x9794, 0x4a2c, 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94), "SMBIOS 3.0", false, TABLE_SMBIOS3 },
	{ GUID(0xb122a263, 0x3661, 0x4f68, 0x99, 0x29, 0x78, 0xf8, 0xb0, 0xd6, 0x21, 0x80), "ESRT", false, TABLE_ESRT },
	{ GUID(0xdcfa911d, 0x26eb, 0x469f, 0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20), "MEMATTR", false, TABLE_MEMATTR },
	{ GUID(0x1ce1e5bc, 0x7ceb, 0x42f2, 0x81, 0xe5, 0x8a, 0xad, 0xf1, 0x80, 0xf5, 0x7b), "RNG", false, TABLE_OTHER },
	{ GUID(0xb7799cb0, 0xeca2, 0x4943, 0x96, 0x67, 0x1f, 0xae, 0x07, 0xb7, 0x47, 0xfa), "TPMEventLog", false, TABLE_OTHER },
	{ GUID(0x1e2ed096, 0x30e2, 0x4254, 0xbd, 0x89, 0x86, 0x3b, 0xbe, 0xf8, 0x23, 0x25), "TPMFinalLog", false, TABLE_TPM_FINAL_LOG },
	{ GUID(0xdd4a4648, 0x2de7, 0x4665, 0x96, 0x4d, 0x21, 0xd9, 0xef, 0x5f, 0xb4, 0x46), "CCFinalLog", true, TABLE_TPM_FINAL_LOG },
	{ GUID(0x888eb0c6, 0x8ede, 0x4ff5, 0xa8, 0xf0, 0x9a, 0xee, 0x5c, 0xb9, 0x77, 0xc2), "MEMRESERVE", false, TABLE_MEMRESERVE },
	{ GUID(0x5568e427, 0x68fc, 0x4f3d, 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68), "INITRD", false, TABLE_OTHER },
	{ GUID(0xeb66918a, 0x7eef, 0x402a, 0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9), "RTPROP", false, TABLE_OTHER },
	{ GUID(0x2d9f28a2, 0xa886, 0x456a, 0x97, 0xa8, 0xf1, 0x1e, 0xf2, 0x4f, 0xf4, 0x55), "", false, TABLE_OTHER },
	{ GUID(0xc451ed2b, 0x9694, 0x45d3, 0xba, 0xba, 0xed, 0x9f, 0x89, 0x88, 0xa3, 0x89), "MOKvar", false, TABLE_MOKVAR },
	{ GUID(0xadf956ad, 0xe98c, 0x484c, 0xae, 0x11, 0xb5, 0x1c, 0x7d, 0x33, 0x64, 0x47), "CocoSecret", false, TABLE_OTHER },
	{ GUID(0xd5d1de3c, 0x105c, 0x44f9, 0x9e, 0xa9, 0xbc, 0xef, 0x98, 0x12, 0x00, 0x31), "Unaccepted", true, TABLE_OTHER },
	/* arch_tables of arch/x86/platform/efi/efi.c */
	{ GUID(0x880aaca3, 0x4adc, 0x4a04, 0x90, 0x79, 0xb7, 0x47, 0x34, 0x08, 0x25, 0xe5), "PROP", false, TABLE_OTHER },
	{ GUID(0x61a4d49e, 0x6f68, 0x4f1b, 0xb9, 0x22, 0xa8, 0x6e, 0xed, 0x0b, 0x07, 0xa2), "UGA", false, TABLE_OTHER },
	{ GUID(0x3b13a7d4, 0x633e, 0x11dd, 0x93, 0xec, 0xda, 0x25, 0x56, 0xd8, 0x95, 0x93), "UVsystab", false, TABLE_OTHER },
};

/* Return: the known table a GUID names under the predicted kernel, or -1. */
static int known_table(const struct machine *m, const uint8_t *guid)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_tables); i++)
		if (!mp_memcmp(known_tables[i].guid, guid, 16) &&
		    (!known_tables[i].since_612 || m->opts.kernel->efi_config_tables_612))
			return (int)i;
	return -1;
}

/**
 * efi_config_table_name() - Linux's name for a configuration table
 * @m: the machine (the predicted kernel decides which tables it knows)
 * @guid: the table's GUID, as it lies in memory
 *
 * Return: the name Linux's "efi:" line gives it ("" for a table it keeps
 * without printing), or NULL when Linux does not know the table.
 */
const char *efi_config_table_name(const struct machine *m, const uint8_t *guid)
{
	int k = known_table(m, guid);

	return k < 0 ? NULL : known_tables[k].name;
}

/**
 * efi_guid_text() - a GUID as text: 8868e871-e4f1-11d3-bc22-0080c73c8881
 * @text: 37 bytes at least
 * @g: the GUID's 16 bytes as they lie in memory (the first three fields little-endian)
 */
void efi_guid_text(char *text, const uint8_t *g)
{
	mp_snprintf(text, EFI_GUID_TEXT_SIZE, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		    g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
		    g[15]);
}

/**
 * efi_pci_location_text() - where a PCI function sits, as lspci -D names it: 0000:00:02.0
 * @text: EFI_PCI_LOCATION_TEXT_SIZE bytes at least
 * @rom: the function's option ROM
 */
void efi_pci_location_text(char *text, const struct efi_pci_rom *rom)
{
	mp_snprintf(text, EFI_PCI_LOCATION_TEXT_SIZE, "%04x:%02x:%02x.%x", rom->segment, rom->bus, rom->device,
		    rom->function);
}

/* Return: the address of the last configuration table of a kind (Linux keeps the last), or 0. */
static uint64_t table_of(const struct machine *m, enum linux_table use)
{
	uint64_t table = 0;

	for (unsigned i = 0; i < m->fw->efi.nr_config; i++) {
		int k = known_table(m, m->fw->efi.config[i].guid);

		if (k >= 0 && known_tables[k].use == use)
			table = m->fw->efi.config[i].table;
	}
	return table;
}

/*
 * Bytes of memory, as Linux's early_memremap() reads them, recorded for
 * the run folder.  Return: the bytes, or NULL when the input holds none.
 */
static const uint8_t *efi_read(struct machine *m, const char *name, uint64_t phys, uint32_t len)
{
	const struct acpi_access *a = &m->fw->acpi;
	const uint8_t *bytes = a->map ? a->map(a->ctx, phys, len) : NULL;
	struct efi_reads *r = &m->efi_reads;

	if (!bytes)
		return NULL;
	if (r->nr) {
		uint64_t last_end = r->r[r->nr - 1].phys + r->r[r->nr - 1].length;

		/* one piece only where the bytes between map too (the run folder keeps whole pieces) */
		if (!mp_strcmp(r->r[r->nr - 1].name, name) && phys >= r->r[r->nr - 1].phys &&
		    phys <= last_end + READ_MERGE_GAP && phys + len - r->r[r->nr - 1].phys <= READ_MAX_LENGTH &&
		    (phys + len <= last_end ||
		     a->map(a->ctx, r->r[r->nr - 1].phys, (uint32_t)(phys + len - r->r[r->nr - 1].phys)))) {
			if (phys + len > last_end)
				r->r[r->nr - 1].length = (uint32_t)(phys + len - r->r[r->nr - 1].phys);
			return bytes;
		}
	}
	if (r->nr == EFI_READS_MAX) {
		r->dropped++;
		return bytes;
	}
	mp_memcpy(r->r[r->nr].name, name, 5);
	r->r[r->nr].phys = phys;
	r->r[r->nr++].length = len;
	return bytes;
}

/**
 * efi_reads_write() - efi-read.txt: the EFI tables' bytes the stages read
 * @m: the machine, after memprobe_run
 * @dump: where the text goes, in acpidump's format (memprobe analyze reads
 *	  the bytes from it where the machine's memory held them)
 *
 * Return: the number of pieces written.
 */
unsigned efi_reads_write(const struct machine *m, struct mp_log *dump)
{
	const struct acpi_access *a = &m->fw->acpi;
	unsigned n = 0;

	for (unsigned i = 0; i < m->efi_reads.nr; i++) {
		const uint8_t *bytes = a->map(a->ctx, m->efi_reads.r[i].phys, m->efi_reads.r[i].length);

		if (bytes) {
			acpidump_write_one(dump, m->efi_reads.r[i].name, m->efi_reads.r[i].phys, bytes,
					   m->efi_reads.r[i].length);
			n++;
		}
	}
	return n;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p + 4) << 32 | le32(p);
}

/**
 * efi_memmap_pieces() - a descriptor as efi_mem_reserve() has split it
 * @m: the machine
 * @md: a descriptor of the firmware's map
 * @at: the walk's position in it (bytes from its start), 0 to start
 * @piece: the next piece; a kept range is a piece of its own, with EFI_MEMORY_RUNTIME
 *
 * Return: false after the last piece.
 */
bool efi_memmap_pieces(const struct machine *m, const struct efi_md *md, uint64_t *at, struct efi_md *piece)
{
	uint64_t end = md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT), start = md->phys_addr + *at, next = end;
	bool kept = false;

	if (start >= end)
		return false;
	for (unsigned i = 0; i < m->nr_efi_kept; i++) {
		const struct efi_kept_range *k = &m->efi_kept[i];

		if (k->start < md->phys_addr || k->end > end || k->start == k->end)
			continue;	/* another descriptor's, or empty */
		if (k->start == start) {
			next = k->end;
			kept = true;
			break;
		}
		if (k->start > start && k->start < next)
			next = k->start;
	}
	*piece = *md;
	piece->phys_addr = start;
	piece->num_pages = (next - start) >> EFI_PAGE_SHIFT;
	if (kept)
		piece->attribute |= EFI_ATTR_RUNTIME;
	*at = next - md->phys_addr;
	return true;
}

/*
 * efi_mem_desc_lookup(): the descriptor holding phys in the map Linux
 * keeps, as efi_mem_reserve() has split it so far.
 * Return: whether there is one.
 */
static bool efi_mem_desc_lookup(const struct machine *m, uint64_t phys, struct efi_md *md)
{
	struct efi_md whole;

	for (uint32_t at = 0; efi_memmap_next_valid(&m->fw->memmap, &at, &whole);) {
		uint64_t end = whole.phys_addr + (whole.num_pages << EFI_PAGE_SHIFT);

		if (phys < whole.phys_addr || phys >= end)
			continue;
		for (uint64_t off = 0; efi_memmap_pieces(m, &whole, &off, md);)
			if (phys < md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT))
				return true;
	}
	return false;
}

/* efi_memmap_split_count(): the descriptors a range adds when it is split out of md. */
static unsigned efi_memmap_split_count(const struct efi_md *md, uint64_t m_start, uint64_t m_end)
{
	uint64_t start = md->phys_addr, end = start + (md->num_pages << EFI_PAGE_SHIFT) - 1;
	unsigned count = 0;

	if (m_start <= start && start < m_end && m_end < end)
		count++;
	if (start < m_start && m_start < end)
		count += m_end < end ? 2 : 1;
	return count;
}

/*
 * The pages [addr, addr + size) kept as their own descriptor: a memory map
 * with split more entries from memblock (the one memblock gave before is
 * freed; the stub's is not), and e820 reserved.  The range is noted so
 * later lookups, and efi_reserve_boot_services(), see the split map.
 */
static void efi_memmap_keep(struct machine *m, uint64_t addr, uint64_t size, unsigned split, bool note)
{
	uint64_t phys, map_size = (uint64_t)(m->efi_nr_map + split) * m->fw->memmap.desc_size;

	phys = memblock_phys_alloc_range_from(&m->memblock, map_size, EFI_MEMMAP_ALLOC_ALIGN, 0,
					      MEMBLOCK_ALLOC_ACCESSIBLE, "efi_memmap_alloc");
	if (!phys) {
		mp_printk(m->log, "efi: Could not allocate boot services memmap\n");
		return;
	}
	if (m->efi_memmap_size)
		memblock_phys_free_from(&m->memblock, m->efi_memmap_phys, m->efi_memmap_size, "__efi_memmap_free");
	m->efi_nr_map += split;
	m->efi_memmap_phys = phys;
	m->efi_memmap_size = map_size;
	if (note && size && m->nr_efi_kept < EFI_KEPT_MAX)
		m->efi_kept[m->nr_efi_kept++] = (struct efi_kept_range){ addr, addr + size };
	e820__range_update(m->log, &m->e820_table, addr, size, E820_TYPE_RAM, E820_TYPE_RESERVED);
	e820__update_table(&m->e820_table, &m->sanitizer);
}

/*
 * efi_arch_mem_reserve() (x86), up to the split: the range must lie in one
 * boot-services data descriptor; it is widened to whole pages.
 * Return: whether it can be kept, with *addr and *size in pages and the
 * descriptors the split adds.
 */
static bool efi_arch_mem_range(const struct machine *m, uint64_t *addr, uint64_t *size, unsigned *split)
{
	struct efi_md md;

	if (!efi_mem_desc_lookup(m, *addr, &md) || md.type != EFI_BOOT_SERVICES_DATA) {
		mp_printk(m->log, "efi: Failed to lookup EFI memory descriptor for 0x%016llx\n",
			  (unsigned long long)*addr);
		return false;
	}
	if (*addr + *size > md.phys_addr + (md.num_pages << EFI_PAGE_SHIFT)) {
		mp_printk(m->log, "efi: Region spans EFI memory descriptors, 0x%016llx\n", (unsigned long long)*addr);
		return false;
	}
	*size = round_up(*size + *addr % PAGE_SIZE, PAGE_SIZE);
	*addr = round_down(*addr, PAGE_SIZE);
	*split = efi_memmap_split_count(&md, *addr, *addr + *size - 1);
	return true;
}

/* efi_mem_reserve(): kept in memblock (unless reserved already), and by efi_arch_mem_reserve(). */
static void efi_mem_reserve(struct machine *m, uint64_t addr, uint64_t size)
{
	unsigned split;

	if (!memblock_is_region_reserved(&m->memblock, addr, size))
		memblock_reserve_from(&m->memblock, addr, size, "efi_mem_reserve");
	if (efi_arch_mem_range(m, &addr, &size, &split))
		efi_memmap_keep(m, addr, size, split, true);
}

/**
 * efi_stub_setup_data() - the setup_data nodes Linux's EFI stub makes
 * @m: the machine
 *
 * setup_efi_pci() copies each PCI option ROM (RomImage, 1 byte to 16 MiB)
 * into a SETUP_PCI node, in handle order; setup_e820() appends a
 * SETUP_E820_EXT node when the e820 table has more than 128 entries.  The
 * addresses are the loader's: setup_data= gives them (memprobe compare
 * takes them from the log); without them memprobe says what it cannot
 * predict.
 */
void efi_stub_setup_data(struct machine *m)
{
	const struct efi_tables *t = &m->fw->efi;
	unsigned n = 0;

	for (unsigned i = 0; t->roms_known && i < t->nr_roms && n < SETUP_DATA_MAX - 1; i++)
		if (t->roms[i].size && t->roms[i].size <= (16u << 20))
			m->setup_data[n++] = (struct setup_data_node){ SETUP_PCI, 0,
								       PCI_SETUP_ROM_HEADER + t->roms[i].size };
	if (m->ext_entries)
		m->setup_data[n++] = (struct setup_data_node){ SETUP_E820_EXT, 0, 16 + 20ULL * m->ext_entries };
	m->nr_setup_data = n;
	if (m->opts.nr_setup_data_addr && m->opts.nr_setup_data_addr != n)
		mp_printk(m->log, "memprobe: setup_data= gives %u addresses for the %u setup_data nodes "
				  "memprobe predicts; the addresses are used in order\n",
			  m->opts.nr_setup_data_addr, n);
	for (unsigned i = 0; i < n && i < m->opts.nr_setup_data_addr; i++)
		m->setup_data[i].addr = m->opts.setup_data_addr[i];
	if (!t->roms_known)
		mp_printk(m->log, "memprobe: note: the PCI option ROMs are not known here, so the setup_data "
				  "nodes Linux's EFI stub copies them into are not predicted\n");
	if (!t->roms_known || !n || m->setup_data[0].addr)
		return;
	if (n > (m->ext_entries ? 1u : 0u))
		mp_printk(m->log, "memprobe: note: Linux's EFI stub copies %u PCI option ROM%s into setup_data "
				  "(%llu bytes first); where is its loader's choice, so their e820 and memblock "
				  "lines are not predicted (setup_data= gives the addresses; memprobe compare takes "
				  "them from the log)\n",
			  n - (m->ext_entries ? 1 : 0), n - (m->ext_entries ? 1 : 0) == 1 ? "" : "s",
			  (unsigned long long)m->setup_data[0].size);
	if (m->ext_entries)
		mp_printk(m->log, "memprobe: note: Linux's EFI stub puts the e820 entries past 128 in a setup_data "
				  "node of %llu bytes, where its loader chooses; its lines are not predicted "
				  "(setup_data= gives the address)\n",
			  (unsigned long long)m->setup_data[n - 1].size);
}

/**
 * e820__reserve_setup_data() - the setup_data nodes become their own e820 entries
 * @m: the machine
 *
 * Each node becomes E820_TYPE_RESERVED_KERN (printed "usable"); 6.1 prints
 * the update twice, for the kexec table too.  The table is printed as
 * "reserve setup_data".  Nothing happens while a node's address is unknown.
 */
void e820__reserve_setup_data(struct machine *m)
{
	if (!m->nr_setup_data)
		return;
	for (unsigned i = 0; i < m->nr_setup_data; i++)
		if (!m->setup_data[i].addr)
			return;
	for (unsigned i = 0; i < m->nr_setup_data; i++) {
		const struct setup_data_node *d = &m->setup_data[i];

		e820__range_update(m->log, &m->e820_table, d->addr, d->size, E820_TYPE_RAM,
				   E820_TYPE_RESERVED_KERN);
		if (m->opts.kernel->setup_data_kexec_update)
			e820__range_update_kexec(m->log, d->addr, d->size, E820_TYPE_RAM, E820_TYPE_RESERVED_KERN);
	}
	e820__update_table(&m->e820_table, &m->sanitizer);
	mp_printk(m->log, "extended physical RAM map:\n");
	e820__print_table(m->log, &m->e820_table, "reserve setup_data");
}

/*
 * efi_memattr_init(): the memory attributes table is kept (its header says
 * how long it is).  With memattr=, Linux's boot had the table elsewhere:
 * the header is this boot's, the place that one's.
 */
static void efi_memattr_init(struct machine *m, uint64_t table)
{
	uint64_t kept = m->opts.memattr_addr ? m->opts.memattr_addr : table;
	const uint8_t *tbl = efi_read(m, "matt", table, MEMATTR_HEADER_SIZE);
	uint32_t version;

	if (!tbl) {
		mp_printk(m->log, "efi: memattr: Failed to map EFI Memory Attributes table @ 0x%llx\n",
			  (unsigned long long)table);
		return;
	}
	version = le32(tbl);
	if (version > 2) {
		mp_printk(m->log, "efi: memattr: Unexpected EFI Memory Attributes table version %d\n",
			  (int)version);
		return;
	}
	/* Linux: a u32 product, the sum kept in an int, then widened to phys_addr_t */
	memblock_reserve_from(&m->memblock, kept,
			      (uint64_t)(int64_t)(int32_t)(uint32_t)(MEMATTR_HEADER_SIZE + le32(tbl + 4) * le32(tbl + 8)),
			      "efi_memattr_init");
}

/*
 * LINUX_EFI_MEMRESERVE, a list a kernel before this one (kexec) left: each
 * link and every range it holds stay reserved in memblock.  Linux maps one
 * page per link and trusts the list; memprobe stops where Linux would read
 * past that page or walk a loop for ever, and says so.
 */
static void efi_memreserve(struct machine *m, uint64_t prsv)
{
	uint64_t seen[MEMRESERVE_LINKS_MAX];
	unsigned links = 0;

	while (prsv) {
		const uint8_t *rsv = efi_read(m, "mrsv", prsv, MEMRESERVE_HEADER_SIZE), *entries;
		uint64_t room = PAGE_SIZE - prsv % PAGE_SIZE;
		int32_t size, count;

		for (unsigned i = 0; i < links; i++)
			if (seen[i] == prsv) {
				mp_printk(m->log, "memprobe: the LINUX_EFI_MEMRESERVE list comes back to 0x%llx: Linux "
						  "walks it for ever and hangs in efi_config_parse_tables\n",
					  (unsigned long long)prsv);
				return;
			}
		if (links == MEMRESERVE_LINKS_MAX) {
			mp_printk(m->log, "memprobe: the LINUX_EFI_MEMRESERVE list goes on past %u links; memprobe "
					  "follows no further\n",
				  MEMRESERVE_LINKS_MAX);
			return;
		}
		seen[links++] = prsv;
		if (!rsv) {
			mp_printk(m->log, "efi: Could not map UEFI memreserve entry!\n");
			return;
		}
		if (room < MEMRESERVE_HEADER_SIZE) {
			mp_printk(m->log, "memprobe: the LINUX_EFI_MEMRESERVE link at 0x%llx crosses the end of the "
					  "page Linux maps: Linux reads the rest from whatever lies beyond it, memprobe "
					  "stops here\n",
				  (unsigned long long)prsv);
			return;
		}
		size = (int32_t)le32(rsv);
		count = (int32_t)le32(rsv + 4);
		/* struct_size() saturates a negative size, and memblock caps what passes 2^64 */
		memblock_reserve_from(&m->memblock, prsv,
				      size < 0 ? UINT64_MAX
					       : MEMRESERVE_HEADER_SIZE + (uint64_t)size * MEMRESERVE_ENTRY_SIZE,
				      "efi_config_parse_tables");
		if (count > 0 && (uint64_t)count * MEMRESERVE_ENTRY_SIZE > room - MEMRESERVE_HEADER_SIZE) {
			mp_printk(m->log, "memprobe: the LINUX_EFI_MEMRESERVE link at 0x%llx counts %d entries, more "
					  "than the page Linux maps holds: Linux reads the rest from whatever lies "
					  "beyond it, memprobe stops at the page's end\n",
				  (unsigned long long)prsv, count);
			count = (int32_t)((room - MEMRESERVE_HEADER_SIZE) / MEMRESERVE_ENTRY_SIZE);
		}
		entries = count > 0 ? efi_read(m, "mrsv", prsv + MEMRESERVE_HEADER_SIZE,
					       (uint32_t)count * MEMRESERVE_ENTRY_SIZE) : NULL;
		if (count > 0 && !entries)
			mp_printk(m->log, "memprobe: the %d entries of the LINUX_EFI_MEMRESERVE link at 0x%llx cannot "
					  "be read here; their reservations are not predicted\n",
				  count, (unsigned long long)prsv);
		for (int32_t i = 0; entries && i < count; i++)
			memblock_reserve_from(&m->memblock, le64(entries + i * MEMRESERVE_ENTRY_SIZE),
					      le64(entries + i * MEMRESERVE_ENTRY_SIZE + 8), "efi_config_parse_tables");
		prsv = le64(rsv + 8);
	}
}

/**
 * efi_config_parse_tables() - the "efi:" line of the tables Linux knows, and the memory attributes table
 * @m: the machine
 *
 * In the firmware's order, each known table as "NAME=0xADDRESS " (a space
 * after each, the tables without a name left out), as efi_config_parse_tables()
 * prints them; then efi_memattr_init() and the LINUX_EFI_MEMRESERVE list a
 * kexec'd kernel inherits.  The TPM event logs Linux reserves between them
 * are only named: the stub copies the log at boot, and both it and the
 * final events table hold that boot's own measurements (its loader's path,
 * ExitBootServices), so neither size is the firmware's to tell.
 */
void efi_config_parse_tables(struct machine *m)
{
	const struct efi_tables *t = &m->fw->efi;
	char line[MP_LINE_MAX - 8];
	unsigned len = 0;
	uint64_t memattr;

	if (!t->nr_config)
		return;
	for (unsigned i = 0; i < t->nr_config && len + 40 < sizeof(line); i++) {
		int k = known_table(m, t->config[i].guid);
		uint64_t at = t->config[i].table;

		if (k >= 0 && known_tables[k].use == TABLE_MEMATTR && m->opts.memattr_addr)
			at = m->opts.memattr_addr;
		if (k >= 0 && known_tables[k].name[0])
			len += (unsigned)mp_snprintf(line + len, sizeof(line) - len, "%s=0x%llx ", known_tables[k].name,
						     (unsigned long long)at);
	}
	line[len] = '\0';
	mp_printk(m->log, "efi: %s\n", line);
	memattr = table_of(m, TABLE_MEMATTR);
	if (memattr && efi_memmap_nr_desc(&m->fw->memmap))	/* Linux: efi_enabled(EFI_MEMMAP) */
		efi_memattr_init(m, memattr);
	if (table_of(m, TABLE_TPM_FINAL_LOG))
		mp_printk(m->log, "memprobe: note: the firmware keeps a measured-boot event log (TPMFinalLog or "
				  "CCFinalLog): Linux's "
				  "efi_tpm_eventlog_init reserves the EFI stub's copy of the log and the final events "
				  "table, both as long as that boot's own measurements make them, so those two "
				  "memblock=debug lines are not predicted\n");
	efi_memreserve(m, table_of(m, TABLE_MEMRESERVE));
}

/* Return: the end of a descriptor (efi_mem_desc_end()). */
static uint64_t efi_mem_desc_end(const struct efi_md *md)
{
	return md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT);
}

/**
 * efi_esrt_init() - the EFI System Resource Table, checked and kept
 * @m: the machine
 *
 * Linux's efi_esrt_init(): the header and every entry must fit the memory
 * descriptor holding it; version 1, at most 128 entries.  It is reserved
 * ("esrt: Reserving ESRT space from ... to ...") and, in boot-services
 * data, kept with efi_mem_reserve().
 */
void efi_esrt_init(struct machine *m)
{
	uint64_t esrt = table_of(m, TABLE_ESRT), max, size = ESRT_HEADER_SIZE, end, version;
	const uint8_t *hdr;
	struct efi_md md;
	uint32_t count;
	bool in_memory_map;

	if (!esrt || !efi_memmap_nr_desc(&m->fw->memmap))
		return;
	in_memory_map = efi_mem_desc_lookup(m, esrt, &md);
	if (in_memory_map && m->opts.kernel->esrt_in_acpi_memory &&
	    (md.type == EFI_ACPI_RECLAIM_MEMORY || md.type == EFI_ACPI_MEMORY_NVS))
		; /* 6.12 takes these too */
	else if (!in_memory_map || (!(md.attribute & EFI_ATTR_RUNTIME) && md.type != EFI_BOOT_SERVICES_DATA &&
				    md.type != EFI_RUNTIME_SERVICES_DATA)) {
		mp_printk(m->log, "esrt: ESRT header is not in the memory map.\n");
		return;
	}
	max = efi_mem_desc_end(&md) - esrt;
	if (max < size) {
		mp_printk(m->log, "esrt: ESRT header doesn't fit on single memory map entry. (size: %llu max: "
				  "%llu)\n",
			  (unsigned long long)size, (unsigned long long)max);
		return;
	}
	hdr = efi_read(m, "esrt", esrt, ESRT_HEADER_SIZE);
	if (!hdr) {
		mp_printk(m->log, "esrt: early_memremap(%#llx, %llu) failed.\n", (unsigned long long)esrt,
			  (unsigned long long)size);
		return;
	}
	count = le32(hdr);
	version = le64(hdr + 8);
	if (version != 1) {
		mp_printk(m->log, "esrt: Unsupported ESRT version %lld.\n", (long long)version);
		return;
	}
	if (count > 0 && max - size < ESRT_ENTRY_SIZE) {
		mp_printk(m->log, "esrt: ESRT memory map entry can only hold the header. (max: %llu size: %u)\n",
			  (unsigned long long)(max - size), ESRT_ENTRY_SIZE);
		return;
	}
	if (count > ESRT_MAX_RESOURCES) {
		mp_printk(m->log, "esrt: ESRT says fw_resource_count has very large value %d.\n", (int)count);
		return;
	}
	if (max < size + (uint64_t)count * ESRT_ENTRY_SIZE) {
		mp_printk(m->log, "esrt: ESRT does not fit on single memory map entry (size: %llu max: %llu)\n",
			  (unsigned long long)size, (unsigned long long)max);
		return;
	}
	size += (uint64_t)count * ESRT_ENTRY_SIZE;
	efi_read(m, "esrt", esrt, (uint32_t)size);	/* Linux's ESRT driver reads the entries later */
	end = esrt + size;
	mp_printk(m->log, "esrt: Reserving ESRT space from 0x%016llx to 0x%016llx.\n", (unsigned long long)esrt,
		  (unsigned long long)end);
	if (md.type == EFI_BOOT_SERVICES_DATA)
		efi_mem_reserve(m, esrt, size);
}

/**
 * efi_mokvar_table_init() - shim's MOK variable table, walked and kept
 * @m: the machine
 *
 * Linux's efi_mokvar_table_init(): entries of a 256-byte name and a data
 * size, up to a sentinel with an empty name and no data, all inside the
 * memory descriptor holding the table.  Silent when valid; in boot-services
 * data kept with efi_mem_reserve().
 */
void efi_mokvar_table_init(struct machine *m)
{
	uint64_t table = table_of(m, TABLE_MOKVAR), offset_limit, cur = 0, needed = 0;
	struct efi_md md;
	bool valid = false;

	if (!table || !efi_memmap_nr_desc(&m->fw->memmap))
		return;
	if (!efi_mem_desc_lookup(m, table, &md)) {
		mp_printk(m->log, "mokvar: EFI MOKvar config table is not within the EFI memory map\n");
		return;
	}
	offset_limit = efi_mem_desc_end(&md) - table;
	for (unsigned entries = 0; cur + MOKVAR_ENTRY_HEADER <= offset_limit; entries++) {
		const uint8_t *e = efi_read(m, "mokv", table + cur, MOKVAR_ENTRY_HEADER);
		uint64_t next;

		if (!e) {
			mp_printk(m->log, "mokvar: Failed to map EFI MOKvar config table pa=0x%llx, size=%u.\n",
				  (unsigned long long)(table + cur), MOKVAR_ENTRY_HEADER);
			return;
		}
		if (!e[0]) {	/* the sentinel */
			valid = !le64(e + 256);
			needed = cur + MOKVAR_ENTRY_HEADER;
			break;
		}
		next = cur + MOKVAR_ENTRY_HEADER + le64(e + 256);	/* wraps as Linux's unsigned long does */
		if (next <= cur) {
			mp_printk(m->log, "memprobe: the MOKvar entry at 0x%llx says its data is 0x%llx bytes: Linux's "
					  "walk comes back to where it was and never ends\n",
				  (unsigned long long)(table + cur), (unsigned long long)le64(e + 256));
			return;
		}
		if (entries == MOKVAR_ENTRIES_MAX) {
			mp_printk(m->log, "memprobe: the MOKvar table goes on past %u entries; memprobe follows no "
					  "further (Linux walks them to its sentinel)\n",
				  MOKVAR_ENTRIES_MAX);
			return;
		}
		cur = next;
	}
	if (!valid) {
		mp_printk(m->log, "mokvar: EFI MOKvar config table is not valid\n");
		return;
	}
	if (md.type == EFI_BOOT_SERVICES_DATA)
		efi_mem_reserve(m, table, needed);
}

/**
 * efi_bgrt_init() - the boot logo's image, checked as Linux checks it and kept
 * @m: the machine
 *
 * Linux's efi_bgrt_init(), called from acpi_boot_init(): a BGRT of version
 * 0 or 1, image type 0 (a BMP) in boot-services data with the "BM" magic;
 * its file size is kept with efi_mem_reserve().  bgrt= gives the page
 * where Linux's boot found it instead (the image's place can change from
 * boot to boot; memprobe compare takes it from the log); its size is still
 * the one this run's image header says.
 */
void efi_bgrt_init(struct machine *m)
{
	const struct acpi_table *t = acpi_find_table(&m->acpi, "BGRT");
	uint64_t image, size, moved, at;
	const uint8_t *bmp;
	struct efi_md md;
	unsigned split;

	if (!t || !efi_memmap_nr_desc(&m->fw->memmap))	/* Linux: acpi_disabled, !EFI_MEMMAP */
		return;
	if (t->length < BGRT_TABLE_SIZE) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: invalid length %u (expected %u)\n", t->length,
			  BGRT_TABLE_SIZE);
		return;
	}
	if (acpi_u16(t, 36) > 1) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: invalid version %u (expected 1)\n", acpi_u16(t, 36));
		return;
	}
	if (acpi_u8(t, 39)) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: invalid image type %u (expected 0)\n", acpi_u8(t, 39));
		return;
	}
	image = acpi_u64(t, 40);
	if (!image) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: null image address\n");
		return;
	}
	/*
	 * With bgrt=, Linux's boot checked its own image's place: there when the map
	 * is that boot's (compare takes it from efi=debug), else this run's.
	 */
	at = image;
	moved = m->opts.bgrt_page + image % PAGE_SIZE;
	if (m->opts.bgrt_page && efi_mem_desc_lookup(m, moved, &md) && md.type == EFI_BOOT_SERVICES_DATA)
		at = moved;
	if (!efi_mem_desc_lookup(m, at, &md) || md.type != EFI_BOOT_SERVICES_DATA) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: invalid image address\n");
		return;
	}
	bmp = efi_read(m, "bgrt", image, BMP_HEADER_SIZE);
	if (!bmp) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: failed to map image header memory\n");
		return;
	}
	if ((bmp[0] | bmp[1] << 8) != 0x4d42) {
		mp_printk(m->log, "efi_bgrt: Ignoring BGRT: Incorrect BMP magic number 0x%x (expected 0x4d42)\n",
			  bmp[0] | bmp[1] << 8);
		return;
	}
	size = le32(bmp + 2);
	if (!m->opts.bgrt_page) {
		efi_mem_reserve(m, image, size);
		return;
	}
	/*
	 * The firmware may put the image elsewhere on each boot: at the page Linux's boot
	 * found it, the same bytes at the same offset in the page, split from a descriptor
	 * laid out as memprobe's.
	 */
	mp_printk(m->log, "memprobe: BGRT: the boot logo's %llu bytes at %#llx, as bgrt= says (for memprobe's boot "
			  "the firmware put them at %#llx)\n",
		  (unsigned long long)size, (unsigned long long)moved, (unsigned long long)image);
	if (!memblock_is_region_reserved(&m->memblock, moved, size))
		memblock_reserve_from(&m->memblock, moved, size, "efi_mem_reserve");
	if (efi_arch_mem_range(m, &at, &size, &split))
		efi_memmap_keep(m, m->opts.bgrt_page, size, split, false);
}

#define SMBIOS_ENTRY_SIZE 32		/* Linux maps 32 bytes of either entry point */
#define DMI_BIOS_DATE_STRING 8		/* type 0: the string number of the release date */
#define DMI_REMAP_MAX (64u << 12)	/* early_memremap(): at most NR_FIX_BTMAPS pages */

/* Return: whether len bytes sum to 0, as an entry point's checksum makes them. */
static bool dmi_checksum(const uint8_t *b, unsigned len)
{
	uint8_t sum = 0;

	for (unsigned i = 0; i < len; i++)
		sum += b[i];
	return !sum;
}

/* What dmi_walk_early() walks: the structure table, its length and count (0: until type 127). */
struct dmi_table {
	uint64_t base;
	uint32_t len;
	unsigned num;
};

/* Return: whether early_memremap() maps the table (not empty, at most 64 pages counted from its first page). */
static bool dmi_remappable(const struct dmi_table *t)
{
	return t->len && round_up(t->base + t->len, PAGE_SIZE) - round_down(t->base, PAGE_SIZE) <= DMI_REMAP_MAX;
}

/*
 * dmi_smbios3_present(), then dmi_present() (whose _DMI_ anchor is 16
 * bytes in, whatever the _SM_ part says), each only when its table can be
 * mapped.  Return: 1 found, 0 none (Linux: "DMI not present or invalid"),
 * -1 when the input lacks an entry point's bytes.
 */
static int dmi_entry(struct machine *m, struct dmi_table *t)
{
	const struct acpi_access *a = &m->fw->acpi;
	uint64_t e3 = table_of(m, TABLE_SMBIOS3), e = table_of(m, TABLE_SMBIOS);
	const uint8_t *b;

	if ((e3 && !(a->map && a->map(a->ctx, e3, SMBIOS_ENTRY_SIZE))) ||
	    (e && !(a->map && a->map(a->ctx, e, SMBIOS_ENTRY_SIZE))))
		return -1;
	if (e3 && (b = efi_read(m, "smbe", e3, SMBIOS_ENTRY_SIZE)) && !mp_memcmp(b, "_SM3_", 5) && b[6] >= 24 &&
	    b[6] <= 32 && dmi_checksum(b, b[6])) {
		*t = (struct dmi_table){ le64(b + 16), le32(b + 12), 0 };
		if (dmi_remappable(t))
			return 1;
	}
	if (e && (b = efi_read(m, "smbe", e, SMBIOS_ENTRY_SIZE)) && !mp_memcmp(b + 16, "_DMI_", 5) &&
	    dmi_checksum(b + 16, 15)) {
		*t = (struct dmi_table){ le32(b + 24), (uint32_t)(b[22] | b[23] << 8), (unsigned)(b[28] | b[29] << 8) };
		if (dmi_remappable(t))
			return 1;
	}
	return 0;
}

/*
 * dmi_get_bios_year(): the number after the date's last '/', read as an
 * unsigned long and kept in an int, two digits taken as 1996 to 2095, past
 * 9999 none.  Return: the year, or -1 when there is none.
 */
static int dmi_date_year(const uint8_t *date, uint64_t len)
{
	uint64_t slash = len, v = 0, k;
	int year;

	for (k = 0; k < len; k++)
		if (date[k] == '/')
			slash = k;
	if (slash == len)
		return -1;
	for (k = slash + 1; k < len && date[k] >= '0' && date[k] <= '9'; k++)
		v = v * 10 + (uint64_t)(date[k] - '0');
	year = (int)(int32_t)(uint32_t)v;
	if (k > slash + 1 && year < 100) {
		year += 1900;
		if (year < 1996)
			year += 100;
	}
	if (year > 9999)
		year = 0;
	return year ? year : -1;
}

/*
 * dmi_save_ident(DMI_BIOS_DATE) through dmi_string_nosave(): string number
 * idx of a structure (1-based; one of spaces or none is "").  Sets the
 * date (cut to its size) and the year from the whole string.
 */
static void dmi_bios_date_string(struct dmi_info *d, const uint8_t *t, uint64_t strings, uint64_t end, unsigned idx)
{
	uint64_t k = strings, n = 0, len = 0;

	d->bios_date[0] = 0;
	d->bios_year = -1;
	if (!idx)
		return;
	while (--idx > 0 && k < end && t[k]) {
		while (k < end && t[k])
			k++;
		k++;
	}
	while (k + n < end && t[k + n] == ' ')
		n++;
	if (k + n >= end || !t[k + n])
		return;
	while (k + len < end && t[k + len])
		len++;
	for (n = 0; n < len && n + 1 < sizeof(d->bios_date); n++)
		d->bios_date[n] = (char)t[k + n];
	d->bios_date[n] = 0;
	d->bios_year = dmi_date_year(t + k, len);
}

/*
 * dmi_decode_table() for the first type-0 structure long enough to hold the
 * date: every structure whose strings end inside the table is decoded; a
 * 3.0 table ends at type 127, a 2.x one at its count.  Return: whether the
 * table's bytes were there.
 */
static bool dmi_bios_date(struct machine *m, const struct dmi_table *dt)
{
	const uint8_t *t = efi_read(m, "smbt", dt->base, dt->len);
	uint64_t at = 0, len = dt->len;

	m->dmi.bios_date[0] = 0;
	m->dmi.bios_year = -1;
	if (!t)
		return false;
	for (unsigned i = 0; (!dt->num || i < dt->num) && at + 4 <= len; i++) {
		uint64_t end = at + t[at + 1];

		if (t[at + 1] < 4)
			break;	/* Linux: "Corrupted DMI table" */
		while (end + 1 < len && (t[end] || t[end + 1]))
			end++;
		if (end + 1 < len && t[at] == 0 && t[at + 1] > DMI_BIOS_DATE_STRING) {
			dmi_bios_date_string(&m->dmi, t, at + t[at + 1], end + 1, t[at + DMI_BIOS_DATE_STRING]);
			break;
		}
		if (!dt->num && t[at] == 127)
			break;
		at = end + 2;
	}
	return true;
}

/**
 * dmi_scan_machine() - the BIOS release date Linux's DMI code reads from SMBIOS
 * @m: the machine
 *
 * The SMBIOS 3.0 entry point first, then the 2.x one (or a bare _DMI_ one);
 * the first type-0 structure's release date.  Sets m->dmi: its year as
 * dmi_get_bios_year() gives it (-1 without one), or not known when the
 * input lacks the bytes.
 */
void dmi_scan_machine(struct machine *m)
{
	struct dmi_table t = { 0, 0, 0 };
	int found = dmi_entry(m, &t);

	m->dmi.known = found >= 0;
	m->dmi.bios_year = -1;
	if (found > 0)
		m->dmi.known = dmi_bios_date(m, &t);
}
