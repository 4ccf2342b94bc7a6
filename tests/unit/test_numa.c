// SPDX-License-Identifier: MIT
/*
 * NUMA and zones: the whole pipeline on a built EFI memory map and SRAT,
 * checked against what Linux 6.1 prints for the same inputs.
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
#include "memprobe/x86/cpu_record.h"
#include "memprobe/x86/numa_distance.h"

#define GB (1ULL << 30)
#define MB (1ULL << 20)
#define WB EFI_ATTR_WB

/* RAM: 0-640K, 1M-top_low, 4G-(4G+high) */
static void memory_map(struct rawmap *r, uint64_t top_low, uint64_t high)
{
	rawmap_init(r, 48);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, MB, (top_low - MB) >> 12, WB);
	if (high)
		rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 4 * GB, high >> 12, WB);
	rawmap_add(r, EFI_ACPI_RECLAIM_MEMORY, 0xfff00000, 0x10, WB);	/* the tables live here */
}

/* The SRAT, SLIT and MADT (each optional) at 0xfff00000.., then the whole pipeline with options. */
static struct machine *run_tables(struct world *w, struct rawmap *r, const struct sbuf *srat,
				  const uint8_t *slit, uint32_t slit_len, const struct sbuf *madt,
				  const char *options)
{
	uint64_t tables[3];
	unsigned n = 0;
	struct machine *m = malloc(sizeof(*m));

	if (srat) {
		add_table(w, 0xfff01000, "SRAT", 3, srat->b, srat->n);
		tables[n++] = 0xfff01000;
	}
	if (slit) {
		add_table(w, 0xfff02000, "SLIT", 1, slit, slit_len);
		tables[n++] = 0xfff02000;
	}
	if (madt) {
		add_table(w, 0xfff03000, "APIC", 5, madt->b, madt->n);
		tables[n++] = 0xfff03000;
	}
	add_root(w, 0xfff00100, true, tables, n);
	add_rsdp(w, 0xfff00000, 2, 0, 0xfff00100);
	w->fw.memmap = r->map;
	w->fw.cmdline = options;
	capture_reset(&w->c);
	machine_init(m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	memprobe_run(m);
	return m;
}

static struct machine *run(struct world *w, struct rawmap *r, const struct sbuf *srat,
			   const uint8_t *slit, uint32_t slit_len, const char *options)
{
	return run_tables(w, r, srat, slit, slit_len, NULL, options);
}

/* A MADT body with enabled local APIC entries for APIC IDs 0 .. nr_cpus - 1. */
static void madt_cpus(struct sbuf *s, unsigned nr_cpus)
{
	memset(s, 0, sizeof(*s));
	put32(s->b, 0xfee00000);
	put32(s->b + 4, 1);
	s->n = 8;
	for (unsigned i = 0; i < nr_cpus; i++, s->n += 8) {
		s->b[s->n] = 0;			/* processor local APIC */
		s->b[s->n + 1] = 8;
		s->b[s->n + 2] = (uint8_t)i;	/* ACPI UID */
		s->b[s->n + 3] = (uint8_t)i;	/* APIC ID */
		put32(s->b + s->n + 4, 1);	/* enabled */
	}
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

static void interleaved_nodes_do_not_merge(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 1, 1);
	srat_mem(&s, 0, 0, GB, 1);
	srat_mem(&s, 1, GB, GB, 1);
	srat_mem(&s, 0, 2 * GB, GB, 1);
	m = run(w, &r, &s, NULL, 0, "");
	/* Node 1 lies between node 0's blocks: no merge line. */
	assert_int_equal(capture_count_prefix(&w->c, "NUMA: Node"), 0);
	assert_int_equal(m->numa.meminfo.nr_blks, 3);
	assert_true(has(w, "  node   0: [mem 0x0000000000100000-0x000000003fffffff]"));
	assert_true(has(w, "  node   1: [mem 0x0000000040000000-0x000000007fffffff]"));
	assert_true(has(w, "  node   0: [mem 0x0000000080000000-0x00000000bfffffff]"));
	assert_true(has(w, "Initmem setup node 0 [mem 0x0000000000001000-0x00000000bfffffff]"));
	assert_true(has(w, "Initmem setup node 1 [mem 0x0000000040000000-0x000000007fffffff]"));
	assert_true(has(w, "  Normal   empty"));
	/* NODE_DATA at the top of each node (node 0's top block is the 2G-3G one). */
	assert_non_null(strstr(w->c.text, "NODE_DATA(0) allocated [mem 0xbffd"));
	assert_true(has(w, "NODE_DATA(1) allocated [mem 0x7ffd5000-0x7fffffff]"));
	rawmap_free(&r);
	done(m);
}

static void merge_and_sparse_pxms(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	srat_header(&s, 1);
	srat_mem(&s, 200, 0, 0xa0000, 1);
	srat_mem(&s, 200, MB, 2 * GB - MB, 1);
	srat_mem(&s, 5, 2 * GB, GB, 1);
	srat_mem(&s, 5, 4 * GB, GB, 1);
	m = run(w, &r, &s, NULL, 0, "");
	assert_true(has(w, "ACPI: SRAT: Node 0 PXM 200 [mem 0x00000000-0x0009ffff]"));
	assert_true(has(w, "ACPI: SRAT: Node 1 PXM 5 [mem 0x100000000-0x13fffffff]"));
	assert_true(has(w, "NUMA: Node 0 [mem 0x00000000-0x0009ffff] + [mem 0x00100000-0x7fffffff] -> "
			   "[mem 0x00000000-0x7fffffff]"));
	assert_true(has(w, "NUMA: Node 1 [mem 0x80000000-0xbfffffff] + [mem 0x100000000-0x13fffffff] -> "
			   "[mem 0x80000000-0x13fffffff]"));
	assert_true(has(w, "  Normal   [mem 0x0000000100000000-0x000000013fffffff]"));
	assert_int_equal(m->numa.meminfo.nr_blks, 2);
	rawmap_free(&r);
	done(m);
}

/* A hot-pluggable range beyond RAM: kept aside; the node has no memory. */
static void hotplug_beyond_ram_and_memoryless(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 1, 1);
	srat_cpu(&s, 2, 2, 1);	/* CPUs only */
	srat_mem(&s, 0, 0, 4 * GB, 1);
	srat_mem(&s, 1, 8 * GB, 8 * GB, 1 | 2);
	m = run(w, &r, &s, NULL, 0, "");
	assert_true(has(w, "ACPI: SRAT: Node 1 PXM 1 [mem 0x200000000-0x3ffffffff] hotplug"));
	/* numa_reserved_meminfo: node 0's part above max_pfn, and node 1's block */
	assert_int_equal(m->numa.reserved.nr_blks, 2);
	assert_int_equal(capture_count_prefix(&w->c, "NODE_DATA("), 1);
	assert_true(has(w, "Initializing node 1 as memoryless"));
	assert_true(has(w, "Initmem setup node 1 as memoryless"));
	assert_true(has(w, "Initializing node 2 as memoryless"));
	assert_true(has(w, "Initmem setup node 2 as memoryless"));
	/* Their pg_data_t come from memblock, 174208 bytes each. */
	assert_true(memblock_is_region_reserved(&m->memblock, 3 * GB - 0x2b000 - 174208, 174208));
	rawmap_free(&r);
	done(m);
}

static void overlapping_nodes_fall_back(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 2 * GB, 1);
	srat_mem(&s, 1, GB, 2 * GB, 1);
	m = run(w, &r, &s, NULL, 0, "");
	assert_true(has(w, "node 0 [mem 0x00000000-0x7fffffff] overlaps with node 1 [mem 0x40000000-0xbfffffff]"));
	assert_true(has(w, "No NUMA configuration found"));
	assert_true(has(w, "Faking a node at [mem 0x0000000000000000-0x00000000bfffffff]"));
	assert_false(m->numa.from_srat);
	assert_int_equal(capture_count_prefix(&w->c, "NODE_DATA("), 1);
	rawmap_free(&r);
	done(m);
}

static void too_little_coverage_falls_back(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_mem(&s, 0, 0, GB, 1);
	m = run(w, &r, &s, NULL, 0, "");
	assert_true(has(w, "NUMA: nodes only cover 1023MB of your 3071MB e820 RAM. Not used."));
	assert_true(has(w, "memprobe: NUMA: the SRAT is not used: its memory ranges were rejected (see "
			   "the line above)"));
	assert_true(has(w, "No NUMA configuration found"));
	done(m);
	rawmap_free(&r);
}

/* CPUs only: Linux's -ENOENT, silent but for the fall-back; memprobe says why. */
static void srat_without_memory(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	m = run(w, &r, &s, NULL, 0, "node_data_size=0x20000");
	assert_true(has(w, "memprobe: NUMA: the SRAT is not used: it has no enabled memory affinity entry"));
	/* 0x20000 bytes, below the page-table page at the top */
	assert_true(has(w, "NODE_DATA(0) allocated [mem 0xbffdf000-0xbfffefff]"));
	rawmap_free(&r);
	done(m);
}

static void many_nodes(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;
	char line[96];

	memory_map(&r, 3 * GB, 4 * GB);
	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 0xa0000, 1);
	for (unsigned i = 0; i < 70; i++)	/* 70 nodes of 32 MiB from 1 MiB up */
		srat_mem(&s, i, i ? 32 * MB * i : MB, i ? 32 * MB : 31 * MB, 1);
	srat_mem(&s, 70, 70 * 32 * MB, 8 * GB, 1);	/* the rest, node 70 */
	m = run(w, &r, &s, NULL, 0, "");
	assert_int_equal(capture_count_prefix(&w->c, "NODE_DATA("), 71);
	snprintf(line, sizeof(line), "NODE_DATA(69) allocated [mem %#010llx-%#010llx]",
		 (unsigned long long)(70 * 32 * MB - 0x2b000), (unsigned long long)(70 * 32 * MB - 1));
	assert_true(has(w, line));
	assert_true(node_isset(m->numa.online, 70));
	rawmap_free(&r);
	done(m);
}

static void numa_off_and_distances(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;
	uint8_t slit[8 + 4] = { 2, 0, 0, 0, 0, 0, 0, 0, 10, 17, 17, 10 };

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_mem(&s, 0, 0, 2 * GB, 1);
	srat_mem(&s, 1, 2 * GB, GB, 1);
	m = run(w, &r, &s, slit, sizeof(slit), "");
	assert_true(has(w, "NUMA: Initialized distance table, cnt=2"));
	assert_int_equal(node_distance(m, 0, 1), 17);
	assert_int_equal(node_distance(m, 1, 1), 10);
	/* The table came from memblock, a page at the top, below NODE_DATA(1). */
	assert_true(memblock_is_region_reserved(&m->memblock, m->numa.distance_phys, 4));
	done(m);

	m = run(w, &r, &s, slit, sizeof(slit), "numa=off");
	assert_true(has(w, "NUMA turned off"));
	assert_true(has(w, "Faking a node at [mem 0x0000000000000000-0x00000000bfffffff]"));
	assert_int_equal(capture_count_prefix(&w->c, "ACPI: SRAT: Node"), 0);
	assert_int_equal(node_distance(m, 0, 1), 20);
	rawmap_free(&r);
	done(m);
}

/* numa=fake=4 on two physical nodes: shares dealt in turn, distances follow. */
static void fake_nodes(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 1, 1);
	srat_mem(&s, 0, 0, 2 * GB, 1);
	srat_mem(&s, 1, 2 * GB, GB, 1);
	srat_mem(&s, 1, 4 * GB, GB, 1);
	m = run(w, &r, &s, NULL, 0, "numa=fake=4");
	assert_int_equal(capture_count_prefix(&w->c, "Faking node "), 4);
	/* shares of 992 MiB, the first three 32 MiB bigger; node 1 reaches the 4 GiB line */
	assert_true(has(w, "Faking node 0 at [mem 0x0000000000000000-0x000000003fffffff] (1024MB)"));
	assert_true(has(w, "Faking node 1 at [mem 0x0000000080000000-0x00000000ffffffff] (2048MB)"));
	assert_true(has(w, "Faking node 2 at [mem 0x0000000040000000-0x000000007fffffff] (1024MB)"));
	assert_true(has(w, "Faking node 3 at [mem 0x0000000100000000-0x000000013fffffff] (1024MB)"));
	assert_true(has(w, "NUMA: Initialized distance table, cnt=4"));
	assert_int_equal(capture_count_prefix(&w->c, "NODE_DATA("), 4);
	/* fake nodes 0 and 2 share physical node 0: distance 10 */
	assert_int_equal(node_distance(m, 0, 2), 10);
	assert_int_equal(node_distance(m, 0, 1), 20);
	assert_int_equal(m->numa.apicid_to_node[1], 1);
	done(m);

	/* <size>G: 2 GiB nodes, each physical node's remainder swallowed */
	m = run(w, &r, &s, NULL, 0, "numa=fake=2G");
	assert_true(has(w, "Faking node 0 at [mem 0x0000000000000000-0x000000007fffffff] (2048MB)"));
	assert_true(has(w, "Faking node 1 at [mem 0x0000000080000000-0x000000013fffffff] (3072MB)"));
	assert_int_equal(capture_count_prefix(&w->c, "Faking node "), 2);
	done(m);
	/* NU: N nodes on each physical node */
	m = run(w, &r, &s, NULL, 0, "numa=fake=2U");
	assert_int_equal(capture_count_prefix(&w->c, "Faking node "), 4);
	assert_true(has(w, "Faking node 1 at [mem 0x0000000040000000-0x000000007fffffff] (1024MB)"));
	done(m);
	/* a size below 32 MiB is raised */
	m = run(w, &r, &s, NULL, 0, "numa=fake=16M");
	assert_non_null(strstr(w->c.text, "Fake node size 16MB too small, increasing to "));
	done(m);
	/* N as Linux takes it: simple_strtoul()'s value passed as an int */
	m = run(w, &r, &s, NULL, 0, "numa=fake=4096");
	assert_true(has(w, "numa=fake=4096 too large, reducing to 1024"));
	done(m);
	m = run(w, &r, &s, NULL, 0, "numa=fake=4294967298");	/* 2^32 + 2: two nodes */
	assert_int_equal(capture_count_prefix(&w->c, "Faking node "), 2);
	assert_int_equal(capture_count_prefix(&w->c, "numa=fake="), 0);
	done(m);
	rawmap_free(&r);
}

/*
 * numa=fake=<size> over a terabyte hole: a node grows in 32 MiB steps
 * until it holds its size, and the steps across the hole are bisected.
 */
static void fake_node_grows_across_a_hole(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, (1ULL << 40) + 5 * MB, (4 * GB) >> 12, WB);
	m = run(w, &r, NULL, NULL, 0, "numa=fake=2G");
	assert_int_equal(capture_count_prefix(&w->c, "Faking node "), 3);
	/* node 0 lacks the 384 KiB below 1 MiB: one more step */
	assert_true(has(w, "Faking node 0 at [mem 0x0000000000000000-0x0000000081ffffff] (2080MB)"));
	/* 992 MiB below 3 GiB, the rest of its 2 GiB above 1 TiB + 5 MiB: 32 MiB steps from 4 GiB */
	assert_true(has(w, "Faking node 1 at [mem 0x0000000082000000-0x0000010043ffffff] (1047584MB)"));
	/* less than 2 GiB left after it: swallowed */
	assert_true(has(w, "Faking node 2 at [mem 0x0000010044000000-0x00000101004fffff] (3013MB)"));
	done(m);
	rawmap_free(&r);
}

/*
 * numa=fake=32M on 8 GiB: a node of 32 MiB each, hundreds of them.  Each
 * node's distance row is longer than a line: it stops at a whole entry.
 */
static void fake_nodes_by_the_hundred(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	char *row;
	unsigned entries = 0;

	memory_map(&r, 3 * GB, 5 * GB);
	m = run(w, &r, NULL, NULL, 0, "numa=fake=32M");
	assert_int_equal(capture_count_prefix(&w->c, "Faking node "), 255);
	assert_true(has(w, "Faking node 254 at [mem 0x000000023e000000-0x000000023fffffff] (32MB)"));
	assert_true(has(w, "NUMA: Initialized distance table, cnt=255"));
	assert_int_equal(capture_count_prefix(&w->c, "NODE_DATA("), 255);
	assert_true(has(w, "NUMA node(s):           255"));
	row = capture_lines_with_prefix(&w->c, "node0/distance: ");
	assert_non_null(row);
	assert_true(strlen(row) < MP_LINE_MAX);
	for (const char *p = row + strlen("node0/distance:"); *p && *p != '\n'; p += 3, entries++)
		assert_memory_equal(p, " 10", 3);
	assert_int_equal(entries, 147);	/* as many as fit the line, each whole */
	free(row);
	rawmap_free(&r);
	done(m);
}

/* With kernel_addr= the page tables Linux takes from memblock move. */
static void kernel_placement_moves_page_tables(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_non_null(strstr(w->c.text, "(kernel image assumed at 0x1000000, memory KASLR on)"));
	assert_true(m->dm.memblock_pages > 0);
	done(m);
	m = run(w, &r, NULL, NULL, 0, "kernel_addr=4G nokaslr");
	assert_non_null(strstr(w->c.text, "(kernel image assumed at 0x100000000, memory KASLR off)"));
	/* brk now sits in the 4G-5G region, whose tables come before: all from brk. */
	assert_int_equal(m->dm.memblock_pages, 0);
	done(m);
	m = run(w, &r, NULL, NULL, 0, "kernel_addr=3");
	assert_true(has(w, "memprobe: error: kernel_addr= needs a 2 MiB-aligned address from 16 MiB (where the EFI "
			   "stub puts the kernel at the lowest) below 4 PiB, not '3'; ignored"));
	rawmap_free(&r);
	done(m);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, world_setup, world_teardown)

/*
 * The MADT/SRAT cross-check reads what the tables say, so it still names
 * the CPUs the SRAT forgot when Linux rejects the SRAT (overlapping nodes)
 * and falls back to one node; five forgotten CPUs show as three examples
 * and a count.
 */
static void rejected_srat_still_cross_checked(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s, madt;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 1, 1);
	srat_mem(&s, 0, 0, 2 * GB, 1);
	srat_mem(&s, 1, GB, 2 * GB, 1);
	madt_cpus(&madt, 7);
	m = run_tables(w, &r, &s, NULL, 0, &madt, "");
	assert_true(has(w, "No NUMA configuration found"));
	assert_false(m->numa.from_srat);
	assert_true(has(w, "memprobe: [Firmware Bug]: MADT CPU with APIC ID 0x2 has no SRAT affinity "
			   "entry; Linux picks its node when it brings the CPU up"));
	assert_true(has(w, "memprobe: [Firmware Bug]: MADT CPU with APIC ID 0x4 has no SRAT affinity "
			   "entry; Linux picks its node when it brings the CPU up"));
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: [Firmware Bug]: MADT CPU with APIC ID"), 3);
	assert_true(has(w, "memprobe: [Firmware Bug]: MADT CPUs without an SRAT affinity entry: 2 more "
			   "not listed (5 in all)"));
	/* Linux's own state was reset: no CPU keeps an SRAT node. */
	assert_int_equal(m->numa.apicid_to_node[1], NUMA_NO_NODE);
	assert_int_equal(m->srat.apicid_to_node[1], 1);
	rawmap_free(&r);
	done(m);
}

/* NODE_DATA(0)'s line and reservation span size bytes. */
static void assert_node_data_size(struct world *w, struct machine *m, uint64_t size)
{
	char line[96];

	snprintf(line, sizeof(line), "NODE_DATA(0) allocated [mem %#010llx-%#010llx]",
		 (unsigned long long)m->numa.node_data[0],
		 (unsigned long long)(m->numa.node_data[0] + size - 1));
	assert_true(m->numa.node_data[0] != 0);
	assert_true(has(w, line));
	assert_true(memblock_is_region_reserved(&m->memblock, m->numa.node_data[0], size));
}

/*
 * node_data_size= is sizeof(pg_data_t): NODE_DATA takes it page-rounded,
 * a memory-less node's pg_data_t takes it as it is.
 */
static void node_data_size_is_one_constant(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 1, 1);
	srat_mem(&s, 0, 0, 3 * GB, 1);
	m = run(w, &r, &s, NULL, 0, "node_data_size=200000 memblock=debug");
	assert_true(has(w, "Initializing node 1 as memoryless"));
	assert_node_data_size(w, m, 0x31000);
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 200000 bytes align=0x40 nid=1 "), 1);
	done(m);
	/* Without the option: Debian 6.1's 174208 bytes, 0x2b000 page-rounded. */
	m = run(w, &r, &s, NULL, 0, "memblock=debug");
	assert_node_data_size(w, m, 0x2b000);
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 174208 bytes align=0x40 nid=1 "), 1);
	rawmap_free(&r);
	done(m);
}

/* The "pages in unavailable ranges" lines of the last run. */
static char *unavailable_lines(struct world *w)
{
	return capture_lines_with_prefix(&w->c, "On node ");
}

/*
 * RAM above the 46-bit physical limit has no sections, so Linux counts no
 * pages of it; the walk is per region, so a terabyte costs no more than a
 * page.
 */
static void ram_above_the_physical_limit(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	char *without, *with;

	memory_map(&r, 3 * GB, GB);
	m = run(w, &r, NULL, NULL, 0, "");
	without = unavailable_lines(w);
	done(m);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 64ULL << 40, (1ULL << 40) >> 12, WB);
	m = run(w, &r, NULL, NULL, 0, "");
	with = unavailable_lines(w);
	assert_true(memblock_is_region_memory(&m->memblock, 64ULL << 40, 1ULL << 40));
	assert_string_equal(with, without);
	free(without);
	free(with);
	rawmap_free(&r);
	done(m);
}

/*
 * 1,600 one-page RAM descriptors, one per 128 MiB section: each hole in a
 * present section is its own init_unavailable_range() call, as in Linux.
 */
static void sparse_one_page_regions(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	char line[96];

	memory_map(&r, 3 * GB, 0);
	for (unsigned k = 0; k < 1600; k++)
		rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 4 * GB + k * 128 * MB, 1, WB);
	m = run(w, &r, NULL, NULL, 0, "");
	snprintf(line, sizeof(line), "On node 0, zone Normal: %u pages in unavailable ranges", 32767);
	assert_int_equal(capture_count_prefix(&w->c, line), 1600);
	assert_int_equal(capture_count_prefix(&w->c, "On node 0, zone Normal: "), 1600);
	rawmap_free(&r);
	done(m);
}

/* The SRAT of CPUs on nodes (cpu_node[i] for APIC ID i) and memory blocks, with a MADT of those CPUs. */
static struct machine *run_cpus(struct world *w, struct rawmap *r, const int *cpu_node, unsigned nr_cpus,
				const uint64_t (*blocks)[3], unsigned nr_blocks, const uint8_t *slit, uint32_t slit_len,
				const char *options)
{
	struct sbuf srat, madt;

	srat_header(&srat, 1);
	for (unsigned i = 0; i < nr_cpus; i++)
		srat_cpu(&srat, (uint32_t)cpu_node[i], (uint8_t)i, 1);
	for (unsigned i = 0; i < nr_blocks; i++)
		srat_mem(&srat, (uint32_t)blocks[i][0], blocks[i][1], blocks[i][2], 1);
	madt_cpus(&madt, nr_cpus);
	return run_tables(w, r, &srat, slit, slit_len, &madt, options);
}

/* setup_per_cpu_areas: the CPUs grouped by node, the units per 2 MiB that waste at most a third. */
static void percpu_groups(void **state)
{
	struct world *w = *state;
	static const uint64_t two_nodes[][3] = { { 0, 0, 2 * GB }, { 1, 2 * GB, GB } };
	static const int uneven[] = { 0, 0, 0, 1 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	/* Three CPUs and one: two units per allocation would leave two of six empty; so one. */
	m = run_cpus(w, &r, uneven, 4, two_nodes, 2, NULL, 0, "");
	assert_true(has(w, "setup_percpu: NR_CPUS:8192 nr_cpumask_bits:4 nr_cpu_ids:4 nr_node_ids:2"));
	assert_true(has(w, "percpu: Embedded 62 pages/cpu s217088 r8192 d28672 u2097152"));
	assert_true(has(w, "pcpu-alloc: s217088 r8192 d28672 u2097152 alloc=1*2097152"));
	assert_true(has(w, "pcpu-alloc: [0] 0 [0] 1 [0] 2 [1] 3 "));
	rawmap_free(&r);
	done(m);
}

/* Four and four (another world: the tables are built once per test). */
static void percpu_groups_even(void **state)
{
	struct world *w = *state;
	static const uint64_t two_nodes[][3] = { { 0, 0, 2 * GB }, { 1, 2 * GB, GB } };
	static const int even[] = { 0, 1, 0, 1, 0, 1, 0, 1 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	/* Four and four, interleaved by number: four units of 512 KiB, the groups in CPU order. */
	m = run_cpus(w, &r, even, 8, two_nodes, 2, NULL, 0, "kernel=6.12");
	assert_true(has(w, "percpu: Embedded 66 pages/cpu s233472 r8192 d28672 u524288"));
	assert_true(has(w, "pcpu-alloc: [0] 0 2 4 6 [1] 1 3 5 7 "));
	done(m);
	/* Another build's section, page-rounded: the dynamic part takes up the rest of the page. */
	m = run_cpus(w, &r, even, 8, two_nodes, 2, NULL, 0, "percpu_static_size=200000");
	assert_true(has(w, "percpu: Embedded 58 pages/cpu s200000 r8192 d29376 u524288"));
	done(m);
	rawmap_free(&r);
}

/*
 * Areas 30 TiB apart pass 3/4 of 4-level vmalloc space: Linux gives them
 * back and falls back to 4 KiB pages, one group.
 */
static void percpu_page_fallback(void **state)
{
	struct world *w = *state;
	static const uint64_t far_nodes[][3] = { { 0, 0, 3 * GB }, { 1, 30ULL << 40, GB } };
	static const int nodes[] = { 0, 1 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 30ULL << 40, GB >> 12, WB);
	m = run_cpus(w, &r, nodes, 2, far_nodes, 2, NULL, 0, "");
	/* the areas as memblock placed them: about 30 TiB apart, past 3/4 of 32 TiB */
	assert_int_equal(capture_count_prefix(&w->c, "percpu: max_distance=0x1dff8"), 1);
	assert_non_null(strstr(w->c.text, " too large for vmalloc space 0x200000000000\n"));
	assert_true(has(w, "setup_percpu: auto allocator failed (-22), falling back to page size"));
	assert_true(has(w, "percpu: 58 4K pages/cpu s217088 r8192 d12288"));
	assert_true(has(w, "pcpu-alloc: s217088 r8192 d12288 u237568 alloc=58*4096"));
	assert_true(has(w, "pcpu-alloc: [0] 0 [0] 1 "));
	assert_true(m->unpredicted & UNPREDICTED_KERNEL_MEMBLOCK);
	done(m);
	/* with memblock=debug: both areas given back, then no memblock line memprobe cannot place */
	m = run_cpus(w, &r, nodes, 2, far_nodes, 2, NULL, 0, "memblock=debug");
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 2097152 bytes align=0x200000 nid="), 2);
	/* node 1's area under its 16 MiB of memmap and the 2 MiB block NODE_DATA took a part of */
	assert_non_null(strstr(w->c.text, "memblock_phys_free: [0x00001e003ec00000-0x00001e003edfffff] "
					  "pcpu_embed_first_chunk\n"));
	assert_non_null(strstr(w->c.text, "memprobe: pcpu_page_first_chunk's requests are not modelled: Linux's "
					  "memblock=debug lines from here on are not predicted\n"));
	assert_null(strstr(strstr(w->c.text, "falling back to page size"), "memblock_alloc_try_nid: "));
	rawmap_free(&r);
	done(m);
}

/*
 * build_all_zonelists: nearest first, the node after the local one preferred,
 * and the first node of each distance taken by one node pushed back for the
 * next (node_load).  A memory-less node: its own first in 6.1, left out in 6.12.
 */
static void zonelist_orders(void **state)
{
	struct world *w = *state;
	static const uint64_t four[][3] = { { 0, 0, GB }, { 1, GB, GB }, { 2, 2 * GB, GB }, { 3, 4 * GB, GB } };
	static const int one_each[] = { 0, 1, 2, 3 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	m = run_cpus(w, &r, one_each, 4, four, 4, NULL, 0, "");
	assert_true(has(w, "Fallback order for Node 0: 0 1 2 3 "));
	assert_true(has(w, "Fallback order for Node 1: 1 2 3 0 "));
	assert_true(has(w, "Fallback order for Node 2: 2 3 0 1 "));
	assert_true(has(w, "Fallback order for Node 3: 3 0 1 2 "));
	assert_true(has(w, "Policy zone: Normal"));
	assert_true(has(w, "software IO TLB: area num 4."));
	/* These tests read no CPU: SLUB's cache line is not known, and said so. */
	assert_int_equal(capture_count_prefix(&w->c, "SLUB: "), 0);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: the boot CPU's CPUID leaf 1 or the possible CPUs are "
						    "not known: the SLUB line is not predicted"), 1);
	assert_true(m->unpredicted & UNPREDICTED_SLUB);
	assert_true(has(w, "mempolicy: Enabling automatic NUMA balancing. Configure with numa_balancing= or the "
			   "kernel.numa_balancing sysctl"));
	done(m);
	/* mem=3G drops the RAM above 4 GiB, but the SRAT's node 3 still raises max_possible_pfn past it. */
	m = run_cpus(w, &r, one_each, 4, four, 4, NULL, 0, "mem=3G");
	assert_true(m->max_pfn <= (4 * GB) >> 12);
	assert_true(has(w, "software IO TLB: area num 4."));
	rawmap_free(&r);
	done(m);
}

/*
 * swiotlb=: noforce leaves the buffer out, force sets it up below 4 GiB;
 * areas given are said as the parameter is parsed (once); the slabs grow
 * to 128 per area and to a power of two, which Linux says.
 */
static void swiotlb_option(void **state)
{
	struct world *w = *state;
	static const uint64_t high[][3] = { { 0, 0, 3 * GB }, { 1, 4 * GB, GB } };
	static const int cpus[] = { 0, 0, 1, 1 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	m = run_cpus(w, &r, cpus, 4, high, 2, NULL, 0, "swiotlb=noforce");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB"), 0);
	assert_int_equal(m->swiotlb.bytes, 0);
	done(m);
	/* 0 slabs: four areas need 512, 1 MiB */
	m = run_cpus(w, &r, cpus, 4, high, 2, NULL, 0, "swiotlb=0");
	assert_true(has(w, "software IO TLB: area num 4."));
	assert_true(has(w, "software IO TLB: SWIOTLB bounce buffer size roundup to 1MB"));
	assert_int_equal(m->swiotlb.bytes, 1 * MB);
	done(m);
	/* 300 slabs are 384; three areas are four, which need 512 */
	m = run_cpus(w, &r, cpus, 4, high, 2, NULL, 0, "swiotlb=300,3");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: area num 4."), 1);
	assert_true(has(w, "software IO TLB: SWIOTLB bounce buffer size roundup to 1MB"));
	done(m);
	m = run_cpus(w, &r, cpus, 4, high, 2, NULL, 0, "swiotlb=100,1");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: area num 1."), 1);
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: SWIOTLB"), 0);
	assert_int_equal(m->swiotlb.bytes, 128 * 2048);
	done(m);
	/* 4 GiB asked below 4 GiB, where 3 GiB are: halved once, said, and the DMA pools sized with 2 GiB gone */
	m = run_cpus(w, &r, cpus, 4, high, 2, NULL, 0, "swiotlb=2097152");
	assert_true(has(w, "software IO TLB: swiotlb_memblock_alloc: Failed to allocate 4294967296 bytes tlb structure"));
	assert_true(has(w, "software IO TLB: SWIOTLB bounce buffer size adjusted 2097152 -> 1048576 slabs"));
	assert_int_equal(m->swiotlb.bytes, 2 * GB);
	assert_int_equal(m->swiotlb.slots_bytes, 1048576 * 24);
	done(m);
	/* past 2^63 slabs Linux's roundup_pow_of_two() gives 1 on x86 (a shift by 64): 2 KiB, no UB here */
	m = run_cpus(w, &r, cpus, 4, high, 2, NULL, 0, "swiotlb=0x8000000000000001,1");
	assert_true(has(w, "software IO TLB: SWIOTLB bounce buffer size roundup to 0MB"));
	assert_int_equal(m->swiotlb.bytes, 2048);
	done(m);
	rawmap_free(&r);
}

/* Below 4 GiB (another world: the tables are built once per test): only swiotlb=force sets it up. */
static void swiotlb_force(void **state)
{
	struct world *w = *state;
	static const uint64_t low[][3] = { { 0, 0, 3 * GB } };
	static const int cpus[] = { 0, 0, 0, 0 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	m = run_cpus(w, &r, cpus, 4, low, 1, NULL, 0, "");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB"), 0);
	done(m);
	m = run_cpus(w, &r, cpus, 4, low, 1, NULL, 0, "swiotlb=force");
	assert_true(has(w, "software IO TLB: area num 4."));
	assert_int_equal(m->swiotlb.bytes, 64 * MB);
	done(m);
	rawmap_free(&r);
}

static void zonelist_memoryless_node(void **state)
{
	struct world *w = *state;
	static const uint64_t memoryless[][3] = { { 0, 0, GB }, { 2, GB, 2 * GB } };
	static const int cpu_nodes[] = { 0, 1, 2 };
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	m = run_cpus(w, &r, cpu_nodes, 3, memoryless, 2, NULL, 0, "");
	assert_true(has(w, "Fallback order for Node 0: 0 2 "));
	assert_true(has(w, "Fallback order for Node 1: 1 2 0 "));
	assert_true(has(w, "Fallback order for Node 2: 2 0 "));
	/*
	 * Present less each zone's memmap (64 bytes a page) and the DMA reserve:
	 * DMA 3999 - 64 - 159 (the first MiB's pages), DMA32 258048 - 4032 on
	 * node 0 and 524288 - 8192 on node 2.
	 */
	assert_true(has(w, "Built 3 zonelists, mobility grouping on.  Total pages: 773888"));
	assert_true(has(w, "Policy zone: DMA32"));
	/* Spread over three online nodes, 4 MiB is too little a share for 2 MiB pages. */
	assert_true(has(w, "Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, vmalloc)"));
	assert_true(has(w, "Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, vmalloc)"));
	assert_true(has(w, "Mount-cache hash table entries: 8192 (order: 4, 65536 bytes, vmalloc)"));
	/* No memory above 4 GiB: no software IO TLB. */
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB"), 0);
	done(m);
	m = run_cpus(w, &r, cpu_nodes, 3, memoryless, 2, NULL, 0, "kernel=6.12");
	assert_true(has(w, "Fallback order for Node 1: 2 0 "));
	done(m);
	rawmap_free(&r);
}

/*
 * dma_atomic_pool_init: 128 KiB per GiB the page allocator has, as one
 * power-of-two block; a count within the unplaced allocations of a step
 * (33 * 8192 pages: 256 KiB) is not predicted.
 */
static void dma_atomic_pools(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	/* About 1092 MiB less the image (52 MiB) and memmap: 31 * 8192 and some pages, 31 rounded up to 32: 128 KiB. */
	memory_map(&r, 1092 * MB, 0);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_true(has(w, "DMA: preallocated 128 KiB GFP_KERNEL pool for atomic allocations"));
	assert_true(has(w, "DMA: preallocated 128 KiB GFP_KERNEL|GFP_DMA pool for atomic allocations"));
	assert_true(has(w, "DMA: preallocated 128 KiB GFP_KERNEL|GFP_DMA32 pool for atomic allocations"));
	rawmap_free(&r);
	done(m);
	/* 1152 MiB: 33 steps, rounded up to 64 pages. */
	memory_map(&r, 1152 * MB, 0);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_true(has(w, "DMA: preallocated 256 KiB GFP_KERNEL pool for atomic allocations"));
	rawmap_free(&r);
	done(m);
	/* 1132 MiB: about 33 * 8192 + 1200 pages, fewer than the 16 MiB of unplaced allocations. */
	memory_map(&r, 1132 * MB, 0);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_int_equal(capture_count_prefix(&w->c, "DMA: preallocated"), 0);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: the atomic DMA pools' size depends on "), 1);
	assert_true(m->unpredicted & UNPREDICTED_DMA_POOLS);
	done(m);
	/* coherent_pool= decides it: 1 MiB a block of 256 pages; 100 MiB capped at the largest block */
	m = run(w, &r, NULL, NULL, 0, "coherent_pool=1M");
	assert_true(has(w, "DMA: preallocated 1024 KiB GFP_KERNEL pool for atomic allocations"));
	done(m);
	m = run(w, &r, NULL, NULL, 0, "coherent_pool=100M");
	assert_true(has(w, "DMA: preallocated 4096 KiB GFP_KERNEL|GFP_DMA32 pool for atomic allocations"));
	rawmap_free(&r);
	done(m);
	/* 40 GiB, less the software IO TLB: capped at a 4 MiB block. */
	memory_map(&r, 3 * GB, 37 * GB);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_true(has(w, "DMA: preallocated 4096 KiB GFP_KERNEL|GFP_DMA32 pool for atomic allocations"));
	rawmap_free(&r);
	done(m);
}

/*
 * sparse_init: the roots (4096 of 8 bytes, 4-level), a root page on the
 * first node, per node 56 bytes of usemap per section near its pg_data_t and
 * one 2 MiB-aligned buffer of 2 MiB per section, and the vmemmap's page
 * tables: a PUD and a PMD page for the first 64 GiB, a PMD page per 64 GiB after.
 */
static void sparse_sections(void **state)
{
	struct world *w = *state;
	static const uint64_t two[][3] = { { 0, 0, 2 * GB }, { 1, 2 * GB, GB }, { 1, 4 * GB, 62 * GB } };
	static const int cpus[] = { 0, 1 };
	struct rawmap r;
	struct machine *m;
	char line[200];

	memory_map(&r, 3 * GB, 62 * GB);
	m = run_cpus(w, &r, cpus, 2, two, 3, NULL, 0, "memblock=debug");
	assert_true(has(w, "memblock_alloc_try_nid: 32768 bytes align=0x40 nid=-1 from=0x0000000000000000 "
			   "max_addr=0x0000000000000000 sparse_init"));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x0000000000000000 "
						    "max_addr=0x0000000000000000 sparse_index_alloc"), 1);
	/* node 0: 16 sections; the usemaps within NODE_DATA(0)'s section */
	snprintf(line, sizeof(line), "memblock_alloc_try_nid: 896 bytes align=0x40 nid=0 from=0x%016llx max_addr=0x%016llx "
		 "sparse_init_nid", (unsigned long long)(m->numa.node_data[0] & ~(128 * MB - 1)),
		 (unsigned long long)((m->numa.node_data[0] & ~(128 * MB - 1)) + 128 * MB));
	assert_true(has(w, line));
	assert_true(has(w, "memblock_alloc_exact_nid_raw: 33554432 bytes align=0x200000 nid=0 from=0x0000000001000000 "
			   "max_addr=0x0000000000000000 sparse_init_nid"));
	/* node 1: 8 + 496 sections */
	assert_true(has(w, "memblock_alloc_exact_nid_raw: 1056964608 bytes align=0x200000 nid=1 from=0x0000000001000000 "
			   "max_addr=0x0000000000000000 sparse_init_nid"));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 28224 bytes align=0x40 nid=1 "), 1);
	/* 66 GiB of memory: PUD + PMD on node 0, a second PMD page for 64-66 GiB on node 1 */
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid_raw: 4096 bytes align=0x1000 nid=0 "), 2);
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid_raw: 4096 bytes align=0x1000 nid=1 "), 1);
	assert_false(m->unpredicted & UNPREDICTED_SPARSE);
	rawmap_free(&r);
	done(m);
}

/* Memory past MAX_PHYSMEM_BITS (64 TiB with 4 levels) has no sections: the last root is 4095's, and the walk ends. */
static void sparse_past_max_physmem(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, (1ULL << 46) - GB, (1ULL << 40) >> 12, WB);
	m = run(w, &r, NULL, NULL, 0, "memblock=debug");
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x0000000000000000 "
						    "max_addr=0x0000000000000000 sparse_index_alloc"), 2);
	rawmap_free(&r);
	done(m);
}

static const uint32_t genuine_intel[4] = { 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 };
static const uint32_t authentic_amd[4] = { 0xd, 0x68747541, 0x444d4163, 0x69746e65 };

/* The boot CPU's record: family 6 of a vendor (CPUID 0), with or without CPUID's hypervisor bit. */
static void boot_cpu_of(struct world *w, struct cpu_record *rec, const uint32_t l0[4], bool hypervisor)
{
	const uint32_t l1[4] = { 0x306a9, 0, hypervisor ? 1u << 31 : 0, 1u << 9 };

	memset(rec, 0, sizeof(*rec));
	rec->state = CPU_READ;
	cpu_record_add_leaf(rec, 0, 0, l0);
	cpu_record_add_leaf(rec, 1, 0, l1);
	w->fw.cpus = (struct cpu_records){ CPUS_MP_SERVICES, 1, 1, rec };
	cpu_facts_from_record(rec, &w->fw.cpu);
}

/* An Intel boot CPU. */
static void boot_cpu(struct world *w, struct cpu_record *rec, bool hypervisor)
{
	boot_cpu_of(w, rec, genuine_intel, hypervisor);
}

static void forget_boot_cpu(struct world *w)
{
	w->fw.cpus = (struct cpu_records){ CPUS_NOT_READ, 0, 0, NULL };
	memset(&w->fw.cpu, 0, sizeof(w->fw.cpu));
}

/*
 * probe_memory_block_size: 128 MiB below 64 GiB of address space; past it
 * 2 GiB on bare metal, and under a hypervisor the largest power of two to
 * 2 GiB that the end (71 GiB: 1 GiB) is aligned to.
 */
static void memory_block_size(void **state)
{
	struct world *w = *state;
	static struct cpu_record rec;
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_true(has(w, "x86/mm: Memory block size: 128MB"));
	rawmap_free(&r);
	done(m);
	memory_map(&r, 3 * GB, 67 * GB);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_int_equal(capture_count_prefix(&w->c, "x86/mm: Memory block size"), 0);
	assert_true(m->unpredicted & UNPREDICTED_MEMORY_BLOCK);
	done(m);
	boot_cpu(w, &rec, false);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_true(has(w, "x86/mm: Memory block size: 2048MB"));
	done(m);
	boot_cpu(w, &rec, true);
	m = run(w, &r, NULL, NULL, 0, "");
	assert_true(has(w, "x86/mm: Memory block size: 1024MB"));
	done(m);
	forget_boot_cpu(w);
	rawmap_free(&r);
}

/* The memblock requests of w's capture from "setup_percpu:" on, as "SIZE CALLER" lines. */
static void requests_after_percpu(const struct world *w, char *out, size_t size)
{
	const char *p = strstr(w->c.text, "setup_percpu: ");
	size_t len = 0;

	out[0] = '\0';
	while (p && (p = strstr(p, "memblock_alloc_try_nid: ")) && len < size) {
		unsigned long long bytes;
		const char *eol = strchr(p, '\n'), *caller = eol;

		while (caller > p && caller[-1] != ' ')
			caller--;
		sscanf(p, "memblock_alloc_try_nid: %llu", &bytes);
		len += (size_t)snprintf(out + len, size - len, "%llu %.*s\n", bytes, (int)(eol - caller), caller);
		p = eol;
	}
}

/* How often needle occurs in w's capture after "setup_percpu: ". */
static unsigned count_after_percpu(const struct world *w, const char *needle)
{
	const char *p = strstr(w->c.text, "setup_percpu: ");
	unsigned n = 0;

	while (p && (p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/*
 * setup_per_cpu_areas' requests, hand-counted for 4 CPUs, 2 per node, 2
 * units per 2 MiB: the alloc info and the areas' array (a page each), an
 * area per node, the group offsets and sizes (8 per group), the unit map
 * (4 per CPU) and offsets (8 per CPU), 22 chunk slots of 16 bytes (1 MiB
 * units: 21 - 5 + 2, and three more), the reserved chunk (2 pages: 144,
 * 2048 bits in 256, 2049 in 264, 2 blocks of 32) and the dynamic one (7
 * pages), then a cpumask per node and 6.1's four local masks (6.12: one).
 */
static void percpu_memblock_requests(void **state)
{
	struct world *w = *state;
	static const uint64_t two_nodes[][3] = { { 0, 0, 2 * GB }, { 1, 2 * GB, GB } };
	static const int pairs[] = { 0, 0, 1, 1 };
	static const char want_61[] =
		"4096 pcpu_build_alloc_info\n4096 pcpu_embed_first_chunk\n2097152 pcpu_fc_alloc\n2097152 pcpu_fc_alloc\n"
		"16 pcpu_setup_first_chunk\n16 pcpu_setup_first_chunk\n16 pcpu_setup_first_chunk\n"
		"32 pcpu_setup_first_chunk\n352 pcpu_setup_first_chunk\n"
		"144 pcpu_alloc_first_chunk\n256 pcpu_alloc_first_chunk\n264 pcpu_alloc_first_chunk\n"
		"64 pcpu_alloc_first_chunk\n144 pcpu_alloc_first_chunk\n896 pcpu_alloc_first_chunk\n"
		"904 pcpu_alloc_first_chunk\n224 pcpu_alloc_first_chunk\n"
		"8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n"
		"8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n";
	char got[4096];
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	m = run_cpus(w, &r, pairs, 4, two_nodes, 2, NULL, 0, "memblock=debug nokaslr");
	requests_after_percpu(w, got, sizeof(got));
	assert_string_equal(got, want_61);
	/*
	 * each unit's tail past its 62 pages goes back: two units per area,
	 * each area under its node's memmap and the 2 MiB block NODE_DATA took
	 */
	assert_int_equal(count_after_percpu(w, "[0x000000007dc3e000-0x000000007dcfffff] pcpu_embed_first_chunk\n"), 1);
	assert_int_equal(count_after_percpu(w, "[0x00000000bed3e000-0x00000000bedfffff] pcpu_embed_first_chunk\n"), 1);
	assert_int_equal(count_after_percpu(w, "memblock_phys_free: "), 4 + 2);
	/* no CPU vendor here: the CPU entry areas' page tables, and what follows, are not predicted */
	assert_non_null(strstr(w->c.text, "memprobe: the boot CPU's vendor or the possible CPUs are not known, and so the "
					  "page tables of the CPU entry areas: Linux's memblock=debug lines from here on "
					  "are not predicted\n"));
	assert_true(m->unpredicted & UNPREDICTED_KERNEL_MEMBLOCK);
	done(m);
	m = run_cpus(w, &r, pairs, 4, two_nodes, 2, NULL, 0, "memblock=debug nokaslr kernel=6.12");
	requests_after_percpu(w, got, sizeof(got));
	assert_non_null(strstr(got, "352 pcpu_setup_first_chunk\n200 pcpu_alloc_first_chunk\n256 "));
	assert_non_null(strstr(got, "224 pcpu_alloc_first_chunk\n8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n"
				    "8 alloc_bootmem_cpumask_var\n"));
	assert_null(strstr(got, "8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n8 alloc_bootmem_cpumask_var\n8"));
	done(m);
	rawmap_free(&r);
}

/*
 * start_kernel's requests after the percpu areas: the unknown parameters'
 * copy (taken and given back), the early hash tables with one node, and
 * trap_init's page tables for the CPU entry areas: 9 CPUs' areas of 236 KiB
 * after the IDT's page end within 2 MiB on AMD (the mapped 76 KiB of the
 * last starts at 1892 KiB) but not on Intel, which maps them whole: a PUD,
 * a PMD and one PTE page, or two.
 */
static void start_kernel_requests(void **state)
{
	struct world *w = *state;
	static const uint64_t one_node[][3] = { { 0, 0, 3 * GB } };
	static const int nine[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static struct cpu_record rec;
	char got[4096];
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	boot_cpu_of(w, &rec, authentic_amd, false);
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "memblock=debug nokaslr unknown_params_bytes=9");
	requests_after_percpu(w, got, sizeof(got));
	assert_non_null(strstr(got, "8 alloc_bootmem_cpumask_var\n9 start_kernel\n"));
	assert_int_equal(count_after_percpu(w, "] start_kernel\n"), 1);	/* given back */
	/* 3 GiB: 2^19 dentry buckets of 8 bytes, 2^18 inode ones; no memory above 4 GiB, no software IO TLB */
	assert_non_null(strstr(got, "\n9 start_kernel\n4194304 alloc_large_system_hash\n2097152 alloc_large_system_hash\n"
				    "4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n"));
	assert_null(strstr(got, "\n4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n"));
	done(m);
	boot_cpu_of(w, &rec, genuine_intel, false);
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "memblock=debug nokaslr");
	requests_after_percpu(w, got, sizeof(got));
	assert_null(strstr(got, "start_kernel"));
	assert_non_null(strstr(got, "system_hash\n4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n"));
	/*
	 * "Memory:": 786335 present pages; DMA32 ends the node, so the pages from
	 * 256 MiB (the first section start past 32768 of its pages from 16 MiB)
	 * wait for the deferred init: 6.1 frees 65280 pages above 1 MiB less
	 * the image's 13329, and 64 go to vmalloc's page tables: 207548K.
	 */
	assert_int_equal(capture_count_prefix(&w->c, "Memory: 207548K/3145340K available (14343K kernel code, 2338K "
						    "rwdata, 9132K rodata, 2824K init, 17344K bss, "), 1);
	done(m);
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "nokaslr kernel_sections=1,2,3,4,5");
	assert_int_equal(capture_count_prefix(&w->c, "Memory: 207548K/3145340K available (1K kernel code, 2K rwdata, "
						    "3K rodata, 4K init, 5K bss, "), 1);
	done(m);
	/* 6.12 prints it after the deferred init: what is available then is the run's */
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "nokaslr kernel=6.12");
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: Memory: ?K/3145340K available (16384K kernel code, "), 1);
	assert_non_null(strstr(w->c.text, " 0K cma-reserved)" MEMORY_LINE_RUN_NOTE "\n"));
	done(m);
	/*
	 * Memory KASLR: 6.1 keeps the areas in CPU order; vmalloc space starts
	 * on a random GiB and takes a page-table page more (the trampoline's page
	 * lies above the first deferred page); the line of a boot whose GiB is a
	 * top-level boundary is said too.
	 */
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "memblock=debug");
	requests_after_percpu(w, got, sizeof(got));
	assert_non_null(strstr(got, "system_hash\n4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n4096 spp_getpage\n"));
	assert_int_equal(capture_count_prefix(&w->c, "Memory: 207544K/3145340K available ("), 1);
	assert_int_equal(capture_count_prefix(&w->c, MEMORY_LINE_OR "Memory: 207548K/3145340K available ("), 1);
	assert_non_null(strstr(w->c.text, " 0K cma-reserved)" MEMORY_LINE_OR_NOTE " (1 boot in 512): "));
	done(m);
	/* 6.12 puts each area at random: only cea_pages= (a boot's log) gives their page tables' count */
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "memblock=debug kernel=6.12");
	assert_null(strstr(w->c.text, " spp_getpage\n"));
	assert_non_null(strstr(w->c.text, "memprobe: with KASLR this kernel puts the CPU entry areas at random"));
	assert_non_null(strstr(w->c.text, "memprobe: the \"Memory:\" line is not predicted: with KASLR "));
	assert_true(m->unpredicted & UNPREDICTED_MEMORY_LINE);
	done(m);
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "memblock=debug kernel=6.12 cea_pages=0 cea_pages=65537 cea_pages=7x");
	assert_non_null(strstr(w->c.text, "memprobe: error: cea_pages= takes a count of pages from 1 to 65536, not '0'; ignored\n"));
	assert_non_null(strstr(w->c.text, "memprobe: error: cea_pages= takes a count of pages from 1 to 65536, not '65537'; "));
	assert_non_null(strstr(w->c.text, "memprobe: error: cea_pages= takes a count of pages from 1 to 65536, not '7x'; "));
	assert_true(m->unpredicted & UNPREDICTED_MEMORY_LINE);
	done(m);
	m = run_cpus(w, &r, nine, 9, one_node, 1, NULL, 0, "memblock=debug kernel=6.12 cea_pages=7");
	requests_after_percpu(w, got, sizeof(got));
	assert_int_equal(count_after_percpu(w, " spp_getpage\n"), 7);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: Memory: ?K/3145340K available ("), 1);
	assert_false(m->unpredicted & UNPREDICTED_MEMORY_LINE);
	done(m);
	forget_boot_cpu(w);
	rawmap_free(&r);
}

/* setup_log_buf(): 17 CPUs add 64 KiB, half the 128 KiB buffer, and keep it. */
static void log_buffer_kept_for_17_cpus(void **state)
{
	struct world *w = *state;
	static const uint64_t one_node[][3] = { { 0, 0, 3 * GB } };
	int cpus[17] = { 0 };
	char got[4096];
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	m = run_cpus(w, &r, cpus, 17, one_node, 1, NULL, 0, "memblock=debug nokaslr");
	assert_int_equal(m->cpus.possible, 17);
	requests_after_percpu(w, got, sizeof(got));
	assert_non_null(strstr(got, "8 alloc_bootmem_cpumask_var\n4194304 alloc_large_system_hash\n"));
	assert_null(strstr(w->c.text, "log_buf_len"));
	done(m);
	rawmap_free(&r);
}

/*
 * 18 CPUs add 68 KiB: 196 KiB rounded up to 256 KiB of text, then 8192
 * records' descriptors (24 bytes) and infos (88 bytes), before the early
 * hash tables.
 */
static void log_buffer_for_many_cpus(void **state)
{
	struct world *w = *state;
	static const uint64_t one_node[][3] = { { 0, 0, 3 * GB } };
	int cpus[18] = { 0 };
	char got[4096];
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, 0);
	m = run_cpus(w, &r, cpus, 18, one_node, 1, NULL, 0, "memblock=debug nokaslr");
	assert_int_equal(m->cpus.possible, 18);
	requests_after_percpu(w, got, sizeof(got));
	assert_non_null(strstr(got, "\n262144 setup_log_buf\n196608 setup_log_buf\n720896 setup_log_buf\n"
				    "4194304 alloc_large_system_hash\n"));
	assert_non_null(strstr(w->c.text, "printk: log_buf_len individual max cpu contribution: 4096 bytes\n"
					  "printk: log_buf_len total cpu_extra contributions: 69632 bytes\n"
					  "printk: log_buf_len min size: 131072 bytes\n"));
	assert_non_null(strstr(w->c.text, "\nprintk: log_buf_len: 262144 bytes\n"));
	assert_non_null(strstr(w->c.text, "memprobe: not predicted, as it depends on the run: \"printk: early log buf free: "));
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 262144 bytes align=0x8 nid=-1 from=0x"
						    "0000000000000000 max_addr=0x0000000000000000 setup_log_buf"), 1);
	done(m);
	rawmap_free(&r);
}

/*
 * pci_iommu_init()'s lines: every IOMMU driver but the AMD GART's leaves the
 * software IO TLB, so they are predicted on any CPU without one (and on a
 * run without the CPU's leaves); AMD's family 0x10 has it on bare metal,
 * and then they are not, but not under a hypervisor.
 */
static void swiotlb_lines_by_cpu(void **state)
{
	struct world *w = *state;
	static const uint64_t two[][3] = { { 0, 0, 2 * GB }, { 1, 2 * GB, 2 * GB } };
	static const int cpus[] = { 0, 0, 1, 1 };
	static const uint32_t family_10h[4] = { 0x100f42, 0, 0, 1u << 9 };
	static struct cpu_record rec;
	struct rawmap r;
	struct machine *m;

	memory_map(&r, 3 * GB, GB);
	m = run_cpus(w, &r, cpus, 4, two, 2, NULL, 0, "nokaslr");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: mapped [mem 0x"), 1);
	done(m);
	boot_cpu_of(w, &rec, authentic_amd, false);	/* family 6 */
	m = run_cpus(w, &r, cpus, 4, two, 2, NULL, 0, "nokaslr");
	assert_int_equal(capture_count_prefix(&w->c, "PCI-DMA: Using software bounce buffering for IO (SWIOTLB)"), 1);
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: mapped [mem 0x"), 1);
	assert_false(m->unpredicted & UNPREDICTED_SWIOTLB_MAPPED);
	done(m);
	/* CPUID 1 is the record's second leaf */
	rec.leaf[1] = (struct cpuid_regs){ 1, 0, family_10h[0], family_10h[1], family_10h[2], family_10h[3] };
	cpu_facts_from_record(&rec, &w->fw.cpu);
	m = run_cpus(w, &r, cpus, 4, two, 2, NULL, 0, "nokaslr");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: mapped [mem "), 0);
	assert_int_equal(capture_count_prefix(&w->c, "memprobe: the boot CPU may have AMD's northbridge GART"), 1);
	assert_true(m->unpredicted & UNPREDICTED_SWIOTLB_MAPPED);
	done(m);
	boot_cpu_of(w, &rec, authentic_amd, true);
	rec.leaf[1] = (struct cpuid_regs){ 1, 0, family_10h[0], family_10h[1], family_10h[2] | 1u << 31, family_10h[3] };
	cpu_facts_from_record(&rec, &w->fw.cpu);
	m = run_cpus(w, &r, cpus, 4, two, 2, NULL, 0, "nokaslr");
	assert_int_equal(capture_count_prefix(&w->c, "software IO TLB: mapped [mem 0x"), 1);
	done(m);
	forget_boot_cpu(w);
	rawmap_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(dma_atomic_pools),
		T(memory_block_size),
		T(sparse_sections),
		T(sparse_past_max_physmem),
		T(percpu_groups),
		T(percpu_groups_even),
		T(percpu_page_fallback),
		T(percpu_memblock_requests),
		T(start_kernel_requests),
		T(log_buffer_kept_for_17_cpus),
		T(log_buffer_for_many_cpus),
		T(swiotlb_lines_by_cpu),
		T(zonelist_orders),
		T(swiotlb_option),
		T(swiotlb_force),
		T(zonelist_memoryless_node),
		T(rejected_srat_still_cross_checked),
		T(node_data_size_is_one_constant),
		T(ram_above_the_physical_limit),
		T(sparse_one_page_regions),
		T(interleaved_nodes_do_not_merge),
		T(merge_and_sparse_pxms),
		T(hotplug_beyond_ram_and_memoryless),
		T(overlapping_nodes_fall_back),
		T(too_little_coverage_falls_back),
		T(srat_without_memory),
		T(many_nodes),
		T(numa_off_and_distances),
		T(fake_nodes),
		T(fake_node_grows_across_a_hole),
		T(fake_nodes_by_the_hundred),
		T(kernel_placement_moves_page_tables),
	};

	return cmocka_run_group_tests_name("numa", tests, NULL, NULL);
}
