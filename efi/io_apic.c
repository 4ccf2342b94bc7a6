// SPDX-License-Identifier: MIT
/*
 * The IO APICs' registers, the core's primitive for mp_register_ioapic():
 * IOREGSEL selects a register, IOWIN gives it.  Selecting is the only write
 * and it changes nothing the firmware uses; the core keeps the window out
 * of RAM before it asks.
 */
#include "efi-frontend.h"

#define IOREGSEL 0x00
#define IOWIN 0x10

static bool read_ioapic(void *ctx, uint32_t base, uint32_t regs[IO_APIC_REGS])
{
	volatile uint32_t *sel = (volatile uint32_t *)(uintptr_t)(base + IOREGSEL);
	volatile uint32_t *win = (volatile uint32_t *)(uintptr_t)(base + IOWIN);

	(void)ctx;
	if (base & 0xf)		/* the registers are 16-byte aligned: no IO APIC is here */
		return false;
	for (unsigned r = 0; r < IO_APIC_REGS; r++) {
		*sel = r;
		regs[r] = *win;
	}
	return true;
}

/**
 * efi_collect_ioapic() - give the core its way to read the IO APICs
 * @fw: the inputs, whose ioapic primitive is set
 */
void efi_collect_ioapic(struct fw_inputs *fw)
{
	fw->ioapic.read = read_ioapic;
	fw->ioapic.ctx = NULL;
}
