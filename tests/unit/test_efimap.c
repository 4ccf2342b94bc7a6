// SPDX-License-Identifier: MIT
/* The EFI stub's conversion and Linux's checks of the EFI memory map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#define WB_ALL (EFI_ATTR_UC | EFI_ATTR_WC | EFI_ATTR_WT | EFI_ATTR_WB)

/* Convert a map with the stub's rules; returns the entry count. */
static size_t convert(const struct efi_memmap *m, bool soft_reserve, struct e820_entry *out,
		      size_t max)
{
	struct efi_stub_e820_iter it;
	struct e820_entry e;
	size_t n = 0;

	efi_stub_e820_begin(&it, m, soft_reserve);
	while (efi_stub_e820_next(&it, &e)) {
		assert_true(n < max);
		out[n++] = e;
	}
	return n;
}

static void type_mapping_every_type(void **state)
{
	static const struct {
		uint32_t efi;
		uint32_t e820;
	} table[] = {
		{ EFI_RESERVED_TYPE, E820_TYPE_RESERVED },
		{ EFI_LOADER_CODE, E820_TYPE_RAM },
		{ EFI_LOADER_DATA, E820_TYPE_RAM },
		{ EFI_BOOT_SERVICES_CODE, E820_TYPE_RAM },
		{ EFI_BOOT_SERVICES_DATA, E820_TYPE_RAM },
		{ EFI_RUNTIME_SERVICES_CODE, E820_TYPE_RESERVED },
		{ EFI_RUNTIME_SERVICES_DATA, E820_TYPE_RESERVED },
		{ EFI_CONVENTIONAL_MEMORY, E820_TYPE_RAM },
		{ EFI_UNUSABLE_MEMORY, E820_TYPE_UNUSABLE },
		{ EFI_ACPI_RECLAIM_MEMORY, E820_TYPE_ACPI },
		{ EFI_ACPI_MEMORY_NVS, E820_TYPE_NVS },
		{ EFI_MEMORY_MAPPED_IO, E820_TYPE_RESERVED },
		{ EFI_MEMORY_MAPPED_IO_PORT_SPACE, E820_TYPE_RESERVED },
		{ EFI_PAL_CODE, E820_TYPE_RESERVED },
		{ EFI_PERSISTENT_MEMORY, E820_TYPE_PMEM },
		/* Beyond the 6.1 stub's switch: skipped, no e820 entry. */
		{ EFI_UNACCEPTED_MEMORY, 0 },
		{ 16, 0 },
		{ 0x6fffffff, 0 },
		{ 0x70000000, 0 },	/* OEM-defined */
		{ 0x7fffffff, 0 },
		{ 0x80000000, 0 },	/* OS-defined */
		{ 0xffffffff, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct efi_md md = { .type = table[i].efi, .num_pages = 1, .attribute = WB_ALL };

		assert_int_equal(efi_stub_e820_type(&md, true), table[i].e820);
		/* EFI_MEMORY_SP turns only the RAM kinds into soft-reserved, and only if enabled. */
		md.attribute |= EFI_ATTR_SP;
		assert_int_equal(efi_stub_e820_type(&md, false), table[i].e820);
		assert_int_equal(efi_stub_e820_type(&md, true),
				 table[i].e820 == E820_TYPE_RAM ? E820_TYPE_SOFT_RESERVED
								: table[i].e820);
	}
}

static void merging(void **state)
{
	struct rawmap r;
	struct e820_entry e[16];
	size_t n;

	(void)state;
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_BOOT_SERVICES_CODE, 0x0, 1, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, WB_ALL);	/* same e820 type: merges */
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x10, WB_ALL);	/* gap: new entry */
	rawmap_add(&r, 0x70000001, 0x110000, 0x10, 0);			/* skipped */
	rawmap_add(&r, EFI_LOADER_DATA, 0x110000, 0x10, WB_ALL);	/* still merges across it */
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0x120000, 0x10, WB_ALL);
	rawmap_add(&r, EFI_RUNTIME_SERVICES_DATA, 0x130000, 1, WB_ALL);
	rawmap_add(&r, EFI_RESERVED_TYPE, 0x131000, 1, WB_ALL);		/* both reserved: merge */
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x200000, 0x10, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x120000, 0x10, WB_ALL);	/* not the last entry: no merge */
	n = convert(&r.map, true, e, 16);
	assert_int_equal(n, 6);
	assert_true(e[0].addr == 0 && e[0].size == 0xa0000 && e[0].type == E820_TYPE_RAM);
	assert_true(e[1].addr == 0x100000 && e[1].size == 0x20000 && e[1].type == E820_TYPE_RAM);
	assert_true(e[2].addr == 0x120000 && e[2].size == 0x10000 && e[2].type == E820_TYPE_NVS);
	assert_true(e[3].addr == 0x130000 && e[3].size == 0x2000 && e[3].type == E820_TYPE_RESERVED);
	assert_true(e[4].addr == 0x200000 && e[4].size == 0x10000 && e[4].type == E820_TYPE_RAM);
	assert_true(e[5].addr == 0x120000 && e[5].size == 0x10000 && e[5].type == E820_TYPE_RAM);
	rawmap_free(&r);
}

/* The stride is the firmware's: larger descriptors give the same result. */
static void descriptor_sizes(void **state)
{
	static const uint64_t sizes[] = { 40, 48, 56, 64, 80, 136 };
	struct e820_entry ref[8], got[8];
	size_t nref = 0;

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct rawmap r;
		size_t n;

		rawmap_init(&r, sizes[s]);
		rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, WB_ALL);
		rawmap_add(&r, EFI_RESERVED_TYPE, 0xf0000, 0x10, WB_ALL);
		rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x7f00, WB_ALL);
		rawmap_add(&r, EFI_ACPI_RECLAIM_MEMORY, 0x8000000, 0x20, WB_ALL);
		assert_int_equal(efi_memmap_nr_desc(&r.map), 4);
		n = convert(&r.map, true, got, 8);
		if (s == 0) {
			memcpy(ref, got, sizeof(got));
			nref = n;
		}
		assert_int_equal(n, nref);
		for (size_t i = 0; i < n; i++) {	/* field by field: the struct has padding */
			assert_int_equal(got[i].addr, ref[i].addr);
			assert_int_equal(got[i].size, ref[i].size);
			assert_int_equal(got[i].type, ref[i].type);
		}
		rawmap_free(&r);
	}
	assert_int_equal(nref, 4);
}

static void descriptor_size_too_small(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB_ALL);
	r.map.desc_size = 24;
	assert_int_equal(efi_memmap_nr_desc(&r.map), 0);
	m = run_pipeline(&r.map, "", &c);
	assert_true(capture_has_line(&c, "memprobe: [Firmware Bug]: EFI memory descriptor size 24 is "
					 "smaller than EFI_MEMORY_DESCRIPTOR (40 bytes); memory map "
					 "not used"));
	/* Nothing trustworthy: Linux's legacy fallback table, and the run completes. */
	assert_true(capture_has_line(&c, "BIOS-e801: [mem 0x0000000000000000-0x000000000009efff] usable"));
	assert_true(capture_has_line(&c, "BIOS-e801: [mem 0x0000000000100000-0x00000000020fffff] usable"));
	assert_true(capture_has_line(&c, "memprobe: report complete"));
	free_pipeline(m);

	/* desc_size 0 must not divide by zero. */
	capture_reset(&c);
	r.map.desc_size = 0;
	m = run_pipeline(&r.map, "", &c);
	assert_true(capture_has_line(&c, "memprobe: report complete"));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

static void unreadable_map(void **state)
{
	struct efi_memmap empty = { .map = NULL };
	struct capture c;
	struct machine *m;

	(void)state;
	capture_init(&c);
	m = run_pipeline(&empty, NULL, &c);
	assert_true(capture_has_line(&c, "memprobe: error: the firmware returned an empty EFI memory map"));
	assert_int_equal(capture_count_prefix(&c, "BIOS-e801: "), 2);
	assert_true(capture_has_line(&c, "memprobe: report complete"));
	free_pipeline(m);
	capture_free(&c);
}

static void size_not_multiple_and_version(void **state)
{
	struct capture c;
	struct rawmap r;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB_ALL);
	r.map.map_size += 20;
	r.map.desc_version = 2;
	assert_true(efi_memmap_usable(&c.log, &r.map));
	assert_int_equal(efi_memmap_nr_desc(&r.map), 2);
	assert_true(capture_has_line(&c, "memprobe: [Firmware Bug]: EFI memory map size 116 is not a "
					 "multiple of the descriptor size 48; the last 20 bytes are "
					 "ignored"));
	assert_true(capture_has_line(&c, "memprobe: warning: unexpected EFI_MEMORY_DESCRIPTOR version 2 "
					 "(Linux warns too and goes on)"));
	rawmap_free(&r);
	capture_free(&c);
}

/* Unsorted and overlapping descriptors: reported, then sanitized as Linux does. */
static void unsorted_and_overlapping(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;
	char *table;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB_ALL);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, WB_ALL);
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0x180000, 0x10, WB_ALL);
	rawmap_add(&r, EFI_ACPI_RECLAIM_MEMORY, 0x188000, 0x10, WB_ALL);	/* overlaps the NVS one */
	m = run_pipeline(&r.map, "", &c);
	assert_true(capture_has_line(&c, "memprobe: note: the EFI memory map is not sorted by address "
					 "(1 descriptors start below their predecessor); Linux sorts "
					 "it out in e820"));
	assert_true(capture_has_line(&c, "memprobe: [Firmware Bug]: EFI descriptors 2 and 3 overlap at "
					 "[mem 0x0000000000188000-0x000000000018ffff]"));
	table = capture_lines_with_prefix(&c, "BIOS-e820: ");
	/* NVS (4) beats ACPI (3) where they overlap; RAM is cut around both. */
	assert_string_equal(table,
			    "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
			    "BIOS-e820: [mem 0x0000000000100000-0x000000000017ffff] usable\n"
			    "BIOS-e820: [mem 0x0000000000180000-0x000000000018ffff] ACPI NVS\n"
			    "BIOS-e820: [mem 0x0000000000190000-0x0000000000197fff] ACPI data\n"
			    "BIOS-e820: [mem 0x0000000000198000-0x00000000001fffff] usable\n");
	free(table);
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/* Zero-page and wrapping descriptors: what Linux's stub and efi_clean_memmap do. */
static void zero_page_and_wrapping(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0, WB_ALL);
	rawmap_add(&r, EFI_BOOT_SERVICES_DATA, 0x50000000, 0, WB_ALL);	/* zero pages */
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x100000, 0x3ff00, WB_ALL);
	m = run_pipeline(&r.map, "efi=debug", &c);
	/* The stub writes a size-0 entry; the sanitizer drops it. */
	assert_int_equal(m->zeropage_entries, 3);
	assert_int_equal(m->zeropage[1].size, 0);
	assert_int_equal(capture_count_prefix(&c, "BIOS-e820: "), 2);
	assert_true(capture_has_line(&c, "efi: [Firmware Bug]: Invalid EFI memory map entries:"));
	assert_true(capture_has_line(&c, "efi: mem01: [Boot Data   |   |  |  |  |  |  |  |  |  |  |   "
					 "|WB|WT|WC|UC] range=[0x0000000050000000-0x0000000000000000] "
					 "(invalid)"));
	assert_true(capture_has_line(&c, "efi: Removing 1 invalid memory map entries."));
	/* efi=debug lists the cleaned map, renumbered. */
	assert_true(capture_has_line(&c, "efi: mem01: [Conventional|   |  |  |  |  |  |  |  |  |  |   "
					 "|WB|WT|WC|UC] range=[0x0000000000100000-0x000000003fffffff] "
					 "(1023MB)"));
	assert_int_equal(capture_count_prefix(&c, "efi: mem02:"), 0);
	free_pipeline(m);

	/* A descriptor past 2^64 among the first 128: Linux's append fails -> legacy map. */
	capture_reset(&c);
	rawmap_add(&r, EFI_RESERVED_TYPE, 0xfffffffffff00000ULL, 0x200, WB_ALL);
	m = run_pipeline(&r.map, "", &c);
	assert_true(capture_has_line(&c, "efi: mem03: [Reserved    |   |  |  |  |  |  |  |  |  |  |   "
					 "|WB|WT|WC|UC] range=[0xfffffffffff00000-0x100000000000fffff] "
					 "(invalid)"));
	assert_true(capture_has_line(&c, "efi: Removing 2 invalid memory map entries."));
	assert_true(capture_has_line(&c, "BIOS-e801: [mem 0x0000000000000000-0x000000000009efff] usable"));
	assert_true(capture_has_line(&c, "memprobe: report complete"));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

/*
 * More entries than boot_params holds: the stub moves entries 129+ into a
 * SETUP_E820_EXT node, Linux reads them in parse_setup_data and prints the
 * whole table again as "extended".
 */
static void more_than_128_entries(void **state)
{
	struct capture c;
	struct rawmap r;
	struct machine *m;

	(void)state;
	capture_init(&c);
	rawmap_init(&r, 48);
	for (int i = 0; i < 200; i++)
		rawmap_add(&r, i % 2 ? EFI_ACPI_MEMORY_NVS : EFI_CONVENTIONAL_MEMORY,
			   0x100000 + (uint64_t)i * 0x1000, 1, WB_ALL);
	m = run_pipeline(&r.map, "", &c);
	assert_int_equal(m->zeropage_entries, 128);
	assert_int_equal(m->ext_entries, 72);
	assert_int_equal(capture_count_prefix(&c, "BIOS-e820: "), 128);
	assert_true(capture_has_line(&c, "extended physical RAM map:"));
	assert_int_equal(capture_count_prefix(&c, "extended: "), 200);
	assert_true(capture_has_line(&c, "extended: [mem 0x00000000001c7000-0x00000000001c7fff] ACPI NVS"));
	/* /sys/firmware/memmap follows the extended table. */
	assert_true(capture_has_line(&c, "0x1c7000-0x1c7fff ACPI Non-volatile Storage"));
	free_pipeline(m);
	rawmap_free(&r);
	capture_free(&c);
}

static void typeattr_format(void **state)
{
	char buf[EFI_MD_TYPEATTR_BUF];
	struct efi_md md = { .type = EFI_RUNTIME_SERVICES_DATA,
			     .attribute = EFI_ATTR_RUNTIME | WB_ALL };

	(void)state;
	assert_string_equal(efi_md_typeattr_format(buf, sizeof(buf), &md),
			    "[Runtime Data|RUN|  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]");
	md.type = EFI_MEMORY_MAPPED_IO;
	md.attribute = EFI_ATTR_RUNTIME | EFI_ATTR_UC | EFI_ATTR_XP | EFI_ATTR_SP | EFI_ATTR_HOT_PLUGGABLE |
		       EFI_ATTR_MORE_RELIABLE | EFI_ATTR_CPU_CRYPTO | EFI_ATTR_NV | EFI_ATTR_RP |
		       EFI_ATTR_WP | EFI_ATTR_RO | EFI_ATTR_UCE;
	assert_string_equal(efi_md_typeattr_format(buf, sizeof(buf), &md),
			    "[MMIO        |RUN|HP|MR|CC|SP|NV|XP|RP|WP|RO|UCE|  |  |  |UC]");
	/* An attribute bit Linux does not know: the raw value instead. */
	md.attribute = 0x8000000000000100ULL;
	assert_string_equal(efi_md_typeattr_format(buf, sizeof(buf), &md),
			    "[MMIO        |attr=0x8000000000000100]");
	/* Unknown type; with the flag columns the text no longer fits 64 bytes. */
	md.type = 0xffffffff;
	md.attribute = WB_ALL;
	assert_string_equal(efi_md_typeattr_format(buf, sizeof(buf), &md),
			    "[type=4294967295|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC");
}

/* Every type and a spread of attributes: what is formatted parses back to the same descriptor. */
static void typeattr_parse_round_trip(void **state)
{
	static const uint32_t types[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x70000000,
					  0xffffffff };
	static const uint64_t attrs[] = { 0, WB_ALL, EFI_ATTR_RUNTIME | WB_ALL, EFI_ATTR_RUNTIME | EFI_ATTR_UC,
					  EFI_ATTR_SP | EFI_ATTR_MORE_RELIABLE | EFI_ATTR_UCE | EFI_ATTR_WB,
					  EFI_ATTR_XP | EFI_ATTR_RP | EFI_ATTR_WP | EFI_ATTR_RO | EFI_ATTR_NV,
					  EFI_ATTR_HOT_PLUGGABLE | EFI_ATTR_CPU_CRYPTO, 0x8000000000000100ULL, 0x40 };
	char buf[EFI_MD_TYPEATTR_BUF];

	(void)state;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++) {
			struct efi_md md = { .type = types[t], .attribute = attrs[a] }, back = { .phys_addr = 7 };
			char again[EFI_MD_TYPEATTR_BUF];

			efi_md_typeattr_format(buf, sizeof(buf), &md);
			assert_true(efi_md_typeattr_parse(buf, &back));
			assert_int_equal(back.type, md.type);
			assert_int_equal(back.phys_addr, 7);	/* left alone */
			/* A text the buffer cut (a long unknown type) loses its last columns: formatting agrees. */
			assert_string_equal(efi_md_typeattr_format(again, sizeof(again), &back), buf);
			if (strlen(buf) < sizeof(buf) - 1)
				assert_true(back.attribute == md.attribute);
		}
	}
}

/* Texts efi_md_typeattr_format() never makes are refused, whole. */
static void typeattr_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		"[",
		"Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]",
		"[Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC",	/* short, not cut: no ']' */
		"[Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]x",
		"[Conventional |  |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]",	/* the type's width */
		"[Conventional|   |  |  |  |  |  |  |  |  |  |   |WT|WB|WC|UC]",	/* names in the wrong column */
		"[Conventional|   |  |  |  |  |  |  |  |  |  |   | WB|WT|WC|UC]",
		"[Conventional|RUN|  |  |  |  |  |  |  |  |  |   |WB|WT|WC|U ]",
		"[Conventional|attr=0x8000000000000008]",			/* known bits only: the columns */
		"[Conventional|attr=0x80000000000001]",
		"[Conventional|attr=0x80000000000001000]",
		"[Conventional|attr=0x800000000000010G]",
		"[Conventional|attr=0x8000000000000100",
		"[type=|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]",
		"[type=4294967296|attr=0x8000000000000100]",
		"[type=12|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]",	/* 12 has a name */
		"[Boot Dat    |   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]",
		"[Reserved    |   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]]",
	};
	struct efi_md md = { .type = 99, .attribute = 5 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (efi_md_typeattr_parse(bad[i], &md))
			fail_msg("took '%s'", bad[i]);
		assert_int_equal(md.type, 99);
		assert_int_equal(md.attribute, 5);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(type_mapping_every_type),
		cmocka_unit_test(merging),
		cmocka_unit_test(descriptor_sizes),
		cmocka_unit_test(descriptor_size_too_small),
		cmocka_unit_test(unreadable_map),
		cmocka_unit_test(size_not_multiple_and_version),
		cmocka_unit_test(unsorted_and_overlapping),
		cmocka_unit_test(zero_page_and_wrapping),
		cmocka_unit_test(more_than_128_entries),
		cmocka_unit_test(typeattr_format),
		cmocka_unit_test(typeattr_parse_round_trip),
		cmocka_unit_test(typeattr_parse_refuses),
	};

	return cmocka_run_group_tests_name("efimap", tests, NULL, NULL);
}
