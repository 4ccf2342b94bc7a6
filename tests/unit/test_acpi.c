// SPDX-License-Identifier: MIT
/*
 * ACPI: tables built here (a small builder, like QEMU's) served as physical
 * memory, then found, printed, decoded and checked as memprobe.efi does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpibuild.h"
#include "memprobe/acpi/acpidump.h"
#include "memprobe/x86/acpi_boot.h"
#include "memprobe/x86/setup_arch.h"
#include "memprobe/x86/smpboot.h"

/* Run the ACPI stages of the pipeline. */
static void run(struct world *w)
{
	capture_reset(&w->c);
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	memprobe_run_acpi(w->m);
	machine_release(w->m);
}

static bool has(struct world *w, const char *line)
{
	if (capture_has_line(&w->c, line))
		return true;
	fprintf(stderr, "missing line: %s\n--- output:\n%s", line, w->c.text);
	return false;
}

/*
 * A machine with RSDP -> XSDT -> FADT(DSDT, FACS), APIC, SRAT from srat and,
 * when slit is given, a SLIT with that body; then, when extra is given, a
 * table of that signature and body.
 */
static void world_with(struct world *w, const struct sbuf *srat, uint8_t srat_rev, const uint8_t *slit,
		       uint32_t slit_len, const char *extra_sig, const uint8_t *extra, uint32_t extra_len)
{
	uint8_t fadt[244 - 36] = { 0 }, facs[64] = { 0 }, madt[8 + 8 * 2 + 12 + 10 + 6] = { 0 };
	uint64_t tables[5] = { 0x7000, 0x9000, 0xa000 };
	unsigned nr_tables = 3;
	uint8_t *p;

	put32(fadt + 0, 0xb000);	/* FIRMWARE_CTRL (offset 36) */
	put32(fadt + 4, 0x8000);	/* DSDT (offset 40) */
	add_table(w, 0x7000, "FACP", 6, fadt, sizeof(fadt));
	add_table(w, 0x8000, "DSDT", 2, NULL, 8);
	memcpy(facs, "FACS", 4);
	put32(facs + 4, 64);
	add_raw(w, 0xb000, facs, 64);
	/* MADT: two CPUs, an IO APIC, an override, an NMI */
	put32(madt, 0xfee00000);
	put32(madt + 4, 1);
	p = madt + 8;
	for (int i = 0; i < 2; i++, p += 8) {
		p[0] = 0;
		p[1] = 8;
		p[2] = (uint8_t)i;
		p[3] = (uint8_t)(2 * i);
		put32(p + 4, 1);
	}
	p[0] = 1, p[1] = 12, p[2] = 0, put32(p + 4, 0xfec00000), put32(p + 8, 0), p += 12;
	p[0] = 2, p[1] = 10, p[2] = 0, p[3] = 9, put32(p + 4, 9), p[8] = 0xd, p += 10;
	p[0] = 4, p[1] = 6, p[2] = 0xff, p[3] = 0, p[4] = 0, p[5] = 1;
	add_table(w, 0x9000, "APIC", 5, madt, sizeof(madt));
	add_table(w, 0xa000, "SRAT", srat_rev, srat->b, srat->n);
	if (slit) {
		add_table(w, 0xc000, "SLIT", 1, slit, slit_len);
		tables[nr_tables++] = 0xc000;
	}
	if (extra) {
		add_table(w, 0xd000, extra_sig, 1, extra, extra_len);
		tables[nr_tables++] = 0xd000;
	}
	add_root(w, 0x6000, true, tables, nr_tables);
	add_rsdp(w, 0x5000, 2, 0, 0x6000);
}

static void world_with_slit(struct world *w, const struct sbuf *srat, uint8_t srat_rev,
			    const uint8_t *slit, uint32_t slit_len)
{
	world_with(w, srat, srat_rev, slit, slit_len, NULL, NULL, 0);
}

static void standard_world(struct world *w, const struct sbuf *srat, uint8_t srat_rev)
{
	world_with_slit(w, srat, srat_rev, NULL, 0);
}

static struct blob *blob_at(struct world *w, uint64_t phys)
{
	for (unsigned i = 0; i < w->nr; i++)
		if (w->b[i].phys == phys)
			return &w->b[i];
	fail_msg("no table at %#llx", (unsigned long long)phys);
	return NULL;
}

/* ----- tests ----------------------------------------------------------------- */

static void table_list_xsdt(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 2, 1);
	srat_mem(&s, 0, 0, 0x80000000, 1);
	srat_mem(&s, 1, 0x80000000, 0x80000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "ACPI: Early table checksum verification disabled"));
	assert_true(has(w, "ACPI: RSDP 0x0000000000005000 000024 (v02 MPROBE)"));
	assert_true(has(w, "ACPI: XSDT 0x0000000000006000 00003C (v01 MPROBE TESTTABL 00000001 MPRB 20250101)"));
	assert_true(has(w, "ACPI: FACP 0x0000000000007000 0000F4 (v06 MPROBE TESTTABL 00000001 MPRB 20250101)"));
	assert_true(has(w, "ACPI: DSDT 0x0000000000008000 00002C (v02 MPROBE TESTTABL 00000001 MPRB 20250101)"));
	assert_true(has(w, "ACPI: FACS 0x000000000000B000 000040"));
	assert_true(has(w, "ACPI: Reserving SRAT table memory at [mem 0xa000-0xa09f]"));
	/* Linux's order: FACP, then its DSDT and FACS, then the rest of the XSDT. */
	assert_true(strstr(w->c.text, "ACPI: FACP") < strstr(w->c.text, "ACPI: DSDT") &&
		    strstr(w->c.text, "ACPI: FACS") < strstr(w->c.text, "ACPI: APIC"));
	assert_int_equal(w->m->acpi.nr, 5);
	assert_int_equal(w->m->acpi.problems, 0);
	/* The tables are reserved in memblock, as acpi_reserve_initial_tables does. */
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	acpi_boot_table_init(w->m);
	assert_true(memblock_is_region_reserved(&w->m->memblock, 0xa000, 0xa0));
	machine_release(w->m);
}

static void rsdt_and_fallbacks(void **state)
{
	struct world *w = *state;
	uint64_t tables[1] = { 0x7000 };
	uint8_t body[8] = { 0 };

	add_table(w, 0x7000, "HPET", 1, body, sizeof(body));
	add_root(w, 0x6000, false, tables, 1);
	add_rsdp(w, 0x5000, 0, 0x6000, 0);
	run(w);
	assert_true(has(w, "ACPI: RSDP 0x0000000000005000 000014 (v00 MPROBE)"));
	assert_true(has(w, "ACPI: RSDT 0x0000000000006000 000028 (v01 MPROBE TESTTABL 00000001 MPRB 20250101)"));
	assert_true(has(w, "ACPI: HPET 0x0000000000007000 00002C (v01 MPROBE TESTTABL 00000001 MPRB 20250101)"));

	/* A v2 RSDP whose XSDT cannot be read: the RSDT is used instead. */
	add_rsdp(w, 0x4000, 2, 0x6000, 0xdead0000);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: the RSDP points to 0x00000000dead0000, "
			   "which is not in the firmware's memory map; table not read"));
	assert_true(has(w, "memprobe: ACPI: the XSDT cannot be used; falling back to the RSDT"));
	assert_true(has(w, "ACPI: HPET 0x0000000000007000 00002C (v01 MPROBE TESTTABL 00000001 MPRB 20250101)"));
}

static void broken_tables(void **state)
{
	struct world *w = *state;
	uint64_t tables[5] = { 0x7000, 0, 0x12340000, 0x8000, 0x9000 };
	uint8_t body[4] = { 0 }, *t;

	t = add_table(w, 0x7000, "SSDT", 2, body, sizeof(body));
	t[37] ^= 0x55;	/* checksum now wrong */
	t = add_table(w, 0x8000, "BOOT", 1, body, sizeof(body));
	put32(t + 4, 20);	/* shorter than a header */
	t = add_table(w, 0x9000, "BIG!", 1, body, sizeof(body));
	put32(t + 4, 0x2000);	/* runs past what can be read */
	add_root(w, 0x6000, true, tables, 5);
	add_rsdp(w, 0x5000, 2, 0, 0x6000);
	w->b[w->nr - 1].bytes[8] ^= 1;	/* RSDP checksum wrong too */
	run(w);
	assert_non_null(strstr(w->c.text, "memprobe: [Firmware Bug]: ACPI: RSDP at 0x0000000000005000: "
					  "checksum of the first 20 bytes is wrong (byte 8 is 0x"));
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: SSDT at 0x0000000000007000: checksum at "
			   "offset 9 is 0xF7, should be 0xA2 (Linux only warns)"));
	assert_true(has(w, "ACPI: SSDT 0x0000000000007000 000028 (v02 MPROBE TESTTABL 00000001 MPRB 20250101)"));
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: XSDT entry 1 at offset 44 is null; skipped"));
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: XSDT entry 2 points to 0x0000000012340000, "
			   "which is not in the firmware's memory map; table not read"));
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: BOOT at 0x0000000000008000 (from XSDT entry "
			   "3): length 20 at offset 4 is shorter than its header; table not used"));
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: BIG! at 0x0000000000009000 (from XSDT entry "
			   "4) runs past the firmware's memory map (length 8192); table not read"));
	assert_int_equal(w->m->acpi.nr, 1);
}

/*
 * A root table that is not used (its length is implausibly large) is not
 * written to the acpidump either: found by the fuzzer, where the
 * writer read the unread table's claimed length.
 */
static void unread_root_not_dumped(void **state)
{
	struct world *w = *state;
	struct capture dump;
	uint64_t tables[1] = { 0x7000 };
	uint8_t body[4] = { 0 };

	add_table(w, 0x7000, "SSDT", 2, body, sizeof(body));
	add_root(w, 0x6000, true, tables, 1);
	put32(blob_at(w, 0x6000)->bytes + 4, 0x2000000);	/* more than any table: not read */
	add_rsdp(w, 0x5000, 2, 0, 0x6000);
	capture_init(&dump);
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, &dump.log }, &host_heap);
	acpi_boot_table_init(w->m);
	machine_release(w->m);
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: XSDT at 0x0000000000006000 (from the RSDP): "
			   "length 33554432 at offset 4 is implausibly large; table not used"));
	assert_non_null(strstr(dump.text, "RSDP @ 0x0000000000005000"));
	assert_null(strstr(dump.text, "XSDT @"));
	assert_null(w->m->acpi.root.bytes);
	capture_free(&dump);
}

static void no_rsdp(void **state)
{
	struct world *w = *state;

	run(w);
	assert_true(has(w, "memprobe: ACPI: the EFI configuration table lists no ACPI RSDP; no ACPI tables"));
	w->fw.acpi.rsdp20 = 0x1000;
	add_raw(w, 0x1000, "NOT A RSDP AT ALL...", 20);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: no \"RSD PTR \" signature at 0x0000000000001000"));
}

static void srat_lines_and_node_order(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_mem(&s, 7, 0x100000000ULL, 0x40000000, 1 | 2 | 4);	/* PXM 7 seen first in the table */
	srat_cpu(&s, 3, 0, 1);
	srat_cpu(&s, 7, 1, 1);
	srat_cpu(&s, 3, 2, 0);				/* disabled: silent */
	srat_x2apic(&s, 0x105, 0x1234, 1);
	srat_mem(&s, 3, 0, 0xa0000, 1);
	srat_mem(&s, 3, 0x100000, 0, 1);		/* zero length: printed, not added */
	srat_mem(&s, 9, 0x200000, 0x100000, 0);		/* disabled */
	standard_world(w, &s, 3);
	run(w);
	/* CPUs are parsed first, so PXM 3 gets node 0 and PXM 7 node 1. */
	assert_true(has(w, "SRAT: PXM 3 -> APIC 0x00 -> Node 0"));
	assert_true(has(w, "SRAT: PXM 7 -> APIC 0x01 -> Node 1"));
	assert_true(has(w, "SRAT: PXM 261 -> APIC 0x1234 -> Node 2"));
	assert_true(has(w, "ACPI: SRAT: Node 1 PXM 7 [mem 0x100000000-0x13fffffff] hotplug non-volatile"));
	assert_true(has(w, "ACPI: SRAT: Node 0 PXM 3 [mem 0x00000000-0x0009ffff]"));
	assert_true(has(w, "ACPI: SRAT: Node 0 PXM 3 [mem 0x00100000-0x000fffff]"));
	assert_int_equal(capture_count_prefix(&w->c, "SRAT: PXM 3 -> APIC 0x02"), 0);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: SRAT: Node 3"), 0);
	assert_int_equal(w->m->srat.result, 0);
	assert_int_equal(w->m->srat.nr_memblks, 2);
	assert_int_equal(w->m->srat.parsed_memblks, 3);
	assert_int_equal(w->m->srat.apicid_to_node[0x1234], 2);
	assert_true(node_isset(w->m->srat.nodes_parsed, 2));
	assert_int_equal(w->m->srat.node_to_pxm[1], 7);
}

static void srat_revision_one_masks_pxm(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_cpu(&s, 0x201, 0, 1);	/* rev 1: only the low byte counts */
	srat_mem(&s, 0x301, 0, 0x1000000, 1);
	standard_world(w, &s, 1);
	run(w);
	assert_true(has(w, "SRAT: PXM 1 -> APIC 0x00 -> Node 0"));
	assert_true(has(w, "ACPI: SRAT: Node 0 PXM 1 [mem 0x00000000-0x00ffffff]"));
}

static void srat_rejections(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	/* A zero-length subtable ends the walk with Linux's error. */
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_raw(&s, 1, 0);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "ACPI: [SRAT:0x00] Invalid zero length"));
	assert_true(has(w, "ACPI: [SRAT:0x01] Invalid zero length"));
	assert_true(w->m->srat.result < 0);
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT at offset 0x40: subtable length is 0 (type "
			   "1); the rest of the table cannot be walked"));
}

static void srat_bad_length_and_no_memory(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	/* A CPU entry of the wrong length: bad_srat(), nothing more is used. */
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	s.b[s.n - 15] = 17;	/* length 17 instead of 16 */
	s.n += 1;
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "ACPI: SRAT: SRAT not used."));
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: SRAT: Node"), 0);
	assert_int_equal(capture_count_prefix(&w->c, "SRAT: PXM"), 0);
	assert_true(w->m->srat.result < 0);
	assert_true(w->m->srat.disabled);
}

static void srat_too_many_pxms_and_invalid_blocks(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_mem(&s, 1024, 0, 0x1000, 1);	/* PXM beyond MAX_PXM_DOMAINS */
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "ACPI: SRAT: Too many proximity domains."));
	assert_true(has(w, "ACPI: SRAT: SRAT not used."));

	world_teardown(state);
	world_setup(state);
	w = *state;
	srat_header(&s, 1);
	srat_mem(&s, 0, 0xfffffffffffff000ULL, 0x2000, 1);	/* wraps: start > end */
	srat_mem(&s, 0, 0x1000000, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "Warning: invalid memblk node 0 [mem 0xfffffffffffff000-0x00000fff]"));
	assert_int_equal(w->m->srat.nr_memblks, 1);
}

/* A disabled generic initiator makes Linux skip later CPU entries of that walk. */
static void srat_generic_initiator_quirk(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_raw(&s, 5, 32);	/* generic initiator, flags 0: disabled */
	srat_cpu(&s, 1, 1, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "SRAT: PXM 0 -> APIC 0x00 -> Node 0"));
	assert_int_equal(capture_count_prefix(&w->c, "SRAT: PXM 1 -> APIC"), 0);
	assert_true(has(w, "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x00ffffff]"));
}

/*
 * A memory subtable that runs past the SRAT's end: Linux reads the bytes
 * after the table, and so does memprobe where it has them (tables found
 * in memory through the RSDP); from a plain list of tables it cannot, and
 * says so.  Either way the bug is named.
 */
static void srat_subtable_past_the_end(void **state)
{
	struct world *w = *state;
	struct acpi_table listed;
	struct sbuf s;
	uint8_t *t;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x40000000, 1);
	srat_mem(&s, 1, 0x40000000, 0x40000000, 1);
	standard_world(w, &s, 3);
	t = blob_at(w, 0xa000)->bytes;
	put32(t + 4, 36 + s.n - 16);	/* the table ends 16 bytes into the second entry */
	fix_checksum(t, 36 + s.n - 16, 9);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT at offset 0x58: Memory Affinity subtable (40 "
			   "bytes) runs past the table's end at 0x70; Linux reads the missing bytes from "
			   "the memory after the table, and so does memprobe: what follows depends on them"));
	assert_true(has(w, "ACPI: SRAT: Node 1 PXM 1 [mem 0x40000000-0x7fffffff]"));
	assert_int_equal(w->m->srat.nr_memblks, 2);

	listed = (struct acpi_table){ "SRAT", 0xa000, 36 + s.n, t };
	memset(&w->fw.acpi, 0, sizeof(w->fw.acpi));
	w->fw.acpi.listed = &listed;
	w->fw.acpi.nr_listed = 1;
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT at offset 0x58: Memory Affinity subtable (40 "
			   "bytes) runs past the table's end at 0x70; Linux reads the missing bytes from "
			   "the memory after the table, which this input does not hold: skipped"));
	assert_int_equal(w->m->srat.nr_memblks, 1);
}

static void srat_validation(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 0);			/* reserved field must be 1 */
	srat_cpu(&s, 0, 0, 1 | 0x100);		/* reserved flag bit */
	srat_raw(&s, 3, 18);			/* GICC */
	srat_raw(&s, 4, 12);			/* GIC ITS */
	srat_raw(&s, 6, 32);			/* generic port */
	srat_raw(&s, 7, 20);			/* RINTC */
	srat_raw(&s, 42, 6);			/* unknown */
	srat_raw(&s, 1, 30);			/* memory, too short */
	srat_mem(&s, 0, 0, 0x1000000, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);	/* duplicate */
	srat_mem(&s, 1, 0x800000, 0x1000000, 1);	/* overlaps node 0 */
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT at offset 0x24: reserved field is 0, must be "
			   "1 for backward compatibility"));
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT at offset 0x34: Processor Local APIC/SAPIC "
			   "Affinity flags 0x101 set reserved bits 0x100"));
	/* recorded where found: the machine's list has each with its table, kind and offset */
	assert_string_equal(w->m->defects.d[0].table, "SRAT");
	assert_string_equal(w->m->defects.d[0].kind, "reserved");
	assert_int_equal(w->m->defects.d[0].offset, 0x24);
	assert_string_equal(w->m->defects.d[1].kind, "reserved-bits");
	assert_int_equal(w->m->defects.d[1].offset, 0x34);
	assert_string_equal(w->m->defects.d[1].text, "memprobe: [Firmware Bug]: SRAT at offset 0x34: Processor "
						     "Local APIC/SAPIC Affinity flags 0x101 set reserved bits 0x100");
	assert_true(has(w, "memprobe: SRAT at offset 0x40: GICC Affinity: PXM 0, processor UID 0, flags "
			   "0x0 (not used on x86)"));
	assert_true(has(w, "memprobe: SRAT at offset 0x52: GIC ITS Affinity: PXM 0, ITS ID 0 (not used on x86)"));
	assert_true(has(w, "memprobe: SRAT at offset 0x5e: Generic Port Affinity: PXM 0, handle type 0, "
			   "flags 0x0 (not used by Linux 6.1)"));
	assert_true(has(w, "memprobe: SRAT at offset 0x7e: RINTC Affinity: PXM 0, processor UID 0, flags "
			   "0x0 (not used on x86)"));
	assert_true(has(w, "memprobe: SRAT at offset 0x92: unknown subtable type 42 (6 bytes) skipped"));
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT at offset 0x98: Memory Affinity is 30 bytes, "
			   "shorter than the 40 of its type"));
	/* A short memory entry makes Linux drop the SRAT; what follows is not used. */
	assert_true(has(w, "ACPI: SRAT: Unexpected header length: 30"));
	assert_true(has(w, "ACPI: SRAT: SRAT not used."));
	assert_true(w->m->srat.disabled);
}

static void srat_overlap_between_nodes(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	srat_mem(&s, 1, 0x800000, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT: memory range [mem 0x00000000-0x00ffffff] is "
			   "listed twice (nodes 0 and 0)"));
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT: node 0 [mem 0x00000000-0x00ffffff] overlaps "
			   "node 1 [mem 0x00800000-0x017fffff]"));
}

static void slit(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	uint8_t body[8 + 9] = { 3, 0, 0, 0, 0, 0, 0, 0, 10, 20, 30, 20, 10, 21, 30, 21, 10 };
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	srat_mem(&s, 2, 0x1000000, 0x1000000, 1);
	srat_mem(&s, 1, 0x2000000, 0x1000000, 1);
	world_with_slit(w, &s, 3, body, sizeof(body));
	run(w);
	assert_true(has(w, "memprobe: SLIT: 3 localities"));
	assert_true(has(w, "node distances:"));
	assert_true(has(w, "node   0   1   2 "));
	/* Node 1 is PXM 2 and node 2 is PXM 1: rows and columns follow the nodes. */
	assert_true(has(w, "  0:  10  30  20 "));
	assert_true(has(w, "  1:  30  10  21 "));
	assert_true(has(w, "memprobe: /sys/devices/system/node/node2/distance: 20 21 10"));
	assert_true(w->m->slit.valid);

	/* A diagonal that is not 10: Linux drops the SLIT. */
	b = blob_at(w, 0xc000);
	b->bytes[36 + 8 + 4] = 11;
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: SLIT table looks invalid. Not used."));
	assert_true(has(w, "memprobe: [Firmware Bug]: SLIT at offset 0x30: distance from PXM 1 to PXM 1 "
			   "is 11, must be 10 (local)"));
	assert_false(w->m->slit.valid);
}

static void slit_asymmetric_and_short(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	uint8_t body[8 + 4] = { 2, 0, 0, 0, 0, 0, 0, 0, 10, 20, 25, 10 };
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	srat_mem(&s, 1, 0x1000000, 0x1000000, 1);
	world_with_slit(w, &s, 3, body, sizeof(body));
	run(w);
	assert_true(has(w, "memprobe: note: SLIT is not symmetric: PXM 0 -> 1 is 20, PXM 1 -> 0 is 25"));
	assert_true(w->m->slit.valid);

	/* A locality count the table cannot hold. */
	b = blob_at(w, 0xc000);
	b->bytes[36] = 5;
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count 5 needs 69 bytes, "
			   "the table has 48; Linux reads the rest from the memory after the table, which "
			   "this input does not hold: SLIT taken as not used"));
	assert_false(w->m->slit.valid);
}

/*
 * A SLIT whose table ends inside its matrix, the rest in the memory after
 * it: Linux reads on, and so does memprobe, with Linux's verdict.
 */
static void slit_read_past_end(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	uint8_t body[8 + 9] = { 3, 0, 0, 0, 0, 0, 0, 0, 10, 20, 20, 20, 10, 20, 20, 20, 10 };
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	srat_mem(&s, 1, 0x1000000, 0x1000000, 1);
	srat_mem(&s, 2, 0x2000000, 0x1000000, 1);
	world_with_slit(w, &s, 3, body, sizeof(body));
	b = blob_at(w, 0xc000);
	put32(b->bytes + 4, 48);	/* the table says 48 bytes: 4 of the 9 entries */
	fix_checksum(b->bytes, 48, 9);
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: SLIT at offset 36: locality count 3 needs 53 bytes, "
			   "the table has 48; Linux reads the rest from the memory after the table, and so "
			   "does memprobe: what follows depends on them"));
	assert_true(w->m->slit.valid);
	assert_int_equal(w->m->slit.localities, 3);

	b->bytes[52] = 11;	/* the last diagonal entry, outside the table */
	run(w);
	assert_true(has(w, "ACPI: SLIT table looks invalid. Not used."));
	assert_false(w->m->slit.valid);
}

static void madt(void **state)
{
	struct world *w = *state;
	struct sbuf s;

	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 0, 4, 1);	/* not in the MADT */
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_true(has(w, "memprobe: MADT: local APIC address 0xfee00000, flags 0x1 (PC-AT compatible 8259s)"));
	assert_true(has(w, "ACPI: LAPIC_NMI (acpi_id[0xff] dfl dfl lint[0x1])"));
	/* The unit tests' front end reads no IO APIC: Linux's line about it is not predicted. */
	assert_true(has(w, "memprobe: IOAPIC[0] at 0xfec00000 (GSI base 0): its registers were not read, so "
			   "Linux's line about it (version, GSI range) is not predicted"));
	assert_true(has(w, "ACPI: Using ACPI (MADT) for SMP configuration information"));
	assert_true(has(w, "ACPI: INT_SRC_OVR (bus 0 bus_irq 9 global_irq 9 high level)"));
	assert_true(has(w, "memprobe: MADT: CPU 1: APIC 0x02, ACPI UID 1, enabled"));
	assert_true(has(w, "memprobe: [Firmware Bug]: MADT CPU with APIC ID 0x2 has no SRAT affinity "
			   "entry; Linux picks its node when it brings the CPU up"));
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT names APIC ID 0x4 (node 0), which the MADT "
			   "does not list"));
	assert_int_equal(w->m->madt.nr_cpus, 2);
}

/* A MADT body: local APIC address, flags, then CPUs with APIC IDs first .. first + n - 1. */
static void madt_body(struct sbuf *s, uint8_t first, unsigned n)
{
	memset(s, 0, sizeof(*s));
	put32(s->b, 0xfee00000);
	put32(s->b + 4, 1);
	s->n = 8;
	for (unsigned i = 0; i < n; i++, s->n += 8) {
		s->b[s->n] = 0;
		s->b[s->n + 1] = 8;
		s->b[s->n + 2] = (uint8_t)(first + i);
		s->b[s->n + 3] = (uint8_t)(first + i);
		put32(s->b + s->n + 4, 1);
	}
}

/* An x2APIC NMI (type 10) or local APIC NMI (type 4) entry for UID uid on LINT1. */
static void madt_nmi(struct sbuf *s, bool x2apic, uint32_t uid)
{
	uint8_t *p = s->b + s->n;

	if (x2apic) {
		p[0] = 10, p[1] = 12, p[2] = 5, put32(p + 4, uid), p[8] = 1;
		s->n += 12;
	} else {
		p[0] = 4, p[1] = 6, p[2] = (uint8_t)uid, p[3] = 5, p[4] = 0, p[5] = 1;
		s->n += 6;
	}
}

/* RSDP -> XSDT -> the MADTs given, nothing else. */
static void madt_world(struct world *w, const struct sbuf *madts, unsigned n)
{
	uint64_t tables[4];

	for (unsigned i = 0; i < n; i++) {
		tables[i] = 0x9000 + 0x1000 * i;
		add_table(w, tables[i], "APIC", 5, madts[i].b, madts[i].n);
	}
	add_root(w, 0x6000, true, tables, n);
	add_rsdp(w, 0x5000, 2, 0, 0x6000);
}

/*
 * Linux prints every X2APIC_NMI line before every LAPIC_NMI line: two
 * passes over the MADT (acpi_parse_madt_lapic_entries), whatever the
 * table's order.
 */
static void madt_nmi_order(void **state)
{
	struct world *w = *state;
	struct sbuf madt;
	char *nmi;

	madt_body(&madt, 0, 2);
	madt_nmi(&madt, false, 0);
	madt_nmi(&madt, true, 0x100);
	madt_nmi(&madt, false, 1);
	madt_nmi(&madt, true, 0x101);
	madt_world(w, &madt, 1);
	run(w);
	nmi = capture_lines_with_prefix(&w->c, "ACPI: ");
	assert_non_null(strstr(nmi, "ACPI: X2APIC_NMI (uid[0x100] high edge lint[0x1])\n"
				    "ACPI: X2APIC_NMI (uid[0x101] high edge lint[0x1])\n"
				    "ACPI: LAPIC_NMI (acpi_id[0x00] high edge lint[0x1])\n"
				    "ACPI: LAPIC_NMI (acpi_id[0x01] high edge lint[0x1])"));
	free(nmi);
}

/*
 * Two MADTs: Linux warns and uses the first, or the instance
 * acpi_apic_instance= names; with one MADT the option changes nothing.
 */
static void multiple_madts(void **state)
{
	struct world *w = *state;
	struct sbuf madts[2];

	madt_body(&madts[0], 0, 2);
	madt_body(&madts[1], 0x10, 3);
	madt_world(w, madts, 2);
	run(w);
	assert_true(has(w, "ACPI: BIOS bug: multiple APIC/MADT found, using 0"));
	assert_true(has(w, "ACPI: If \"acpi_apic_instance=2\" works better, notify "
			   "linux-acpi@vger.kernel.org"));
	assert_int_equal(w->m->madt.nr_cpus, 2);
	assert_int_equal(w->m->madt.cpus[0].apic_id, 0);

	w->fw.cmdline = "acpi_apic_instance=2";
	run(w);
	assert_true(has(w, "ACPI: BIOS bug: multiple APIC/MADT found, using 2"));
	assert_true(has(w, "ACPI: If \"acpi_apic_instance=0\" works better, notify "
			   "linux-acpi@vger.kernel.org"));
	assert_int_equal(w->m->madt.nr_cpus, 3);
	assert_int_equal(w->m->madt.cpus[0].apic_id, 0x10);
	w->fw.cmdline = NULL;
}

static void single_madt_ignores_the_instance(void **state)
{
	struct world *w = *state;
	struct sbuf madt;

	madt_body(&madt, 0, 2);
	madt_world(w, &madt, 1);
	w->fw.cmdline = "acpi_apic_instance=2";
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: BIOS bug: multiple APIC/MADT"), 0);
	assert_int_equal(w->m->madt.nr_cpus, 2);
	w->fw.cmdline = NULL;
}

/* What memprobe.efi writes, acpixtract and memprobe acpi read back. */
static void acpidump_round_trip(void **state)
{
	struct world *w = *state;
	struct capture dump, again;
	struct acpidump *d = calloc(1, sizeof(*d));
	struct sbuf s;
	char *first, *second;

	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	capture_init(&dump);
	capture_init(&again);
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, &dump.log }, &host_heap);
	acpi_boot_table_init(w->m);
	machine_release(w->m);
	assert_non_null(strstr(dump.text, "RSDP @ 0x0000000000005000\n    0000: 52 53 44 20 50 54 52 20 "));
	assert_non_null(strstr(dump.text, "\nSRAT @ 0x000000000000A000\n"));
	first = capture_lines_with_prefix(&w->c, "ACPI: ");

	d->buf_size = dump.len;
	d->buf = malloc(d->buf_size);
	assert_int_equal(acpidump_parse(d, dump.text, dump.len, &again.log), 7);
	memset(&w->fw.acpi, 0, sizeof(w->fw.acpi));
	acpidump_access(d, &w->fw.acpi);
	capture_reset(&w->c);
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	acpi_boot_table_init(w->m);
	machine_release(w->m);
	second = capture_lines_with_prefix(&w->c, "ACPI: ");
	assert_string_equal(second, first);

	/* Garbage is named, never fatal. */
	capture_reset(&again);
	assert_int_equal(acpidump_parse(d, "SRAT @ 0x1000\n    0000: 53 52 41 54\n    0010: 00\n\nnonsense\n"
					   "APIC @ 0xzz\n", 60, &again.log), 0);
	assert_true(capture_has_line(&again, "memprobe: acpidump line 3: offset out of sequence; table SRAT dropped"));
	free(first);
	free(second);
	free(d->buf);
	free(d);
	capture_free(&dump);
	capture_free(&again);
}

/*
 * Enabled SRAT memory entries, decoded here independently of core/acpi/srat.c,
 * as Linux walks them: a subtable's header lies inside the table's
 * declared length, its fields may run into the memory after it.
 */
static bool srat_lists_range(const struct blob *srat, uint64_t start, uint64_t end)
{
	uint32_t len = srat->len < 8 ? 0 : srat->bytes[4] | srat->bytes[5] << 8 |
						   srat->bytes[6] << 16 | (uint32_t)srat->bytes[7] << 24;

	if (len > srat->len)
		len = srat->len;
	for (uint32_t off = 48; off + 2 < len && srat->bytes[off + 1]; off += srat->bytes[off + 1]) {
		const uint8_t *e = srat->bytes + off;
		uint64_t base, size;

		if (e[0] != 1 || e[1] < 40 || off + 40 > srat->len || !(e[28] & 1))
			continue;
		memcpy(&base, e + 8, 8);
		memcpy(&size, e + 16, 8);
		if (base == start && base + size == end)
			return true;
	}
	return false;
}

/*
 * Random corruption of one byte at a time of real-shaped tables: every
 * change to a checksummed table or the RSDP is named, every memory block
 * kept is one the corrupted SRAT really lists, every table used lies in
 * readable memory, and the output stays small.
 */
static void random_corruption(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	struct blob *srat;

	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_x2apic(&s, 1, 0x300, 1);
	srat_mem(&s, 0, 0, 0x1000000, 3);
	srat_mem(&s, 1, 0x1000000, 0x1000000, 5);
	standard_world(w, &s, 3);
	srat = blob_at(w, 0xa000);
	srand(6);
	for (int it = 0; it < 3000; it++) {
		unsigned b = (unsigned)rand() % w->nr;
		uint32_t at = (uint32_t)rand() % w->b[b].len;
		uint8_t old = w->b[b].bytes[at];

		if (w->b[b].phys == 0xb000)
			continue;	/* the FACS has no checksum */
		w->b[b].bytes[at] = (uint8_t)(old + 1 + rand() % 255);
		run(w);
		if (w->m->acpi.problems == 0)
			fail_msg("byte %u of the table at %#llx changed unnoticed", at,
				 (unsigned long long)w->b[b].phys);
		assert_true(w->m->acpi.nr <= ACPI_MAX_TABLES);
		for (unsigned i = 0; i < w->m->acpi.nr; i++)
			assert_ptr_equal(world_map(w, w->m->acpi.t[i].phys, w->m->acpi.t[i].length),
					 w->m->acpi.t[i].bytes);
		for (unsigned i = 0; i < w->m->srat.nr_memblks; i++)
			if (!srat_lists_range(srat, w->m->srat.memblk[i].start,
					      w->m->srat.memblk[i].end))
				fail_msg("memory block %u is not an enabled entry of the SRAT", i);
		assert_true(capture_count_prefix(&w->c, "") < 100);
		w->b[b].bytes[at] = old;
	}
}

/*
 * The acpidump text of a machine, with one random character changed, read
 * back both ways (through its RSDP, and as a plain list of tables): the
 * reader never keeps bytes outside its buffer and the decoders stay bounded.
 */
static void random_acpidump_text(void **state)
{
	struct world *w = *state;
	struct capture dump, quiet;
	struct acpidump *d = calloc(1, sizeof(*d));
	struct fw_inputs *fw = calloc(1, sizeof(*fw));
	struct sbuf s;
	char *text;

	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	capture_init(&dump);
	capture_init(&quiet);
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, &dump.log }, &host_heap);
	acpi_boot_table_init(w->m);
	machine_release(w->m);
	text = malloc(dump.len + 1);
	d->buf_size = dump.len / 2;
	d->buf = malloc(d->buf_size);
	srand(7);
	for (int it = 0; it < 1000; it++) {
		int nr;

		memcpy(text, dump.text, dump.len + 1);
		text[rand() % dump.len] = "0123456789ABCDEF @:x\n"[rand() % 21];
		if (it % 2) {	/* no RSDP: the listed-table path */
			char *rsdp = strstr(text, "RSDP @");

			if (rsdp)
				memcpy(rsdp, "XXXX", 4);
		}
		capture_reset(&quiet);
		nr = acpidump_parse(d, text, dump.len, &quiet.log);
		assert_true(nr >= 0 && nr <= 7);
		assert_true(d->used <= d->buf_size);
		for (int i = 0; i < nr; i++)
			assert_true(d->t[i].bytes >= d->buf && d->t[i].length <= d->used &&
				    d->t[i].bytes + d->t[i].length <= d->buf + d->used);
		acpidump_access(d, &fw->acpi);
		capture_reset(&w->c);
		machine_init(w->m, fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
		memprobe_run_acpi(w->m);
		machine_release(w->m);
		assert_true(w->m->acpi.nr <= (unsigned)nr);
		assert_true(capture_count_prefix(&w->c, "") < 100);
	}
	free(text);
	free(d->buf);
	free(d);
	free(fw);
	capture_free(&dump);
	capture_free(&quiet);
}

/*
 * Tables given as a list (no RSDP): one too short to hold a signature
 * (read only within its 3 bytes) and one whose header claims length 0 are
 * named and not used; the good one is.
 */
static void listed_tables_too_short(void **state)
{
	struct world *w = *state;
	struct acpi_table listed[3];
	uint8_t *three = malloc(3), *zero = calloc(1, 36);
	struct sbuf s;

	memcpy(three, "FAC", 3);
	memcpy(zero, "SSDT", 4);
	srat_header(&s, 1);
	standard_world(w, &s, 3);
	listed[0] = (struct acpi_table){ "FAC?", 0x1000, 3, three };
	listed[1] = (struct acpi_table){ "SSDT", 0x2000, 36, zero };
	listed[2] = (struct acpi_table){ "SRAT", 0xa000, blob_at(w, 0xa000)->len, blob_at(w, 0xa000)->bytes };
	memset(&w->fw.acpi, 0, sizeof(w->fw.acpi));
	w->fw.acpi.listed = listed;
	w->fw.acpi.nr_listed = 3;
	run(w);
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: listed table 0 (FAC?): length 0 at offset 4, "
			   "3 bytes given; not used"));
	assert_true(has(w, "memprobe: [Firmware Bug]: ACPI: listed table 1 (SSDT): length 0 at offset 4, "
			   "36 bytes given; not used"));
	assert_int_equal(w->m->acpi.nr, 1);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: Reserving "), 1);
	assert_true(has(w, "ACPI: Reserving SRAT table memory at [mem 0xa000-0xa02f]"));
	free(three);
	free(zero);
}

/*
 * Defects that repeat per pair of entries are shown as three examples and
 * a count: 100 copies of one memory range (4,950 pairs), a 60-locality
 * SLIT of zeros (3,600 bad entries).
 */
static void findings_bounded(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	static uint8_t slit[8 + 60 * 60];

	srat_header(&s, 1);
	for (int i = 0; i < 100; i++)
		srat_mem(&s, 0, 0, 0x1000000, 1);
	slit[0] = 60;
	world_with_slit(w, &s, 3, slit, sizeof(slit));
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: SRAT: memory range "), 3);
	assert_true(has(w, "memprobe: [Firmware Bug]: SRAT: memory ranges listed twice: 4947 more not "
			   "listed (4950 in all)"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: SLIT at offset "), 3);
	assert_true(has(w, "memprobe: [Firmware Bug]: SLIT: invalid distances: 3597 more not listed "
			   "(3600 in all)"));
	assert_true(capture_count_prefix(&w->c, "") < 250);
}

/* The FADT's PM timer as acpi_parse_fadt() reads ACPICA's copy of the table. */
static void fadt_pm_timer(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: PM-Timer"), 0);	/* no port at all */
	b = blob_at(w, 0x7000);
	put32(b->bytes + 76, 0x608);	/* PM_TMR_BLK; X_PM_TMR_BLK zero: ACPICA copies it, as I/O */
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: PM-Timer IO Port: 0x608"));
	b->bytes[208] = 1;		/* X_PM_TMR_BLK in I/O space at 0xb008: the X field wins */
	put64(b->bytes + 212, 0xb008);
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: PM-Timer IO Port: 0xb008"));
	b->bytes[208] = 0;		/* in memory space: Linux uses no PM timer */
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: PM-Timer"), 0);
	b->bytes[8] = 2;		/* a revision 2 FADT: Linux takes the 32-bit block */
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: PM-Timer IO Port: 0x608"));
	b->bytes[8] = 6;		/* hardware-reduced: no copy into the zero X field */
	put64(b->bytes + 212, 0);
	put32(b->bytes + 112, 1u << 20);
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: PM-Timer"), 0);
}

static void hpet(void **state)
{
	struct world *w = *state;
	uint8_t body[56 - 36] = { 0 };
	struct sbuf s;
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	put32(body, 0x8086a201);		/* event timer block ID */
	put64(body + 8, 0xfed00000);		/* base address, in memory space */
	world_with(w, &s, 3, NULL, 0, "HPET", body, sizeof(body));
	run(w);
	assert_true(has(w, "ACPI: HPET id: 0x8086a201 base: 0xfed00000"));
	b = blob_at(w, 0xd000);
	put64(b->bytes + 44, 0xfed0000000000000ULL);
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: HPET id: 0x8086a201 base: 0xfed0000000000000 is bogus, try hpet=force on the "
			   "kernel command line to fix it up to 0xfed00000."));
	assert_true(has(w, "memprobe: [Firmware Bug]: HPET: the timer block's address 0xfed00000 is written into "
			   "the upper 32 bits; Linux uses no HPET"));
	put64(b->bytes + 44, 0);
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: HPET id: 0x8086a201 base: 0x0 is invalid"));
	b->bytes[40] = 1;
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: HPET timers must be located in memory."));
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: HPET id"), 0);
}

/* Without CPU entries Linux stops before the NMIs; without an IO APIC, before the overrides. */
static void madt_without_cpus_or_ioapics(void **state)
{
	struct world *w = *state;
	struct sbuf s;
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	b = blob_at(w, 0x9000);
	b->bytes[44 + 16] = 0x7f;	/* the IO APIC entry becomes an unknown type */
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: No IOAPIC entries present"));
	assert_true(has(w, "ACPI: LAPIC_NMI (acpi_id[0xff] dfl dfl lint[0x1])"));
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: INT_SRC_OVR"), 0);
	assert_true(has(w, "ACPI: Using ACPI for processor (LAPIC) configuration information"));
	b->bytes[44] = b->bytes[44 + 8] = 0x7f;	/* and both CPU entries */
	fix_checksum(b->bytes, b->len, 9);
	run(w);
	assert_true(has(w, "ACPI: No LAPIC entries present"));
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: LAPIC_NMI"), 0);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: Using ACPI"), 0);
}

/* ACPICA's copy of the FADT: a field cut by the table's end keeps its bytes; the last FADT counts. */
static void fadt_pm_timer_short_and_second_fadt(void **state)
{
	struct world *w = *state;
	uint8_t second[244 - 36] = { 0 };
	struct sbuf s;
	struct blob *b;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	b = blob_at(w, 0x7000);
	put32(b->bytes + 76, 0x608);
	b->bytes[208] = 1;
	put64(b->bytes + 212, 0xb008);
	put32(b->bytes + 4, 216);	/* the X address's low half inside the table, its high half past it */
	fix_checksum(b->bytes, 216, 9);
	run(w);
	assert_true(has(w, "ACPI: PM-Timer IO Port: 0xb008"));

	put32(second + 76 - 36, 0x1808);	/* a second FADT, revision 1: its 32-bit block */
	world_teardown(state);
	world_setup(state);
	w = *state;
	world_with(w, &s, 3, NULL, 0, "FACP", second, sizeof(second));
	run(w);
	assert_true(has(w, "ACPI: PM-Timer IO Port: 0x1808"));
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: PM-Timer"), 1);
}

/* Linux walks 128 IO APIC entries; 6.12 says how many it left, 6.1 stops without a word. */
static void madt_ioapic_entries_past_128(void **state)
{
	struct world *w = *state;
	uint8_t madt[8 + 8 + 130 * 12] = { 0 };
	struct sbuf s;
	struct blob *root;
	uint8_t *p = madt + 8;

	put32(madt, 0xfee00000);
	p[0] = 0, p[1] = 8, p[2] = 0, p[3] = 0, put32(p + 4, 1), p += 8;
	for (unsigned i = 0; i < 130; i++, p += 12)
		p[0] = 1, p[1] = 12, p[2] = (uint8_t)i, put32(p + 4, 0xfec00000 + i * 0x1000), put32(p + 8, i * 24);
	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	add_table(w, 0x20000, "APIC", 5, madt, sizeof(madt));
	root = blob_at(w, 0x6000);
	put64(root->bytes + 36 + 8, 0x20000);	/* the XSDT's second entry: this MADT */
	fix_checksum(root->bytes, root->len, 9);
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: IOAPIC["), 128);
	assert_true(has(w, "memprobe: [Firmware Bug]: MADT lists 130 IO APICs; Linux reads the first 128"));
	assert_int_equal(capture_count_prefix(&w->c, "[APIC:0x01]"), 0);
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "[APIC:0x01] ignored 2 entries of 130 found"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: IOAPIC["), 128);
	w->fw.cmdline = NULL;
}

/* A MADT of local APIC entries (ID, flags) and one IO APIC, in place of the standard world's. */
static void use_madt_cpus(struct world *w, const uint8_t (*cpus)[2], unsigned n)
{
	uint8_t madt[8 + 64 * 8 + 12] = { 0 }, *p = madt + 8;
	struct blob *root;

	put32(madt, 0xfee00000);
	for (unsigned i = 0; i < n; i++, p += 8)
		p[0] = 0, p[1] = 8, p[2] = (uint8_t)i, p[3] = cpus[i][0], put32(p + 4, cpus[i][1]);
	p[0] = 1, p[1] = 12, put32(p + 4, 0xfec00000), p += 12;
	add_table(w, 0x20000, "APIC", 5, madt, (uint32_t)(p - madt));
	root = blob_at(w, 0x6000);
	put64(root->bytes + 36 + 8, 0x20000);
	fix_checksum(root->bytes, root->len, 9);
}

static void cpu_world(struct world *w, const uint8_t (*cpus)[2], unsigned n, uint32_t boot_apic_id)
{
	struct sbuf s;

	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0x1000000, 1);
	standard_world(w, &s, 3);
	use_madt_cpus(w, cpus, n);
	w->fw.cpu = (struct cpu_facts){ .known = true, .vendor = "GenuineIntel", .apic_id_known = true,
					 .apic_id = boot_apic_id };
}

/* The possible CPUs: enabled entries present, disabled ones hot-pluggable (6.12: only in a VM). */
static void possible_cpus_with_hotplug(void **state)
{
	struct world *w = *state;
	static const uint8_t cpus[][2] = { { 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 0 }, { 5, 0 } };

	cpu_world(w, cpus, 6, 0);
	run(w);
	assert_true(has(w, "smpboot: Allowing 6 CPUs, 2 hotplug CPUs"));
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Allowing 4 present CPUs plus 0 hotplug CPUs"));
	w->fw.cpu.hypervisor = true;	/* QEMU's legacy "Enabled=0" entries count in a VM */
	run(w);
	assert_true(has(w, "CPU topo: Allowing 4 present CPUs plus 2 hotplug CPUs"));
	w->fw.cmdline = "possible_cpus=8";
	run(w);
	assert_true(has(w, "smpboot: Allowing 8 CPUs, 4 hotplug CPUs"));
	w->fw.cmdline = NULL;
}

/* A MADT of local APIC (type 0) and x2APIC (type 9) entries and one IO APIC, in place of the standard world's. */
struct madt_cpu_entry {
	uint8_t type;
	uint32_t id, flags;
};

static void use_madt_entries(struct world *w, const struct madt_cpu_entry *e, unsigned n);

static void entries_world(struct world *w, const struct madt_cpu_entry *e, unsigned n)
{
	struct sbuf srat;

	srat_header(&srat, 1);
	srat_mem(&srat, 0, 0, 0x1000000, 1);
	standard_world(w, &srat, 3);
	use_madt_entries(w, e, n);
}

static void use_madt_entries(struct world *w, const struct madt_cpu_entry *e, unsigned n)
{
	uint8_t madt[8 + 32 * 16 + 12] = { 0 }, *p = madt + 8;
	struct blob *root;

	put32(madt, 0xfee00000);
	for (unsigned i = 0; i < n; i++)
		if (e[i].type == 0) {
			p[0] = 0, p[1] = 8, p[2] = (uint8_t)i, p[3] = (uint8_t)e[i].id, put32(p + 4, e[i].flags);
			p += 8;
		} else {
			p[0] = 9, p[1] = 16, put32(p + 4, e[i].id), put32(p + 8, e[i].flags), put32(p + 12, i);
			p += 16;
		}
	p[0] = 1, p[1] = 12, put32(p + 4, 0xfec00000), p += 12;
	add_table(w, 0x20000, "APIC", 5, madt, (uint32_t)(p - madt));
	root = blob_at(w, 0x6000);
	put64(root->bytes + 36 + 8, 0x20000);
	fix_checksum(root->bytes, root->len, 9);
}

/* The boot CPU's record: Intel family 6, APIC ID 0, x2APIC in CPUID; IA32_APIC_BASE as given (0: not read). */
static void boot_record(struct world *w, struct cpu_record *rec, uint64_t apic_base, const char *hypervisor)
{
	static const uint32_t l0[4] = { 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 };	/* GenuineIntel */
	const uint32_t l1[4] = { 0x306a9, 0, 1u << 21 | (hypervisor ? 1u << 31 : 0), 1u << 9 };

	memset(rec, 0, sizeof(*rec));
	rec->state = CPU_READ;
	cpu_record_add_leaf(rec, 0, 0, l0);
	cpu_record_add_leaf(rec, 1, 0, l1);
	if (hypervisor) {
		uint32_t h[4] = { 0x40000001, 0, 0, 0 };

		memcpy(&h[1], hypervisor, 12);
		cpu_record_add_leaf(rec, 0x40000000, 0, h);
	}
	if (apic_base)
		cpu_record_add_msr(rec, MSR_APIC_BASE, apic_base);
	w->fw.cpus = (struct cpu_records){ CPUS_MP_SERVICES, 1, 1, rec };
	cpu_facts_from_record(rec, &w->fw.cpu);
}

/*
 * x2APIC entries of ID 255 or more, with the firmware's APIC mode from
 * IA32_APIC_BASE: in xAPIC mode Linux ignores them (the enabled ones with a
 * line) and counts nothing for them; in x2APIC mode they are CPUs.  The
 * xAPIC cases are Debian's 6.1 and 6.12 booted under QEMU's TCG on these
 * MADTs: 6.1 counts a CPU listed both ways twice, 6.12 does not, and 6.12
 * under TCG (no hypervisor it knows) leaves disabled entries out.
 */
static void x2apic_entries(void **state)
{
	struct world *w = *state;
	static const struct madt_cpu_entry a[] = { { 0, 0, 1 }, { 0, 1, 1 }, { 0, 2, 0 }, { 9, 1, 1 }, { 9, 0x100, 1 },
						   { 9, 0x101, 0 }, { 9, 0xffffffff, 1 }, { 0, 0xff, 1 } };
	static struct cpu_record rec;

	entries_world(w, a, 8);
	boot_record(w, &rec, 0xfee00900, "TCGTCGTCGTCG");	/* xAPIC, the BSP */
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: x2apic entry ignored"), 1);
	assert_true(has(w, "smpboot: Allowing 4 CPUs, 1 hotplug CPUs"));
	assert_true(has(w, "memprobe: [Firmware Bug]: MADT: 1 enabled CPUs have x2APIC IDs of 255 or more, but the "
			   "firmware left the boot CPU's APIC in xAPIC mode, where they cannot be addressed: Linux "
			   "ignores them"));
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: x2apic entry ignored"), 1);
	assert_true(has(w, "CPU topo: Allowing 2 present CPUs plus 0 hotplug CPUs"));
	w->fw.cmdline = NULL;
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
}

/* The same with only x2APIC entries, and in x2APIC mode; a record that cannot tell the mode. */
static void x2apic_entries_only(void **state)
{
	struct world *w = *state;
	static const struct madt_cpu_entry b[] = { { 9, 0, 1 }, { 9, 1, 1 }, { 9, 0x100, 1 }, { 9, 0x1ff, 0 },
						   { 9, 0xffffffff, 1 }, { 9, 3, 0 } };
	static struct cpu_record rec;

	entries_world(w, b, 6);
	boot_record(w, &rec, 0xfee00900, "TCGTCGTCGTCG");	/* xAPIC, the BSP */
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: x2apic entry ignored"), 1);
	assert_true(has(w, "smpboot: Allowing 3 CPUs, 1 hotplug CPUs"));
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Allowing 2 present CPUs plus 0 hotplug CPUs"));
	/* a hypervisor 6.12 knows: its disabled entries are hot-pluggable */
	boot_record(w, &rec, 0xfee00900, "KVMKVMKVM\0\0\0");
	run(w);
	assert_true(has(w, "CPU topo: Allowing 2 present CPUs plus 1 hotplug CPUs"));

	/* x2APIC mode: every ID counts (6.1: the disabled ones as hotplug), and the lines memprobe leaves out are said */
	boot_record(w, &rec, 0xfee00d00, "TCGTCGTCGTCG");
	w->fw.cmdline = NULL;
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: x2apic entry ignored"), 0);
	assert_true(has(w, "smpboot: Allowing 5 CPUs, 2 hotplug CPUs"));
	assert_true(has(w, "memprobe: the firmware left the boot CPU's APIC in x2APIC mode: Linux's x2apic and APIC "
			   "routing lines are not predicted"));
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Allowing 3 present CPUs plus 0 hotplug CPUs"));

	/* no IA32_APIC_BASE in the record (an older run): the mode is not known, nor the count */
	boot_record(w, &rec, 0, NULL);
	w->fw.cmdline = NULL;
	run(w);
	assert_true(has(w, "memprobe: an x2APIC entry of the MADT has an ID of 255 or more, which Linux counts only "
			   "with the APIC in x2APIC mode; the firmware's mode is not known (an older run folder "
			   "without IA32_APIC_BASE, or --live, where the register is Linux's), so the possible CPUs "
			   "are not predicted"));
	assert_int_equal(capture_count_prefix(&w->c, "smpboot: Allowing"), 0);
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
}

/*
 * 6.12's check of the first CPU the MADT lists: not the boot CPU is a
 * firmware bug when the boot CPU is the BSP of reset, a crash kernel when
 * IA32_APIC_BASE says it is not; 6.1 says nothing.
 */
static void bsp_listed_first(void **state)
{
	struct world *w = *state;
	static const struct madt_cpu_entry e[] = { { 0, 1, 1 }, { 0, 0, 1 } };
	static struct cpu_record rec;

	entries_world(w, e, 2);
	boot_record(w, &rec, 0xfee00900, NULL);
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Boot CPU APIC ID not the first enumerated APIC ID: 0 != 1"));
	assert_true(has(w, "CPU topo: [Firmware Bug]: APIC enumeration order not specification compliant"));
	assert_true(has(w, "memprobe: the MADT's first CPU entry (APIC ID 0x1) is not the boot CPU (0x0): the ACPI "
			   "specification wants the boot processor first"));
	assert_true(has(w, "CPU topo: Allowing 2 present CPUs plus 0 hotplug CPUs"));
	boot_record(w, &rec, 0xfee00800, NULL);	/* not the BSP of reset: a crash kernel, to Linux */
	run(w);
	assert_true(has(w, "CPU topo: Crash kernel detected. Disabling real BSP to prevent machine INIT"));
	assert_true(has(w, "CPU topo: Allowing 1 present CPUs plus 0 hotplug CPUs"));
	assert_true(has(w, "CPU topo: Rejected CPUs 1"));
	w->fw.cmdline = NULL;
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "CPU topo: "), 0);
	assert_true(has(w, "smpboot: Allowing 2 CPUs, 0 hotplug CPUs"));
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
}

/* The boot CPU listed first but not the BSP of reset: 6.12 limits itself to it, then rejects the next as the real BSP. */
static void bsp_bit_clear(void **state)
{
	struct world *w = *state;
	static const struct madt_cpu_entry e[] = { { 0, 0, 1 }, { 0, 1, 1 } };
	static struct cpu_record rec;

	entries_world(w, e, 2);
	boot_record(w, &rec, 0xfee00800, NULL);
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Enumerated BSP APIC 0 is not marked in APICBASE MSR"));
	assert_true(has(w, "CPU topo: Assuming crash kernel. Limiting to one CPU to prevent machine INIT"));
	assert_true(has(w, "CPU topo: Boot CPU APIC ID not the first enumerated APIC ID: 0 != 1"));
	assert_true(has(w, "CPU topo: Crash kernel detected. Disabling real BSP to prevent machine INIT"));
	assert_int_equal(capture_count_prefix(&w->c, "CPU topo: CPU limit"), 0);
	assert_true(has(w, "CPU topo: Rejected CPUs 1"));
	assert_true(has(w, "memprobe: the boot CPU (APIC ID 0x0) is not marked as the BSP in its IA32_APIC_BASE: "
			   "Linux takes itself for a crash kernel and brings up one CPU"));
	w->fw.cmdline = NULL;
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
}

/* nr_cpus= below the MADT's count: each kernel's words for the CPUs it leaves out. */
static void possible_cpus_nr_cpus(void **state)
{
	struct world *w = *state;
	static const uint8_t cpus[][2] = { { 0, 1 }, { 2, 1 }, { 4, 1 }, { 6, 1 } };

	cpu_world(w, cpus, 4, 0);
	w->fw.cmdline = "nr_cpus=2";
	run(w);
	assert_true(has(w, "APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 2/0x4 ignored."));
	assert_true(has(w, "APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 3/0x6 ignored."));
	assert_true(has(w, "smpboot: 4 Processors exceeds NR_CPUS limit of 2"));
	assert_true(has(w, "smpboot: Allowing 2 CPUs, 0 hotplug CPUs"));
	/* The limit lines come as Linux counts, before the IO APIC's. */
	assert_true(strstr(w->c.text, "APIC: NR_CPUS") < strstr(w->c.text, "memprobe: IOAPIC[0]"));
	w->fw.cmdline = "nr_cpus=2 kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: CPU limit of 2 reached. Ignoring further CPUs"));
	assert_int_equal(capture_count_prefix(&w->c, "CPU topo: CPU limit"), 1);
	assert_true(has(w, "CPU topo: Allowing 2 present CPUs plus 0 hotplug CPUs"));
	assert_true(has(w, "CPU topo: Rejected CPUs 2"));
	/* A boot CPU listed after others: 6.1 keeps a slot for it. */
	w->fw.cpu.apic_id = 4;
	w->fw.cmdline = "nr_cpus=2";
	run(w);
	assert_true(has(w, "APIC: NR_CPUS/possible_cpus limit of 2 almost reached. Keeping one slot for boot "
			   "cpu.  Processor 1/0x2 ignored."));
	w->fw.cmdline = NULL;
}

/* An Intel CPU of 2 cores x 2 threads, one L3, the cores on two nodes: CPUs 0-3 at APIC IDs 0-3. */
static void smt_records(struct cpu_record *rec, uint32_t leaf1_eax)
{
	static const uint32_t l0[4] = { 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 };	/* GenuineIntel */
	static const uint32_t b0[4] = { 1, 2, 0x100, 0 }, b1[4] = { 2, 4, 0x201, 0 }, b2[4] = { 0, 0, 2, 0 };
	static const uint32_t c0[4] = { 0x21 | 1u << 14, 0, 0, 0 }, c1[4] = { 0x43 | 1u << 14, 0, 0, 0 },
			      c2[4] = { 0x63 | 3u << 14, 0, 0, 0 }, c3[4] = { 0, 0, 0, 0 };

	for (uint32_t a = 0; a < 4; a++) {
		const uint32_t l1[4] = { leaf1_eax, a << 24, 0, 1u << 28 };

		memset(&rec[a], 0, sizeof(rec[a]));
		rec[a].apic_id = a;
		rec[a].state = CPU_READ;
		cpu_record_add_leaf(&rec[a], 0, 0, l0);
		cpu_record_add_leaf(&rec[a], 1, 0, l1);
		cpu_record_add_leaf(&rec[a], 4, 0, c0);
		cpu_record_add_leaf(&rec[a], 4, 1, c1);
		cpu_record_add_leaf(&rec[a], 4, 2, c2);
		cpu_record_add_leaf(&rec[a], 4, 3, c3);
		cpu_record_add_leaf(&rec[a], 0xb, 0, b0);
		cpu_record_add_leaf(&rec[a], 0xb, 1, b1);
		cpu_record_add_leaf(&rec[a], 0xb, 2, b2);
	}
}

/* The machine's nodes as x86_numa_init would leave them: apic[i] on node[i] (-1: no SRAT entry), nodes 0-1 online. */
static void run_bringup_on(struct world *w, const char *cmdline, const uint32_t *apic, const int *node, unsigned n)
{
	w->fw.cmdline = cmdline;
	capture_reset(&w->c);
	machine_init(w->m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	memprobe_run_acpi(w->m);
	memset(w->m->numa.apicid_to_node, 0xff, sizeof(w->m->numa.apicid_to_node));
	memset(w->m->numa.online, 0, sizeof(w->m->numa.online));
	memset(w->m->numa.possible, 0, sizeof(w->m->numa.possible));
	for (unsigned i = 0; i < n; i++)
		w->m->numa.apicid_to_node[apic[i]] = (int16_t)node[i];
	node_set(w->m->numa.online, 0);
	node_set(w->m->numa.online, 1);
	node_set(w->m->numa.possible, 0);
	node_set(w->m->numa.possible, 1);
	init_cpu_to_node(w->m);
	smp_init(w->m);
	machine_release(w->m);
}

/* APIC 0-1 on node 0, 2-3 on node 1. */
static void run_bringup(struct world *w, const char *cmdline)
{
	static const uint32_t apic[] = { 0, 1, 2, 3 };
	static const int node[] = { 0, 0, 1, 1 };

	run_bringup_on(w, cmdline, apic, node, 4);
}

/*
 * Two EPYC 7763 sockets (Zen 3, family 0x19 model 0x01, TOPOEXT), one core
 * of two threads each: leaf 0xB's shifts (1 for SMT, 7 for the package), an
 * L3 shared by 16 threads (0x8000001D subleaf 3), 0x8000001E's node ID.
 */
static void epyc_records(struct cpu_record *rec, const uint32_t *apic, unsigned n)
{
	static const uint32_t l0[4] = { 0x10, 0x68747541, 0x444d4163, 0x69746e65 };	/* AuthenticAMD */
	static const uint32_t e0[4] = { 0x80000023, 0, 0, 0 }, e1[4] = { 0, 0, 1u << 22, 0 };
	static const uint32_t e6[4] = { 0, 0, 0x02006140, 0x08009140 }, e8[4] = { 0x3030, 0, 0x707f, 0 };
	static const uint32_t d0[4] = { 0x4121, 0, 0, 0 }, d1[4] = { 0x4122, 0, 0, 0 }, d2[4] = { 0x4143, 0, 0, 0 },
			      d3[4] = { 0x3c163, 0, 0, 0 }, d4[4] = { 0, 0, 0, 0 };

	for (unsigned i = 0; i < n; i++) {
		const uint32_t l1[4] = { 0xa00f11, apic[i] << 24 | 128 << 16, 0, 1u << 28 | 1u << 9 };
		const uint32_t b0[4] = { 1, 2, 0x100, apic[i] }, b1[4] = { 7, 0x80, 0x201, apic[i] },
			       b2[4] = { 0, 0, 2, apic[i] };
		const uint32_t e1e[4] = { apic[i], 0x100 | ((apic[i] & 0x7f) >> 1), apic[i] >> 7, 0 };

		memset(&rec[i], 0, sizeof(rec[i]));
		rec[i].apic_id = apic[i];
		rec[i].state = CPU_READ;
		cpu_record_add_leaf(&rec[i], 0, 0, l0);
		cpu_record_add_leaf(&rec[i], 1, 0, l1);
		cpu_record_add_leaf(&rec[i], 0xb, 0, b0);
		cpu_record_add_leaf(&rec[i], 0xb, 1, b1);
		cpu_record_add_leaf(&rec[i], 0xb, 2, b2);
		cpu_record_add_leaf(&rec[i], 0x80000000, 0, e0);
		cpu_record_add_leaf(&rec[i], 0x80000001, 0, e1);
		cpu_record_add_leaf(&rec[i], 0x80000006, 0, e6);
		cpu_record_add_leaf(&rec[i], 0x80000008, 0, e8);
		cpu_record_add_leaf(&rec[i], 0x8000001d, 0, d0);
		cpu_record_add_leaf(&rec[i], 0x8000001d, 1, d1);
		cpu_record_add_leaf(&rec[i], 0x8000001d, 2, d2);
		cpu_record_add_leaf(&rec[i], 0x8000001d, 3, d3);
		cpu_record_add_leaf(&rec[i], 0x8000001d, 4, d4);
		cpu_record_add_leaf(&rec[i], 0x8000001e, 0, e1e);
	}
}

/*
 * SMT off in the firmware's setup: leaf 0xB keeps its SMT level (shift 1) but
 * counts one thread, and the APIC IDs are even.  One thread a core in 6.12's
 * counts, plain CPU-number order, 6.1's package count from 4 cores.
 */
static void bringup_smt_off(void **state)
{
	struct world *w = *state;
	static const struct madt_cpu_entry e[] = { { 0, 0, 1 }, { 0, 2, 1 }, { 0, 4, 1 }, { 0, 6, 1 } };
	static const uint32_t apic[] = { 0, 2, 4, 6 };
	static const int node[] = { 0, 0, 1, 1 };
	static struct cpu_record rec[4];

	entries_world(w, e, 4);
	smt_records(rec, 0x50654);
	for (unsigned i = 0; i < 4; i++) {
		rec[i].apic_id = apic[i];
		for (unsigned l = 0; l < rec[i].nr_leaves; l++) {
			struct cpuid_regs *r = &rec[i].leaf[l];

			if (r->leaf == 1)
				r->ebx = apic[i] << 24;
			if (r->leaf == 0xb)
				r->edx = apic[i];
			if (r->leaf == 0xb && r->subleaf == 0)
				r->ebx = 1;	/* one thread at the SMT level */
			if (r->leaf == 0xb && r->subleaf == 1) {
				r->eax = 3;	/* the package: 4 cores of 2 thread IDs each */
				r->ebx = 4;
			}
		}
	}
	w->fw.cpus = (struct cpu_records){ CPUS_MP_SERVICES, 4, 4, rec };
	cpu_facts_from_record(&rec[0], &w->fw.cpu);
	run_bringup_on(w, "kernel=6.12", apic, node, 4);
	assert_true(has(w, "CPU topo: Max. logical packages:   1"));
	assert_true(has(w, "CPU topo: Max. threads per core:   1"));
	assert_true(has(w, "CPU topo: Num. cores per package:     4"));
	assert_true(has(w, ".... node  #0, CPUs:      #1"));
	assert_true(has(w, ".... node  #1, CPUs:   #2 #3"));
	run_bringup_on(w, NULL, apic, node, 4);
	assert_true(has(w, ".... node  #1, CPUs:   #2 #3"));
	assert_true(has(w, "smpboot: Max logical packages: 1"));
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
	w->fw.cmdline = NULL;
}

/*
 * 6.12 on Zen 4 (an EPYC 9124: four CCDs of four cores, two threads each):
 * leaf 0x80000026 before leaf 0xB, its CCD level as the die, so four dies in
 * the package where leaf 0xB alone would give one.
 */
static void topology_counts_amd_8000_0026(void **state)
{
	struct world *w = *state;
	static struct madt_cpu_entry e[32];
	static struct cpu_record rec;
	static const uint32_t l0[4] = { 0x10, 0x68747541, 0x444d4163, 0x69746e65 };
	static const uint32_t l1[4] = { 0xa10f11, 32 << 16, 0, 1u << 28 | 1u << 9 };
	static const uint32_t b0[4] = { 1, 2, 0x100, 0 }, b1[4] = { 6, 32, 0x201, 0 }, b2[4] = { 0, 0, 2, 0 };
	static const uint32_t e0[4] = { 0x80000028, 0, 0, 0 }, e1[4] = { 0, 0, 1u << 22, 0 };
	static const uint32_t x0[4] = { 1, 2, 0x100, 0 }, x1[4] = { 4, 8, 0x201, 0 }, x2[4] = { 4, 8, 0x302, 0 },
			      x3[4] = { 6, 32, 0x403, 0 }, x4[4] = { 0, 0, 0, 0 };

	for (unsigned i = 0; i < 32; i++)	/* APIC ID: CCD << 4 | core << 1 | thread */
		e[i] = (struct madt_cpu_entry){ 0, (i / 8) << 4 | (i % 8), 1 };
	entries_world(w, e, 32);
	memset(&rec, 0, sizeof(rec));
	rec.state = CPU_READ;
	cpu_record_add_leaf(&rec, 0, 0, l0);
	cpu_record_add_leaf(&rec, 1, 0, l1);
	cpu_record_add_leaf(&rec, 0xb, 0, b0);
	cpu_record_add_leaf(&rec, 0xb, 1, b1);
	cpu_record_add_leaf(&rec, 0xb, 2, b2);
	cpu_record_add_leaf(&rec, 0x80000000, 0, e0);
	cpu_record_add_leaf(&rec, 0x80000001, 0, e1);
	cpu_record_add_leaf(&rec, 0x80000026, 0, x0);
	cpu_record_add_leaf(&rec, 0x80000026, 1, x1);
	cpu_record_add_leaf(&rec, 0x80000026, 2, x2);
	cpu_record_add_leaf(&rec, 0x80000026, 3, x3);
	cpu_record_add_leaf(&rec, 0x80000026, 4, x4);
	w->fw.cpus = (struct cpu_records){ CPUS_MP_SERVICES, 1, 32, &rec };
	cpu_facts_from_record(&rec, &w->fw.cpu);
	w->fw.cmdline = "kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Max. logical packages:   1"));
	assert_true(has(w, "CPU topo: Max. logical dies:       4"));
	assert_true(has(w, "CPU topo: Max. dies per package:   4"));
	assert_true(has(w, "CPU topo: Max. threads per core:   2"));
	assert_true(has(w, "CPU topo: Num. cores per package:    16"));
	assert_true(has(w, "CPU topo: Num. threads per package:  32"));
	rec.nr_leaves -= 5;	/* a record without leaf 0x80000026 (an older run): not predicted */
	run(w);
	assert_int_equal(capture_count_prefix(&w->c, "CPU topo: Max."), 0);
	w->fw.cmdline = NULL;
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
}

/*
 * 6.1 on AMD with TOPOEXT (amd_get_topology): the package from leaf 0xB,
 * the LLC from the L3's sharing; a CPU the SRAT leaves out takes the node of
 * its LLC ID when online, else its nearest lower neighbour's.  Without leaf
 * 0xB, 0x80000008's ApicIdSize and 0x8000001E's threads per core.
 */
static void bringup_amd_topoext(void **state)
{
	struct world *w = *state;
	static const struct madt_cpu_entry e[] = { { 0, 0, 1 }, { 0, 1, 1 }, { 0, 0x80, 1 }, { 0, 0x81, 1 } };
	static const uint32_t apic[] = { 0, 1, 0x80, 0x81 };
	static const int node[] = { 0, 0, 1, 1 }, partial[] = { 0, 0, 1, -1 };
	static struct cpu_record rec[4];

	entries_world(w, e, 4);
	epyc_records(rec, apic, 4);
	w->fw.cpus = (struct cpu_records){ CPUS_MP_SERVICES, 4, 4, rec };
	cpu_facts_from_record(&rec[0], &w->fw.cpu);
	run_bringup_on(w, NULL, apic, node, 4);
	assert_true(has(w, "smpboot: CPU0: AMD 19/01 (family: 0x19, model: 0x1, stepping: 0x1)"));
	assert_true(has(w, ".... node  #0, CPUs:      #1"));
	assert_true(has(w, ".... node  #1, CPUs:   #2 #3"));
	assert_true(has(w, "smp: Brought up 2 nodes, 4 CPUs"));
	assert_true(has(w, "smpboot: Max logical packages: 2"));	/* 4 CPUs / (1 core x 2 threads) */
	assert_int_equal(capture_count_prefix(&w->c, "sched: "), 0);
	/* APIC 0x81 without an SRAT entry: its LLC ID (8) is no online node; APIC 0x80's node is nearest */
	run_bringup_on(w, NULL, apic, partial, 4);
	assert_true(has(w, "smp: Brought up 2 nodes, 4 CPUs"));
	assert_int_equal(capture_count_prefix(&w->c, "sched: "), 0);
	/* no leaf 0xB: ApicIdSize 7 for the package, two threads a core from 0x8000001E */
	for (unsigned i = 0; i < 4; i++)
		rec[i].leaf[2].ebx = rec[i].leaf[2].ecx = 0;	/* 0xB.0: no level */
	run_bringup_on(w, NULL, apic, node, 4);
	assert_true(has(w, "smpboot: Max logical packages: 2"));
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
}

/*
 * Bring-up on an SMT part: 6.12's topology counts and its first-threads-first
 * order, 6.1's layout and package count; one L3 across two nodes is silent on
 * Intel's family 6 (SNC) and warned about otherwise.
 */
static void bringup_smt(void **state)
{
	struct world *w = *state;
	static const uint8_t cpus[][2] = { { 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 } };
	static struct cpu_record rec[4];

	cpu_world(w, cpus, 4, 0);
	smt_records(rec, 0x50654);	/* family 6, model 0x55 */
	w->fw.cpus = (struct cpu_records){ CPUS_MP_SERVICES, 4, 4, rec };
	cpu_facts_from_record(&rec[0], &w->fw.cpu);
	run_bringup(w, "kernel=6.12");
	assert_true(has(w, "CPU topo: Max. logical packages:   1"));
	assert_true(has(w, "CPU topo: Max. threads per core:   2"));
	assert_true(has(w, "CPU topo: Num. cores per package:     2"));
	assert_true(has(w, "CPU topo: Num. threads per package:   4"));
	assert_true(has(w, "smpboot: x86: Booting SMP configuration:"));
	assert_true(has(w, ".... node  #1, CPUs:      #2"));	/* the first threads first */
	assert_true(has(w, ".... node  #0, CPUs:   #1"));
	assert_true(has(w, ".... node  #1, CPUs:   #3"));
	assert_int_equal(capture_count_prefix(&w->c, "sched: "), 0);
	assert_true(has(w, "smp: Brought up 2 nodes, 4 CPUs"));
	run_bringup(w, NULL);
	assert_true(has(w, "x86: Booting SMP configuration:"));
	assert_true(has(w, ".... node  #0, CPUs:      #1"));
	assert_true(has(w, ".... node  #1, CPUs:   #2 #3"));
	assert_true(has(w, "smpboot: Max logical packages: 1"));
	/* no brand string: Linux's family/model in its place, the vendor before it */
	assert_true(has(w, "smpboot: CPU0: Intel 06/55 (family: 0x6, model: 0x55, stepping: 0x4)"));
	smt_records(rec, 0xf43);	/* family 0xF: no SNC exception */
	run_bringup(w, NULL);
	assert_true(has(w, "sched: CPU #2's llc-sibling CPU #0 is not on the same node! [node: 1 != 0]. Ignoring "
			   "dependency."));
	assert_int_equal(capture_count_prefix(&w->c, "sched: "), 1);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: CPUs 0 and 2 share a last-level "
						 "cache"), 1);
	/* the two threads of core 0 on two nodes: match_smt's warning comes first, the LLC's is not printed */
	{
		static const uint32_t apic[] = { 0, 1, 2, 3 };
		static const int split[] = { 0, 1, 1, 1 };

		run_bringup_on(w, NULL, apic, split, 4);
		assert_true(has(w, "sched: CPU #1's smt-sibling CPU #0 is not on the same node! [node: 1 != 0]. Ignoring "
				   "dependency."));
		assert_int_equal(capture_count_prefix(&w->c, "sched: "), 1);
		assert_true(has(w, "memprobe: [Firmware Bug]: CPUs 0 and 1 are threads of one core but the SRAT puts them "
				   "on nodes 0 and 1; Linux warns (with a stack trace) and ignores the sharing"));
	}
	/* maxcpus=2: two CPUs up, the nodes of all present ones online */
	run_bringup(w, "maxcpus=2");
	assert_true(has(w, "smp: Brought up 2 nodes, 2 CPUs"));
	assert_true(has(w, ".... node  #0, CPUs:      #1"));
	assert_int_equal(capture_count_prefix(&w->c, ".... node  #1"), 0);
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
	w->fw.cmdline = NULL;
}

/* maxcpus=0: one CPU, and (x86's arch_disable_smp_support) no IO APIC. */
static void possible_cpus_maxcpus_zero(void **state)
{
	struct world *w = *state;
	static const uint8_t cpus[][2] = { { 0, 1 }, { 1, 1 } };

	cpu_world(w, cpus, 2, 0);
	w->fw.cmdline = "maxcpus=0";
	run(w);
	assert_true(has(w, "ACPI: Skipping IOAPIC probe due to 'noapic' option."));
	assert_true(has(w, "ACPI: Using ACPI for processor (LAPIC) configuration information"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: IOAPIC["), 0);
	assert_true(has(w, "smpboot: 2 Processors exceeds max_cpus limit of 0"));
	assert_true(has(w, "smpboot: Allowing 1 CPUs, 0 hotplug CPUs"));
	w->fw.cmdline = "maxcpus=0 kernel=6.12";
	run(w);
	assert_true(has(w, "CPU topo: Limiting to 1 possible CPUs"));
	assert_true(strstr(w->c.text, "CPU topo: Limiting to 1 possible CPUs") <
		    strstr(w->c.text, "ACPI: Skipping IOAPIC probe"));
	assert_true(has(w, "CPU topo: Allowing 1 present CPUs plus 0 hotplug CPUs"));
	assert_true(has(w, "CPU topo: Rejected CPUs 1"));
	w->fw.cmdline = "maxcpus=none";	/* get_option() stores 0 for a word that is no number */
	run(w);
	assert_true(has(w, "smpboot: Allowing 1 CPUs, 0 hotplug CPUs"));
	w->fw.cmdline = "noapic";
	run(w);
	assert_true(has(w, "ACPI: Skipping IOAPIC probe due to 'noapic' option."));
	assert_true(has(w, "smpboot: Allowing 2 CPUs, 0 hotplug CPUs"));
	w->fw.cmdline = NULL;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, world_setup, world_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(table_list_xsdt),
		T(rsdt_and_fallbacks),
		T(broken_tables),
		T(unread_root_not_dumped),
		T(no_rsdp),
		T(srat_lines_and_node_order),
		T(srat_revision_one_masks_pxm),
		T(srat_rejections),
		T(srat_bad_length_and_no_memory),
		T(srat_too_many_pxms_and_invalid_blocks),
		T(srat_generic_initiator_quirk),
		T(srat_validation),
		T(srat_subtable_past_the_end),
		T(srat_overlap_between_nodes),
		T(slit),
		T(slit_asymmetric_and_short),
		T(slit_read_past_end),
		T(madt),
		T(madt_nmi_order),
		T(madt_without_cpus_or_ioapics),
		T(fadt_pm_timer),
		T(fadt_pm_timer_short_and_second_fadt),
		T(madt_ioapic_entries_past_128),
		T(possible_cpus_with_hotplug),
		T(possible_cpus_nr_cpus),
		T(x2apic_entries),
		T(x2apic_entries_only),
		T(bsp_listed_first),
		T(bsp_bit_clear),
		T(bringup_amd_topoext),
		T(topology_counts_amd_8000_0026),
		T(bringup_smt_off),
		T(possible_cpus_maxcpus_zero),
		T(bringup_smt),
		T(hpet),
		T(multiple_madts),
		T(single_madt_ignores_the_instance),
		T(acpidump_round_trip),
		T(random_corruption),
		T(random_acpidump_text),
		T(listed_tables_too_short),
		T(findings_bounded),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
