// SPDX-License-Identifier: MIT
/*
 * pci_mmcfg_early_init (core/x86/mmconfig.c) on built machines: the MCFG's
 * regions in each kernel's words, the e820 check and its shrinking, the
 * refusals; and the SMBIOS BIOS date (dmi_scan_machine, core/x86/efi.c)
 * that decides 6.12's check and the regions above 4 GiB.
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
#include "memprobe/mm/mm_init.h"

#define MB (1ULL << 20)
#define GB (1ULL << 30)
#define WB EFI_ATTR_WB
#define ECAM 0xb0000000ULL
#define SMBIOS_ENTRY 0x7f000000ULL	/* in runtime data */
#define SMBIOS_TABLE 0x7f001000ULL

static const uint8_t guid_smbios[16] = { 0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
					  0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };

/* 2 GiB of RAM, runtime data for SMBIOS, reserved bytes at the ECAM (reserved: how many MiB of its 256), the tables. */
static void ecam_map(struct rawmap *r, uint64_t reserved_mib)
{
	rawmap_init(r, 48);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, MB, (SMBIOS_ENTRY - MB) >> 12, WB);
	rawmap_add(r, EFI_RUNTIME_SERVICES_DATA, SMBIOS_ENTRY, 0x10, WB | EFI_ATTR_RUNTIME);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, SMBIOS_ENTRY + 0x10000, (2 * GB - SMBIOS_ENTRY - 0x10000) >> 12, WB);
	if (reserved_mib)
		rawmap_add(r, EFI_RESERVED_TYPE, ECAM, (reserved_mib * MB) >> 12, 0);
	rawmap_add(r, EFI_ACPI_RECLAIM_MEMORY, 0xfff00000, 0x10, WB);
}

/* An MCFG of entries { base, segment, start bus, end bus }, the only table. */
static void mcfg(struct world *w, uint8_t revision, const uint64_t (*e)[4], unsigned n)
{
	static const uint64_t tables[1] = { 0xfff01000 };
	uint8_t body[8 + 16 * 8] = { 0 };

	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = body + 8 + 16 * i;

		put64(p, e[i][0]);
		p[8] = (uint8_t)e[i][1];
		p[9] = (uint8_t)(e[i][1] >> 8);
		p[10] = (uint8_t)e[i][2];
		p[11] = (uint8_t)e[i][3];
	}
	add_table(w, tables[0], "MCFG", revision, body, 8 + 16 * n);
	add_root(w, 0xfff00100, true, tables, 1);
	add_rsdp(w, 0xfff00000, 2, 0, 0xfff00100);
}

/* How an SMBIOS 2.x entry point is shaped: the _SM_ length (0: no _SM_ part), the end marker first. */
struct smbios_shape {
	uint8_t sm_length;
	bool end_first;
};

/* A type-0 structure (vendor 1, version 2, date 3) at p; Return: its length with its strings. */
static uint32_t bios_structure(uint8_t *p, const char *date)
{
	uint32_t n = 0x18;

	memset(p, 0, 0x18);
	p[1] = 0x18, p[4] = 1, p[5] = 2, p[8] = 3;
	n += (uint32_t)sprintf((char *)p + n, "EFI Development Kit II") + 1;
	n += (uint32_t)sprintf((char *)p + n, "0.0.0") + 1;
	n += (uint32_t)sprintf((char *)p + n, "%s", date) + 1;
	p[n++] = 0;
	return n;
}

/* An SMBIOS 2.x entry point and a table of a type-0 structure dated date and type 127. */
static void smbios_shaped(struct world *w, const char *date, struct smbios_shape shape)
{
	uint8_t entry[32] = { 0 }, table[256] = { 0 };
	uint32_t n = 0;

	if (shape.end_first) {
		table[0] = 127, table[1] = 4;
		n = 6;
	}
	n += bios_structure(table + n, date);
	if (!shape.end_first) {
		table[n] = 127, table[n + 1] = 4;
		n += 6;
	}
	if (shape.sm_length) {
		memcpy(entry, "_SM_", 4);
		entry[5] = shape.sm_length;
		entry[6] = 2, entry[7] = 8;
	}
	memcpy(entry + 16, "_DMI_", 5);
	entry[0x16] = (uint8_t)n;
	put32(entry + 0x18, (uint32_t)SMBIOS_TABLE);
	entry[0x1c] = 2;
	fix_checksum(entry + 16, 15, 5);
	if (shape.sm_length)
		fix_checksum(entry, shape.sm_length, 4);
	add_raw(w, SMBIOS_ENTRY, entry, sizeof(entry));
	add_raw(w, SMBIOS_TABLE, table, n);
	w->fw.efi.config[w->fw.efi.nr_config].table = SMBIOS_ENTRY;
	memcpy(w->fw.efi.config[w->fw.efi.nr_config++].guid, guid_smbios, 16);
}

/* The usual shape: SMBIOS 2.8's 31-byte entry point, type 0 first. */
static void smbios(struct world *w, const char *date)
{
	smbios_shaped(w, date, (struct smbios_shape){ 0x1f, false });
}

static struct machine *run(struct world *w, const struct rawmap *r, const char *options)
{
	struct machine *m = malloc(sizeof(*m));

	w->fw.memmap = r->map;
	w->fw.cmdline = options;
	capture_reset(&w->c);
	machine_init(m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	memprobe_run(m);
	return m;
}

static void done(struct machine *m)
{
	machine_release(m);
	free(m);
}

static bool has(struct world *w, const char *line)
{
	if (capture_has_line(&w->c, line))
		return true;
	fprintf(stderr, "missing line: %s\n--- output:\n%s", line, w->c.text);
	return false;
}

/* QEMU q35's MCFG on OVMF's 2015 BIOS: the region and its e820 check, in each kernel's words. */
static void q35(void **state)
{
	struct world *w = *state;
	static const uint64_t one[][4] = { { ECAM, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 256);
	mcfg(w, 1, one, 1);
	smbios(w, "02/06/2015");
	m = run(w, &r, "");
	assert_int_equal(m->dmi.bios_year, 2015);
	assert_string_equal(m->dmi.bios_date, "02/06/2015");
	assert_true(has(w, "PCI: MMCONFIG for domain 0000 [bus 00-ff] at [mem 0xb0000000-0xbfffffff] (base 0xb0000000)"));
	assert_true(has(w, "PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in E820"));
	done(m);
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "PCI: ECAM [mem 0xb0000000-0xbfffffff] (base 0xb0000000) for domain 0000 [bus 00-ff]"));
	assert_true(has(w, "PCI: ECAM [mem 0xb0000000-0xbfffffff] reserved as E820 entry"));
	done(m);
	rawmap_free(&r);
}

/* A BIOS from 2023: 6.12 takes the region without looking at e820 (so without its line); 6.1 still checks. */
static void newer_bios(void **state)
{
	struct world *w = *state;
	static const uint64_t one[][4] = { { ECAM, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 0);
	mcfg(w, 1, one, 1);
	smbios(w, "11/30/23");	/* two digits: 2023 */
	m = run(w, &r, "kernel=6.12");
	assert_int_equal(m->dmi.bios_year, 2023);
	assert_true(has(w, "PCI: ECAM [mem 0xb0000000-0xbfffffff] (base 0xb0000000) for domain 0000 [bus 00-ff]"));
	assert_int_equal(capture_count_prefix(&w->c, "PCI: "), 1);
	done(m);
	/* 6.1 checks: nothing reserved, every region dropped, the firmware bug named */
	m = run(w, &r, "");
	assert_true(has(w, "PCI: not using MMCONFIG"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: MCFG: the ECAM [mem 0xb0000000-0xbfffffff] "
						    "is not reserved in e820"), 1);
	assert_true(m->unpredicted & UNPREDICTED_MMCONFIG_LATE);
	done(m);
	rawmap_free(&r);
}

/* Only the first 128 MiB reserved: halved once, the whole region named first, then the part kept. */
static void shrunk(void **state)
{
	struct world *w = *state;
	static const uint64_t one[][4] = { { ECAM, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 128);
	mcfg(w, 1, one, 1);
	smbios(w, "02/06/2015");
	m = run(w, &r, "");
	assert_true(has(w, "PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in E820"));
	assert_true(has(w, "PCI: MMCONFIG for 0000 [bus00-7f] at [mem 0xb0000000-0xb7ffffff] (base 0xb0000000) (size "
			   "reduced!)"));
	done(m);
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "PCI: ECAM [mem 0xb0000000-0xb7ffffff] (base 0xb0000000) for 0000 [bus00-7f] (size reduced!)"));
	done(m);
	rawmap_free(&r);
}

/* Two segments listed 1 then 0: each line as it is added, the checks in (segment, bus) order; 8 MiB reserved is too little. */
static void sorted_and_refused(void **state)
{
	struct world *w = *state;
	static const uint64_t two[][4] = { { ECAM + 0x8000000, 1, 0, 0x7f }, { ECAM, 0, 0, 0x7f } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 8);
	mcfg(w, 1, two, 2);
	smbios(w, "02/06/2015");
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "PCI: ECAM [mem 0xb8000000-0xbfffffff] (base 0xb8000000) for domain 0001 [bus 00-7f]"));
	assert_true(has(w, "PCI: ECAM [mem 0xb0000000-0xb7ffffff] (base 0xb0000000) for domain 0000 [bus 00-7f]"));
	/* segment 0 is checked first and fails: the line names it */
	assert_true(has(w, "PCI: not using ECAM ([mem 0xb0000000-0xb7ffffff] not reserved)"));
	assert_non_null(strstr(w->c.text, "domain 0001 [bus 00-7f]\nPCI: ECAM [mem 0xb0000000"));
	done(m);
	rawmap_free(&r);
}

/* Above 4 GiB: from 2010 on with a revision-1 table; a 2009 BIOS drops it all; no SMBIOS bytes: not predicted. */
static void above_4g(void **state)
{
	struct world *w = *state;
	static const uint64_t high[][4] = { { 0x4000000000ULL, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 0);
	mcfg(w, 1, high, 1);
	smbios(w, "12/31/2009");
	m = run(w, &r, "");
	assert_true(has(w, "PCI: MCFG region for 0000 [bus 00-ff] at 0x4000000000 is above 4GB, ignored"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: MCFG: region 0 (segment 0000) is at "
						    "0x4000000000, above 4 GiB"), 1);
	assert_int_equal(capture_count_prefix(&w->c, "PCI: MMCONFIG"), 0);
	done(m);
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "PCI: ECAM at 0x4000000000 for 0000 [bus 00-ff] is above 4GB, ignored"));
	done(m);
	w->fw.efi.config[0].table = 0x7e000000;	/* an entry point the input holds no bytes of */
	m = run(w, &r, "");
	assert_false(m->dmi.known);
	assert_int_equal(capture_count_prefix(&w->c, "PCI: "), 0);
	assert_true(m->unpredicted & UNPREDICTED_MMCONFIG);
	done(m);
	rawmap_free(&r);
}

/* An MCFG of no entries, and one whose base is 0. */
static void empty_and_zero(void **state)
{
	struct world *w = *state;
	static const uint64_t zero[][4] = { { 0, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 256);
	mcfg(w, 1, zero, 0);
	m = run(w, &r, "");
	assert_true(has(w, "PCI: MMCONFIG has no entries"));
	done(m);
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "PCI: MCFG has no entries"));
	done(m);
	rawmap_free(&r);
}

static void zero_base(void **state)
{
	struct world *w = *state;
	static const uint64_t zero[][4] = { { 0, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 256);
	mcfg(w, 1, zero, 1);
	m = run(w, &r, "");
	assert_true(has(w, "PCI: no memory for MCFG entries"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: MCFG: region 0 (segment 0000) has base 0"),
			 1);
	done(m);
	rawmap_free(&r);
}

/* A new firmware: the built tables and the configuration tables dropped. */

static void forget_tables(struct world *w)
{
	for (unsigned i = 0; i < w->nr; i++)
		free(w->b[i].bytes);
	w->nr = 0;
	w->fw.efi.nr_config = 0;
}

/* What Linux's arithmetic cannot take is not predicted: a table shorter than its header, buses ending before they start. */
static void not_predicted(void **state)
{
	struct world *w = *state;
	static const uint64_t reversed[][4] = { { ECAM, 0, 0x10, 0x0f } };
	static const uint64_t tables[1] = { 0xfff01000 };
	static const uint8_t short_body[4] = { 0 };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 256);
	mcfg(w, 1, reversed, 1);
	m = run(w, &r, "");
	assert_int_equal(capture_count_prefix(&w->c, "PCI: "), 0);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: MCFG: region 0 (segment 0000) ends at bus "
						    "0f, before its start bus 10"), 1);
	assert_true(m->unpredicted & UNPREDICTED_MMCONFIG);
	done(m);
	forget_tables(w);
	add_table(w, tables[0], "MCFG", 1, short_body, sizeof(short_body));
	add_root(w, 0xfff00100, true, tables, 1);
	add_rsdp(w, 0xfff00000, 2, 0, 0xfff00100);
	m = run(w, &r, "");
	assert_int_equal(capture_count_prefix(&w->c, "PCI: "), 0);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: MCFG: the table is 40 bytes"), 1);
	done(m);
	rawmap_free(&r);
}

/* 6.12 on a 2023 BIOS does not check e820, but its ioremap refuses an ECAM in RAM: not predicted after the region. */
static void ecam_in_ram(void **state)
{
	struct world *w = *state;
	static const uint64_t in_ram[][4] = { { 0x40000000, 0, 0, 0xff } };
	struct rawmap r;
	struct machine *m;

	ecam_map(&r, 0);
	mcfg(w, 1, in_ram, 1);
	smbios(w, "01/01/2023");
	m = run(w, &r, "kernel=6.12");
	assert_true(has(w, "PCI: ECAM [mem 0x40000000-0x4fffffff] (base 0x40000000) for domain 0000 [bus 00-ff]"));
	assert_true(m->unpredicted & UNPREDICTED_MMCONFIG_LATE);
	done(m);
	rawmap_free(&r);
}


/* The year as dmi_get_bios_year() reads it from the whole date string; an unsigned long kept in an int. */
static void dmi_years(void **state)
{
	static const struct { const char *date; int year; } dates[] = {
		{ "02/06/2015", 2015 }, { "11/30/23", 2023 }, { "01/01/95", 2095 }, { "01/01/96", 1996 },
		{ "0123456789012345678901234567890123456789/2012", 2012 }, { "01/01/4294969306", 2010 },
		{ "/4294967295", 1999 }, { "   ", -1 }, { "2015", -1 }, { "01/01/12345", -1 },
	};
	struct world *w = *state;
	struct rawmap r;

	ecam_map(&r, 0);
	for (unsigned i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct machine *m;

		forget_tables(w);
		smbios(w, dates[i].date);
		m = run(w, &r, "");
		if (m->dmi.bios_year != dates[i].year)
			fprintf(stderr, "date '%s': year %d, expected %d\n", dates[i].date, m->dmi.bios_year, dates[i].year);
		assert_int_equal(m->dmi.bios_year, dates[i].year);
		done(m);
	}
	rawmap_free(&r);
}

/*
 * dmi_present(): a 30-byte _SM_ (SMBIOS 2.1's mistake) and a bad _SM_ both
 * still find _DMI_ 16 bytes in; a 2.x table goes on past type 127; an
 * SMBIOS 3.0 entry whose table cannot be mapped (length 0) falls back to 2.x.
 */
static void dmi_entry_points(void **state)
{
	static const uint8_t guid_smbios3[16] = { 0x44, 0x15, 0xfd, 0xf2, 0x94, 0x97, 0x2c, 0x4a,
						  0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 };
	static const struct smbios_shape shapes[] = { { 30, false }, { 0, false }, { 0x1f, true } };
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	uint8_t e3[32] = { 0 };

	ecam_map(&r, 0);
	for (unsigned i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		forget_tables(w);
		smbios_shaped(w, "02/06/2015", shapes[i]);
		m = run(w, &r, "");
		assert_int_equal(m->dmi.bios_year, 2015);
		done(m);
	}
	memcpy(e3, "_SM3_", 5);
	e3[6] = 24, e3[7] = 3;
	put64(e3 + 16, SMBIOS_TABLE);	/* a maximum size of 0 */
	fix_checksum(e3, 24, 5);
	add_raw(w, SMBIOS_ENTRY + 0x100, e3, sizeof(e3));
	w->fw.efi.config[w->fw.efi.nr_config].table = SMBIOS_ENTRY + 0x100;
	memcpy(w->fw.efi.config[w->fw.efi.nr_config++].guid, guid_smbios3, 16);
	m = run(w, &r, "");
	assert_int_equal(m->dmi.bios_year, 2015);
	done(m);
	rawmap_free(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, world_setup, world_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(q35), T(newer_bios), T(shrunk), T(sorted_and_refused), T(above_4g), T(empty_and_zero), T(zero_base),
		T(dmi_years), T(dmi_entry_points), T(not_predicted), T(ecam_in_ram),
	};

	return cmocka_run_group_tests_name("mmconfig", tests, NULL, NULL);
}
