// SPDX-License-Identifier: MIT
/*
 * io_apic.c: Linux's mp_register_ioapic() (arch/x86/kernel/apic/io_apic.c),
 * the same in 6.1 and 6.12.  The IO APIC's own registers give its version
 * and how many GSIs it routes; the front end reads them (memprobe.efi from
 * the hardware, memprobe analyze from ioapic.txt).
 */
#include "memprobe/x86/io_apic.h"

#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"
#include "memprobe/mm/memblock.h"

/* A descriptor's length in bytes, cut at the top of the address space (a hostile map may say more). */
static uint64_t desc_length(const struct efi_md *md)
{
	uint64_t room = UINT64_MAX - md->phys_addr;

	return md->num_pages > (room >> EFI_PAGE_SHIFT) ? room : md->num_pages << EFI_PAGE_SHIFT;
}

/*
 * Whether memprobe may select and read registers at base: the window must lie
 * below 4 GiB and above page 0, and the firmware's memory map may describe it
 * only as MMIO or reserved (nothing else: RAM, ACPI, NVS, persistent memory).
 * Return: true when it may not, with the descriptor that forbids it in *md
 * (md->type UINT32_MAX: the address itself is out).
 */
static bool window_forbidden(const struct efi_memmap *map, uint32_t base, struct efi_md *md)
{
	uint64_t end = (uint64_t)base + IO_APIC_WINDOW;

	md->type = UINT32_MAX;
	if (base < PAGE_SIZE || end > 0x100000000ULL)
		return true;
	for (uint32_t i = 0; map && map->map && i < efi_memmap_nr_desc(map); i++) {
		uint64_t len;

		efi_memmap_desc(map, i, md);
		len = desc_length(md);
		if (md->phys_addr < end && (md->phys_addr >= base || base - md->phys_addr < len) &&
		    md->type != EFI_RESERVED_TYPE && md->type != EFI_MEMORY_MAPPED_IO &&
		    md->type != EFI_MEMORY_MAPPED_IO_PORT_SPACE)
			return true;
	}
	return false;
}

/* Registers 0-2, through the front end, kept once per IO APIC for the run folder. */
static bool read_registers(struct io_apics *io, const struct ioapic_access *acc, const struct efi_memmap *map,
			   uint32_t base, uint32_t regs[IO_APIC_REGS], struct mp_log *log)
{
	struct efi_md md;

	if (ioapic_reads_find(&io->reads, base, regs))
		return true;	/* an entry Linux skipped had this address: read once */
	if (window_forbidden(map, base, &md)) {
		if (md.type == UINT32_MAX)
			fw_bug(log, "MADT", "ioapic-address", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MADT: an IO APIC at 0x%x cannot be one (page 0, or its "
			       "registers pass 4 GiB); memprobe does not touch it\n",
			       base);
		else
			fw_bug(log, "MADT", "ioapic-in-memory", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MADT: the IO APIC at 0x%x lies in memory the EFI map "
			       "describes as type %u [mem %#010llx-%#010llx]; memprobe does not touch it, and Linux "
			       "reads and writes that memory as the IO APIC's\n",
			       base, md.type, (unsigned long long)md.phys_addr,
			       (unsigned long long)(md.phys_addr + desc_length(&md) - 1));
		return false;
	}
	if (!acc || !acc->read || !acc->read(acc->ctx, base, regs))
		return false;
	if (io->reads.nr < MAX_IO_APICS) {
		io->reads.r[io->reads.nr].base = base;
		mp_memcpy(io->reads.r[io->reads.nr].reg, regs, sizeof(io->reads.r[0].reg));
		io->reads.nr++;
	}
	return true;
}

/* io_apic_unique_id() of x86_64: the MADT's ID unless taken, then the register's, then the first free. */
static uint8_t unique_id(const struct io_apics *io, uint8_t id, uint32_t reg0, bool *rewritten)
{
	uint8_t used[256 / 8] = { 0 }, from_reg = (uint8_t)(reg0 >> 24);

	*rewritten = false;
	for (unsigned i = 0; i < io->nr; i++)
		used[io->a[i].apic_id / 8] |= (uint8_t)(1u << (io->a[i].apic_id % 8));
	if (!(used[id / 8] >> (id % 8) & 1))
		return id;
	if (!(used[from_reg / 8] >> (from_reg % 8) & 1))
		return from_reg;
	*rewritten = true;
	for (unsigned n = 0; n < 256; n++)
		if (!(used[n / 8] >> (n % 8) & 1))
			return (uint8_t)n;
	return 0;	/* cannot happen: at most MAX_IO_APICS are taken */
}

/**
 * mp_register_ioapic() - one MADT IO APIC entry, as Linux registers it
 * @io: the IO APICs registered so far
 * @acc: how to read an IO APIC's registers (NULL or no read: not known)
 * @map: the firmware's EFI memory map, to keep memprobe's reads off memory (NULL: none)
 * @id: the entry's IO APIC ID
 * @address: its physical address
 * @gsi_base: its first global system interrupt
 * @madt_offset: the entry's offset in the MADT, for the defects
 * @log: Linux's lines, and memprobe's
 *
 * Prints "IOAPIC[n]: apic_id …, version …, address …, GSI a-b", or Linux's
 * warning for an entry it skips, and names the firmware bug behind it.
 */
void mp_register_ioapic(struct io_apics *io, const struct ioapic_access *acc, const struct efi_memmap *map,
			uint8_t id, uint32_t address, uint32_t gsi_base, uint32_t madt_offset, struct mp_log *log)
{
	uint32_t regs[IO_APIC_REGS];
	unsigned idx = io->nr;
	struct io_apic *a;
	bool rewritten;

	if (!address) {
		mp_printk(log, "Bogus (zero) I/O APIC address found, skipping!\n");
		fw_bug(log, "MADT", "ioapic-zero-address", madt_offset,
		       "memprobe: [Firmware Bug]: MADT at offset 0x%x: IO APIC %u has address 0; Linux skips it\n",
		       madt_offset, id);
		return;
	}
	for (unsigned i = 0; i < io->nr; i++)
		if (io->a[i].address == address) {
			mp_printk(log, "address 0x%x conflicts with IOAPIC%u\n", address, i);
			fw_bug(log, "MADT", "ioapic-duplicate", madt_offset,
			       "memprobe: [Firmware Bug]: MADT at offset 0x%x: IO APIC %u repeats the address "
			       "0x%x of IOAPIC%u; Linux skips it\n",
			       madt_offset, id, address, i);
			return;
		}
	if (idx >= MAX_IO_APICS) {
		mp_printk(log, "Max # of I/O APICs (%d) exceeded (found %u), skipping\n", MAX_IO_APICS, idx);
		return;
	}
	if (!read_registers(io, acc, map, address, regs, log)) {
		/* Linux registers it; what it prints depends on registers memprobe has not seen. */
		a = &io->a[io->nr++];
		*a = (struct io_apic){ address, id, 0, false, gsi_base, gsi_base };
		mp_printk(log, "memprobe: IOAPIC[%u] at 0x%x (GSI base %u): its registers were not read, so "
			       "Linux's line about it (version, GSI range) is not predicted\n",
			  idx, address, gsi_base);
		return;
	}
	if (regs[0] == UINT32_MAX && regs[1] == UINT32_MAX && regs[2] == UINT32_MAX) {
		mp_printk(log, "I/O APIC 0x%x registers return all ones, skipping!\n", address);
		fw_bug(log, "MADT", "ioapic-absent", madt_offset,
		       "memprobe: [Firmware Bug]: MADT at offset 0x%x: no IO APIC answers at 0x%x; Linux skips it\n",
		       madt_offset, address);
		return;
	}
	a = &io->a[idx];
	*a = (struct io_apic){ address, unique_id(io, id, regs[0], &rewritten), (uint8_t)regs[1], true, gsi_base,
			       gsi_base + ((regs[1] >> 16) & 0xff) };
	for (unsigned i = 0; i < io->nr; i++) {
		const struct io_apic *o = &io->a[i];

		if (o->known && ((gsi_base >= o->gsi_base && gsi_base <= o->gsi_end) ||
				 (a->gsi_end >= o->gsi_base && a->gsi_end <= o->gsi_end))) {
			mp_printk(log, "GSI range [%u-%u] for new IOAPIC conflicts with GSI[%u-%u]\n", gsi_base,
				  a->gsi_end, o->gsi_base, o->gsi_end);
			fw_bug(log, "MADT", "ioapic-gsi-overlap", madt_offset,
			       "memprobe: [Firmware Bug]: MADT at offset 0x%x: the IO APIC at 0x%x routes GSIs %u-%u, "
			       "which IOAPIC[%u] routes already; Linux skips it\n",
			       madt_offset, address, gsi_base, a->gsi_end, i);
			return;
		}
	}
	io->nr++;
	if (rewritten)
		mp_printk(log, "memprobe: IOAPIC[%u]: the MADT's ID %u and the register's %u are both taken; "
			       "Linux writes ID %u into it\n",
			  idx, id, regs[0] >> 24, a->apic_id);
	mp_printk(log, "IOAPIC[%u]: apic_id %d, version %d, address 0x%x, GSI %d-%d\n", idx, a->apic_id,
		  a->version, address, (int)gsi_base, (int)a->gsi_end);
}

/**
 * ioapic_reads_find() - the kept registers of one IO APIC
 * @r: what a run read (its ioapic.txt)
 * @base: the IO APIC's address
 * @regs: set to its registers 0-2
 *
 * Return: whether the run read that IO APIC.
 */
bool ioapic_reads_find(const struct ioapic_reads *r, uint32_t base, uint32_t regs[IO_APIC_REGS])
{
	for (unsigned i = 0; i < r->nr; i++)
		if (r->r[i].base == base) {
			mp_memcpy(regs, r->r[i].reg, sizeof(r->r[i].reg));
			return true;
		}
	return false;
}

/* IOAPIC_RESOURCE_NAME_SIZE: "IOAPIC %u" and its NUL */
#define IOAPIC_RESOURCE_NAME_SIZE 11

/**
 * io_apic_init_mappings() - what Linux takes from memblock for the IO APICs' resources
 * @mb: memblock
 * @io: the IO APICs registered
 *
 * ioapic_setup_resources(): a struct resource and its name for each, in one
 * allocation; none without IO APICs.
 */
void io_apic_init_mappings(struct memblock *mb, const struct io_apics *io)
{
	if (io->nr)
		memblock_alloc(mb, (uint64_t)(RESOURCE_BYTES + IOAPIC_RESOURCE_NAME_SIZE) * io->nr, SMP_CACHE_BYTES);
}
