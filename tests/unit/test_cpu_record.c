// SPDX-License-Identifier: MIT
/* cpu_record_read(): which leaves and MSRs are read, decided by CPUID; never an MSR the CPU lacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "memprobe/x86/cpu_record.h"

/* A CPU made of a few leaves; every other leaf reads as zeros.  MSR reads are logged. */
struct fake_cpu {
	unsigned nr;
	struct cpuid_regs leaf[16];
	uint64_t mtrrcap, syscfg;
	unsigned msr_reads;
	uint32_t msrs[128];
};

static void fake_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	struct fake_cpu *f = ctx;

	memset(regs, 0, 4 * sizeof(regs[0]));
	for (unsigned i = 0; i < f->nr; i++)
		if (f->leaf[i].leaf == leaf && f->leaf[i].subleaf == subleaf) {
			regs[0] = f->leaf[i].eax;
			regs[1] = f->leaf[i].ebx;
			regs[2] = f->leaf[i].ecx;
			regs[3] = f->leaf[i].edx;
		}
}

static uint64_t fake_rdmsr(void *ctx, uint32_t msr)
{
	struct fake_cpu *f = ctx;

	if (f->msr_reads < 128)
		f->msrs[f->msr_reads] = msr;
	f->msr_reads++;
	return msr == MSR_MTRRCAP ? f->mtrrcap : msr == MSR_AMD_SYSCFG ? f->syscfg : 0x1000 + msr;
}

static bool was_read(const struct fake_cpu *f, uint32_t msr)
{
	for (unsigned i = 0; i < f->msr_reads && i < 128; i++)
		if (f->msrs[i] == msr)
			return true;
	return false;
}

#define AMD_EBX 0x68747541u
#define INTEL_EBX 0x756e6547u

/*
 * A CPU without MTRR and PAT bits gets no MTRR or PAT read, whatever its
 * vendor: from family 6 on only IA32_APIC_BASE (as Linux reads it), before
 * that no RDMSR at all; no rdmsr primitive, no MSR kept.
 */
static void no_mtrr_no_msr(void **state)
{
	struct fake_cpu f = { 3, { { 0, 0, 0xd, INTEL_EBX, 0x6c65746e, 0x49656e69 }, { 1, 0, 0x306a9, 0, 0, 0 },
				   { 0x80000000, 0, 0x80000008, 0, 0, 0 } }, .mtrrcap = 0 };
	struct cpu_access acc = { fake_cpuid, fake_rdmsr, &f };
	static struct cpu_record rec;
	uint64_t v;

	(void)state;
	cpu_record_read(&rec, &acc);
	assert_int_equal(f.msr_reads, 1);
	assert_true(was_read(&f, MSR_APIC_BASE));
	assert_true(cpu_msr(&rec, MSR_APIC_BASE, &v));
	f.leaf[1].eax = 0x543;	/* a Pentium: family 5 */
	f.msr_reads = 0;
	cpu_record_read(&rec, &acc);
	assert_int_equal(f.msr_reads, 0);
	assert_int_equal(rec.nr_msrs, 0);
	f.leaf[1].eax = 0x306a9;
	acc.rdmsr = NULL;
	cpu_record_read(&rec, &acc);
	assert_int_equal(rec.nr_msrs, 0);
	assert_non_null(cpu_cpuid(&rec, 1, 0));
	assert_non_null(cpu_cpuid(&rec, 0x80000008, 0));
	assert_null(cpu_cpuid(&rec, 0x40000000, 0));	/* no hypervisor bit: its leaf is not asked */
}

/* Zen 4's leaf 0x80000026: read as levels, up to the first of type 0, on AMD only. */
static void amd_extended_topology_leaf(void **state)
{
	struct fake_cpu f = { 6, { { 0, 0, 0x10, AMD_EBX, 0x444d4163, 0x69746e65 }, { 1, 0, 0xa10f11, 0, 0, 0 },
				   { 0x80000000, 0, 0x80000028, 0, 0, 0 }, { 0x80000026, 0, 1, 2, 0x100, 0 },
				   { 0x80000026, 1, 4, 8, 0x201, 0 }, { 0x80000026, 2, 6, 32, 0x402, 0 } },
			      .mtrrcap = 0 };
	struct cpu_access acc = { fake_cpuid, fake_rdmsr, &f };
	static struct cpu_record rec;

	(void)state;
	cpu_record_read(&rec, &acc);
	assert_non_null(cpu_cpuid(&rec, 0x80000026, 2));
	assert_non_null(cpu_cpuid(&rec, 0x80000026, 3));	/* the first of type 0, read to know it ends */
	assert_null(cpu_cpuid(&rec, 0x80000026, 4));
	f.leaf[0].ebx = INTEL_EBX;	/* not asked of other vendors */
	cpu_record_read(&rec, &acc);
	assert_null(cpu_cpuid(&rec, 0x80000026, 0));
}

/* MTRRCAP decides the rest: fixed ones only with FIX, VCNT variable pairs (up to what is kept). */
static void mtrrcap_decides(void **state)
{
	struct fake_cpu f = { 2, { { 0, 0, 1, INTEL_EBX, 0x6c65746e, 0x49656e69 },
				   { 1, 0, 0x306a9, 0, 1u << 31, (1u << 12) | (1u << 16) } },
			      .mtrrcap = 0x50a };	/* FIX, WC, 10 variable pairs */
	struct cpu_access acc = { fake_cpuid, fake_rdmsr, &f };
	static struct cpu_record rec;
	uint64_t v;

	(void)state;
	cpu_record_read(&rec, &acc);
	assert_true(was_read(&f, MSR_MTRR_FIX_4K(7)));
	assert_true(was_read(&f, MSR_MTRR_VAR_MASK(9)));
	assert_false(was_read(&f, MSR_MTRR_VAR_BASE(10)));
	assert_true(was_read(&f, MSR_PAT));
	assert_false(was_read(&f, MSR_AMD_SYSCFG));	/* Intel */
	assert_non_null(cpu_cpuid(&rec, 0x40000000, 0));
	assert_true(cpu_msr(&rec, MSR_MTRR_DEF_TYPE, &v));
	assert_int_equal(v, 0x1000 + MSR_MTRR_DEF_TYPE);

	f.mtrrcap = 0x4ff;	/* no FIX, 255 variable pairs: the first MTRR_VAR_READ_MAX are kept */
	f.msr_reads = 0;
	cpu_record_read(&rec, &acc);
	assert_false(was_read(&f, MSR_MTRR_FIX_64K));
	assert_true(was_read(&f, MSR_MTRR_VAR_MASK(MTRR_VAR_READ_MAX - 1)));
	assert_false(was_read(&f, MSR_MTRR_VAR_BASE(MTRR_VAR_READ_MAX)));
	assert_false(rec.msrs_dropped);
}

/* SYSCFG on AMD from K8 (family 0xF) on, not before; TOM2 only when SYSCFG forces write-back up to it. */
static void amd_syscfg(void **state)
{
	struct fake_cpu f = { 2, { { 0, 0, 1, AMD_EBX, 0x444d4163, 0x69746e65 },
				   { 1, 0, 0x60fb1, 0, 0, 1u << 12 } },	/* qemu64: family 0xF, model 0x6B */
			      .mtrrcap = 0x508 };
	struct cpu_access acc = { fake_cpuid, fake_rdmsr, &f };
	static struct cpu_record rec;

	(void)state;
	cpu_record_read(&rec, &acc);
	assert_true(was_read(&f, MSR_AMD_SYSCFG));
	assert_false(was_read(&f, MSR_AMD_TOM2));
	assert_false(was_read(&f, MSR_PAT));	/* CPUID 1 EDX has no PAT bit here */
	f.syscfg = (1u << 21) | (1u << 22);	/* TOM2 enabled, forced write-back */
	f.msr_reads = 0;
	cpu_record_read(&rec, &acc);
	assert_true(was_read(&f, MSR_AMD_TOM2));
	f.leaf[1].eax = 0x662;	/* family 6: a K7 */
	f.msr_reads = 0;
	cpu_record_read(&rec, &acc);
	assert_false(was_read(&f, MSR_AMD_SYSCFG));
	assert_true(was_read(&f, MSR_MTRRCAP));
}

/* The cache and topology leaves stop at the first level of type 0; TOPOEXT gates AMD's. */
static void levels_and_facts(void **state)
{
	struct fake_cpu f = { 8, { { 0, 0, 0xb, AMD_EBX, 0x444d4163, 0x69746e65 },
				   { 1, 0, 0x800f12, 0x05000800, 0, (1u << 3) | (1u << 13) },
				   { 0xb, 0, 1, 1, 0x100, 2 },
				   { 0xb, 1, 4, 8, 0x201, 2 },
				   { 0x80000000, 0, 0x8000001e, 0, 0, 0 },
				   { 0x80000001, 0, 0, 0, 1u << 22, (1u << 20) | (1u << 26) },
				   { 0x8000001d, 0, 0x121, 0, 0, 0 },
				   { 0x80000008, 0, 0x3030, 0, 0, 0 } }, .mtrrcap = 0 };
	struct cpu_access acc = { fake_cpuid, fake_rdmsr, &f };
	static struct cpu_record rec;
	struct cpu_facts facts;

	(void)state;
	cpu_record_read(&rec, &acc);
	assert_non_null(cpu_cpuid(&rec, 0xb, 2));	/* the first of type 0, read to know it ends */
	assert_null(cpu_cpuid(&rec, 0xb, 3));
	assert_non_null(cpu_cpuid(&rec, 0x8000001d, 1));
	assert_null(cpu_cpuid(&rec, 0x8000001d, 2));
	assert_non_null(cpu_cpuid(&rec, 0x8000001e, 0));
	assert_null(cpu_cpuid(&rec, 0x80000026, 0));	/* past the highest extended leaf: not asked */
	cpu_facts_from_record(&rec, &facts);
	assert_true(facts.known);
	assert_string_equal(facts.vendor, "AuthenticAMD");
	assert_true(facts.pse && facts.pge && facts.nx && facts.gbpages);
	assert_false(facts.la57 || facts.hypervisor);
	assert_int_equal(facts.apic_id, 2);	/* leaf 0xB's x2APIC ID, not leaf 1's 0x02 */
	assert_int_equal(facts.phys_bits, 0x30);
	assert_int_equal(facts.virt_bits, 0x30);
	rec.nr_leaves = 0;
	cpu_facts_from_record(&rec, &facts);
	assert_false(facts.known);
}

/* A CPU of another stepping differs from the boot CPU; its APIC ID and OSXSAVE bit do not count. */
static void records_differ(void **state)
{
	static struct cpu_record a, b;
	const uint32_t boot1[4] = { 0x50654, 0x00040800, 1u << 27, 0x178bfbfd };
	const uint32_t same1[4] = { 0x50654, 0x05040800, 0, 0x178bfbfd };
	const uint32_t other1[4] = { 0x50657, 0x05040800, 0, 0x178bfbfd };
	char what[160];

	(void)state;
	cpu_record_add_leaf(&a, 1, 0, boot1);
	cpu_record_add_leaf(&b, 1, 0, same1);
	assert_false(cpu_record_differs(&b, &a, what, sizeof(what)));
	b.nr_leaves = 0;
	cpu_record_add_leaf(&b, 1, 0, other1);
	assert_true(cpu_record_differs(&b, &a, what, sizeof(what)));
	assert_string_equal(what, "its signature (CPUID 1 EAX) is 0x50657, the boot CPU's 0x50654");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_mtrr_no_msr),
		cmocka_unit_test(amd_extended_topology_leaf),
		cmocka_unit_test(mtrrcap_decides),
		cmocka_unit_test(amd_syscfg),
		cmocka_unit_test(levels_and_facts),
		cmocka_unit_test(records_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
