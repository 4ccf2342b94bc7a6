/* SPDX-License-Identifier: MIT */
/*
 * Every CPU as the front end read it: the CPUID leaves and the MSRs behind
 * memory types, raw, one record per CPU.  The boot CPU's record comes first.
 * The core looks values up by leaf or MSR number; it never asks the CPU.
 */
#ifndef MEMPROBE_X86_CPU_RECORD_H
#define MEMPROBE_X86_CPU_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/x86/paging.h"

#define CPU_LEAVES_MAX 64	/* leaves 0-7, 0xB, 0x1F, 0x8000000x, 0x8000001D/E, 0x80000026, 0x40000000 */
#define CPU_MSRS_MAX 96		/* APIC_BASE, MTRRCAP, DEF_TYPE, 11 fixed, 2 x 32 variable, PAT, SYSCFG, TOM2 */
#define CPU_RECORDS_MAX 1024	/* the CPUs a run reads; past it, a line says how many were left */

/* IA32 and AMD MSRs the record may hold. */
#define MSR_APIC_BASE 0x01b
#define APIC_BASE_BSP (1u << 8)		/* the CPU chosen as the BSP at reset */
#define APIC_BASE_EXTD (1u << 10)	/* the local APIC is in x2APIC mode */
#define MSR_MTRRCAP 0x0fe
#define MSR_MTRR_VAR_BASE(n) (0x200 + 2 * (n))
#define MSR_MTRR_VAR_MASK(n) (0x201 + 2 * (n))
#define MSR_MTRR_FIX_64K 0x250
#define MSR_MTRR_FIX_16K_80000 0x258
#define MSR_MTRR_FIX_16K_A0000 0x259
#define MSR_MTRR_FIX_4K(n) (0x268 + (n))	/* 0xC0000 + n * 0x8000 */
#define MSR_PAT 0x277
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_AMD_SYSCFG 0xc0010010
#define MSR_AMD_TOM2 0xc001001d
#define MTRR_FIXED_MSRS 11
#define MTRR_VAR_READ_MAX 32	/* variable pairs read; VCNT may say more (Linux's limit is 256) */

struct cpuid_regs {
	uint32_t leaf, subleaf;
	uint32_t eax, ebx, ecx, edx;
};

struct msr_value {
	uint32_t msr;
	uint64_t value;
};

/* Whether a CPU answered the front end. */
enum cpu_read_state {
	CPU_READ,		/* its leaves and MSRs are in the record */
	CPU_TIMED_OUT,		/* it did not finish within the front end's timeout */
	CPU_DISABLED,		/* the firmware marks it disabled: it runs nothing */
	CPU_FAILED,		/* the firmware refused to run the reader on it */
	CPU_READ_STATES
};

struct cpu_record {
	uint32_t number;	/* the firmware's processor number */
	uint32_t apic_id;	/* the firmware's processor ID: the (x2)APIC ID */
	uint32_t package, core, thread;	/* the firmware's location of the CPU */
	enum cpu_read_state state;
	unsigned nr_leaves, nr_msrs;
	bool leaves_dropped, msrs_dropped;	/* more than the record holds */
	struct cpuid_regs leaf[CPU_LEAVES_MAX];
	struct msr_value msr[CPU_MSRS_MAX];
};

/* Where the records came from. */
enum cpus_source {
	CPUS_NOT_READ,		/* no records: a host input without them, an older run folder */
	CPUS_BOOT_ONLY,		/* only the boot CPU: the firmware has no MP services */
	CPUS_MP_SERVICES,	/* every CPU the firmware's MP services know */
	CPUS_LINUX,		/* every online CPU through a running Linux's /dev/cpu/N/{cpuid,msr}:
				 * CPUID as the hardware gives it, MTRRs and PAT as Linux left them */
};

struct cpu_records {
	enum cpus_source source;
	unsigned nr;		/* records in cpu[] */
	unsigned nr_firmware;	/* processors the firmware counts (may exceed nr) */
	struct cpu_record *cpu;	/* cpu[0]: the boot CPU */
};

/* The front end's primitives, run on the CPU being read (an AP: no firmware calls); rdmsr may be NULL. */
struct cpu_access {
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
	uint64_t (*rdmsr)(void *ctx, uint32_t msr);
	void *ctx;
};

void cpu_record_read(struct cpu_record *c, const struct cpu_access *cpu);
const char *cpu_read_state_word(enum cpu_read_state s);
const struct cpuid_regs *cpu_cpuid(const struct cpu_record *c, uint32_t leaf, uint32_t subleaf);
bool cpu_msr(const struct cpu_record *c, uint32_t msr, uint64_t *value);
void cpu_record_add_leaf(struct cpu_record *c, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4]);
void cpu_record_add_msr(struct cpu_record *c, uint32_t msr, uint64_t value);
void cpuid_family_model(uint32_t eax, unsigned *family, unsigned *model);
bool cpu_record_differs(const struct cpu_record *c, const struct cpu_record *boot, char *what, unsigned size);
void cpu_facts_from_record(const struct cpu_record *c, struct cpu_facts *f);
int cpu_x2apic_mode(const struct cpu_record *c);
int cpu_apic_base_bsp(const struct cpu_record *c);
bool cpu_linux_hypervisor(const struct cpu_record *c, bool *known);

#endif
