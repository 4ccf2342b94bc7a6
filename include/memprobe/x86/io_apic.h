/* SPDX-License-Identifier: MIT */
/*
 * IO APICs: Linux's mp_register_ioapic() on the MADT's IO APIC entries,
 * with the ID, version and arbitration registers each IO APIC answers.
 */
#ifndef MEMPROBE_X86_IO_APIC_H
#define MEMPROBE_X86_IO_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/x86/efimap.h"

#define MAX_IO_APICS 128	/* Linux's, on x86_64; also the MADT entries it walks */
#define IO_APIC_REGS 3		/* 0: ID, 1: version and redirection entries, 2: arbitration */
#define IO_APIC_WINDOW 0x20	/* IOREGSEL at +0, IOWIN at +0x10 */

/* How the core reads an IO APIC's registers: the front end's primitive. */
struct ioapic_access {
	/* registers 0-2 of the IO APIC at base into regs; false: not known */
	bool (*read)(void *ctx, uint32_t base, uint32_t regs[IO_APIC_REGS]);
	void *ctx;
};

/* The registers read, so a run folder can keep them (ioapic.txt). */
struct ioapic_regs {
	uint32_t base;
	uint32_t reg[IO_APIC_REGS];
};

struct ioapic_reads {
	unsigned nr;
	struct ioapic_regs r[MAX_IO_APICS];
};

/* One of Linux's ioapics[]: registered, with what its registers gave. */
struct io_apic {
	uint32_t address;
	uint8_t apic_id, version;
	bool known;		/* its registers were read; version and GSI end follow */
	uint32_t gsi_base, gsi_end;
};

struct io_apics {
	unsigned nr;		/* Linux's nr_ioapics */
	struct io_apic a[MAX_IO_APICS];
	struct ioapic_reads reads;
};

void mp_register_ioapic(struct io_apics *io, const struct ioapic_access *acc, const struct efi_memmap *map,
			uint8_t id, uint32_t address, uint32_t gsi_base, uint32_t madt_offset, struct mp_log *log);
struct memblock;
void io_apic_init_mappings(struct memblock *mb, const struct io_apics *io);
bool ioapic_reads_find(const struct ioapic_reads *r, uint32_t base, uint32_t regs[IO_APIC_REGS]);

#endif
