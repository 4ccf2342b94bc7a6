// SPDX-License-Identifier: MIT
/* mp_register_ioapic(): Linux's IOAPIC[n] lines from the IO APICs' registers, and the bugs it skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "memprobe/mm/memblock.h"
#include "memprobe/x86/io_apic.h"

/* A bus of IO APICs: each base answers with its registers; reads are counted. */
struct bus {
	unsigned nr, reads;
	struct ioapic_regs at[4];
};

static bool bus_read(void *ctx, uint32_t base, uint32_t regs[IO_APIC_REGS])
{
	struct bus *b = ctx;

	b->reads++;
	for (unsigned i = 0; i < b->nr; i++)
		if (b->at[i].base == base) {
			memcpy(regs, b->at[i].reg, sizeof(b->at[i].reg));
			return true;
		}
	return false;
}

/* QEMU's IO APIC: version 0x20, 24 redirection entries (register 1 says 23). */
#define QEMU_REG1 0x00170020u

struct rig {
	struct bus bus;
	struct ioapic_access acc;
	struct io_apics io;
	struct capture c;
};

static int rig_setup(void **state)
{
	struct rig *r = test_calloc(1, sizeof(*r));

	r->acc = (struct ioapic_access){ bus_read, &r->bus };
	capture_init(&r->c);
	*state = r;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = *state;

	capture_free(&r->c);
	test_free(r);
	return 0;
}

static void add_ioapic(struct rig *r, uint32_t base, uint32_t reg0, uint32_t reg1)
{
	r->bus.at[r->bus.nr++] = (struct ioapic_regs){ base, { reg0, reg1, 0 } };
}

static void reg(struct rig *r, uint8_t id, uint32_t address, uint32_t gsi_base, const struct efi_memmap *map)
{
	mp_register_ioapic(&r->io, &r->acc, map, id, address, gsi_base, 0x70, &r->c.log);
}

static bool has(struct rig *r, const char *line)
{
	if (capture_has_line(&r->c, line))
		return true;
	print_error("missing line: %s\n--- output:\n%.*s", line, (int)r->c.len, r->c.text);
	return false;
}

static void version_and_gsi_range_from_the_registers(void **state)
{
	struct rig *r = *state;

	add_ioapic(r, 0xfec00000, 0, QEMU_REG1);
	add_ioapic(r, 0xfec01000, 0, 0x00070011);	/* version 0x11, 8 entries */
	reg(r, 0, 0xfec00000, 0, NULL);
	reg(r, 1, 0xfec01000, 24, NULL);
	assert_true(has(r, "IOAPIC[0]: apic_id 0, version 32, address 0xfec00000, GSI 0-23"));
	assert_true(has(r, "IOAPIC[1]: apic_id 1, version 17, address 0xfec01000, GSI 24-31"));
	assert_int_equal(r->io.nr, 2);
	/* Each IO APIC is read once, and kept for the run folder. */
	assert_int_equal(r->bus.reads, 2);
	assert_int_equal(r->io.reads.nr, 2);
	assert_int_equal(r->io.reads.r[1].base, 0xfec01000);
	assert_int_equal(r->io.reads.r[1].reg[1], 0x00070011);
}

static void entries_linux_skips(void **state)
{
	struct rig *r = *state;

	add_ioapic(r, 0xfec00000, 0, QEMU_REG1);
	r->bus.at[r->bus.nr++] = (struct ioapic_regs){ 0xfed40000, { UINT32_MAX, UINT32_MAX, UINT32_MAX } };
	add_ioapic(r, 0xfec10000, 0, QEMU_REG1);
	reg(r, 0, 0, 0, NULL);
	assert_true(has(r, "Bogus (zero) I/O APIC address found, skipping!"));
	assert_true(has(r, "memprobe: [Firmware Bug]: MADT at offset 0x70: IO APIC 0 has address 0; Linux skips it"));
	reg(r, 0, 0xfec00000, 0, NULL);
	reg(r, 1, 0xfec00000, 24, NULL);
	assert_true(has(r, "address 0xfec00000 conflicts with IOAPIC0"));
	reg(r, 2, 0xfed40000, 24, NULL);
	assert_true(has(r, "I/O APIC 0xfed40000 registers return all ones, skipping!"));
	/* GSIs 16-39 overlap IOAPIC[0]'s 0-23. */
	reg(r, 3, 0xfec10000, 16, NULL);
	assert_true(has(r, "GSI range [16-39] for new IOAPIC conflicts with GSI[0-23]"));
	assert_true(has(r, "memprobe: [Firmware Bug]: MADT at offset 0x70: the IO APIC at 0xfec10000 routes GSIs "
			   "16-39, which IOAPIC[0] routes already; Linux skips it"));
	assert_int_equal(r->io.nr, 1);
	assert_int_equal(capture_count_prefix(&r->c, "IOAPIC["), 1);
}

static void ids_as_linux_hands_them_out(void **state)
{
	struct rig *r = *state;

	add_ioapic(r, 0xfec00000, 0, QEMU_REG1);
	add_ioapic(r, 0xfec01000, 5u << 24, QEMU_REG1);	/* MADT says 0 again; the register says 5 */
	add_ioapic(r, 0xfec02000, 5u << 24, QEMU_REG1);	/* 0 and 5 both taken: Linux writes 1 */
	reg(r, 0, 0xfec00000, 0, NULL);
	reg(r, 0, 0xfec01000, 24, NULL);
	reg(r, 5, 0xfec02000, 48, NULL);
	assert_true(has(r, "IOAPIC[1]: apic_id 5, version 32, address 0xfec01000, GSI 24-47"));
	assert_true(has(r, "memprobe: IOAPIC[2]: the MADT's ID 5 and the register's 5 are both taken; Linux "
			   "writes ID 1 into it"));
	assert_true(has(r, "IOAPIC[2]: apic_id 1, version 32, address 0xfec02000, GSI 48-71"));
}

static void registers_not_known(void **state)
{
	struct rig *r = *state;

	r->acc.read = NULL;	/* --live, or a run folder without ioapic.txt */
	reg(r, 0, 0xfec00000, 0, NULL);
	assert_true(has(r, "memprobe: IOAPIC[0] at 0xfec00000 (GSI base 0): its registers were not read, so "
			   "Linux's line about it (version, GSI range) is not predicted"));
	assert_int_equal(r->io.nr, 1);
	assert_false(r->io.a[0].known);
	assert_int_equal(capture_count_prefix(&r->c, "IOAPIC["), 0);
}

/* memprobe selects a register only where the EFI map leaves the window to MMIO (or says nothing). */
static void never_touches_memory(void **state)
{
	struct rig *r = *state;
	struct rawmap map;

	rawmap_init(&map, 48);
	rawmap_add(&map, 7, 0x100000, 0x7ff00, 0xf);		/* conventional memory to 2 GiB */
	rawmap_add(&map, 10, 0xfed00000, 1, 0x1);		/* ACPI NVS */
	rawmap_add(&map, 11, 0xfec00000, 1, 0x1);		/* MMIO */
	add_ioapic(r, 0x00200000, 0, QEMU_REG1);
	add_ioapic(r, 0xfed00000, 0, QEMU_REG1);
	add_ioapic(r, 0xfec00000, 0, QEMU_REG1);
	add_ioapic(r, 0xfee00000, 0, QEMU_REG1);
	reg(r, 0, 0x00200000, 0, &map.map);
	reg(r, 1, 0xfed00000, 24, &map.map);
	reg(r, 2, 0x00000010, 48, &map.map);
	reg(r, 3, 0xfffffff0, 72, &map.map);
	assert_int_equal(r->bus.reads, 0);
	assert_true(has(r, "memprobe: [Firmware Bug]: MADT: the IO APIC at 0x200000 lies in memory the EFI map "
			   "describes as type 7 [mem 0x00100000-0x7fffffff]; memprobe does not touch it, and Linux "
			   "reads and writes that memory as the IO APIC's"));
	assert_true(has(r, "memprobe: [Firmware Bug]: MADT: the IO APIC at 0xfed00000 lies in memory the EFI map "
			   "describes as type 10 [mem 0xfed00000-0xfed00fff]; memprobe does not touch it, and Linux "
			   "reads and writes that memory as the IO APIC's"));
	assert_true(has(r, "memprobe: [Firmware Bug]: MADT: an IO APIC at 0x10 cannot be one (page 0, or its "
			   "registers pass 4 GiB); memprobe does not touch it"));
	assert_true(has(r, "memprobe: [Firmware Bug]: MADT: an IO APIC at 0xfffffff0 cannot be one (page 0, or "
			   "its registers pass 4 GiB); memprobe does not touch it"));
	/* Described as MMIO, or not described at all: read. */
	reg(r, 4, 0xfec00000, 96, &map.map);
	reg(r, 5, 0xfee00000, 120, &map.map);
	assert_int_equal(r->bus.reads, 2);
	assert_true(has(r, "IOAPIC[4]: apic_id 4, version 32, address 0xfec00000, GSI 96-119"));
	assert_true(has(r, "IOAPIC[5]: apic_id 5, version 32, address 0xfee00000, GSI 120-143"));
	rawmap_free(&map);
}

/* An address Linux skipped is read once: ioapic.txt holds each IO APIC once. */
static void each_address_read_once(void **state)
{
	struct rig *r = *state;

	add_ioapic(r, 0xfec00000, 0, QEMU_REG1);
	reg(r, 0, 0xfec00000, 0, NULL);
	reg(r, 1, 0xfec00000, 0, NULL);	/* a repeat: Linux says it conflicts */
	r->io.nr = 0;			/* as if Linux had skipped the first (all ones, overlap) */
	reg(r, 2, 0xfec00000, 24, NULL);
	assert_int_equal(r->bus.reads, 1);
	assert_int_equal(r->io.reads.nr, 1);
}

static void at_most_linux_s_count(void **state)
{
	struct rig *r = *state;

	r->acc.read = NULL;
	for (unsigned i = 0; i <= MAX_IO_APICS; i++)
		reg(r, (uint8_t)i, 0xfec00000 + i * 0x1000, i * 24, NULL);
	assert_int_equal(r->io.nr, MAX_IO_APICS);
	assert_true(has(r, "Max # of I/O APICs (128) exceeded (found 128), skipping"));
}

/* io_apic_init_mappings(): a 64-byte resource and an 11-byte name per registered IO APIC, at once; none without. */
static void resources_from_memblock(void **state)
{
	struct rig *r = *state;
	struct memblock mb;

	memblock_init(&mb, &r->c.log, &host_heap);
	memblock_add(&mb, 0, 0x10000000);
	mb.debug = true;
	io_apic_init_mappings(&mb, &r->io);
	assert_int_equal(capture_count_prefix(&r->c, "memblock_alloc_try_nid: "), 0);
	r->io.nr = 2;
	io_apic_init_mappings(&mb, &r->io);
	assert_int_equal(capture_count_prefix(&r->c, "memblock_alloc_try_nid: 150 bytes align=0x40 nid=-1 "
						     "from=0x0000000000000000 max_addr=0x0000000000000000 "
						     "io_apic_init_mappings"), 1);
	assert_true(capture_has_line(&r->c, "memblock_reserve: [0x000000000fffff40-0x000000000fffffd5] "
					    "memblock_alloc_range_nid"));
	memblock_release(&mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(version_and_gsi_range_from_the_registers, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(entries_linux_skips, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(ids_as_linux_hands_them_out, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(registers_not_known, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(never_touches_memory, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(each_address_read_once, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(at_most_linux_s_count, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(resources_from_memblock, rig_setup, rig_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
