// SPDX-License-Identifier: MIT
/*
 * acpi_boot.c: Linux's arch/x86/kernel/acpi/boot.c, the part that prints
 * about the machine: which MADT is used, and acpi_boot_init()'s tables
 * (FADT, MADT, HPET, BGRT), identical in Linux 6.1 and 6.12.
 */
#include "memprobe/x86/acpi_boot.h"

#include "memprobe/acpi/madt.h"
#include "memprobe/lib/defects.h"
#include "memprobe/lib/util.h"
#include "memprobe/mm/memblock.h"
#include "memprobe/x86/efi.h"
#include "memprobe/x86/topology.h"
#include "memprobe/machine.h"

/* early_acpi_boot_init(): the check for more than one MADT, and which one Linux uses. */
void early_acpi_boot_init(struct machine *m)
{
	m->acpi_apic_instance = check_multiple_madt(&m->acpi, m->acpi_apic_instance, m->log);
}

/* FADT fields (ACPI 6.5, 5.2.9): the PM timer's 32-bit block, the flags, the X_PM_TMR_BLK address. */
#define FADT_REVISION 8
#define FADT_PM_TMR_BLK 76
#define FADT_FLAGS 112
#define FADT_MINOR_REVISION 131
#define FADT_X_PM_TMR_BLK 208
#define FADT_HW_REDUCED (1u << 20)
#define FADT2_REVISION_ID 3	/* Linux's name: the first FADT with X fields Linux uses */
#define ACPI_SPACE_MEM 0
#define ACPI_SPACE_IO 1

/* A field of ACPICA's copy of the FADT: the table's bytes, zeros past its end (byte by byte). */
static uint64_t fadt_field(const struct acpi_table *t, uint32_t off, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = size; i-- > 0;)
		v = v << 8 | acpi_u8(t, off + i);
	return v;
}

/* The FADT Linux reads: ACPICA parses every one the root table lists, and the last one stays. */
static const struct acpi_table *last_fadt(const struct machine *m)
{
	const struct acpi_table *t = NULL, *next;

	for (unsigned i = 1; (next = acpi_get_table(&m->acpi, "FACP", i)); i++)
		t = next;
	return t;
}

/*
 * acpi_parse_fadt(): the PM timer's I/O port.  Linux reads ACPICA's copy of
 * the FADT: a short table's missing fields are zero, and unless the FADT is
 * hardware-reduced a zero X_PM_TMR_BLK takes the 32-bit block, as an I/O
 * port.  A non-zero X address wins over a different 32-bit one.
 */
static void acpi_parse_fadt(struct machine *m)
{
	const struct acpi_table *t;
	uint32_t block32, port;
	uint64_t x_address;
	uint8_t x_space;

	t = last_fadt(m);
	if (!t)
		return;
	block32 = (uint32_t)fadt_field(t, FADT_PM_TMR_BLK, 4);
	x_space = (uint8_t)fadt_field(t, FADT_X_PM_TMR_BLK, 1);
	x_address = fadt_field(t, FADT_X_PM_TMR_BLK + 4, 8);
	if (block32 && !x_address && !(fadt_field(t, FADT_FLAGS, 4) & FADT_HW_REDUCED)) {
		x_space = ACPI_SPACE_IO;
		x_address = block32;
	}
	if (fadt_field(t, FADT_REVISION, 1) >= FADT2_REVISION_ID) {
		if (x_space != ACPI_SPACE_IO)
			return;
		port = (uint32_t)x_address;	/* pmtmr_ioport is 32 bits */
		if (!port)
			port = block32;
	} else {
		port = block32;
	}
	if (port)
		mp_printk(m->log, "ACPI: PM-Timer IO Port: %#x\n", port);
}

/* Linux's mp_register_ioapic() for each MADT IO APIC entry. */
static void register_ioapic(void *ctx, uint8_t id, uint32_t address, uint32_t gsi_base, uint32_t offset)
{
	struct machine *m = ctx;

	mp_register_ioapic(&m->io_apics, &m->fw->ioapic, &m->fw->memmap, id, address, gsi_base, offset, m->log);
}

/* The last FADT's revision says whether the online-capable bit counts (ACPI 6.3 and newer). */
static bool acpi_support_online_capable(const struct machine *m)
{
	const struct acpi_table *t;
	uint64_t rev, minor;

	t = last_fadt(m);
	if (!t)
		return false;
	rev = fadt_field(t, FADT_REVISION, 1);
	minor = fadt_field(t, FADT_MINOR_REVISION, 1);
	return rev > 6 || (rev == 6 && minor >= 3);
}

/* The MADT's CPU entries, counted in its order as acpi_parse_lapic and acpi_parse_x2apic count them. */
static void register_cpus(void *ctx, const struct madt_info *madt)
{
	struct machine *m = ctx;
	struct cpu_count *c = &m->cpus;

	c->online_capable = acpi_support_online_capable(m);
	acpi_register_lapics(m, madt);
}

/* acpi_process_madt(): the MADT's entries, then which SMP configuration Linux takes from it. */
static void acpi_process_madt(struct machine *m)
{
	const struct madt_handlers h = { register_cpus, register_ioapic, m,
					 m->opts.kernel->acpi_entries_past_max_warned, m->opts.noapic };

	madt_parse(&m->madt, &m->acpi, m->acpi_apic_instance, &h, m->log);
	if (m->madt.lapic_ok && m->madt.ioapic_ok)
		mp_printk(m->log, "ACPI: Using ACPI (MADT) for SMP configuration information\n");
	else if (m->madt.lapic_ok)
		mp_printk(m->log, "ACPI: Using ACPI for processor (LAPIC) configuration information\n");
}

/* HPET table fields: the event timer block ID, the base address's GAS. */
#define HPET_ID 36
#define HPET_ADDRESS_SPACE 40
#define HPET_ADDRESS 44
#define HPET_TABLE_LENGTH 56
#define HPET_RESOURCE_NAME_SIZE 9

/*
 * acpi_parse_hpet(): the HPET's ID and base, with Linux's words for a base
 * in I/O space, at 0, or at 0xfed0000000000000 (a 32-bit address written
 * into the upper half, which Linux fixes only with hpet=force).
 */
static void acpi_parse_hpet(struct machine *m)
{
	const struct acpi_table *t = acpi_find_table(&m->acpi, "HPET");
	struct acpi_table view;
	uint64_t base;
	uint32_t id;

	if (!t)
		return;
	if (t->length < HPET_TABLE_LENGTH && acpi_read_past_end(&m->acpi, t, HPET_TABLE_LENGTH, &view))
		t = &view;	/* Linux reads the fields whatever the table's length says */
	id = acpi_u32(t, HPET_ID);
	base = acpi_u64(t, HPET_ADDRESS);
	if (acpi_u8(t, HPET_ADDRESS_SPACE) != ACPI_SPACE_MEM) {
		mp_printk(m->log, "ACPI: HPET timers must be located in memory.\n");
		fw_bug(m->log, "HPET", "address-space", HPET_ADDRESS_SPACE,
		       "memprobe: [Firmware Bug]: HPET: the timer block's address is in address space %u, not "
		       "memory; Linux uses no HPET\n",
		       acpi_u8(t, HPET_ADDRESS_SPACE));
		return;
	}
	if (!base) {
		mp_printk(m->log, "ACPI: HPET id: %#x base: %#llx is invalid\n", id, 0ULL);
		fw_bug(m->log, "HPET", "zero-address", HPET_ADDRESS,
		       "memprobe: [Firmware Bug]: HPET: the timer block's address is 0; Linux uses no HPET\n");
		return;
	}
	if (base == 0xfed0000000000000ULL) {
		mp_printk(m->log, "ACPI: HPET id: %#x base: 0xfed0000000000000 is bogus, try hpet=force on the "
				  "kernel command line to fix it up to 0xfed00000.\n",
			  id);
		fw_bug(m->log, "HPET", "address-swapped", HPET_ADDRESS,
		       "memprobe: [Firmware Bug]: HPET: the timer block's address 0xfed00000 is written into the "
		       "upper 32 bits; Linux uses no HPET\n");
		return;
	}
	mp_printk(m->log, "ACPI: HPET id: %#x base: %#llx\n", id, (unsigned long long)base);
	/* hpet_res: the timer block's resource and its name ("HPET 0"), for /proc/iomem */
	memblock_alloc(&m->memblock, RESOURCE_BYTES + HPET_RESOURCE_NAME_SIZE, SMP_CACHE_BYTES);
}

/**
 * acpi_boot_init() - Linux's acpi_boot_init(), the lines it prints
 * @m: the machine, after free_area_init
 *
 * The FADT's PM timer, the MADT (its entries, the IO APICs, the SMP
 * configuration), the HPET and the boot logo (BGRT); then memprobe's
 * cross-check of the MADT's CPUs against the SRAT.
 */
void acpi_boot_init(struct machine *m)
{
	acpi_parse_fadt(m);
	acpi_process_madt(m);
	acpi_parse_hpet(m);
	efi_bgrt_init(m);
	madt_cross_check(&m->madt, &m->srat, m->log);
}
