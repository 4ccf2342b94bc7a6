// SPDX-License-Identifier: MIT
/*
 * One CPU's record: which CPUID leaves and MSRs to read, decided from the
 * leaves already read, so that no MSR the CPU lacks is touched (a read of
 * one faults).  The front end runs cpu_record_read() on each CPU with its
 * own CPUID and RDMSR primitives; it only reads.
 */
#include "memprobe/x86/cpu_record.h"

#include "memprobe/lib/util.h"

#define CPUID_SUBLEAVES_MAX 8	/* cache and topology levels read per leaf */

static const char *const read_state_words[CPU_READ_STATES] = {
	[CPU_READ] = "read",
	[CPU_TIMED_OUT] = "timed out",
	[CPU_DISABLED] = "disabled",
	[CPU_FAILED] = "failed",
};

/**
 * cpu_read_state_word() - cpu.txt's word for a CPU's state
 * @s: the state
 *
 * Return: the word, "?" for a value out of range.
 */
const char *cpu_read_state_word(enum cpu_read_state s)
{
	return (unsigned)s < CPU_READ_STATES ? read_state_words[s] : "?";
}

/**
 * cpu_cpuid() - a leaf of a CPU's record
 * @c: the record
 * @leaf: EAX
 * @subleaf: ECX
 *
 * Return: the registers, or NULL when the record does not hold the leaf.
 */
const struct cpuid_regs *cpu_cpuid(const struct cpu_record *c, uint32_t leaf, uint32_t subleaf)
{
	for (unsigned i = 0; i < c->nr_leaves; i++)
		if (c->leaf[i].leaf == leaf && c->leaf[i].subleaf == subleaf)
			return &c->leaf[i];
	return NULL;
}

/**
 * cpu_msr() - an MSR of a CPU's record
 * @c: the record
 * @msr: its number
 * @value: its value, when held
 *
 * Return: whether the record holds the MSR.
 */
bool cpu_msr(const struct cpu_record *c, uint32_t msr, uint64_t *value)
{
	for (unsigned i = 0; i < c->nr_msrs; i++)
		if (c->msr[i].msr == msr) {
			*value = c->msr[i].value;
			return true;
		}
	return false;
}

/**
 * cpu_record_add_leaf() - keep one leaf in a record
 * @c: the record
 * @leaf: EAX
 * @subleaf: ECX
 * @regs: EAX, EBX, ECX, EDX
 */
void cpu_record_add_leaf(struct cpu_record *c, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{
	if (c->nr_leaves >= CPU_LEAVES_MAX) {
		c->leaves_dropped = true;
		return;
	}
	c->leaf[c->nr_leaves++] = (struct cpuid_regs){ leaf, subleaf, regs[0], regs[1], regs[2], regs[3] };
}

/**
 * cpu_record_add_msr() - keep one MSR in a record
 * @c: the record
 * @msr: its number
 * @value: its value
 */
void cpu_record_add_msr(struct cpu_record *c, uint32_t msr, uint64_t value)
{
	if (c->nr_msrs >= CPU_MSRS_MAX) {
		c->msrs_dropped = true;
		return;
	}
	c->msr[c->nr_msrs++] = (struct msr_value){ msr, value };
}

/* Read a leaf into the record; regs gets it too. */
static void read_leaf(struct cpu_record *c, const struct cpu_access *cpu, uint32_t leaf, uint32_t subleaf,
		      uint32_t regs[4])
{
	cpu->cpuid(cpu->ctx, leaf, subleaf, regs);
	cpu_record_add_leaf(c, leaf, subleaf, regs);
}

/* A leaf of levels (caches, topology): subleaves until level_type says there are no more. */
static void read_levels(struct cpu_record *c, const struct cpu_access *cpu, uint32_t leaf,
			uint32_t (*level_type)(const uint32_t regs[4]))
{
	uint32_t regs[4];

	for (uint32_t sub = 0; sub < CPUID_SUBLEAVES_MAX; sub++) {
		read_leaf(c, cpu, leaf, sub, regs);
		if (!level_type(regs))
			break;
	}
}

static uint32_t cache_type(const uint32_t regs[4])
{
	return regs[0] & 0x1f;
}

static uint32_t topology_level_type(const uint32_t regs[4])
{
	return (regs[2] >> 8) & 0xff;
}

static void read_msr(struct cpu_record *c, const struct cpu_access *cpu, uint32_t msr)
{
	cpu_record_add_msr(c, msr, cpu->rdmsr(cpu->ctx, msr));
}

/* The MTRRs: those MTRRCAP says exist, as many variable pairs as it counts (up to what is kept). */
static void read_mtrrs(struct cpu_record *c, const struct cpu_access *cpu)
{
	uint64_t cap = cpu->rdmsr(cpu->ctx, MSR_MTRRCAP);
	unsigned vcnt = cap & 0xff;

	cpu_record_add_msr(c, MSR_MTRRCAP, cap);
	read_msr(c, cpu, MSR_MTRR_DEF_TYPE);
	if (cap & (1u << 8)) {
		read_msr(c, cpu, MSR_MTRR_FIX_64K);
		read_msr(c, cpu, MSR_MTRR_FIX_16K_80000);
		read_msr(c, cpu, MSR_MTRR_FIX_16K_A0000);
		for (unsigned i = 0; i < 8; i++)
			read_msr(c, cpu, MSR_MTRR_FIX_4K(i));
	}
	for (unsigned n = 0; n < vcnt && n < MTRR_VAR_READ_MAX; n++) {
		read_msr(c, cpu, MSR_MTRR_VAR_BASE(n));
		read_msr(c, cpu, MSR_MTRR_VAR_MASK(n));
	}
}

/**
 * cpuid_family_model() - the family and model Linux reads from CPUID 1 EAX
 * @eax: CPUID 1 EAX
 * @family: the family, with the extended family added from 0xF up
 * @model: the model, with the extended model added from family 6 up
 */
void cpuid_family_model(uint32_t eax, unsigned *family, unsigned *model)
{
	*family = (eax >> 8) & 0xf;
	*model = (eax >> 4) & 0xf;
	if (*family == 0xf)
		*family += (eax >> 20) & 0xff;
	if (*family >= 6)
		*model += ((eax >> 16) & 0xf) << 4;
}

/**
 * cpu_record_read() - read the CPU this runs on into a record
 * @c: the record; its number, ID and location are the caller's
 * @cpu: the primitives (rdmsr NULL: the front end cannot read MSRs, none is kept)
 *
 * The leaves Linux's topology, cache and feature code uses, the brand
 * string, the hypervisor's leaf, AMD's topology leaf 0x80000026, IA32_APIC_BASE from family 6 on (its BSP
 * and x2APIC bits), and the MSRs behind memory types: the
 * MTRRs when CPUID 1 has MTRR, PAT when it has PAT, SYSCFG on AMD and
 * Hygon from family 0xF (K8) on, and TOM2 when SYSCFG forces write-back up
 * to it.
 */
void cpu_record_read(struct cpu_record *c, const struct cpu_access *cpu)
{
	uint32_t r0[4], r1[4] = { 0 }, ext[4], e1[4] = { 0 }, regs[4];
	unsigned family, model;
	bool amd;

	c->nr_leaves = c->nr_msrs = 0;
	c->leaves_dropped = c->msrs_dropped = false;
	read_leaf(c, cpu, 0, 0, r0);
	/* "AuthenticAMD" and "HygonGenuine": EBX "Auth"/"Hygo" */
	amd = r0[1] == 0x68747541 || r0[1] == 0x6f677948;
	if (r0[0] >= 1)
		read_leaf(c, cpu, 1, 0, r1);
	if (r0[0] >= 4)
		read_levels(c, cpu, 4, cache_type);
	if (r0[0] >= 7)
		read_leaf(c, cpu, 7, 0, regs);
	if (r0[0] >= 0xb)
		read_levels(c, cpu, 0xb, topology_level_type);
	if (r0[0] >= 0x1f)
		read_levels(c, cpu, 0x1f, topology_level_type);
	if (r1[2] & (1u << 31))
		read_leaf(c, cpu, 0x40000000, 0, regs);
	read_leaf(c, cpu, 0x80000000, 0, ext);
	if ((ext[0] >> 16) == 0x8000) {
		if (ext[0] >= 0x80000001)
			read_leaf(c, cpu, 0x80000001, 0, e1);
		for (uint32_t l = 0x80000002; l <= 0x80000004 && l <= ext[0]; l++)
			read_leaf(c, cpu, l, 0, regs);
		if (ext[0] >= 0x80000006)
			read_leaf(c, cpu, 0x80000006, 0, regs);	/* AMD: is there an L3 */
		if (ext[0] >= 0x80000008)
			read_leaf(c, cpu, 0x80000008, 0, regs);
		/* TOPOEXT: the cache and the node/core leaves */
		if (e1[2] & (1u << 22)) {
			if (ext[0] >= 0x8000001d)
				read_levels(c, cpu, 0x8000001d, cache_type);
			if (ext[0] >= 0x8000001e)
				read_leaf(c, cpu, 0x8000001e, 0, regs);
		}
		if (amd && ext[0] >= 0x80000026)	/* Zen 4 on: 6.12's extended topology */
			read_levels(c, cpu, 0x80000026, topology_level_type);
	}
	if (!cpu->rdmsr)
		return;
	cpuid_family_model(r1[0], &family, &model);
	if (family >= 6)	/* Linux's test for IA32_APIC_BASE: P6 and K7 on, every x86-64 CPU */
		read_msr(c, cpu, MSR_APIC_BASE);
	if (r1[3] & (1u << 12))
		read_mtrrs(c, cpu);
	if (r1[3] & (1u << 16))
		read_msr(c, cpu, MSR_PAT);
	if (amd && family >= 0xf) {
		uint64_t syscfg = cpu->rdmsr(cpu->ctx, MSR_AMD_SYSCFG);

		cpu_record_add_msr(c, MSR_AMD_SYSCFG, syscfg);
		/* TOM2 only where Linux reads it: SYSCFG's TOM2 enable and forced write-back */
		if ((syscfg & (3u << 21)) == 3u << 21)
			read_msr(c, cpu, MSR_AMD_TOM2);
	}
}

/**
 * cpu_facts_from_record() - the facts Linux's memory setup depends on, from a record
 * @c: the boot CPU's record
 * @f: the facts (known false when the record has no leaf 0)
 */
void cpu_facts_from_record(const struct cpu_record *c, struct cpu_facts *f)
{
	const struct cpuid_regs *l0 = cpu_cpuid(c, 0, 0), *l;

	mp_memset(f, 0, sizeof(*f));
	if (!l0)
		return;
	f->known = true;
	mp_memcpy(f->vendor, &l0->ebx, 4);
	mp_memcpy(f->vendor + 4, &l0->edx, 4);
	mp_memcpy(f->vendor + 8, &l0->ecx, 4);
	if ((l = cpu_cpuid(c, 1, 0))) {
		f->pse = l->edx & (1u << 3);
		f->pge = l->edx & (1u << 13);
		f->hypervisor = l->ecx & (1u << 31);
		f->apic_id_known = true;
		f->apic_id = l->ebx >> 24;
	}
	if ((l = cpu_cpuid(c, 0xb, 0)) && (l->ebx & 0xffff))	/* implemented: EDX is the whole x2APIC ID */
		f->apic_id = l->edx;
	if ((l = cpu_cpuid(c, 7, 0)))
		f->la57 = l->ecx & (1u << 16);
	if ((l = cpu_cpuid(c, 0x80000001, 0))) {
		f->nx = l->edx & (1u << 20);
		f->gbpages = l->edx & (1u << 26);
	}
	if ((l = cpu_cpuid(c, 0x80000008, 0))) {
		f->phys_bits = l->eax & 0xff;
		f->virt_bits = (l->eax >> 8) & 0xff;
	}
}

/**
 * cpu_x2apic_mode() - whether the firmware left a CPU's local APIC in x2APIC mode
 * @c: the CPU's record
 *
 * Linux's x2apic_enabled(): CPUID 1 ECX[21] and IA32_APIC_BASE's EXTD bit.
 *
 * Return: 1 or 0; -1 when the record cannot say (an older run, no MSRs read).
 */
int cpu_x2apic_mode(const struct cpu_record *c)
{
	const struct cpuid_regs *l1 = cpu_cpuid(c, 1, 0);
	uint64_t base;

	if (!l1)
		return -1;
	if (!(l1->ecx & (1u << 21)))
		return 0;
	return cpu_msr(c, MSR_APIC_BASE, &base) ? !!(base & APIC_BASE_EXTD) : -1;
}

/**
 * cpu_apic_base_bsp() - IA32_APIC_BASE's BSP bit of a CPU
 * @c: the CPU's record
 *
 * Return: 1 or 0; -1 when the record does not hold the MSR.
 */
int cpu_apic_base_bsp(const struct cpu_record *c)
{
	uint64_t base;

	return cpu_msr(c, MSR_APIC_BASE, &base) ? !!(base & APIC_BASE_BSP) : -1;
}

/*
 * The signatures at CPUID 0x40000000 of the hypervisors Debian's kernels
 * detect (detect_hypervisor_vendor: Xen HVM, VMware, Hyper-V, KVM; Jailhouse
 * and ACRN are not built).  QEMU's TCG says "TCGTCGTCGTCG": Linux boots "on
 * bare hardware" there.
 */
static const char *const linux_hypervisors[] = { "XenVMMXenVMM", "VMwareVMware", "Microsoft Hv",
						 "KVMKVMKVM\0\0\0" };

/**
 * cpu_linux_hypervisor() - whether Linux finds a hypervisor it knows
 * @c: the boot CPU's record
 * @known: set false when the record cannot say (no CPUID 1)
 *
 * Return: whether CPUID 1 says a hypervisor runs and its signature is one Linux detects.
 */
bool cpu_linux_hypervisor(const struct cpu_record *c, bool *known)
{
	const struct cpuid_regs *l1 = cpu_cpuid(c, 1, 0), *h = cpu_cpuid(c, 0x40000000, 0);
	char sig[12];

	*known = l1 != NULL;
	if (!l1 || !(l1->ecx & (1u << 31)) || !h)
		return false;
	mp_memcpy(sig, &h->ebx, 4);
	mp_memcpy(sig + 4, &h->ecx, 4);
	mp_memcpy(sig + 8, &h->edx, 4);
	for (unsigned i = 0; i < sizeof(linux_hypervisors) / sizeof(linux_hypervisors[0]); i++)
		if (!mp_memcmp(sig, linux_hypervisors[i], 12))
			return true;
	return false;
}

/* The CPUID words that must agree between CPUs of one machine: per-CPU fields (APIC IDs, OSXSAVE) left out. */
static const struct {
	uint32_t leaf;
	unsigned reg;		/* 0 EAX .. 3 EDX */
	uint32_t mask;
	const char *name;
} same_words[] = {
	{ 1, 0, 0x0fff3fff, "signature (CPUID 1 EAX)" },
	{ 1, 2, ~(1u << 27), "features (CPUID 1 ECX)" },
	{ 1, 3, ~0u, "features (CPUID 1 EDX)" },
	{ 7, 1, ~0u, "features (CPUID 7 EBX)" },
	{ 7, 2, ~0u, "features (CPUID 7 ECX)" },
	{ 0x80000001, 2, ~0u, "features (CPUID 0x80000001 ECX)" },
	{ 0x80000001, 3, ~0u, "features (CPUID 0x80000001 EDX)" },
	{ 0x80000008, 0, 0xffff, "address sizes (CPUID 0x80000008 EAX)" },
};

static uint32_t reg_of(const struct cpuid_regs *l, unsigned reg)
{
	return reg == 0 ? l->eax : reg == 1 ? l->ebx : reg == 2 ? l->ecx : l->edx;
}

/**
 * cpu_record_differs() - the first CPUID word in which a CPU differs from the boot CPU
 * @c: the CPU's record
 * @boot: the boot CPU's
 * @what: the difference, in words
 * @size: @what's size
 *
 * Hybrid parts, mixed steppings or microcode, or firmware that set a CPU
 * up differently show here.
 *
 * Return: whether they differ in a word both records hold.
 */
bool cpu_record_differs(const struct cpu_record *c, const struct cpu_record *boot, char *what, unsigned size)
{
	for (unsigned i = 0; i < sizeof(same_words) / sizeof(same_words[0]); i++) {
		const struct cpuid_regs *a = cpu_cpuid(c, same_words[i].leaf, 0);
		const struct cpuid_regs *b = cpu_cpuid(boot, same_words[i].leaf, 0);
		uint32_t va, vb;

		if (!a || !b)
			continue;
		va = reg_of(a, same_words[i].reg) & same_words[i].mask;
		vb = reg_of(b, same_words[i].reg) & same_words[i].mask;
		if (va != vb) {
			mp_snprintf(what, size, "its %s is %#x, the boot CPU's %#x", same_words[i].name, va, vb);
			return true;
		}
	}
	return false;
}
