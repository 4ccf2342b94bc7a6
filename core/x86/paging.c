// SPDX-License-Identifier: MIT
/*
 * The paging mode Linux 6.1 chooses on this CPU.  The decompressor turns
 * on 5-level paging when the kernel supports it (Debian's does), the CPU
 * has LA57 and no5lvl was not given (configure_5level_paging); everything
 * sized by the paging mode follows from that choice.
 */
#include "memprobe/x86/paging.h"

#include "memprobe/lib/util.h"

#define PAGE_OFFSET_L4 0xffff888000000000ULL	/* __PAGE_OFFSET_BASE_L4 */
#define PAGE_OFFSET_L5 0xff11000000000000ULL	/* __PAGE_OFFSET_BASE_L5 */

/**
 * paging_page_offset() - Linux's __PAGE_OFFSET for a number of paging levels
 * @levels: 4 or 5; anything but 5 is taken as 4
 *
 * Return: __PAGE_OFFSET, the direct map's base without memory KASLR, with this many paging levels.
 */
uint64_t paging_page_offset(unsigned levels)
{
	return levels == 5 ? PAGE_OFFSET_L5 : PAGE_OFFSET_L4;
}

/* Without CPUID (host inputs that do not say): a common x86-64 CPU. */
static const struct cpu_facts assumed_cpu = {
	.vendor = "unknown", .pse = true, .pge = true, .nx = true, .phys_bits = 0,
};

/**
 * paging_mode_init() - the paging mode and what it sizes, from CPU facts and options
 * @cpu: what CPUID said; cpu->known false means the assumed CPU above
 *
 * probe_page_size_mask(): 2 MiB pages with PSE, 1 GiB pages with PSE and
 * pdpe1gb unless nogbpages (Debian builds CONFIG_X86_DIRECT_GBPAGES=y).
 */
void paging_mode_init(struct paging_mode *p, const struct cpu_facts *cpu, const struct options *o)
{
	mp_memset(p, 0, sizeof(*p));
	p->cpu = cpu->known ? *cpu : assumed_cpu;
	p->levels = p->cpu.la57 && !o->no5lvl ? 5 : 4;
	p->max_physmem_bits = p->levels == 5 ? 52 : 46;
	p->max_arch_pfn = 1ULL << (p->max_physmem_bits - PAGE_SHIFT);
	p->page_offset = paging_page_offset(p->levels);
	if (p->cpu.pse) {
		p->page_size_mask = PG_2M;
		if (p->cpu.gbpages && !o->nogbpages)
			p->page_size_mask |= PG_1G;
	}
}

/* The memprobe: lines that say which CPU facts were used and what follows from them. */
void paging_mode_report(const struct paging_mode *p, bool kaslr, struct mp_log *log)
{
	const struct cpu_facts *c = &p->cpu;
	char bits[48] = "physical address bits not reported", vendor[4 * sizeof(c->vendor)];

	if (c->phys_bits)
		mp_snprintf(bits, sizeof(bits), "%u physical and %u virtual address bits",
			    c->phys_bits, c->virt_bits);
	mp_printk(log, "memprobe: cpu: %s%s, %s; pse %s, pge %s, nx %s, pdpe1gb %s, la57 %s\n",
		  mp_escape(vendor, sizeof(vendor), c->vendor, sizeof(c->vendor), false),
		  p->cpu.known ? "" : " (CPUID not read: assumed)", bits,
		  c->pse ? "yes" : "no", c->pge ? "yes" : "no", c->nx ? "yes" : "no",
		  c->gbpages ? "yes" : "no", c->la57 ? "yes" : "no");
	mp_printk(log, "memprobe: paging: %u levels%s, MAX_PHYSMEM_BITS %u, max_arch_pfn %#llx, "
		       "PAGE_OFFSET %#llx%s, direct map pages 4k%s%s\n",
		  p->levels, c->la57 && p->levels == 4 ? " (no5lvl)" : "", p->max_physmem_bits,
		  (unsigned long long)p->max_arch_pfn, (unsigned long long)p->page_offset,
		  kaslr ? " before memory KASLR moves it" : "",
		  p->page_size_mask & PG_2M ? "/2M" : "", p->page_size_mask & PG_1G ? "/1G" : "");
}
