// SPDX-License-Identifier: MIT
/*
 * Memory types on hand-computed MTRR and PAT states: 6.12's map (with TOM2),
 * the PAT line in each case, the trim of RAM no write-back MTRR covers, and
 * an AP whose MTRRs differ from the boot CPU's in one register.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "memprobe/machine.h"

#define GiB (1ULL << 30)

/* OVMF on QEMU's pc: WB below 640K, UC to 1M, UC 3-4 GiB and UC for the 64-bit PCI window. */
static void ovmf_cpu(struct cpu_record *c, uint32_t apic_id, uint64_t def_type, uint64_t var0_mask)
{
	const uint32_t l0[4] = { 0xd, 0x68747541, 0x444d4163, 0x69746e65 };	/* AuthenticAMD */
	const uint32_t l1[4] = { 0x60fb1, apic_id << 24, 1u << 31, (1u << 12) | (1u << 16) | (1u << 3) };
	const uint32_t ext[4] = { 0x80000008, 0, 0, 0 }, e8[4] = { 0x3028, 0, 0, 0 };

	memset(c, 0, sizeof(*c));
	c->apic_id = apic_id;
	c->state = CPU_READ;
	cpu_record_add_leaf(c, 0, 0, l0);
	cpu_record_add_leaf(c, 1, 0, l1);
	cpu_record_add_leaf(c, 0x80000000, 0, ext);
	cpu_record_add_leaf(c, 0x80000008, 0, e8);
	cpu_record_add_msr(c, MSR_MTRRCAP, 0x508);
	cpu_record_add_msr(c, MSR_MTRR_DEF_TYPE, def_type);
	cpu_record_add_msr(c, MSR_MTRR_FIX_64K, 0x0606060606060606ULL);
	cpu_record_add_msr(c, MSR_MTRR_FIX_16K_80000, 0x0606060606060606ULL);
	cpu_record_add_msr(c, MSR_MTRR_FIX_16K_A0000, 0);
	for (unsigned i = 0; i < 8; i++)
		cpu_record_add_msr(c, MSR_MTRR_FIX_4K(i), 0);
	cpu_record_add_msr(c, MSR_MTRR_VAR_BASE(0), 0xc0000000);
	cpu_record_add_msr(c, MSR_MTRR_VAR_MASK(0), var0_mask);
	cpu_record_add_msr(c, MSR_MTRR_VAR_BASE(1), 0xe000000000ULL);
	cpu_record_add_msr(c, MSR_MTRR_VAR_MASK(1), 0xe000000800ULL);
	for (unsigned n = 2; n < 8; n++) {
		cpu_record_add_msr(c, MSR_MTRR_VAR_BASE(n), 0);
		cpu_record_add_msr(c, MSR_MTRR_VAR_MASK(n), 0);
	}
	cpu_record_add_msr(c, MSR_PAT, 0x0007040600070406ULL);
	cpu_record_add_msr(c, MSR_AMD_SYSCFG, 0);
	cpu_record_add_msr(c, MSR_AMD_TOM2, 0);
}

static void set_msr(struct cpu_record *c, uint32_t msr, uint64_t value)
{
	for (unsigned i = 0; i < c->nr_msrs; i++)
		if (c->msr[i].msr == msr)
			c->msr[i].value = value;
}

struct rig {
	struct rawmap map;
	struct cpu_record cpu[2];
	struct cpu_records cpus;
	struct capture c;
	struct machine *m;
};

/* RAM below 640K, from 1 MiB to 3 GiB, and from 4 GiB to 5 GiB. */
static void rig_run(struct rig *r, const char *options)
{
	rawmap_init(&r->map, 48);
	rawmap_add(&r->map, 7, 0, 0xa0, 0xf);
	rawmap_add(&r->map, 7, 0x100000, (3 * GiB - 0x100000) >> 12, 0xf);
	rawmap_add(&r->map, 7, 4 * GiB, GiB >> 12, 0xf);
	r->cpus = (struct cpu_records){ CPUS_MP_SERVICES, 2, 2, r->cpu };
	capture_init(&r->c);
	r->m = run_pipeline_cpus(&r->map.map, options, NULL, &r->cpus, &r->c);
}

static void rig_free(struct rig *r)
{
	free_pipeline(r->m);
	capture_free(&r->c);
	rawmap_free(&r->map);
}

#define LINUX_PAT "x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  "
#define FIRMWARE_PAT "x86/PAT: Configuration [0-7]: WB  WT  UC- UC  WB  WT  UC- UC  "

/* The seed VM's MTRRs: 6.12's map of 2 fixed and 2 variable entries; Linux's PAT in both kernels. */
static void ovmf_map(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0xc06, 0xffc0000800ULL);
	ovmf_cpu(&r.cpu[1], 1, 0xc06, 0xffc0000800ULL);
	rig_run(&r, "kernel=6.12");
	assert_true(capture_has_line(&r.c, "MTRR map: 4 entries (2 fixed + 2 variable; max 18), built from 8 variable "
					   "MTRRs"));
	assert_true(capture_has_line(&r.c, LINUX_PAT));
	assert_int_equal(capture_count_prefix(&r.c, "x86/PAT: "), 1);
	assert_int_equal(r.m->mtrr.map[2].start, 3 * GiB);
	assert_int_equal(r.m->mtrr.map[2].end, 4 * GiB);
	assert_int_equal(r.m->mtrr.map[3].end, 0x10000000000ULL);
	rig_free(&r);
	rig_run(&r, "");
	assert_false(capture_count_prefix(&r.c, "MTRR map"));
	assert_true(capture_has_line(&r.c, LINUX_PAT));
	assert_int_equal(capture_count_prefix(&r.c, "x86/PAT: "), 1);
	rig_free(&r);
}

/* mtrr=debug under 6.12: the state, then the map line by line; 6.1 has no such parameter. */
static void mtrr_debug_lines(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0xc06, 0xffc0000800ULL);
	ovmf_cpu(&r.cpu[1], 1, 0xc06, 0xffc0000800ULL);
	rig_run(&r, "kernel=6.12 mtrr=debug");
	assert_true(capture_has_line(&r.c, "MTRR default type: write-back"));
	assert_true(capture_has_line(&r.c, "MTRR fixed ranges enabled:"));
	assert_true(capture_has_line(&r.c, "  00000-9FFFF write-back"));
	assert_true(capture_has_line(&r.c, "  A0000-FFFFF uncachable"));
	assert_true(capture_has_line(&r.c, "MTRR variable ranges enabled:"));
	assert_true(capture_has_line(&r.c, "  0 base 00000C0000000 mask 000FFC0000000 uncachable"));
	assert_true(capture_has_line(&r.c, "  7 disabled"));
	assert_true(capture_has_line(&r.c, "  2: 00000000c0000000-00000000ffffffff uncachable"));
	assert_true(capture_has_line(&r.c, "  3: 000000e000000000-000000ffffffffff uncachable"));
	rig_free(&r);
	rig_run(&r, "kernel=6.12 mtrr=verbose");	/* refused by 6.12's handler */
	assert_true(capture_has_line(&r.c, "Malformed early option 'mtrr'"));
	assert_false(capture_count_prefix(&r.c, "MTRR default type"));
	rig_free(&r);
	rig_run(&r, "mtrr=debug");
	assert_false(capture_count_prefix(&r.c, "MTRR default type"));
	assert_false(capture_count_prefix(&r.c, "Malformed"));
	rig_free(&r);
}

/* enable_mtrr_cleanup: silent with a write-back default type, named (not modelled) with an uncached one. */
static void mtrr_cleanup_option(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0xc06, 0xffc0000800ULL);
	ovmf_cpu(&r.cpu[1], 1, 0xc06, 0xffc0000800ULL);
	rig_run(&r, "kernel=6.12 enable_mtrr_cleanup");
	assert_true(capture_count_prefix(&r.c, "MTRR map: 4 entries"));
	assert_false(capture_count_prefix(&r.c, "memprobe: enable_mtrr_cleanup"));
	rig_free(&r);
	ovmf_cpu(&r.cpu[0], 0, 0xc00, 0xffc0000800ULL);	/* default UC */
	rig_run(&r, "kernel=6.12 enable_mtrr_cleanup");
	assert_int_equal(capture_count_prefix(&r.c, "memprobe: enable_mtrr_cleanup: with an uncached default type"),
			 1);
	assert_false(capture_count_prefix(&r.c, "MTRR map"));
	assert_false(capture_count_prefix(&r.c, "WARNING: BIOS bug"));
	rig_free(&r);
	rig_run(&r, "kernel=6.12 enable_mtrr_cleanup disable_mtrr_cleanup");	/* the last word wins */
	assert_false(capture_count_prefix(&r.c, "memprobe: enable_mtrr_cleanup"));
	rig_free(&r);
}

/* SYSCFG forcing WB up to TOM2: one more entry, counted with the variable ones. */
static void tom2_entry(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0xc06, 0xffc0000800ULL);
	ovmf_cpu(&r.cpu[1], 1, 0xc06, 0xffc0000800ULL);
	set_msr(&r.cpu[0], MSR_AMD_SYSCFG, (1u << 21) | (1u << 22));
	set_msr(&r.cpu[0], MSR_AMD_TOM2, 5 * GiB);
	rig_run(&r, "kernel=6.12");
	assert_true(capture_has_line(&r.c, "MTRR map: 5 entries (2 fixed + 3 variable; max 19), built from 9 variable "
					   "MTRRs"));
	rig_free(&r);
}

/* nopat keeps the firmware's PAT; MTRRs off: 6.1 says "Disabled" and leaves PAT too, 6.12 does not. */
static void pat_cases(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0xc06, 0xffc0000800ULL);
	ovmf_cpu(&r.cpu[1], 1, 0xc06, 0xffc0000800ULL);
	rig_run(&r, "kernel=6.12 nopat");
	assert_true(capture_has_line(&r.c, "x86/PAT: PAT support disabled via boot option."));
	assert_true(capture_has_line(&r.c, FIRMWARE_PAT));
	rig_free(&r);
	ovmf_cpu(&r.cpu[0], 0, 0x006, 0xffc0000800ULL);	/* E off */
	rig_run(&r, "");
	assert_true(capture_has_line(&r.c, "Disabled"));
	assert_true(capture_has_line(&r.c, "x86/PAT: MTRRs disabled, skipping PAT initialization too."));
	assert_true(capture_has_line(&r.c, FIRMWARE_PAT));
	rig_free(&r);
	rig_run(&r, "kernel=6.12");
	assert_true(capture_has_line(&r.c, "MTRRs disabled by BIOS"));
	assert_true(capture_has_line(&r.c, LINUX_PAT));
	rig_free(&r);
}

/* Default UC, one WB MTRR for 0-2 GiB: Linux takes 2-3 GiB of RAM out and finds max_pfn again. */
static void trim_uncovered(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0x800, 0);
	set_msr(&r.cpu[0], MSR_MTRR_VAR_BASE(0), MTRR_TYPE_WB);
	set_msr(&r.cpu[0], MSR_MTRR_VAR_MASK(0), 0xff80000800ULL);	/* 2 GiB */
	set_msr(&r.cpu[0], MSR_MTRR_VAR_MASK(1), 0);
	r.cpu[1] = r.cpu[0];
	rig_run(&r, "");
	assert_true(capture_has_line(&r.c, "e820: update [mem 0x80000000-0x13fffffff] usable ==> reserved"));
	assert_true(capture_has_line(&r.c, "WARNING: BIOS bug: CPU MTRRs don't cover all of memory, losing 2048MB "
					   "of RAM."));
	assert_true(capture_has_line(&r.c, "update e820 for mtrr"));
	assert_true(capture_has_line(&r.c, "last_pfn = 0x80000 max_arch_pfn = 0x400000000"));
	assert_int_equal(r.m->max_pfn, 0x80000);
	rig_free(&r);
	rig_run(&r, "disable_mtrr_trim");
	assert_false(capture_count_prefix(&r.c, "WARNING: BIOS bug: CPU MTRRs"));
	assert_int_equal(r.m->max_pfn, 0x140000);
	rig_free(&r);
	/* a valid MTRR of a reserved type (7): neither empty nor WB/UC, so Linux trims nothing */
	set_msr(&r.cpu[0], MSR_MTRR_VAR_BASE(1), 0x100000007ULL);
	set_msr(&r.cpu[0], MSR_MTRR_VAR_MASK(1), 0xfff0000800ULL);
	rig_run(&r, "");
	assert_false(capture_count_prefix(&r.c, "WARNING: BIOS bug: CPU MTRRs"));
	assert_int_equal(r.m->max_pfn, 0x140000);
	rig_free(&r);
}

/* An AP with one variable MTRR cleared: only the variable line, and the CPU and register named. */
static void ap_differs(void **state)
{
	static struct rig r;

	(void)state;
	ovmf_cpu(&r.cpu[0], 0, 0xc06, 0xffc0000800ULL);
	ovmf_cpu(&r.cpu[1], 1, 0xc06, 0);
	rig_run(&r, "");
	r.m->bringup.known = true;	/* as if the MADT listed both */
	r.m->bringup.nr = 2;
	r.m->bringup.apic_id[0] = 0;
	r.m->bringup.apic_id[1] = 1;
	capture_reset(&r.c);
	mtrr_state_warn(r.m);
	assert_true(capture_has_line(&r.c, "mtrr: your CPUs had inconsistent variable MTRR settings"));
	assert_false(capture_count_prefix(&r.c, "mtrr: your CPUs had inconsistent fixed"));
	assert_false(capture_count_prefix(&r.c, "mtrr: your CPUs had inconsistent MTRRdefType"));
	assert_true(capture_has_line(&r.c, "mtrr: corrected configuration."));
	assert_true(capture_has_line(&r.c, "memprobe: [Firmware Bug]: MTRR: the CPU of APIC ID 0x1 differs from the "
					   "boot CPU; variable MTRR 0 base 0xc0000000 mask 0x0 (the boot CPU's "
					   "0xc0000000 0xffc0000800); Linux rewrites it"));
	/* the same AP not read: no verdict */
	r.cpu[1].state = CPU_TIMED_OUT;
	capture_reset(&r.c);
	mtrr_state_warn(r.m);
	assert_false(capture_count_prefix(&r.c, "mtrr: "));
	assert_int_equal(capture_count_prefix(&r.c, "memprobe: 1 of the CPUs Linux brings up were not read"), 1);
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ovmf_map),
		cmocka_unit_test(tom2_entry),
		cmocka_unit_test(mtrr_debug_lines),
		cmocka_unit_test(mtrr_cleanup_option),
		cmocka_unit_test(pat_cases),
		cmocka_unit_test(trim_uncovered),
		cmocka_unit_test(ap_differs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
