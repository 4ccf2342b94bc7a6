// SPDX-License-Identifier: MIT
/*
 * Memory types, as Linux sets them up from the boot CPU's MTRRs and PAT:
 * 6.1's mtrr_bp_init (PAT initialised through it) and init_cache_modes,
 * 6.12's cache_bp_init (the MTRR map, then PAT on its own), then
 * mtrr_trim_uncached_memory, which takes RAM the MTRRs leave uncached out
 * of e820.  After bring-up Linux compares each AP's MTRRs with the boot
 * CPU's and rewrites what differs (mtrr_state_warn): memprobe names the CPU
 * and the register.
 */
#include "memprobe/x86/mtrr.h"

#include "memprobe/lib/util.h"
#include "memprobe/machine.h"

#define PAT_LINUX 0x0407050600070106ULL		/* WB WC UC- UC WB WP UC- WT */
#define PAT_LINUX_ERRATA 0x0007010600070106ULL	/* old Intel parts: slots 4-7 repeat 0-3 */
#define PAT_EMULATED 0x0007040600070406ULL		/* the power-on value: what Linux assumes without PAT */
#define SYSCFG_TOM2_ENABLED (1u << 21)
#define SYSCFG_TOM2_FORCE_WB (1u << 22)

/* The fixed-range MSRs in Linux's order: 64K, 16K x 2, 4K x 8; 8 types each. */
static uint32_t fixed_msr(unsigned i)
{
	return i == 0 ? MSR_MTRR_FIX_64K : i == 1 ? MSR_MTRR_FIX_16K_80000 : i == 2 ? MSR_MTRR_FIX_16K_A0000
											: MSR_MTRR_FIX_4K(i - 3);
}

/* Linux's get_mtrr_state() and amd_special_default_mtrr() on a CPU's record; false: not read. */
static bool read_state(struct mtrr_state *s, const struct cpu_record *c, bool amd, unsigned family)
{
	uint64_t v, syscfg;

	if (!cpu_msr(c, MSR_MTRRCAP, &v))
		return false;
	s->vcnt = v & 0xff;
	s->have_fixed = v & (1u << 8);
	if (!cpu_msr(c, MSR_MTRR_DEF_TYPE, &v))
		return false;
	s->def_type = v & 0xff;
	s->enabled = (v >> 10) & 3;
	for (unsigned n = 0; n < s->vcnt && n < MTRR_VAR_READ_MAX; n++)
		if (!cpu_msr(c, MSR_MTRR_VAR_BASE(n), &s->base[n]) || !cpu_msr(c, MSR_MTRR_VAR_MASK(n), &s->mask[n]))
			return false;
	for (unsigned i = 0; s->have_fixed && i < MTRR_FIXED_MSRS; i++) {
		if (!cpu_msr(c, fixed_msr(i), &s->fixed_msr[i]))
			return false;
		for (unsigned b = 0; b < 8; b++)
			s->fixed[i * 8 + b] = (uint8_t)(s->fixed_msr[i] >> (8 * b));
	}
	if (amd && family >= 0xf && cpu_msr(c, MSR_AMD_SYSCFG, &syscfg) &&
	    (syscfg & (SYSCFG_TOM2_ENABLED | SYSCFG_TOM2_FORCE_WB)) == (SYSCFG_TOM2_ENABLED | SYSCFG_TOM2_FORCE_WB) &&
	    cpu_msr(c, MSR_AMD_TOM2, &v))
		s->tom2 = v & 0xffffff800000ULL;
	return true;
}

/* The boot CPU's state, as far as its record has it. */
static void mtrr_state_init(struct machine *m, struct mtrr_state *s)
{
	const struct cpu_record *c = boot_cpu_record(m);
	const struct cpuid_regs *l1 = c ? cpu_cpuid(c, 1, 0) : NULL;
	bool intel = !mp_strcmp(m->paging.cpu.vendor, "GenuineIntel");
	bool amd = !mp_strcmp(m->paging.cpu.vendor, "AuthenticAMD");
	unsigned family = 0, model = 0;

	mp_memset(s, 0, sizeof(*s));
	s->phys_bits = m->paging.cpu.phys_bits ? m->paging.cpu.phys_bits : 36;
	s->leaf1 = l1 != NULL;
	if (!l1)
		return;
	cpuid_family_model(l1->eax, &family, &model);
	s->have_mtrr = l1->edx & (1u << 12);
	/* Linux's Intel quirk: PAT is dropped on the early family-6 parts */
	s->have_pat = (l1->edx & (1u << 16)) && !(intel && family == 6 && model >= 1 && model <= 0xe);
	s->pat_known = cpu_msr(c, MSR_PAT, &s->pat);
	s->pat_by_linux = m->fw->cpus.source == CPUS_LINUX;
	s->known = s->have_mtrr && read_state(s, c, amd, family) && s->vcnt <= MTRR_VAR_READ_MAX;
}

/* Linux's choice of PAT value: its own, with the old-Intel layout where PAT has errata. */
static uint64_t linux_pat(const struct machine *m)
{
	const struct cpu_record *c = boot_cpu_record(m);
	const struct cpuid_regs *l1 = c ? cpu_cpuid(c, 1, 0) : NULL;
	unsigned family = 0, model = 0;

	if (l1 && !mp_strcmp(m->paging.cpu.vendor, "GenuineIntel")) {
		cpuid_family_model(l1->eax, &family, &model);
		if ((family == 6 && model <= 0xd) || (family == 0xf && model <= 6))
			return PAT_LINUX_ERRATA;
	}
	return PAT_LINUX;
}

/* "x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  " */
static void print_pat(struct machine *m, uint64_t pat)
{
	static const char *const names[8] = { "UC  ", "WC  ", "WB  ", "WB  ", "WT  ", "WP  ", "WB  ", "UC- " };
	char text[8 * 4 + 1];

	for (unsigned i = 0; i < 8; i++)
		mp_memcpy(text + 4 * i, names[(pat >> (8 * i)) & 7], 4);
	text[32] = '\0';
	mp_printk(m->log, "x86/PAT: Configuration [0-7]: %s\n", text);
	m->mtrr.pat_printed = true;
}

/* The firmware's PAT, or the emulated value when there is none (or it reads 0). */
static uint64_t firmware_pat(const struct mtrr_state *s)
{
	return s->have_pat && s->pat_known && s->pat ? s->pat : PAT_EMULATED;
}

/* Whether the line Linux prints with the firmware's PAT can be predicted; if not, says so. */
static bool firmware_pat_known(struct machine *m, const struct mtrr_state *s)
{
	if (!s->have_pat || !s->pat_by_linux || !s->pat)
		return true;
	mp_printk(m->log, "memprobe: the boot CPU's PAT is as Linux left it (--live), not as the firmware did: "
			  "the x86/PAT line is not predicted\n");
	return false;
}

/* 6.12's get_effective_type(): UC wins; WB with WT is WT; other mixes are UC. */
static uint8_t effective_type(uint8_t a, uint8_t b)
{
	if (a == MTRR_TYPE_UC || b == MTRR_TYPE_UC)
		return MTRR_TYPE_UC;
	if ((a == MTRR_TYPE_WB && b == MTRR_TYPE_WT) || (a == MTRR_TYPE_WT && b == MTRR_TYPE_WB))
		return MTRR_TYPE_WT;
	return a == b ? a : MTRR_TYPE_UC;
}

static void map_remove(struct mtrr_state *s, unsigned idx)
{
	for (unsigned i = idx; i + 1 < s->map_n; i++)
		s->map[i] = s->map[i + 1];
	s->map_n--;
}

/*
 * add_map_entry_at(): [start, end) of type at idx, merged with a non-fixed
 * neighbour of the same type.  Return: how many entries before idx merged away (0-2).
 */
static unsigned map_insert_at(struct mtrr_state *s, uint64_t start, uint64_t end, uint8_t type, unsigned idx)
{
	bool before, after;

	if (start >= end)
		return 0;
	before = idx > 0 && !s->map[idx - 1].fixed && s->map[idx - 1].end == start && s->map[idx - 1].type == type;
	after = idx < s->map_n && !s->map[idx].fixed && s->map[idx].start == end && s->map[idx].type == type;
	if (before && after) {
		s->map[idx - 1].end = s->map[idx].end;
		map_remove(s, idx);
		return 2;
	}
	if (before) {
		s->map[idx - 1].end = end;
		return 1;
	}
	if (after) {
		s->map[idx].start = start;
		return 1;
	}
	if (s->map_n == MTRR_MAP_MAX) {
		s->map_n = s->map_fixed;	/* Linux: "memory map exhausted", back to the fixed part */
		return 0;
	}
	for (unsigned i = s->map_n; i > idx; i--)
		s->map[i] = s->map[i - 1];
	s->map[idx] = (struct mtrr_map_entry){ start, end, type, false };
	s->map_n++;
	return 0;
}

/* clear_map_entry()'s part: [start, end) out of entry idx.  Return: 1 when its head stays. */
static unsigned map_clear_part(struct mtrr_state *s, uint64_t start, uint64_t end, unsigned idx)
{
	struct mtrr_map_entry *e = &s->map[idx];

	if (e->start == start && e->end == end) {
		map_remove(s, idx);
		return 0;
	}
	if (e->start == start) {
		e->start = end;
		return 0;
	}
	if (e->end == end) {
		e->end = start;
		return 1;
	}
	{
		uint64_t tail = e->end;
		uint8_t type = e->type;

		e->end = start;
		map_insert_at(s, end, tail, type, idx + 1);
	}
	return 1;
}

/* add_map_entry(): [start, end) of type into the map, the effective type where it overlaps. */
static void map_add(struct mtrr_state *s, uint64_t start, uint64_t end, uint8_t type)
{
	unsigned i = 0;

	while (i < s->map_n && start < end) {
		struct mtrr_map_entry *e = &s->map[i];
		uint8_t nt;
		uint64_t x;

		if (start >= e->end) {
			i++;
			continue;
		}
		if (start < e->start) {
			x = end < e->start ? end : e->start;
			i -= map_insert_at(s, start, x, type, i);
			start = x;
			i++;
			continue;
		}
		nt = effective_type(type, e->type);
		if (e->fixed || nt == e->type) {
			start = e->end;
			i++;
			continue;
		}
		x = end < e->end ? end : e->end;
		i += map_clear_part(s, start, x, i);
		i -= map_insert_at(s, start, x, nt, i);
		start = x;
		i++;
	}
	map_insert_at(s, start, end, type, i);
}

/* mtrr_build_map(): the fixed ranges' runs, TOM2, then every valid variable MTRR. */
static void mtrr_build_map(struct mtrr_state *s)
{
	uint64_t phys_hi_rsvd = s->phys_bits < 64 ? ~0ULL << s->phys_bits : 0;

	s->map_n = s->map_fixed = 0;
	if (s->enabled & 1) {
		uint64_t start = 0, at = 0;

		for (unsigned i = 0; i < MTRR_FIXED_RANGES; i++) {
			uint64_t size = i < 8 ? 0x10000 : i < 24 ? 0x4000 : 0x1000;

			if (i > 0 && s->fixed[i] != s->fixed[i - 1]) {
				map_add(s, start, at, s->fixed[i - 1]);
				start = at;
			}
			at += size;
		}
		map_add(s, start, at, s->fixed[MTRR_FIXED_RANGES - 1]);
		for (unsigned i = 0; i < s->map_n; i++)
			s->map[i].fixed = true;
		s->map_fixed = s->map_n;
	}
	if (s->tom2) {
		map_add(s, 1ULL << 32, s->tom2, MTRR_TYPE_WB);
		for (unsigned i = 0; i < s->map_n; i++)
			if (s->map[i].start == 1ULL << 32)
				s->map[i].fixed = true;
	}
	for (unsigned n = 0; n < s->vcnt; n++) {
		uint64_t base = s->base[n] & ~0xfffULL, size;

		if (!(s->mask[n] & (1u << 11)))
			continue;
		size = -((s->mask[n] & ~0xfffULL) | phys_hi_rsvd);
		map_add(s, base, base + size, (uint8_t)s->base[n]);
	}
}

/* mtrr_attrib_to_str() */
static const char *mtrr_type_name(unsigned type)
{
	static const char *const names[] = { "uncachable", "?", "?", "?", "write-through", "write-protect", "write-back" };

	if (type == MTRR_TYPE_WC)
		return "write-combining";
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

/* print_mtrr_state()'s fixed ranges: runs of one type, "  START-END type". */
static void print_fixed_runs(struct machine *m, const struct mtrr_state *s)
{
	uint64_t start = 0, at = 0;

	for (unsigned i = 0; i < MTRR_FIXED_RANGES; i++) {
		uint64_t size = i < 8 ? 0x10000 : i < 24 ? 0x4000 : 0x1000;

		if (i > 0 && s->fixed[i] != s->fixed[i - 1]) {
			mp_printk(m->log, "  %05llX-%05llX %s\n", (unsigned long long)start, (unsigned long long)at - 1,
				  mtrr_type_name(s->fixed[i - 1]));
			start = at;
		}
		at += size;
	}
	mp_printk(m->log, "  %05llX-%05llX %s\n", (unsigned long long)start, (unsigned long long)at - 1,
		  mtrr_type_name(s->fixed[MTRR_FIXED_RANGES - 1]));
}

/* 6.12's print_mtrr_state() (mtrr=debug): the default type, the fixed runs, each variable pair, TOM2. */
static void print_mtrr_state(struct machine *m, const struct mtrr_state *s)
{
	int high_width = ((int)s->phys_bits - 20 + 3) / 4;

	mp_printk(m->log, "MTRR default type: %s\n", mtrr_type_name(s->def_type));
	if (s->have_fixed) {
		mp_printk(m->log, "MTRR fixed ranges %sabled:\n", (s->enabled & 3) == 3 ? "en" : "dis");
		print_fixed_runs(m, s);
	}
	mp_printk(m->log, "MTRR variable ranges %sabled:\n", s->enabled & 2 ? "en" : "dis");
	for (unsigned n = 0; n < s->vcnt; n++) {
		if (!(s->mask[n] & (1u << 11))) {
			mp_printk(m->log, "  %u disabled\n", n);
			continue;
		}
		mp_printk(m->log, "  %u base %0*X%05X000 mask %0*X%05X000 %s\n", n, high_width,
			  (unsigned)(s->base[n] >> 32), (unsigned)((uint32_t)s->base[n] >> 12), high_width,
			  (unsigned)(s->mask[n] >> 32), (unsigned)((uint32_t)s->mask[n] >> 12),
			  mtrr_type_name(s->base[n] & 0xff));
	}
	if (s->tom2)
		mp_printk(m->log, "TOM2: %016llx aka %lluM\n", (unsigned long long)s->tom2,
			  (unsigned long long)(s->tom2 >> 20));
}

/*
 * enable_mtrr_cleanup: Linux's sanitizer needs an uncached default type
 * (mtrr_need_cleanup); elsewhere it is silent, as memprobe is.  Return:
 * whether it would run, which memprobe does not model.
 */
static bool mtrr_cleanup_runs(struct machine *m, const struct mtrr_state *s)
{
	if (!m->opts.mtrr_cleanup || s->def_type != MTRR_TYPE_UC)
		return false;
	mp_printk(m->log, "memprobe: enable_mtrr_cleanup: with an uncached default type Linux's MTRR sanitizer "
			  "rewrites the variable MTRRs here; memprobe does not model it, so the MTRR lines, the "
			  "trim and the APs' verdict are not predicted\n");
	m->mtrr.unpredicted = true;
	return true;
}

/* 6.12: "MTRR map: ..." from the state, or why there is none. */
static void mtrr_bp_init_612(struct machine *m, struct mtrr_state *s)
{
	if (!s->have_mtrr) {
		mp_printk(m->log, "MTRRs disabled (not available)\n");
		return;
	}
	if (!s->known) {
		mp_printk(m->log, "memprobe: the boot CPU's MTRRs were not read%s: the MTRR map line is not "
				  "predicted\n",
			  s->vcnt > MTRR_VAR_READ_MAX ? " (more variable MTRRs than memprobe keeps)" : "");
		return;
	}
	if (m->opts.mtrr_debug)
		print_mtrr_state(m, s);
	if (!(s->enabled & 2)) {
		mp_printk(m->log, "MTRRs disabled by BIOS\n");
		return;
	}
	if (mtrr_cleanup_runs(m, s))
		return;
	mtrr_build_map(s);
	mp_printk(m->log, "MTRR map: %u entries (%u fixed + %u variable; max %u), built from %u variable MTRRs\n",
		  s->map_n, s->map_fixed, s->map_n - s->map_fixed, s->map_fixed + 2 * s->vcnt + (s->tom2 != 0),
		  s->vcnt + (s->tom2 != 0));
	for (unsigned i = 0; m->opts.mtrr_debug && i < s->map_n; i++)
		mp_printk(m->log, "%3u: %016llx-%016llx %s\n", i, (unsigned long long)s->map[i].start,
			  (unsigned long long)s->map[i].end - 1, mtrr_type_name(s->map[i].type));
}

/* 6.12's pat_bp_init(): Linux's PAT unless there is none, it reads 0, or nopat. */
static void pat_bp_init_612(struct machine *m, const struct mtrr_state *s)
{
	if (!s->have_pat) {
		if (!m->opts.nopat)
			mp_printk(m->log, "x86/PAT: PAT not supported by the CPU.\n");
		print_pat(m, PAT_EMULATED);
		return;
	}
	if (!s->pat_known) {
		mp_printk(m->log, "memprobe: the boot CPU's PAT was not read: the x86/PAT line is not predicted\n");
		return;
	}
	if (!s->pat && !m->opts.nopat)
		mp_printk(m->log, "x86/PAT: PAT support disabled by the firmware.\n");
	if (m->opts.nopat && !firmware_pat_known(m, s))
		return;
	print_pat(m, m->opts.nopat || !s->pat ? firmware_pat(s) : linux_pat(m));
}

/* 6.1: PAT through the MTRR code (pat_init from mtrr_bp_pat_init), or "Disabled". */
static void mtrr_bp_init_61(struct machine *m, struct mtrr_state *s)
{
	if (s->have_mtrr && !s->known) {
		mp_printk(m->log, "memprobe: the boot CPU's MTRRs were not read: the x86/PAT line is not predicted\n");
		m->mtrr.pat_printed = true;	/* nor init_cache_modes' */
		return;
	}
	if (s->have_mtrr && (s->enabled & 2)) {
		if (m->opts.nopat)
			return;
		if (!s->have_pat) {
			mp_printk(m->log, "x86/PAT: PAT not supported by the CPU.\n");
			return;
		}
		if (!s->pat_known || !s->pat) {
			if (s->pat_known)
				mp_printk(m->log, "x86/PAT: PAT support disabled by the firmware.\n");
			return;
		}
		print_pat(m, linux_pat(m));
		mtrr_cleanup_runs(m, s);
		return;
	}
	if (s->have_mtrr)
		mtrr_cleanup_runs(m, s);
	mp_printk(m->log, "Disabled\n");
	if (!m->opts.nopat)
		mp_printk(m->log, "x86/PAT: MTRRs disabled, skipping PAT initialization too.\n");
}

/**
 * mtrr_bp_init() - the boot CPU's memory types, as Linux takes them after the first last_pfn
 * @m: the machine; m->mtrr is set from the boot CPU's record
 *
 * 6.1 prints the PAT line from here when MTRRs are on; 6.12 prints the
 * MTRR map line, then the PAT line in any case.
 */
void mtrr_bp_init(struct machine *m)
{
	struct mtrr_state *s = &m->mtrr;

	mtrr_state_init(m, s);
	if (!boot_cpu_record(m) || !s->leaf1) {
		mp_printk(m->log, "memprobe: the boot CPU's MTRRs and PAT were not read (an older run folder, or "
				  "--live): the MTRR and x86/PAT lines are not predicted\n");
		s->pat_printed = true;
		return;
	}
	if (m->opts.kernel->cache_bp_init_612) {
		mtrr_bp_init_612(m, s);
		pat_bp_init_612(m, s);
	} else {
		mtrr_bp_init_61(m, s);
	}
}

/**
 * init_cache_modes() - 6.1's PAT line when mtrr_bp_init printed none
 * @m: the machine
 *
 * The firmware's PAT as read, or the emulated one.
 */
void init_cache_modes(struct machine *m)
{
	const struct mtrr_state *s = &m->mtrr;

	if (m->opts.kernel->cache_bp_init_612 || s->pat_printed)
		return;
	if (s->have_pat && !s->pat_known) {
		mp_printk(m->log, "memprobe: the boot CPU's PAT was not read: the x86/PAT line is not predicted\n");
		return;
	}
	if (firmware_pat_known(m, s))
		print_pat(m, firmware_pat(s));
}

/*
 * A variable MTRR's range in pages (size 0: not valid).  generic_get_mtrr()
 * extends a mask whose top bit stops short of the CPU's address bits with
 * ones, and says so: firmware written for fewer address bits.
 */
static void var_range(struct machine *m, const struct mtrr_state *s, unsigned n, uint64_t *base, uint64_t *size)
{
	uint64_t hi_ones = s->phys_bits < 64 ? ~0ULL << s->phys_bits : 0;
	uint64_t tmp = s->mask[n] & ~0xfffULL, mask = tmp | hi_ones;

	*base = *size = 0;
	if (!(s->mask[n] & (1u << 11)))
		return;
	if (tmp) {
		unsigned top = 63;

		while (!(tmp >> top))
			top--;
		tmp |= ~((1ULL << top) - 1);
		if (tmp != mask) {
			mp_printk(m->log, "mtrr: your BIOS has configured an incorrect mask, fixing it.\n");
			fw_bug(m->log, "MTRR", "mtrr-mask", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MTRR: variable MTRR %u's mask %#llx stops below the CPU's %u "
			       "address bits\n",
			       n, (unsigned long long)s->mask[n], s->phys_bits);
			mask = tmp;
		}
	}
	*base = (s->base[n] & ~0xfffULL) >> PAGE_SHIFT;
	*size = -mask >> PAGE_SHIFT;
}

struct pfn_range {
	uint64_t start, end;
};

/* RAM ranges, kept sorted and disjoint: add merges, subtract cuts. */
struct pfn_ranges {
	unsigned nr;
	struct pfn_range r[MTRR_VAR_READ_MAX + 2];
};

static void ranges_add(struct pfn_ranges *rs, uint64_t start, uint64_t end)
{
	unsigned i = 0, j;

	while (i < rs->nr && rs->r[i].end < start)
		i++;
	j = i;
	while (j < rs->nr && rs->r[j].start <= end) {
		start = rs->r[j].start < start ? rs->r[j].start : start;
		end = rs->r[j].end > end ? rs->r[j].end : end;
		j++;
	}
	/* entries i..j-1 become one */
	if (j > i) {
		rs->r[i] = (struct pfn_range){ start, end };
		for (unsigned k = i + 1, l = j; l < rs->nr; k++, l++)
			rs->r[k] = rs->r[l];
		rs->nr -= j - i - 1;
		return;
	}
	if (rs->nr == sizeof(rs->r) / sizeof(rs->r[0]))
		return;
	for (unsigned k = rs->nr; k > i; k--)
		rs->r[k] = rs->r[k - 1];
	rs->r[i] = (struct pfn_range){ start, end };
	rs->nr++;
}

static void ranges_subtract(struct pfn_ranges *rs, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < rs->nr; i++) {
		struct pfn_range *r = &rs->r[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start >= start && r->end <= end) {	/* all of it */
			for (unsigned k = i; k + 1 < rs->nr; k++)
				rs->r[k] = rs->r[k + 1];
			rs->nr--;
			i--;
		} else if (r->start < start && r->end > end) {	/* its middle */
			if (rs->nr == sizeof(rs->r) / sizeof(rs->r[0]))
				return;
			for (unsigned k = rs->nr; k > i + 1; k--)
				rs->r[k] = rs->r[k - 1];
			rs->r[i + 1] = (struct pfn_range){ end, r->end };
			r->end = start;
			rs->nr++;
			i++;
		} else if (r->start < start) {
			r->end = start;
		} else {
			r->start = end;
		}
	}
}

/* trim(): [start, end) pages from RAM to reserved; Return: the RAM bytes changed. */
static uint64_t trim(struct machine *m, uint64_t start, uint64_t end)
{
	return e820__range_update(m->log, &m->e820_table, start << PAGE_SHIFT, (end - start) << PAGE_SHIFT,
				  E820_TYPE_RAM, E820_TYPE_RESERVED);
}

/**
 * mtrr_trim_uncached_memory() - RAM the MTRRs leave uncached, out of e820
 * @m: the machine, after mtrr_bp_init
 *
 * Only with an uncached default type and write-back and uncached
 * variable MTRRs alone: what no write-back MTRR covers, below max_pfn,
 * becomes reserved.  Losing RAM this way is a firmware bug.
 *
 * Return: whether RAM was lost (Linux then finds max_pfn again).
 */
bool mtrr_trim_uncached_memory(struct machine *m)
{
	const struct mtrr_state *s = &m->mtrr;
	uint64_t base[MTRR_VAR_READ_MAX], size[MTRR_VAR_READ_MAX], highest = 0, lost = 0;
	unsigned wb = 0, uc = 0, empty = 0;
	struct pfn_ranges rs = { 0 };
	uint64_t end_pfn = m->max_pfn;

	if (!s->known || !s->have_mtrr || m->opts.disable_mtrr_trim || s->unpredicted)
		return false;
	if (m->opts.kernel->cache_bp_init_612 && !(s->enabled & 2))
		return false;
	if (s->def_type != MTRR_TYPE_UC)
		return false;
	for (unsigned n = 0; n < s->vcnt; n++) {
		uint8_t type = (uint8_t)s->base[n];

		var_range(m, s, n, &base[n], &size[n]);
		if (type == MTRR_TYPE_WB && size[n] && base[n] + size[n] > highest)
			highest = base[n] + size[n];
		if (type >= 7)
			continue;	/* counted nowhere: it is neither empty nor write-back or uncached */
		if (!size[n]) {
			empty++;
			continue;
		}
		wb += type == MTRR_TYPE_WB;
		uc += type == MTRR_TYPE_UC;
	}
	if (!highest) {
		mp_printk(m->log, "CPU MTRRs all blank - virtualized system.\n");
		return false;
	}
	if (!wb || wb + uc != s->vcnt - empty)
		return false;
	if (s->tom2)
		ranges_add(&rs, 1ULL << (32 - PAGE_SHIFT), s->tom2 >> PAGE_SHIFT);
	for (unsigned n = 0; n < s->vcnt; n++)
		if (size[n] && (uint8_t)s->base[n] == MTRR_TYPE_WB)
			ranges_add(&rs, base[n], base[n] + size[n]);
	for (unsigned n = 0; n < s->vcnt; n++) {
		uint8_t type = (uint8_t)s->base[n];
		uint64_t b = base[n], e = base[n] + size[n];

		if (!size[n] || (type != MTRR_TYPE_UC && type != MTRR_TYPE_WP))
			continue;
		if (b < (1ULL << (20 - PAGE_SHIFT)) && s->have_fixed && (s->enabled & 3) == 3) {
			mp_printk(m->log, "WARNING: BIOS bug: VAR MTRR %u contains strange UC entry under 1M, check with "
					  "your system vendor!\n",
				  n);
			fw_bug(m->log, "MTRR", "mtrr-uc-below-1m", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MTRR: variable MTRR %u makes memory below 1 MiB uncached, "
			       "over the fixed ranges\n",
			       n);
			b = 1ULL << (20 - PAGE_SHIFT);
			if (e <= b)
				continue;
		}
		ranges_subtract(&rs, b, e);
	}
	if (!rs.nr)
		return false;
	if (rs.r[0].start)
		lost += trim(m, 0, rs.r[0].start);
	for (unsigned i = 0; i + 1 < rs.nr; i++)
		if (rs.r[i].end < rs.r[i + 1].start)
			lost += trim(m, rs.r[i].end, rs.r[i + 1].start);
	if (rs.r[rs.nr - 1].end < end_pfn)
		lost += trim(m, rs.r[rs.nr - 1].end, end_pfn);
	if (!lost)
		return false;
	mp_printk(m->log, "WARNING: BIOS bug: CPU MTRRs don't cover all of memory, losing %lluMB of RAM.\n",
		  (unsigned long long)(lost >> 20));
	fw_bug(m->log, "MTRR", "mtrr-ram-uncovered", FW_BUG_NO_OFFSET,
	       "memprobe: [Firmware Bug]: MTRR: no write-back MTRR covers %llu MiB of RAM below max_pfn; Linux "
	       "reserves it\n",
	       (unsigned long long)(lost >> 20));
	mp_printk(m->log, "memprobe: Linux prints a WARNING with a stack trace here (cleanup.c), not predicted\n");
	mp_printk(m->log, "update e820 for mtrr\n");
	e820__update_table(&m->e820_table, &m->sanitizer);
	if (m->e820_table.nr_entries >= 2) {
		mp_printk(m->log, "modified physical RAM map:\n");
		e820__print_table(m->log, &m->e820_table, "modified");
	}
	return true;
}

static const char *const fixed_msr_names[MTRR_FIXED_MSRS] = {
	"MTRRfix64K_00000", "MTRRfix16K_80000", "MTRRfix16K_A0000", "MTRRfix4K_C0000", "MTRRfix4K_C8000",
	"MTRRfix4K_D0000",  "MTRRfix4K_D8000",  "MTRRfix4K_E0000",  "MTRRfix4K_E8000", "MTRRfix4K_F0000",
	"MTRRfix4K_F8000",
};

#define APS_NAMED_MAX 8	/* APs whose differences get a line each; the rest are counted */

/*
 * set_mtrr_state()'s comparison of one AP with the boot CPU.  The first
 * register of each kind that differs is named in text.
 * Return: the AP's smp_changes_mask bits.
 */
static unsigned compare_ap(const struct mtrr_state *bsp, const struct cpu_record *c, char *text, unsigned size)
{
	uint64_t hm = bsp->phys_bits > 32 ? ((1ULL << (bsp->phys_bits - 32)) - 1) << 32 : 0;
	unsigned mask = 0, len = 0;
	uint64_t v;

	text[0] = '\0';
	for (unsigned n = 0; n < bsp->vcnt && !(mask & MTRR_CHANGE_VARIABLE); n++) {
		uint64_t b = 0, k = 0;

		cpu_msr(c, MSR_MTRR_VAR_BASE(n), &b);
		cpu_msr(c, MSR_MTRR_VAR_MASK(n), &k);
		if (((b ^ bsp->base[n]) & (0xfffff0ffULL | hm)) || ((k ^ bsp->mask[n]) & (0xfffff800ULL | hm))) {
			len += mp_snprintf(text + len, size - len, "; variable MTRR %u base %#llx mask %#llx (the boot "
				     "CPU's %#llx %#llx)", n, (unsigned long long)b, (unsigned long long)k,
				     (unsigned long long)bsp->base[n], (unsigned long long)bsp->mask[n]);
			mask |= MTRR_CHANGE_VARIABLE;
		}
	}
	for (unsigned i = 0; bsp->have_fixed && i < MTRR_FIXED_MSRS && !(mask & MTRR_CHANGE_FIXED); i++)
		if (cpu_msr(c, fixed_msr(i), &v) && v != bsp->fixed_msr[i]) {
			len += mp_snprintf(text + len, size - len, "; %s %#llx (the boot CPU's %#llx)",
					   fixed_msr_names[i], (unsigned long long)v,
					   (unsigned long long)bsp->fixed_msr[i]);
			mask |= MTRR_CHANGE_FIXED;
		}
	if (cpu_msr(c, MSR_MTRR_DEF_TYPE, &v) && ((v & 0xff) != bsp->def_type || ((v >> 10) & 3) != bsp->enabled)) {
		mp_snprintf(text + len, size - len, "; MTRRdefType %#llx (the boot CPU's %#x)", (unsigned long long)v,
			    bsp->def_type | bsp->enabled << 10);
		mask |= MTRR_CHANGE_DEFTYPE;
	}
	return mask;
}

/* Whether Linux brings the CPU of this APIC ID up at boot: present, within nr_cpus= and maxcpus=. */
static bool brought_up(const struct machine *m, uint32_t apic_id)
{
	for (unsigned i = 0; i < m->bringup.nr; i++)
		if (m->bringup.apic_id[i] == apic_id)
			return true;
	return false;
}

/**
 * mtrr_state_warn() - Linux's verdict on the APs' MTRRs after bring-up
 * @m: the machine, after the bring-up (m->bringup)
 *
 * Each AP Linux brings up is compared with the boot CPU as set_mtrr_state()
 * compares them; what differs is rewritten by Linux and named here.
 */
void mtrr_state_warn(struct machine *m)
{
	const struct mtrr_state *s = &m->mtrr;
	const struct cpu_records *cpus = &m->fw->cpus;
	unsigned mask = 0, unknown = 0, differ = 0, ap;
	char text[400];

	if (!s->known || !(s->enabled & 2) || m->bringup.nr < 2 || s->unpredicted)
		return;
	if (cpus->source == CPUS_LINUX) {
		mp_printk(m->log, "memprobe: the APs' MTRRs are as Linux left them (--live: it gives every AP the boot "
				  "CPU's), not as the firmware did: the mtrr: lines after bring-up are not predicted\n");
		return;
	}
	for (unsigned i = 1; i < cpus->nr; i++) {
		const struct cpu_record *c = &cpus->cpu[i];

		if (!brought_up(m, c->apic_id))
			continue;
		if (c->state != CPU_READ) {
			unknown++;
			continue;
		}
		ap = compare_ap(s, c, text, sizeof(text));
		if (!ap)
			continue;
		mask |= ap;
		if (differ++ < APS_NAMED_MAX)
			fw_bug(m->log, "MTRR", "mtrr-ap-differs", FW_BUG_NO_OFFSET,
			       "memprobe: [Firmware Bug]: MTRR: the CPU of APIC ID %#x differs from the boot CPU%s; "
			       "Linux rewrites it\n",
			       c->apic_id, text);
	}
	if (differ > APS_NAMED_MAX)
		mp_printk(m->log, "memprobe: ... and %u more CPUs whose MTRRs differ from the boot CPU's\n",
			  differ - APS_NAMED_MAX);
	for (unsigned i = 0; i < m->bringup.nr; i++) {
		bool read = m->bringup.apic_id[i] == cpus->cpu[0].apic_id;

		for (unsigned k = 1; k < cpus->nr && !read; k++)
			read = cpus->cpu[k].apic_id == m->bringup.apic_id[i];
		unknown += !read;
	}
	if (unknown) {
		mp_printk(m->log, "memprobe: %u of the CPUs Linux brings up were not read: the mtrr: lines after "
				  "bring-up are not predicted\n",
			  unknown);
		return;
	}
	if (mask & MTRR_CHANGE_FIXED)
		mp_printk(m->log, "mtrr: your CPUs had inconsistent fixed MTRR settings\n");
	if (mask & MTRR_CHANGE_VARIABLE)
		mp_printk(m->log, "mtrr: your CPUs had inconsistent variable MTRR settings\n");
	if (mask & MTRR_CHANGE_DEFTYPE)
		mp_printk(m->log, "mtrr: your CPUs had inconsistent MTRRdefType settings\n");
	if (mask) {
		mp_printk(m->log, "mtrr: probably your BIOS does not setup all CPUs.\n");
		mp_printk(m->log, "mtrr: corrected configuration.\n");
	}
}
