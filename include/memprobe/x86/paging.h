/* SPDX-License-Identifier: MIT */
/*
 * The CPU facts Linux's memory setup depends on, as CPUID reports them,
 * and what Linux 6.1 (Debian's build: CONFIG_X86_5LEVEL=y) derives from
 * them: 4- or 5-level paging, MAX_PHYSMEM_BITS and so max_arch_pfn, the
 * direct map's PAGE_OFFSET, the page sizes the direct map may use.
 */
#ifndef MEMPROBE_X86_PAGING_H
#define MEMPROBE_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/lib/printk.h"
#include "memprobe/options.h"

/* What CPUID says; a front end that cannot ask leaves known false. */
struct cpu_facts {
	bool known;
	char vendor[13];	/* CPUID 0: "GenuineIntel", "AuthenticAMD", ... */
	bool pse;		/* CPUID 1 EDX[3]: 2 MiB pages */
	bool pge;		/* CPUID 1 EDX[13]: global pages */
	bool nx;		/* CPUID 0x80000001 EDX[20] */
	bool gbpages;		/* CPUID 0x80000001 EDX[26]: 1 GiB pages (pdpe1gb) */
	bool la57;		/* CPUID 7.0 ECX[16]: 5-level paging */
	uint8_t phys_bits;	/* CPUID 0x80000008 EAX[7:0]; 0: not reported */
	uint8_t virt_bits;	/* CPUID 0x80000008 EAX[15:8] */
	bool hypervisor;	/* CPUID 1 ECX[31]: running in a VM */
	bool apic_id_known;
	uint32_t apic_id;	/* the boot CPU's: CPUID 0xB EDX, else CPUID 1 EBX[31:24] */
};

/* Page sizes of the direct map: Linux's page_size_mask bits. */
#define PG_2M (1u << 1)
#define PG_1G (1u << 2)

struct paging_mode {
	struct cpu_facts cpu;		/* the facts used: the front end's, or the assumed ones */
	unsigned levels;		/* 4 or 5 */
	unsigned max_physmem_bits;	/* 46 or 52 */
	uint64_t max_arch_pfn;		/* MAXMEM >> PAGE_SHIFT */
	uint64_t page_offset;		/* __PAGE_OFFSET: the direct map's base without memory KASLR */
	unsigned page_size_mask;	/* probe_page_size_mask()'s result */
};

uint64_t paging_page_offset(unsigned levels);
void paging_mode_init(struct paging_mode *p, const struct cpu_facts *cpu, const struct options *o);
void paging_mode_report(const struct paging_mode *p, bool kaslr, struct mp_log *log);

#endif
