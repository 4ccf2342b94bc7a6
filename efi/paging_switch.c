// SPDX-License-Identifier: MIT
/*
 * Loading memprobe's page tables: a CR3 write, or, when Linux would run
 * another paging mode than the firmware's, the switch between 4 and 5
 * levels, which can only happen with paging off, so through 32-bit
 * compatibility mode.
 */
#include "after_exit.h"

#define CR4_LA57 (1ULL << 12)
#define CR4_PCIDE (1ULL << 17)
#define GDT_CODE32 0x00cf9a000000ffffULL	/* flat 4 GiB, 32-bit, execute/read */
#define GDT_DATA 0x00cf92000000ffffULL		/* flat 4 GiB, 32-bit stack, read/write */
#define FOUR_GIB (1ULL << 32)

struct gdt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline uint16_t read_cs(void)
{
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

/*
 * memprobe_switch_paging(root, code32, code64, la57): load root with CR4.LA57
 * set to la57 (0 or CR4_LA57).  The bit can change only with paging off,
 * so this goes through 32-bit compatibility mode: its code, the stack and
 * root must be below 4 GiB and identity-mapped in the old and new tables.
 * Registers the 32-bit part cannot reach are saved around it.
 */
void memprobe_switch_paging(uint64_t root, uint64_t code32, uint64_t code64, uint64_t la57);
__asm__(".text\n"
	".globl memprobe_switch_paging\n"
	"memprobe_switch_paging:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	lea 1f(%rip), %rax\n"
	"	push %rsi\n"
	"	push %rax\n"
	"	lretq\n"
	".code32\n"
	"1:	mov %cr0, %eax\n"
	"	and $0x7fffffff, %eax\n"
	"	mov %eax, %cr0\n"		/* paging off: long mode inactive */
	"	mov %cr4, %eax\n"
	"	and $0xffffefff, %eax\n"
	"	or %ecx, %eax\n"
	"	mov %eax, %cr4\n"
	"	mov %edi, %cr3\n"
	"	mov %cr0, %eax\n"
	"	or $0x80000000, %eax\n"
	"	mov %eax, %cr0\n"		/* paging on: long mode again */
	"	call 2f\n"
	"2:	pop %eax\n"
	"	add $(3f - 2b), %eax\n"
	"	push %edx\n"
	"	push %eax\n"
	"	lret\n"
	".code64\n"
	"3:	mov %esp, %esp\n"		/* the stack is below 4 GiB: clear what compatibility mode left */
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n");

/*
 * The firmware's GDT copied with a 32-bit code segment and a flat data
 * segment added, loaded, and the data segment in SS, DS and ES (a 64-bit
 * SS may be null; compatibility mode needs a real one).
 * Return: the 32-bit code selector, 0 when the firmware's GDT is too big.
 */
static uint16_t load_gdt_with_code32(struct paging_switch *ps)
{
	struct gdt_pointer old, new;
	unsigned n;
	uint16_t data;

	__asm__ volatile("sgdt %0" : "=m"(old));
	n = (old.limit + 1u) / 8;
	if (n + 2 > MAX_GDT_ENTRIES)
		return 0;
	mp_memcpy(ps->gdt, (const void *)(uintptr_t)old.base, n * 8);
	ps->gdt[n] = GDT_CODE32;
	ps->gdt[n + 1] = GDT_DATA;
	new.limit = (uint16_t)((n + 2) * 8 - 1);
	new.base = (uintptr_t)ps->gdt;
	data = (uint16_t)((n + 1) * 8);
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ss\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es"
			 : : "m"(new), "r"(data) : "memory");
	return (uint16_t)(n * 8);
}

/* Return: the paging levels the CPU runs now: 5 with CR4.LA57, else 4. */
unsigned paging_levels_now(void)
{
	return read_cr4() & CR4_LA57 ? 5 : 4;
}

/**
 * paging_levels_to_load() - the paging mode to build the tables for
 * @m: the machine, whose paging mode is Linux's
 * @log: where a line says why the firmware's mode is kept
 *
 * Return: Linux's levels, when the firmware runs another and the switch
 * through compatibility mode is possible; otherwise the firmware's.
 */
unsigned paging_levels_to_load(const struct machine *m, struct mp_log *log)
{
	unsigned current = paging_levels_now();
	const char *why = NULL;
	uint64_t rsp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	if (m->paging.levels == current)
		return current;
	if (read_cr4() & CR4_PCIDE)
		why = "PCIDs are on, so paging cannot be turned off";
	else if ((uintptr_t)memprobe_switch_paging >= FOUR_GIB || rsp >= FOUR_GIB)
		why = "memprobe's code or stack is above 4 GiB, out of 32-bit reach";
	if (!why)
		return m->paging.levels;
	mp_printk(log, "memprobe: note: the firmware runs %u-level paging and Linux would use %u; the "
		       "tables are built for %u levels (%s)\n",
		  current, m->paging.levels, current, why);
	return current;
}

/**
 * paging_load() - the tables at root into CR3, switching the paging mode if levels asks
 * @ps: room for the GDT the switch needs
 * @root: the top table, below 4 GiB when the mode changes
 * @levels: 4 or 5
 * @log: where the line goes
 *
 * Return: false when the firmware's GDT leaves no room for the switch.
 */
bool paging_load(struct paging_switch *ps, uint64_t root, unsigned levels, struct mp_log *log)
{
	uint64_t old_cr3 = read_cr3();
	unsigned current = paging_levels_now();
	uint16_t code32;

	if (levels == current) {
		write_cr3(root);
		mp_printk(log, "memprobe: CR3 switched from %#llx to %#llx\n", (unsigned long long)old_cr3,
			  (unsigned long long)root);
		return true;
	}
	code32 = load_gdt_with_code32(ps);
	if (!code32) {
		mp_printk(log, "memprobe: error: the firmware's GDT has more than %d entries; the tables "
			       "are not loaded\n",
			  MAX_GDT_ENTRIES - 2);
		return false;
	}
	memprobe_switch_paging(root, code32, read_cs(), levels == 5 ? CR4_LA57 : 0);
	mp_printk(log, "memprobe: CR3 switched from %#llx to %#llx, paging from %u to %u levels "
		       "(LA57 %s)\n",
		  (unsigned long long)old_cr3, (unsigned long long)root, current, levels,
		  levels == 5 ? "on" : "off");
	return true;
}
