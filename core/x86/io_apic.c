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

/* An IO APIC window over RAM: touching it would write the firmware's memory. */
static const struct e820_entry *ram_under(const struct e820_table *e820, uint32_t base)
{
	for (uint32_t i = 0; e820 && i < e820->nr_entries; i++) {
		const struct e820_entry *e = &e820->entries[i];

		if (e->type == E820_TYPE_RAM && e->addr < (uint64_t)base + IO_APIC_WINDOW &&
		    base < e->addr + e->size)
			return e;
	}
	return NULL;
}

/* Registers 0-2, through the front end, kept for the run folder. */
static bool read_registers(struct io_apics *io, const struct ioapic_access *acc, const struct e820_table *e820,
			   uint32_t base, uint32_t regs[IO_APIC_REGS], struct mp_log *log)
{
	const struct e820_entry *ram = ram_under(e820, base);

	if (ram) {
		fw_bug(log, "MADT", "ioapic-in-ram", FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: MADT: the IO APIC at 0x%x lies in usable RAM [mem %#010llx-%#010llx]; "
		       "memprobe does not touch it, and Linux reads and writes that memory as the IO APIC's\n",
		       base, (unsigned long long)ram->addr, (unsigned long long)(ram->addr + ram->size - 1));
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
 * @e820: the e820 table, to keep memprobe's reads out of RAM (NULL: none)
 * @id: the entry's IO APIC ID
 * @address: its physical address
 * @gsi_base: its first global system interrupt
 * @madt_offset: the entry's offset in the MADT, for the defects
 * @log: Linux's lines, and memprobe's
 *
 * Prints "IOAPIC[n]: apic_id …, version …, address …, GSI a-b", or Linux's
 * warning for an entry it skips, and names the firmware bug behind it.
 */
void mp_register_ioapic(struct io_apics *io, const struct ioapic_access *acc, const struct e820_table *e820,
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
	if (!read_registers(io, acc, e820, address, regs, log)) {
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
