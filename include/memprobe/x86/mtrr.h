/* SPDX-License-Identifier: MIT */
/*
 * Memory types: the boot CPU's MTRRs and PAT as Linux reads them
 * (mtrr_bp_init, pat_bp_init), 6.12's MTRR map, mtrr_trim_uncached_memory,
 * and the APs' MTRRs against the boot CPU's (mtrr_state_warn).
 */
#ifndef MEMPROBE_X86_MTRR_H
#define MEMPROBE_X86_MTRR_H

#include <stdbool.h>
#include <stdint.h>

#include "memprobe/x86/cpu_record.h"

#define MTRR_FIXED_RANGES 88
#define MTRR_MAP_MAX (MTRR_FIXED_RANGES + 2 * MTRR_VAR_READ_MAX + 1)

/* MTRR memory types */
#define MTRR_TYPE_UC 0
#define MTRR_TYPE_WC 1
#define MTRR_TYPE_WT 4
#define MTRR_TYPE_WP 5
#define MTRR_TYPE_WB 6

/* smp_changes_mask's bits */
#define MTRR_CHANGE_FIXED 1
#define MTRR_CHANGE_VARIABLE 2
#define MTRR_CHANGE_DEFTYPE 4

/* One entry of 6.12's cache map: [start, end) of one type. */
struct mtrr_map_entry {
	uint64_t start, end;
	uint8_t type;
	bool fixed;
};

/* Linux's mtrr_state, from the boot CPU's record. */
struct mtrr_state {
	bool leaf1;		/* the boot CPU's record has CPUID 1, which says what exists */
	bool known;		/* the boot CPU's record has its MTRRs */
	bool have_mtrr;		/* CPUID 1 EDX[12] */
	bool have_pat;		/* CPUID 1 EDX[16], after Linux's Intel quirk */
	bool pat_known;
	uint64_t pat;		/* IA32_PAT as the firmware left it (pat_by_linux: as Linux did) */
	bool pat_by_linux;	/* --live: the register is Linux's now, the firmware's value not known */
	unsigned vcnt;		/* MTRRCAP's count of variable pairs */
	bool have_fixed;
	uint8_t def_type;
	unsigned enabled;	/* bit 0: fixed ranges on (FE), bit 1: MTRRs on (E) */
	uint64_t base[MTRR_VAR_READ_MAX], mask[MTRR_VAR_READ_MAX];
	uint64_t fixed_msr[MTRR_FIXED_MSRS];
	uint8_t fixed[MTRR_FIXED_RANGES];
	uint64_t tom2;		/* AMD: TOM2 when SYSCFG forces WB up to it, else 0 */
	unsigned phys_bits;
	bool pat_printed;	/* 6.1: the Configuration line is out */
	bool unpredicted;	/* enable_mtrr_cleanup's sanitizer would run: what follows is not predicted */
	unsigned map_n, map_fixed;
	struct mtrr_map_entry map[MTRR_MAP_MAX];
};

struct machine;

void mtrr_bp_init(struct machine *m);
bool mtrr_trim_uncached_memory(struct machine *m);
void init_cache_modes(struct machine *m);
void mtrr_state_warn(struct machine *m);

#endif
