// SPDX-License-Identifier: MIT
/*
 * The Linux profiles: kernel= and the release names, and each behaviour
 * that differs between 6.1 and 6.12, on the same built machine under both.
 * The 6.12 figures are those of Debian 12's 6.12.117 booted on the seed VM
 * and on pc-6G-3nodes (see docs/linux-6.12.md).
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
#include "memprobe/x86/numa_distance.h"

#define GB (1ULL << 30)
#define MB (1ULL << 20)
#define WB EFI_ATTR_WB

static void release_names(void **state)
{
	(void)state;
	assert_string_equal(linux_profile_for_release("6.12.117+deb12-amd64")->name, "6.12");
	assert_string_equal(linux_profile_for_release("6.1.0-56-amd64")->name, "6.1");
	assert_string_equal(linux_profile_for_release("6.12-rc1")->name, "6.12");
	assert_null(linux_profile_for_release("6.13.0-1-amd64"));
	assert_null(linux_profile_for_release("6.10.2"));
	assert_null(linux_profile_for_release("6"));
	assert_null(linux_profile_for_release(""));
	assert_string_equal(linux_profile_default()->name, "6.1");
	assert_string_equal(linux_profile_named("6.12", 4)->name, "6.12");
	assert_string_equal(linux_profile_named("6.12", 3)->name, "6.1");	/* the first 3 bytes */
	assert_null(linux_profile_named("7", 1));
}

static void kernel_option(void **state)
{
	struct options o;
	struct capture c;

	(void)state;
	options_init(&o);
	assert_string_equal(o.kernel->name, "6.1");
	options_parse(&o, "kernel=6.12");
	assert_string_equal(o.kernel->name, "6.12");
	assert_int_equal(o.nr_errors, 0);
	options_parse(&o, "kernel=5.10");
	assert_string_equal(o.kernel->name, "6.12");	/* a bad value changes nothing */
	assert_int_equal(o.nr_errors, 1);
	capture_init(&c);
	options_print_messages(&o, &c.log);
	assert_true(capture_has_line(&c, "memprobe: error: kernel= takes 6.1, 6.12, not '5.10'; ignored"));
	capture_free(&c);
}

/* The SRAT at 0xfff01000 and the map r, then the whole pipeline with options. */
static struct machine *run_with_srat(struct world *w, const struct rawmap *r, const struct sbuf *srat,
				     const char *options)
{
	static const uint64_t tables[1] = { 0xfff01000 };
	struct machine *m = malloc(sizeof(*m));

	if (!w->fw.uefi_revision) {
		w->fw.uefi_revision = 2 << 16 | 70;
		strcpy(w->fw.fw_vendor, "EDK II");
	}
	if (w->nr == 0) {
		add_table(w, tables[0], "SRAT", 3, srat->b, srat->n);
		add_root(w, 0xfff00100, true, tables, 1);
		add_rsdp(w, 0xfff00000, 2, 0, 0xfff00100);
	}
	w->fw.memmap = r->map;
	w->fw.cmdline = options;
	capture_reset(&w->c);
	machine_init(m, &w->fw, NULL, &(const struct sinks){ &w->c.log, NULL }, &host_heap);
	memprobe_run(m);
	return m;
}

/*
 * The seed VM's shape: node 0 = [0, 640K) + [1M, 2G), node 1 = [2G, 3G) +
 * [4G, 5G), two CPUs each; a 2 MiB MMIO window at the top of 4 GiB and a
 * 64 KiB one below it; the tables at 0xfff00000.
 */
static struct machine *seed_shape(struct world *w, struct rawmap *r, const char *options)
{
	static const uint32_t mmio_first = 4;	/* efi=debug's number of the first MMIO descriptor */
	struct sbuf s;

	rawmap_init(r, 48);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, MB, (3 * GB - MB) >> 12, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 4 * GB, GB >> 12, WB);
	rawmap_add(r, EFI_ACPI_RECLAIM_MEMORY, 0xfff00000, 0x10, WB);
	assert_int_equal(efi_memmap_nr_desc(&r->map), mmio_first);
	rawmap_add(r, EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x200, EFI_ATTR_UC | EFI_ATTR_RUNTIME);
	rawmap_add(r, EFI_MEMORY_MAPPED_IO, 0xfed00000, 0x10, EFI_ATTR_UC | EFI_ATTR_RUNTIME);
	srat_header(&s, 1);
	for (uint8_t cpu = 0; cpu < 4; cpu++)
		srat_cpu(&s, cpu / 2, cpu, 1);
	srat_mem(&s, 0, 0, 0xa0000, 1);
	srat_mem(&s, 0, MB, 2 * GB - MB, 1);
	srat_mem(&s, 1, 2 * GB, GB, 1);
	srat_mem(&s, 1, 4 * GB, GB, 1);
	return run_with_srat(w, r, &s, options);
}

/* RAM [0, 640K) and [1M, top): the map of the tests that bring their own SRAT. */
static void low_map(struct rawmap *r, uint64_t top)
{
	rawmap_init(r, 48);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	rawmap_add(r, EFI_CONVENTIONAL_MEMORY, MB, (top - MB) >> 12, WB);
	rawmap_add(r, EFI_ACPI_RECLAIM_MEMORY, 0xfff00000, 0x10, WB);
}

static void done(struct machine *m, struct rawmap *r)
{
	machine_release(m);
	free(m);
	rawmap_free(r);
}

static bool has(struct world *w, const char *line)
{
	if (capture_has_line(&w->c, line))
		return true;
	fprintf(stderr, "missing line: %s\n--- output:\n%s", line, w->c.text);
	return false;
}

/* The size NODE_DATA(nid)'s line shows. */
static uint64_t node_data_bytes(struct world *w, int nid)
{
	char prefix[40];
	const char *at;
	unsigned long long first, last;

	snprintf(prefix, sizeof(prefix), "NODE_DATA(%d) allocated [mem ", nid);
	at = strstr(w->c.text, prefix);
	if (!at || sscanf(at + strlen(prefix), "%llx-%llx", &first, &last) != 2)
		return 0;
	return last - first + 1;
}

static void banner_and_efi_revision(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	m = seed_shape(w, &r, "");
	assert_true(has(w, "memprobe: memprobe " MEMPROBE_VERSION " (host test) for Linux 6.1"));
	assert_true(has(w, "efi: EFI v2.70 by EDK II"));
	done(m, &r);
	m = seed_shape(w, &r, "kernel=6.12");
	assert_true(has(w, "memprobe: memprobe " MEMPROBE_VERSION " (host test) for Linux 6.12"));
	assert_true(has(w, "efi: EFI v2.7 by EDK II"));
	done(m, &r);
	/* UEFI 2.31: 6.12 prints the tenths, then the last digit */
	w->fw.uefi_revision = 2 << 16 | 31;
	m = seed_shape(w, &r, "kernel=6.12");
	assert_true(has(w, "efi: EFI v2.3.1 by EDK II"));
	done(m, &r);
	m = seed_shape(w, &r, "");
	assert_true(has(w, "efi: EFI v2.31 by EDK II"));
	done(m, &r);
}

static void mmio_leaves_e820(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	m = seed_shape(w, &r, "");
	assert_int_equal(capture_count_prefix(&w->c, "efi: Remove mem"), 0);
	assert_int_equal(capture_count_prefix(&w->c, "efi: Not removing mem"), 0);
	assert_true(has(w, "BIOS-e820: [mem 0x00000000ffc00000-0x00000000ffdfffff] reserved"));
	done(m, &r);
	m = seed_shape(w, &r, "kernel=6.12");
	assert_true(has(w, "efi: Remove mem04: MMIO range=[0xffc00000-0xffdfffff] (2MB) from e820 map"));
	assert_true(has(w, "e820: remove [mem 0xffc00000-0xffdfffff] reserved"));
	assert_true(has(w, "efi: Not removing mem05: MMIO range=[0xfed00000-0xfed0ffff] (64KB) from e820 map"));
	/* The 2 MiB window is gone from the table the views show; the small one stays. */
	assert_int_equal(capture_count_prefix(&w->c, "ffc00000-ffdfffff : Reserved"), 0);
	done(m, &r);
}

static void srat_cpu_lines(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	m = seed_shape(w, &r, "");
	assert_true(has(w, "SRAT: PXM 1 -> APIC 0x03 -> Node 1"));
	assert_int_equal(capture_count_prefix(&w->c, "SRAT: PXM "), 4);
	done(m, &r);
	m = seed_shape(w, &r, "kernel=6.12");
	assert_int_equal(capture_count_prefix(&w->c, "SRAT: PXM "), 0);
	assert_true(has(w, "ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x13fffffff]"));
	done(m, &r);
}

static void numa_blocks_trimmed_to_dram(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	m = seed_shape(w, &r, "");
	assert_true(has(w, "NUMA: Node 0 [mem 0x00000000-0x0009ffff] + [mem 0x00100000-0x7fffffff] -> "
			   "[mem 0x00000000-0x7fffffff]"));
	done(m, &r);
	/* 6.12 starts at memblock_start_of_DRAM(): page 0 is not memory (trim_bios_range). */
	m = seed_shape(w, &r, "kernel=6.12");
	assert_true(has(w, "NUMA: Node 0 [mem 0x00001000-0x0009ffff] + [mem 0x00100000-0x7fffffff] -> "
			   "[mem 0x00001000-0x7fffffff]"));
	assert_true(has(w, "NUMA: Node 1 [mem 0x80000000-0xbfffffff] + [mem 0x100000000-0x13fffffff] -> "
			   "[mem 0x80000000-0x13fffffff]"));
	done(m, &r);
}

static void node_data_size_and_rounding(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	m = seed_shape(w, &r, "");
	assert_int_equal(node_data_bytes(w, 0), 0x2b000);	/* 174208, page-rounded */
	assert_true(has(w, "NODE_DATA(0) allocated [mem 0x7ffd5000-0x7fffffff]"));
	done(m, &r);
	m = seed_shape(w, &r, "kernel=6.12");
	assert_int_equal(node_data_bytes(w, 0), 0x2a980);	/* 174464, cache-line-rounded */
	assert_true(has(w, "NODE_DATA(0) allocated [mem 0x7ffd5680-0x7fffffff]"));	/* the seed VM's */
	done(m, &r);
	/* node_data_size= replaces the profile's size, rounded the profile's way */
	m = seed_shape(w, &r, "kernel=6.12 node_data_size=1000");
	assert_int_equal(node_data_bytes(w, 0), 1024);
	done(m, &r);
}

/* An SRAT that gives a node 1 GiB of 3: each kernel's coverage check and line. */
static void coverage_check(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;
	static const char *const lines[] = {
		"NUMA: nodes only cover 1023MB of your 3071MB e820 RAM. Not used.",
		"NUMA: no nodes coverage for 2048MB of 3071MB RAM",
	};

	low_map(&r, 3 * GB);
	srat_header(&s, 1);
	srat_mem(&s, 0, 0, GB, 1);
	for (int k = 0; k < 2; k++) {
		struct machine *m = run_with_srat(w, &r, &s, k ? "kernel=6.12" : "");

		assert_true(has(w, lines[k]));
		assert_int_equal(capture_count_prefix(&w->c, lines[1 - k]), 0);
		assert_true(has(w, "No NUMA configuration found"));
		machine_release(m);
		free(m);
	}
	rawmap_free(&r);
}

/* A zero-length SRAT subtable: the walk's line, printed from another file in 6.12. */
static void zero_length_subtable(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;

	low_map(&r, 2 * GB);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_raw(&s, 1, 0);
	srat_mem(&s, 0, 0, GB, 1);
	for (int k = 0; k < 2; k++) {
		struct machine *m = run_with_srat(w, &r, &s, k ? "kernel=6.12" : "");

		assert_true(has(w, k ? "[SRAT:0x01] Invalid zero length" : "ACPI: [SRAT:0x01] Invalid zero length"));
		assert_int_equal(capture_count_prefix(&w->c, "ACPI: [SRAT:"), k ? 0 : 2);
		assert_int_equal(capture_count_prefix(&w->c, "[SRAT:"), k ? 2 : 0);
		machine_release(m);
		free(m);
	}
	rawmap_free(&r);
}

/* The distance table of four fake nodes: taken with each kernel's memblock call. */
static void distance_table_allocation(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;

	m = seed_shape(w, &r, "memblock=debug numa=fake=4");
	assert_int_equal(capture_count_prefix(&w->c, "memblock_phys_alloc_range: 16 bytes align=0x1000 "
						     "from=0x0000000000000000 max_addr=0x0000000140000000 "
						     "numa_alloc_distance"), 1);
	assert_true(has(w, "NUMA: Initialized distance table, cnt=4"));
	done(m, &r);
	m = seed_shape(w, &r, "memblock=debug numa=fake=4 kernel=6.12");
	assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 16 bytes align=0x1000 nid=-1 "
						     "from=0x0000000000000000 max_addr=0x0000000000000000 "
						     "numa_alloc_distance"), 1);
	assert_int_equal(capture_count_prefix(&w->c, "memblock_phys_alloc_range: 16 bytes"), 0);
	assert_true(has(w, "NUMA: Initialized distance table, cnt=4"));
	done(m, &r);
}

/* A node with CPUs and no memory: pc-6G-3nodes' node 1. */
static void offline_node_data(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct sbuf s;

	low_map(&r, 3 * GB);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_cpu(&s, 1, 1, 1);
	srat_mem(&s, 0, 0, 3 * GB, 1);
	for (int k = 0; k < 2; k++) {
		struct machine *m = run_with_srat(w, &r, &s, k ? "memblock=debug kernel=6.12" : "memblock=debug");

		assert_true(has(w, "Initmem setup node 1 as memoryless"));
		if (k == 0) {
			assert_true(has(w, "Initializing node 1 as memoryless"));
			assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 174208 bytes "
								     "align=0x40 nid=1 "), 1);
		} else {
			assert_int_equal(capture_count_prefix(&w->c, "Initializing node"), 0);
			assert_int_equal(capture_count_prefix(&w->c, "memblock_alloc_try_nid: 174464 bytes "
								     "align=0x40 nid=-1 "), 1);
		}
		machine_release(m);
		free(m);
	}
	rawmap_free(&r);
}

/*
 * q35 with 2 GiB and mem=1536M: RAM below the ACPI tables at the top of 2 GiB.
 * 6.1 ends max_pfn at the last RAM, 6.12 at the ACPI data too, and DMA32 with it.
 */
static void end_of_ram_counts_acpi_data(void **state)
{
	struct world *w = *state;
	struct rawmap r;
	struct machine *m;
	struct sbuf s;

	rawmap_init(&r, 48);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, MB, (0x7f76d000 - MB) >> 12, WB);
	rawmap_add(&r, EFI_ACPI_RECLAIM_MEMORY, 0x7f76d000, 0x11, WB);	/* ends at 0x7f77dfff */
	rawmap_add(&r, EFI_ACPI_MEMORY_NVS, 0x7f77e000, 0x82, WB);
	rawmap_add(&r, EFI_CONVENTIONAL_MEMORY, 0x7f800000, 0x800, WB);
	srat_header(&s, 1);
	srat_cpu(&s, 0, 0, 1);
	srat_mem(&s, 0, 0, 2 * GB, 1);
	m = run_with_srat(w, &r, &s, "mem=1536M");
	assert_true(has(w, "last_pfn = 0x60000 max_arch_pfn = 0x400000000"));
	assert_true(has(w, "  DMA32    [mem 0x0000000001000000-0x000000005fffffff]"));
	machine_release(m);
	free(m);
	m = run_with_srat(w, &r, &s, "mem=1536M kernel=6.12");
	assert_true(has(w, "last_pfn = 0x7f77e max_arch_pfn = 0x400000000"));
	assert_true(has(w, "  DMA32    [mem 0x0000000001000000-0x000000007f77dfff]"));
	done(m, &r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, world_setup, world_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(release_names),
		cmocka_unit_test(kernel_option),
		T(banner_and_efi_revision),
		T(mmio_leaves_e820),
		T(srat_cpu_lines),
		T(numa_blocks_trimmed_to_dram),
		T(node_data_size_and_rounding),
		T(offline_node_data),
		T(coverage_check),
		T(distance_table_allocation),
		T(zero_length_subtable),
		T(end_of_ram_counts_acpi_data),
	};

	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
