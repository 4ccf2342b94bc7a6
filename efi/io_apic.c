// SPDX-License-Identifier: MIT
/*
 * The IO APICs' registers, the core's primitive for mp_register_ioapic():
 * IOREGSEL selects a register, IOWIN gives it.  Selecting is the only write
 * and it changes nothing the firmware uses; the core asks only for windows
 * below 4 GiB that the memory map leaves to MMIO.  At TPL_HIGH_LEVEL no
 * firmware event can select another register in between.
 */
#include "efi-frontend.h"

#define IOREGSEL 0x00
#define IOWIN 0x10

static bool read_ioapic(void *ctx, uint32_t base, uint32_t regs[IO_APIC_REGS])
{
	volatile uint32_t *sel = (volatile uint32_t *)((uintptr_t)base + IOREGSEL);
	volatile uint32_t *win = (volatile uint32_t *)((uintptr_t)base + IOWIN);
	EFI_TPL old;

	(void)ctx;
	if (base & 0xf)		/* the registers are 16-byte aligned: no IO APIC is here */
		return false;
	old = uefi_call_wrapper(BS->RaiseTPL, 1, TPL_HIGH_LEVEL);
	for (unsigned r = 0; r < IO_APIC_REGS; r++) {
		*sel = r;
		regs[r] = *win;
	}
	uefi_call_wrapper(BS->RestoreTPL, 1, old);
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
