// SPDX-License-Identifier: MIT
/* e820 table operations: sanitizer, update/remove, printing, end of RAM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

struct fixture {
	struct e820_table table;
	struct e820_sanitizer scratch;
	struct memblock mb;	/* 1 GiB at 0, debug on: the late steps' allocations show */
	struct capture c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	capture_init(&f->c);
	memblock_init(&f->mb, &f->c.log, &host_heap);
	memblock_add(&f->mb, 0, 0x40000000);
	f->mb.debug = true;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	memblock_release(&f->mb);
	capture_free(&f->c);
	free(f);
	return 0;
}

static void add(struct fixture *f, uint64_t start, uint64_t end, uint32_t type)
{
	e820__range_add(&f->c.log, &f->table, start, end - start, type);
}

static void assert_entry(const struct e820_table *t, uint32_t i, uint64_t start, uint64_t end,
			 uint32_t type)
{
	assert_true(i < t->nr_entries);
	if (t->entries[i].addr != start || t->entries[i].addr + t->entries[i].size != end ||
	    t->entries[i].type != type)
		fail_msg("entry %u is [%#llx-%#llx) type %u, want [%#llx-%#llx) type %u", i,
			 (unsigned long long)t->entries[i].addr,
			 (unsigned long long)(t->entries[i].addr + t->entries[i].size), t->entries[i].type,
			 (unsigned long long)start, (unsigned long long)end, type);
}

/* The worked example of Linux's sanitizer. */
static void sanitize_example(void **state)
{
	struct fixture *f = *state;

	add(f, 0x0, 0x9fc00, E820_TYPE_RAM);
	add(f, 0x9fc00, 0xa0000, E820_TYPE_RESERVED);
	add(f, 0xf0000, 0x100000, E820_TYPE_RESERVED);
	add(f, 0x100000, 0x7fe0000, E820_TYPE_RAM);
	add(f, 0x7fe0000, 0x8000000, E820_TYPE_RESERVED);
	add(f, 0x100000, 0x200000, E820_TYPE_ACPI);
	assert_int_equal(e820__update_table(&f->table, &f->scratch), 0);
	assert_int_equal(f->table.nr_entries, 6);
	assert_entry(&f->table, 0, 0x0, 0x9fc00, E820_TYPE_RAM);
	assert_entry(&f->table, 1, 0x9fc00, 0xa0000, E820_TYPE_RESERVED);
	assert_entry(&f->table, 2, 0xf0000, 0x100000, E820_TYPE_RESERVED);
	assert_entry(&f->table, 3, 0x100000, 0x200000, E820_TYPE_ACPI);
	assert_entry(&f->table, 4, 0x200000, 0x7fe0000, E820_TYPE_RAM);
	assert_entry(&f->table, 5, 0x7fe0000, 0x8000000, E820_TYPE_RESERVED);
}

static bool nomerge(uint32_t type)
{
	return type == E820_TYPE_PRAM || type == E820_TYPE_SOFT_RESERVED;
}

/*
 * Every pair of types overlapping: [1000,5000) a and [3000,8000) b give
 * a | max(a,b) | b, touching pieces of one type merged unless that type is
 * PRAM or soft-reserved.
 */
static void sanitize_every_type_pair(void **state)
{
	static const uint32_t types[] = {
		E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
		E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_PRAM, E820_TYPE_RESERVED_KERN,
		E820_TYPE_SOFT_RESERVED, 20,
	};
	const size_t n = sizeof(types) / sizeof(types[0]);
	struct fixture *f = *state;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			uint32_t a = types[i], b = types[j], top = a > b ? a : b;
			const uint64_t cut[4] = { 0x1000, 0x3000, 0x5000, 0x8000 };
			const uint32_t piece_type[3] = { a, top, b };
			uint64_t want_start[3], want_end[3];
			uint32_t want_type[3], k = 0;

			for (int p = 0; p < 3; p++) {
				if (k && want_type[k - 1] == piece_type[p] && !nomerge(piece_type[p])) {
					want_end[k - 1] = cut[p + 1];
					continue;
				}
				want_start[k] = cut[p];
				want_end[k] = cut[p + 1];
				want_type[k++] = piece_type[p];
			}
			f->table.nr_entries = 0;
			add(f, 0x1000, 0x5000, a);
			add(f, 0x3000, 0x8000, b);
			assert_int_equal(e820__update_table(&f->table, &f->scratch), 0);
			for (uint32_t p = 0; p < k; p++)
				assert_entry(&f->table, p, want_start[p], want_end[p], want_type[p]);
			if (f->table.nr_entries != k)
				fail_msg("types %u/%u: %u entries, want %u", a, b, f->table.nr_entries, k);
		}
	}
}

static void sanitize_refusals_and_empty_entries(void **state)
{
	struct fixture *f = *state;

	add(f, 0x1000, 0x2000, E820_TYPE_RAM);
	assert_int_equal(e820__update_table(&f->table, &f->scratch), -1);	/* one entry */
	e820__range_add(&f->c.log, &f->table, 0xfffffffffffff000ULL, 0x2000, E820_TYPE_RESERVED);
	assert_int_equal(e820__update_table(&f->table, &f->scratch), -1);	/* wraps */
	assert_int_equal(f->table.nr_entries, 2);				/* untouched */

	f->table.nr_entries = 0;
	add(f, 0x1000, 0x2000, E820_TYPE_RAM);
	add(f, 0x5000, 0x5000, E820_TYPE_ACPI);	/* size 0: vanishes */
	add(f, 0x2000, 0x3000, E820_TYPE_RAM);	/* touching: merges */
	add(f, 0x3000, 0x4000, E820_TYPE_RESERVED_KERN);	/* "usable" too, but not merged */
	add(f, 0x4000, 0x5000, E820_TYPE_PRAM);
	add(f, 0x5000, 0x6000, E820_TYPE_PRAM);	/* touching PRAM stays split */
	assert_int_equal(e820__update_table(&f->table, &f->scratch), 0);
	assert_int_equal(f->table.nr_entries, 4);
	assert_entry(&f->table, 0, 0x1000, 0x3000, E820_TYPE_RAM);
	assert_entry(&f->table, 1, 0x3000, 0x4000, E820_TYPE_RESERVED_KERN);
	assert_entry(&f->table, 2, 0x4000, 0x5000, E820_TYPE_PRAM);
	assert_entry(&f->table, 3, 0x5000, 0x6000, E820_TYPE_PRAM);
}

static void table_full(void **state)
{
	struct fixture *f = *state;

	f->table.nr_entries = E820_MAX_ENTRIES;
	add(f, 0x1000, 0x2000, E820_TYPE_RAM);
	assert_int_equal(f->table.nr_entries, E820_MAX_ENTRIES);
	assert_true(capture_has_line(&f->c, "too many entries; ignoring [mem 0x00001000-0x00001fff]"));
}

static void range_update(void **state)
{
	struct fixture *f = *state;
	uint64_t n;

	add(f, 0x0, 0xa0000, E820_TYPE_RAM);
	add(f, 0x100000, 0x200000, E820_TYPE_RAM);
	add(f, 0x300000, 0x400000, E820_TYPE_ACPI);
	/* Strictly inside: the entry is cut in three. */
	n = e820__range_update(&f->c.log, &f->table, 0x1000, 0x1000, E820_TYPE_RAM,
			       E820_TYPE_RESERVED);
	assert_int_equal(n, 0x1000);
	assert_true(capture_has_line(&f->c, "e820: update [mem 0x00001000-0x00001fff] usable ==> reserved"));
	/* Partial at the head, and a whole entry; other types untouched. */
	n = e820__range_update(&f->c.log, &f->table, 0x80000, 0x180000, E820_TYPE_RAM,
			       E820_TYPE_RESERVED_KERN);
	assert_int_equal(n, 0x20000 + 0x100000);
	assert_true(capture_has_line(&f->c, "e820: update [mem 0x00080000-0x001fffff] usable ==> usable"));
	assert_int_equal(e820__update_table(&f->table, &f->scratch), 0);
	assert_int_equal(f->table.nr_entries, 6);
	assert_entry(&f->table, 0, 0x0, 0x1000, E820_TYPE_RAM);
	assert_entry(&f->table, 1, 0x1000, 0x2000, E820_TYPE_RESERVED);
	assert_entry(&f->table, 2, 0x2000, 0x80000, E820_TYPE_RAM);
	assert_entry(&f->table, 3, 0x80000, 0xa0000, E820_TYPE_RESERVED_KERN);
	assert_entry(&f->table, 4, 0x100000, 0x200000, E820_TYPE_RESERVED_KERN);
	assert_entry(&f->table, 5, 0x300000, 0x400000, E820_TYPE_ACPI);
	/* The size is clamped at 2^64 - 1. */
	e820__range_update(&f->c.log, &f->table, 0x350000, UINT64_MAX, E820_TYPE_ACPI,
			   E820_TYPE_NVS);
	assert_true(capture_has_line(&f->c, "e820: update [mem 0x00350000-0xfffffffffffffffe] ACPI data ==> ACPI NVS"));
}

static void range_remove(void **state)
{
	struct fixture *f = *state;
	uint64_t n;

	add(f, 0x0, 0xa0000, E820_TYPE_RAM);
	add(f, 0xa0000, 0x100000, E820_TYPE_RAM);
	add(f, 0x100000, 0x400000, E820_TYPE_RAM);
	add(f, 0xf0000, 0x100000, E820_TYPE_RESERVED);
	n = e820__range_remove(&f->c.log, &f->table, 0xa0000, 0x60000, E820_TYPE_RAM, true);
	assert_int_equal(n, 0x60000);
	assert_true(capture_has_line(&f->c, "e820: remove [mem 0x000a0000-0x000fffff] usable"));
	/* Fully covered entries are zeroed in place. */
	assert_int_equal(f->table.entries[1].size, 0);
	assert_int_equal(f->table.entries[1].type, 0);
	/* Without a type check: any type, and Linux's trailing space. */
	n = e820__range_remove(&f->c.log, &f->table, 0x200000, 0x1000, 0, false);
	assert_int_equal(n, 0x1000);
	assert_true(capture_has_line(&f->c, "e820: remove [mem 0x00200000-0x00200fff] "));
	assert_int_equal(e820__update_table(&f->table, &f->scratch), 0);
	assert_int_equal(f->table.nr_entries, 4);
	assert_entry(&f->table, 0, 0x0, 0xa0000, E820_TYPE_RAM);
	assert_entry(&f->table, 1, 0xf0000, 0x100000, E820_TYPE_RESERVED);
	assert_entry(&f->table, 2, 0x100000, 0x200000, E820_TYPE_RAM);
	assert_entry(&f->table, 3, 0x201000, 0x400000, E820_TYPE_RAM);
}

static void print_types(void **state)
{
	struct fixture *f = *state;

	add(f, 0x0, 0x1000, E820_TYPE_RESERVED_KERN);
	add(f, 0x1000, 0x2000, E820_TYPE_SOFT_RESERVED);
	add(f, 0x2000, 0x3000, E820_TYPE_PMEM);
	add(f, 0x3000, 0x4000, E820_TYPE_PRAM);
	add(f, 0x4000, 0x5000, 20);
	add(f, 0x5000, 0x6000, E820_TYPE_UNUSABLE);
	e820__print_table(&f->c.log, &f->table, "BIOS-e820");
	assert_string_equal(f->c.text,
			    "BIOS-e820: [mem 0x0000000000000000-0x0000000000000fff] usable\n"
			    "BIOS-e820: [mem 0x0000000000001000-0x0000000000001fff] soft reserved\n"
			    "BIOS-e820: [mem 0x0000000000002000-0x0000000000002fff] persistent (type 7)\n"
			    "BIOS-e820: [mem 0x0000000000003000-0x0000000000003fff] persistent (type 12)\n"
			    "BIOS-e820: [mem 0x0000000000004000-0x0000000000004fff] type 20\n"
			    "BIOS-e820: [mem 0x0000000000005000-0x0000000000005fff] unusable\n");
	assert_string_equal(e820_type_to_string(E820_TYPE_PRAM), "Persistent Memory (legacy)");
	assert_string_equal(e820_type_to_string(E820_TYPE_SOFT_RESERVED), "Soft Reserved");
	assert_string_equal(e820_type_to_string(99), "Unknown E820 type");
}

/* MAX_ARCH_PFN with 4-level paging (MAX_PHYSMEM_BITS 46) and with 5 (52). */
#define MAX_ARCH_PFN_L4 (1ULL << 34)
#define MAX_ARCH_PFN_L5 (1ULL << 40)

static void end_pfn(void **state)
{
	struct fixture *f = *state;

	add(f, 0x0, 0x9f800, E820_TYPE_RAM);		/* end rounds down */
	add(f, 0x100000, 0xbff40000, E820_TYPE_RAM);
	add(f, 0xbff40000, 0xc0000000, E820_TYPE_RESERVED_KERN);	/* ignored */
	add(f, 0x100000000ULL, 0x140000000ULL, E820_TYPE_RAM);
	assert_int_equal(e820_end_pfn(&f->c.log, &f->table, MAX_ARCH_PFN_L4, MAX_ARCH_PFN_L4, E820_TYPE_RAM, 0),
			 0x140000);
	assert_int_equal(e820_end_pfn(&f->c.log, &f->table, 0x100000, MAX_ARCH_PFN_L4, E820_TYPE_RAM, 0), 0xbff40);
	assert_true(capture_has_line(&f->c, "last_pfn = 0x140000 max_arch_pfn = 0x400000000"));
	assert_true(capture_has_line(&f->c, "last_pfn = 0xbff40 max_arch_pfn = 0x400000000"));

	/* An entry that crosses the limit ends the walk at the limit. */
	f->table.nr_entries = 0;
	add(f, 0x80000000ULL, 0x180000000ULL, E820_TYPE_RAM);
	add(f, 0x0, 0x1000, E820_TYPE_RAM);
	assert_int_equal(e820_end_pfn(&f->c.log, &f->table, 0x100000, MAX_ARCH_PFN_L4, E820_TYPE_RAM, 0), 0x100000);
	/* Past what 4-level paging maps: clamped to MAX_ARCH_PFN. */
	f->table.nr_entries = 0;
	add(f, 0x0, 1ULL << 50, E820_TYPE_RAM);
	assert_int_equal(e820_end_pfn(&f->c.log, &f->table, UINT64_MAX, MAX_ARCH_PFN_L4, E820_TYPE_RAM, 0),
			 MAX_ARCH_PFN_L4);
	assert_true(capture_has_line(&f->c, "last_pfn = 0x400000000 max_arch_pfn = 0x400000000"));
	/* 5-level paging maps 52 bits: the petabyte is all there. */
	assert_int_equal(e820_end_pfn(&f->c.log, &f->table, UINT64_MAX, MAX_ARCH_PFN_L5, E820_TYPE_RAM, 0),
			 1ULL << 38);
	assert_true(capture_has_line(&f->c, "last_pfn = 0x4000000000 max_arch_pfn = 0x10000000000"));
}

/*
 * A RAM entry inside one page, starting on it, leaves no page to save: the
 * gap after it continues the one before, which only grows (one record, two
 * lines).  e820__reserve_resources: 64 bytes per e820_table entry at once,
 * then 104 per e820_table_firmware entry.
 */
static void nosave_extends_and_resources(void **state)
{
	struct fixture *f = *state;
	struct e820_table firmware;

	add(f, 0x0, 0x9f000, E820_TYPE_RAM);
	add(f, 0x100000, 0x100800, E820_TYPE_RAM);		/* PFN_UP(start) == PFN_DOWN(end) */
	add(f, 0x200000, 0x400000, E820_TYPE_RAM);
	e820__register_nosave_regions(&f->c.log, &f->mb, &f->table, 0x400);
	assert_true(capture_has_line(&f->c, "PM: hibernation: Registered nosave memory: [mem 0x0009f000-0x000fffff]"));
	assert_true(capture_has_line(&f->c, "PM: hibernation: Registered nosave memory: [mem 0x00100000-0x001fffff]"));
	assert_int_equal(capture_count_prefix(&f->c, "PM: hibernation:"), 2);
	assert_int_equal(capture_count_prefix(&f->c, "memblock_alloc_try_nid: 32 bytes"), 1);

	firmware = f->table;
	add(f, 0x400000, 0x500000, E820_TYPE_RESERVED);		/* e820_table has 4 entries, the firmware's 3 */
	e820__reserve_resources(&f->mb, &f->table, &firmware);
	assert_int_equal(capture_count_prefix(&f->c, "memblock_alloc_try_nid: 256 bytes align=0x40 nid=-1 from=0x0000000000000000 "
						     "max_addr=0x0000000000000000 e820__reserve_resources"), 1);
	assert_int_equal(capture_count_prefix(&f->c, "memblock_alloc_try_nid: 104 bytes align=0x40 nid=-1 from=0x0000000000000000 "
						     "max_addr=0x0000000000000000 firmware_map_add_early"), 3);
	/* after the nosave record at 0x3fffffc0: 256 bytes below it, then the entries each 128 lower */
	assert_true(capture_has_line(&f->c, "memblock_reserve: [0x000000003ffffec0-0x000000003fffffbf] memblock_alloc_range_nid"));
	assert_true(capture_has_line(&f->c, "memblock_reserve: [0x000000003ffffdc0-0x000000003ffffe27] memblock_alloc_range_nid"));
}

/* setup_arch()'s last e820 steps: hibernation's nosave ranges, the PCI gap, the RAM buffers. */
static void late_e820(void **state)
{
	struct fixture *f = *state;

	add(f, 0x0, 0x9f800, E820_TYPE_RAM);			/* ends inside a page */
	add(f, 0x9f800, 0xa0000, E820_TYPE_RESERVED);
	add(f, 0x100000, 0x7fd3000, E820_TYPE_RAM);		/* below 16 MiB */
	add(f, 0x7fd3000, 0x8000000, E820_TYPE_RESERVED_KERN);	/* counts as RAM for hibernation */
	add(f, 0x8000000, 0xbff40123, E820_TYPE_RAM);
	add(f, 0xc0000000, 0xd0000000, E820_TYPE_RESERVED);	/* splits the 32-bit hole in two */
	add(f, 0xfec00000, 0xfec01000, E820_TYPE_RESERVED);
	add(f, 0x100000000ULL, 0x140000000ULL, E820_TYPE_RAM);	/* 64 MiB-aligned: no buffer */
	e820__register_nosave_regions(&f->c.log, &f->mb, &f->table, 0x150000);
	/* the partial pages at 0x9f000 and 0xbff40000 are not saved; the last range runs to max_pfn */
	assert_true(capture_has_line(&f->c, "PM: hibernation: Registered nosave memory: [mem 0x0009f000-0x000fffff]"));
	assert_true(capture_has_line(&f->c, "PM: hibernation: Registered nosave memory: [mem 0xbff40000-0xffffffff]"));
	assert_true(capture_has_line(&f->c, "PM: hibernation: Registered nosave memory: [mem 0x140000000-0x14fffffff]"));
	assert_int_equal(capture_count_prefix(&f->c, "PM: hibernation:"), 3);
	/* each a struct nosave_region of 32 bytes from memblock, top down */
	assert_int_equal(capture_count_prefix(&f->c, "memblock_alloc_try_nid: 32 bytes align=0x40 nid=-1 from=0x0000000000000000 "
						     "max_addr=0x0000000000000000 register_nosave_region"), 3);
	assert_true(capture_has_line(&f->c, "memblock_reserve: [0x000000003fffffc0-0x000000003fffffdf] memblock_alloc_range_nid"));
	assert_true(capture_has_line(&f->c, "memblock_reserve: [0x000000003fffff80-0x000000003fffff9f] memblock_alloc_range_nid"));
	assert_true(capture_has_line(&f->c, "memblock_reserve: [0x000000003fffff40-0x000000003fffff5f] memblock_alloc_range_nid"));

	/* The largest hole below 4 GiB: 0xd0000000-0xfec00000 beats 0xbff40123-0xc0000000. */
	assert_int_equal(e820__setup_pci_gap(&f->c.log, &f->table, 0x140000), 0xd0000000);
	assert_true(capture_has_line(&f->c, "[mem 0xd0000000-0xfebfffff] available for PCI devices"));

	e820__reserve_resources_late(&f->c.log, &f->table);
	assert_true(capture_has_line(&f->c, "e820: reserve RAM buffer [mem 0x0009f800-0x0009ffff]"));	/* 64 KiB */
	assert_true(capture_has_line(&f->c, "e820: reserve RAM buffer [mem 0x07fd3000-0x07ffffff]"));	/* 1 MiB */
	assert_true(capture_has_line(&f->c, "e820: reserve RAM buffer [mem 0xbff40123-0xbfffffff]"));	/* 64 MiB */
	assert_int_equal(capture_count_prefix(&f->c, "e820: reserve RAM buffer"), 3);

	/* Equal holes: the lower wins (the walk runs down and takes a tie).  None of 4 MiB: above RAM. */
	capture_reset(&f->c);
	f->table.nr_entries = 0;
	add(f, 0x0, 0x80000000, E820_TYPE_RAM);
	add(f, 0x90000000, 0xf0000000, E820_TYPE_RESERVED);
	e820__setup_pci_gap(&f->c.log, &f->table, 0x80000);
	assert_true(capture_has_line(&f->c, "[mem 0x80000000-0x8fffffff] available for PCI devices"));
	f->table.nr_entries = 0;
	add(f, 0x0, 0xfff00000, E820_TYPE_RAM);
	add(f, 0xfff00000, 0x100000000ULL, E820_TYPE_RESERVED);
	assert_int_equal(e820__setup_pci_gap(&f->c.log, &f->table, 0xfff00), 0xfff00000ULL + 0x100000);
	assert_true(capture_has_line(&f->c, "Cannot find an available gap in the 32-bit address range"));
	assert_true(capture_has_line(&f->c, "[mem 0x100000000-0x1003fffff] available for PCI devices"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sanitize_example, setup, teardown),
		cmocka_unit_test_setup_teardown(sanitize_every_type_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(sanitize_refusals_and_empty_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(range_update, setup, teardown),
		cmocka_unit_test_setup_teardown(range_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(print_types, setup, teardown),
		cmocka_unit_test_setup_teardown(end_pfn, setup, teardown),
		cmocka_unit_test_setup_teardown(late_e820, setup, teardown),
		cmocka_unit_test_setup_teardown(nosave_extends_and_resources, setup, teardown),
	};

	return cmocka_run_group_tests_name("e820", tests, NULL, NULL);
}
