// SPDX-License-Identifier: MIT
/*
 * memblock: Linux 6.1's boot-time allocator, with Linux's semantics, edge
 * cases and memblock=debug lines, over an explicit struct memblock.
 *
 * Region arrays start as the two 128-entry arrays inside struct memblock
 * and double as Linux's do: the new array's place is found in (and
 * reserved in) the modelled memory, its bytes come from the front end.
 */
#include "memprobe/mm/memblock.h"

#include "memprobe/lib/util.h"

#define dbg(mb, ...)                                  \
	do {                                          \
		if ((mb)->debug)                      \
			mp_printk((mb)->log, __VA_ARGS__); \
	} while (0)

/* Cap size so that base + size does not pass 2^64 - 1 (memblock_cap_size). */
static uint64_t cap_size(uint64_t base, uint64_t *size)
{
	if (*size > PHYS_ADDR_MAX - base)
		*size = PHYS_ADDR_MAX - base;
	return *size;
}

static void reset_type(struct memblock_type *type)
{
	type->cnt = 1;
	type->total_size = 0;
	type->regions[0].base = 0;
	type->regions[0].size = 0;
	type->regions[0].flags = 0;
	type->regions[0].nid = MAX_NUMNODES;
}

/**
 * memblock_init() - an empty memblock, as Linux's static one starts
 * @log: where memblock's lines go
 * @storage: the front end's memory for grown region arrays; NULL: none, so they cannot grow
 *
 * No allocation limit; the arrays may not grow before memblock_allow_resize().
 */
void memblock_init(struct memblock *mb, struct mp_log *log, const struct memblock_storage *storage)
{
	mp_memset(mb, 0, sizeof(*mb));
	mb->log = log;
	if (storage)
		mb->storage = *storage;
	mb->current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	mb->memory.regions = mb->memory_init;
	mb->memory.max = INIT_MEMBLOCK_REGIONS;
	mb->memory.name = "memory";
	reset_type(&mb->memory);
	mb->reserved.regions = mb->reserved_init;
	mb->reserved.max = INIT_MEMBLOCK_REGIONS;
	mb->reserved.name = "reserved";
	reset_type(&mb->reserved);
}

static bool is_init_array(const struct memblock *mb, const struct memblock_region *r)
{
	return r == mb->memory_init || r == mb->reserved_init;
}

/* Give grown arrays back to the front end. */
void memblock_release(struct memblock *mb)
{
	struct memblock_type *types[2] = { &mb->memory, &mb->reserved };

	for (int i = 0; i < 2; i++) {
		if (!is_init_array(mb, types[i]->regions) && mb->storage.free)
			mb->storage.free(mb->storage.ctx, types[i]->regions,
					 types[i]->max * sizeof(struct memblock_region));
		types[i]->regions = NULL;
	}
}

static void memblock_remove_region(struct memblock_type *type, unsigned long r)
{
	type->total_size -= type->regions[r].size;
	mp_memmove(&type->regions[r], &type->regions[r + 1],
		  (type->cnt - (r + 1)) * sizeof(type->regions[r]));
	type->cnt--;
	if (type->cnt == 0)
		reset_type(type);
}

/* The search, below: doubling an array searches for room, and the search's callers double. */
static uint64_t memblock_find_in_range_node(struct memblock *mb, uint64_t size, uint64_t align,
					    uint64_t start, uint64_t end, int nid, uint32_t flags);

static uint64_t memblock_find_in_range(struct memblock *mb, uint64_t start, uint64_t end,
				       uint64_t size, uint64_t align)
{
	return memblock_find_in_range_node(mb, size, align, start, end, NUMA_NO_NODE,
					   MEMBLOCK_NONE);
}

/**
 * memblock_double_array() - twice the room for a region array
 *
 * The new array's place in the modelled memory is found below
 * current_limit, avoiding the range being added to reserved; it is then
 * reserved, and the old array's place freed unless it was a built-in one.
 * Return: 0, or -1 when resizing is not allowed yet or no place or host
 * memory is left (the caller's operation then fails, as in Linux).
 */
static int memblock_double_array(struct memblock *mb, struct memblock_type *type,
				 uint64_t new_area_start, uint64_t new_area_size)
{
	uint64_t old_size = type->max * sizeof(struct memblock_region);
	uint64_t new_size = old_size * 2;
	uint64_t old_alloc_size = round_up(old_size, PAGE_SIZE), new_alloc_size = round_up(new_size, PAGE_SIZE);
	struct memblock_region *new_array, *old_array = type->regions;
	uint64_t addr, old_phys;

	if (!mb->can_resize)
		return -1;
	if (type != &mb->reserved)
		new_area_start = new_area_size = 0;
	addr = memblock_find_in_range(mb, new_area_start + new_area_size, mb->current_limit, new_alloc_size,
			     4096);
	if (!addr && new_area_size)
		addr = memblock_find_in_range(mb, 0,
				     new_area_start < mb->current_limit ? new_area_start
									 : mb->current_limit,
				     new_alloc_size, 4096);
	if (!addr) {
		mp_printk(mb->log, "memblock: Failed to double %s array from %ld to %ld entries !\n",
			  type->name, (long)type->max, (long)type->max * 2);
		return -1;
	}
	new_array = mb->storage.alloc ? mb->storage.alloc(mb->storage.ctx, new_size) : NULL;
	if (!new_array) {
		mp_printk(mb->log,
			  "memprobe: error: no host memory (%llu bytes) to grow the memblock %s array "
			  "to %ld entries\n",
			  (unsigned long long)new_size, type->name, (long)type->max * 2);
		return -1;
	}
	dbg(mb, "memblock: %s is doubled to %ld at [0x%016llx-0x%016llx]\n", type->name,
	    (long)type->max * 2, (unsigned long long)addr, (unsigned long long)(addr + new_size - 1));

	mp_memcpy(new_array, old_array, old_size);
	mp_memset(new_array + type->max, 0, old_size);
	type->regions = new_array;
	type->max *= 2;
	old_phys = type->regions_phys;
	type->regions_phys = addr;

	if (!is_init_array(mb, old_array)) {
		if (mb->storage.free)
			mb->storage.free(mb->storage.ctx, old_array, old_size);
		/* Linux's memblock_free(old_array), inlined: its line names memblock_double_array */
		memblock_phys_free_from(mb, old_phys, old_alloc_size, "memblock_double_array");
	}
	if (memblock_reserve_from(mb, addr, new_alloc_size, "memblock_double_array")) {
		/* Linux BUG()s here; the arrays are consistent, so say it and go on. */
		mp_printk(mb->log, "memprobe: error: cannot reserve the new memblock %s array\n",
			  type->name);
		return -1;
	}
	return 0;
}

/*
 * Merge touching neighbours of equal nid and flags among regions [start,
 * end]; a region may absorb several.  Linux merges the whole array each
 * time, but only the regions just changed and their neighbours can merge:
 * every operation leaves the rest merged.
 */
static void merge_regions_between(struct memblock *mb, struct memblock_type *type,
				  unsigned long start, unsigned long end)
{
	unsigned long i = start;

	while (i < end && i + 1 < type->cnt) {
		struct memblock_region *this = &type->regions[i], *next = &type->regions[i + 1];

		if (this->base + this->size != next->base || this->nid != next->nid ||
		    this->flags != next->flags) {
			if (this->base + this->size > next->base)
				mp_printk(mb->log, "memprobe: error: memblock %s regions %lu and %lu "
						   "overlap (Linux would BUG)\n",
					  type->name, i, i + 1);
			i++;
			continue;
		}
		this->size += next->size;
		mp_memmove(next, next + 1, (type->cnt - (i + 2)) * sizeof(*next));
		type->cnt--;
		end--;
	}
}

static void memblock_merge_regions(struct memblock *mb, struct memblock_type *type)
{
	merge_regions_between(mb, type, 0, type->cnt);
}

static void memblock_insert_region(struct memblock_type *type, unsigned long idx, uint64_t base,
				   uint64_t size, int nid, uint32_t flags)
{
	struct memblock_region *r = &type->regions[idx];

	mp_memmove(r + 1, r, (type->cnt - idx) * sizeof(*r));
	r->base = base;
	r->size = size;
	r->flags = flags;
	r->nid = nid;
	type->cnt++;
	type->total_size += size;
}

/*
 * memblock_add_range(): fill the gaps of [base, base+size) that no region
 * covers yet.  The first pass only counts the new pieces unless there is
 * room for the worst case; the array doubles as needed, then a second pass
 * inserts and the regions are merged.
 */
static int memblock_add_range(struct memblock *mb, struct memblock_type *type, uint64_t base,
			      uint64_t size, int nid, uint32_t flags)
{
	bool insert = false;
	uint64_t obase = base, end = base + cap_size(base, &size);
	unsigned long first, idx;
	int nr_new;

	if (!size)
		return 0;
	if (type == &mb->memory)
		mb->epoch++;
	if (type->regions[0].size == 0) {
		type->regions[0].base = base;
		type->regions[0].size = size;
		type->regions[0].flags = flags;
		type->regions[0].nid = nid;
		type->total_size = size;
		return 0;
	}
	if (type->cnt * 2 + 1 < type->max)
		insert = true;
	for (;;) {
		/* Regions ending at or below base are passed over; doubling may move them. */
		first = memblock_first_ending_after(type, obase);
		base = obase;
		nr_new = 0;
		for (idx = first; idx < type->cnt; idx++) {
			const struct memblock_region *r = &type->regions[idx];
			uint64_t rbase = r->base, rend = r->base + r->size;

			if (rbase >= end)
				break;
			if (rend <= base)
				continue;
			if (rbase > base) {
				nr_new++;
				if (insert)
					memblock_insert_region(type, idx++, base, rbase - base, nid, flags);
			}
			base = rend < end ? rend : end;
		}
		if (base < end) {
			nr_new++;
			if (insert)
				memblock_insert_region(type, idx, base, end - base, nid, flags);
		}
		if (!nr_new)
			return 0;
		if (insert)
			break;
		while (type->cnt + nr_new > type->max)
			if (memblock_double_array(mb, type, obase, size) < 0)
				return -1;
		insert = true;
	}
	merge_regions_between(mb, type, first ? first - 1 : 0, idx + 1);
	return 0;
}

static void dbg_range(struct memblock *mb, const char *what, uint64_t base, uint64_t size,
		      const char *caller)
{
	dbg(mb, "%s: [0x%016llx-0x%016llx] %s\n", what, (unsigned long long)base,
	    (unsigned long long)(base + size - 1), caller);
}

/**
 * memblock_add_node_from() - Linux's memblock_add_node()
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * Return: 0 on success, -1 when the memory array could not grow.
 */
int memblock_add_node_from(struct memblock *mb, uint64_t base, uint64_t size, int nid,
			   uint32_t flags, const char *caller)
{
	dbg(mb, "memblock_add_node: [0x%016llx-0x%016llx] nid=%d flags=%x %s\n",
	    (unsigned long long)base, (unsigned long long)(base + size - 1), nid, flags, caller);
	return memblock_add_range(mb, &mb->memory, base, size, nid, flags);
}

/**
 * memblock_add_from() - Linux's memblock_add(): memory on no node yet (MAX_NUMNODES)
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * Return: 0 on success, -1 when the memory array could not grow.
 */
int memblock_add_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller)
{
	dbg_range(mb, "memblock_add", base, size, caller);
	return memblock_add_range(mb, &mb->memory, base, size, MAX_NUMNODES, 0);
}

/**
 * memblock_reserve_from() - Linux's memblock_reserve()
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * Return: 0 on success, -1 when the reserved array could not grow.
 */
int memblock_reserve_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller)
{
	dbg_range(mb, "memblock_reserve", base, size, caller);
	return memblock_add_range(mb, &mb->reserved, base, size, MAX_NUMNODES, 0);
}

/**
 * memblock_isolate_range() - Linux's: split regions so none crosses base or base+size
 * @start_rgn: the first region inside the range
 * @end_rgn: the region after the last one inside; equal to @start_rgn (0) when none is
 *
 * Nothing is merged here.
 *
 * Return: 0 on success, -1 when the array could not grow for the split.
 */
int memblock_isolate_range(struct memblock *mb, struct memblock_type *type, uint64_t base,
			   uint64_t size, int *start_rgn, int *end_rgn)
{
	uint64_t end = base + cap_size(base, &size);

	*start_rgn = *end_rgn = 0;
	if (!size)
		return 0;
	while (type->cnt + 2 > type->max)
		if (memblock_double_array(mb, type, base, size) < 0)
			return -1;

	for (long idx = (long)memblock_first_ending_after(type, base); idx < (long)type->cnt; idx++) {
		struct memblock_region *r = &type->regions[idx];
		uint64_t rbase = r->base, rend = r->base + r->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase < base) {
			r->base = base;
			r->size -= base - rbase;
			type->total_size -= base - rbase;
			memblock_insert_region(type, idx, rbase, base - rbase, r->nid, r->flags);
		} else if (rend > end) {
			r->base = end;
			r->size -= end - rbase;
			type->total_size -= end - rbase;
			memblock_insert_region(type, idx--, rbase, end - rbase, r->nid, r->flags);
		} else {
			if (!*end_rgn)
				*start_rgn = (int)idx;
			*end_rgn = (int)idx + 1;
		}
	}
	return 0;
}

static int memblock_remove_range(struct memblock *mb, struct memblock_type *type, uint64_t base,
				 uint64_t size)
{
	int start_rgn, end_rgn;

	mb->epoch++;
	if (memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn))
		return -1;
	for (int i = end_rgn - 1; i >= start_rgn; i--)
		memblock_remove_region(type, (unsigned long)i);
	return 0;
}

/**
 * memblock_remove_from() - Linux's memblock_remove()
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * Return: 0 on success, -1 when the memory array could not grow for a split.
 */
int memblock_remove_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller)
{
	dbg_range(mb, "memblock_remove", base, size, caller);
	return memblock_remove_range(mb, &mb->memory, base, size);
}

/**
 * memblock_phys_free_from() - Linux's memblock_phys_free(): the range is no longer reserved
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * Return: 0 on success, -1 when the reserved array could not grow for a split.
 */
int memblock_phys_free_from(struct memblock *mb, uint64_t base, uint64_t size, const char *caller)
{
	dbg_range(mb, "memblock_phys_free", base, size, caller);
	return memblock_remove_range(mb, &mb->reserved, base, size);
}

/* Set or clear a flag on the memory regions inside a range. */
static int memblock_setclr_flag(struct memblock *mb, uint64_t base, uint64_t size, bool set,
				uint32_t flag)
{
	struct memblock_type *type = &mb->memory;
	int start_rgn, end_rgn;

	mb->epoch++;
	if (memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn))
		return -1;
	for (int i = start_rgn; i < end_rgn; i++) {
		if (set)
			type->regions[i].flags |= flag;
		else
			type->regions[i].flags &= ~flag;
	}
	memblock_merge_regions(mb, type);
	return 0;
}

/**
 * memblock_mark_hotplug() - Linux's: set MEMBLOCK_HOTPLUG on the memory inside a range
 *
 * Return: 0 on success, -1 when the memory array could not grow for a split.
 */
int memblock_mark_hotplug(struct memblock *mb, uint64_t base, uint64_t size)
{
	return memblock_setclr_flag(mb, base, size, true, MEMBLOCK_HOTPLUG);
}

/**
 * memblock_clear_hotplug() - Linux's: clear MEMBLOCK_HOTPLUG on the memory inside a range
 *
 * Return: 0 on success, -1 when the memory array could not grow for a split.
 */
int memblock_clear_hotplug(struct memblock *mb, uint64_t base, uint64_t size)
{
	return memblock_setclr_flag(mb, base, size, false, MEMBLOCK_HOTPLUG);
}

/**
 * memblock_set_node() - Linux's: give the regions of @type inside a range to node @nid
 *
 * Return: 0 on success, -1 when the array could not grow for a split.
 */
int memblock_set_node(struct memblock *mb, uint64_t base, uint64_t size,
		      struct memblock_type *type, int nid)
{
	int start_rgn, end_rgn;

	mb->epoch++;
	if (memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn))
		return -1;
	for (int i = start_rgn; i < end_rgn; i++)
		type->regions[i].nid = nid;
	memblock_merge_regions(mb, type);
	return 0;
}

void memblock_set_bottom_up(struct memblock *mb, bool enable)
{
	mb->bottom_up = enable;
}

void memblock_set_current_limit(struct memblock *mb, uint64_t limit)
{
	mb->current_limit = limit;
}

void memblock_allow_resize(struct memblock *mb)
{
	mb->can_resize = true;
}

/* Which memory regions an allocation for (nid, flags) must pass over. */
static bool skip_region(const struct memblock *mb, const struct memblock_region *m, int nid,
			uint32_t flags)
{
	if (nid != NUMA_NO_NODE && nid != m->nid)
		return true;
	if (mb->movable_node && (m->flags & MEMBLOCK_HOTPLUG) && !(flags & MEMBLOCK_HOTPLUG))
		return true;
	if ((flags & MEMBLOCK_MIRROR) && !(m->flags & MEMBLOCK_MIRROR))
		return true;
	if (!(flags & MEMBLOCK_NOMAP) && (m->flags & MEMBLOCK_NOMAP))
		return true;
	if (!(flags & MEMBLOCK_DRIVER_MANAGED) && (m->flags & MEMBLOCK_DRIVER_MANAGED))
		return true;
	return false;
}

static int check_nid(struct memblock *mb, int nid)
{
	if (nid != MAX_NUMNODES)
		return nid;
	if (!mb->warned_max_numnodes) {
		mp_printk(mb->log, "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead\n");
		mb->warned_max_numnodes = true;
	}
	return NUMA_NO_NODE;
}

/* Gap j of the reserved list: [end of region j-1, start of region j). */
static void reserved_gap(const struct memblock *mb, long j, uint64_t *start, uint64_t *end)
{
	const struct memblock_type *r = &mb->reserved;

	*start = j ? r->regions[j - 1].base + r->regions[j - 1].size : 0;
	*end = j < (long)r->cnt ? r->regions[j].base : PHYS_ADDR_MAX;
}

/*
 * __next_mem_range(): memory regions intersected with the gaps between
 * reserved regions, ascending.  idx packs the memory index (low 32 bits)
 * and the gap index (high 32 bits), as Linux's does.
 */
void memblock_next_free_range(struct memblock *mb, uint64_t *idx, int nid, uint32_t flags,
			      uint64_t *out_start, uint64_t *out_end, int *out_nid)
{
	long a = (long)(uint32_t)*idx, b = (long)(*idx >> 32);

	nid = check_nid(mb, nid);
	for (; a < (long)mb->memory.cnt; a++) {
		const struct memblock_region *m = &mb->memory.regions[a];
		uint64_t m_start = m->base, m_end = m->base + m->size;

		if (skip_region(mb, m, nid, flags))
			continue;
		for (; b < (long)mb->reserved.cnt + 1; b++) {
			uint64_t r_start, r_end;

			reserved_gap(mb, b, &r_start, &r_end);
			if (r_start >= m_end)
				break;
			if (m_start < r_end) {
				*out_start = m_start > r_start ? m_start : r_start;
				*out_end = m_end < r_end ? m_end : r_end;
				if (out_nid)
					*out_nid = m->nid;
				if (m_end <= r_end)
					a++;
				else
					b++;
				*idx = (uint32_t)a | (uint64_t)b << 32;
				return;
			}
		}
	}
	*idx = UINT64_MAX;
}

/* __next_mem_range_rev(): the same intersections, descending. */
void memblock_next_free_range_rev(struct memblock *mb, uint64_t *idx, int nid, uint32_t flags,
				  uint64_t *out_start, uint64_t *out_end, int *out_nid)
{
	long a = (long)(int32_t)(uint32_t)*idx, b = (long)(int32_t)(*idx >> 32);

	nid = check_nid(mb, nid);
	if (*idx == UINT64_MAX) {
		a = (long)mb->memory.cnt - 1;
		b = (long)mb->reserved.cnt;
	}
	for (; a >= 0; a--) {
		const struct memblock_region *m = &mb->memory.regions[a];
		uint64_t m_start = m->base, m_end = m->base + m->size, g_start, g_end;

		if (skip_region(mb, m, nid, flags))
			continue;
		/*
		 * The gaps that start at or above the region's end cannot meet
		 * it: Linux steps down over them one by one, this jumps.
		 */
		reserved_gap(mb, b, &g_start, &g_end);
		if (g_start >= m_end && m_end > m_start) {
			long below = (long)memblock_first_ending_after(&mb->reserved, m_end - 1);

			if (b > below)
				b = below;
		}
		for (; b >= 0; b--) {
			uint64_t r_start, r_end;

			reserved_gap(mb, b, &r_start, &r_end);
			if (r_end <= m_start)
				break;
			if (m_end > r_start) {
				*out_start = m_start > r_start ? m_start : r_start;
				*out_end = m_end < r_end ? m_end : r_end;
				if (out_nid)
					*out_nid = m->nid;
				if (m_start >= r_start)
					a--;
				else
					b--;
				*idx = (uint32_t)a | (uint64_t)(uint32_t)b << 32;
				return;
			}
		}
	}
	*idx = UINT64_MAX;
}

/*
 * Find a free, aligned range of size bytes inside [start, end): the highest
 * one top-down (the default), the lowest one bottom-up.  Page 0 is never
 * returned; 0 means nothing fits.
 */
static uint64_t memblock_find_in_range_node(struct memblock *mb, uint64_t size, uint64_t align,
					    uint64_t start, uint64_t end, int nid, uint32_t flags)
{
	uint64_t idx, this_start, this_end, cand;
	unsigned long gap;
	long top;

	if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE)
		end = mb->current_limit;
	if (start < 4096)
		start = 4096;
	if (end < start)
		end = start;
	mb->found.valid = false;

	if (mb->bottom_up) {
		for (idx = 0, memblock_next_free_range(mb, &idx, nid, flags, &this_start, &this_end, NULL);
		     idx != UINT64_MAX;
		     memblock_next_free_range(mb, &idx, nid, flags, &this_start, &this_end, NULL)) {
			this_start = clamp_u64(this_start, start, end);
			this_end = clamp_u64(this_end, start, end);
			cand = round_up(this_start, align);
			if (cand < this_end && this_end - cand >= size)
				return cand;
		}
		return 0;
	}
	mb->found = (struct memblock_resume){ size, align, start, end, nid, flags, 0, mb->epoch, false };
	if (mb->resume.valid && mb->resume.epoch == mb->epoch && mb->resume.size == size &&
	    mb->resume.align == align && mb->resume.start == start && mb->resume.end == end &&
	    mb->resume.nid == nid && mb->resume.flags == flags)
		end = mb->resume.below > start ? mb->resume.below : start;
	/*
	 * Memory regions from end up give only empty ranges once clamped:
	 * the walk down starts at the last region below end.
	 */
	top = (long)memblock_first_ending_after(&mb->memory, end - 1);
	if (top == (long)mb->memory.cnt || mb->memory.regions[top].base >= end)
		top--;
	if (top < 0)
		return 0;
	/* and at the last gap between reservations that starts below end: the gaps above give nothing either */
	gap = memblock_first_ending_after(&mb->reserved, end - 1);
	for (idx = (uint32_t)top | (uint64_t)gap << 32,
	    memblock_next_free_range_rev(mb, &idx, nid, flags, &this_start, &this_end, NULL);
	     idx != UINT64_MAX;
	     memblock_next_free_range_rev(mb, &idx, nid, flags, &this_start, &this_end, NULL)) {
		this_start = clamp_u64(this_start, start, end);
		this_end = clamp_u64(this_end, start, end);
		if (this_end < size)
			continue;
		cand = round_down(this_end - size, align);
		if (cand >= this_start) {
			mb->found.below = cand;
			mb->found.valid = true;
			return cand;
		}
	}
	return 0;
}

/* memblock_reserve() of a top-down search's answer; an identical search then resumes below it. */
static bool reserve_found(struct memblock *mb, uint64_t found, uint64_t size)
{
	uint64_t epoch = mb->epoch;
	struct memblock_resume search = mb->found;

	if (!found || memblock_reserve_from(mb, found, size, "memblock_alloc_range_nid"))
		return false;
	/* a doubling of the array frees the old one: then nothing is known */
	if (search.valid && search.below == found && mb->epoch == epoch)
		mb->resume = search;
	return true;
}

/**
 * memblock_alloc_range_nid() - Linux's: find and reserve size bytes in [start, end)
 * @nid: the node tried first; MAX_NUMNODES is taken as NUMA_NO_NODE, with Linux's warning
 * @exact_nid: do not fall back to any node
 *
 * First on nid, then (unless exact_nid) on any node.  An align of 0 is
 * taken as SMP_CACHE_BYTES.
 *
 * Return: the address, 0 on failure.
 */
uint64_t memblock_alloc_range_nid(struct memblock *mb, uint64_t size, uint64_t align,
				  uint64_t start, uint64_t end, int nid, bool exact_nid)
{
	uint64_t found;

	nid = check_nid(mb, nid);
	if (!align) {
		mp_printk(mb->log, "memprobe: warning: memblock allocation with align 0; Linux dumps "
				   "the stack and uses %d\n",
			  SMP_CACHE_BYTES);
		align = SMP_CACHE_BYTES;
	}
	found = memblock_find_in_range_node(mb, size, align, start, end, nid, MEMBLOCK_NONE);
	if (reserve_found(mb, found, size))
		return found;
	if (nid != NUMA_NO_NODE && !exact_nid) {
		found = memblock_find_in_range_node(mb, size, align, start, end, NUMA_NO_NODE,
						    MEMBLOCK_NONE);
		if (reserve_found(mb, found, size))
			return found;
	}
	return 0;
}

/**
 * memblock_phys_alloc_range_from() - Linux's memblock_phys_alloc_range(), on any node
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * @end is not capped at current_limit, as in Linux.
 *
 * Return: the address, 0 on failure.
 */
uint64_t memblock_phys_alloc_range_from(struct memblock *mb, uint64_t size, uint64_t align,
					uint64_t start, uint64_t end, const char *caller)
{
	dbg(mb, "memblock_phys_alloc_range: %llu bytes align=0x%llx from=0x%016llx "
		"max_addr=0x%016llx %s\n",
	    (unsigned long long)size, (unsigned long long)align, (unsigned long long)start,
	    (unsigned long long)end, caller);
	return memblock_alloc_range_nid(mb, size, align, start, end, NUMA_NO_NODE, false);
}

/**
 * memblock_phys_alloc_pages_from() - nr one-page memblock_phys_alloc_range() calls at once
 *
 * Each page-sized top-down request takes the highest free page in
 * [start, end), so nr of them take the top pages of the highest free
 * ranges; one reservation per free range gives the same regions.  Page by
 * page where the result could differ: with memblock=debug (a line per
 * request), bottom-up, and when a second reservation could grow the array.
 *
 * Return: the number of pages allocated; fewer than nr when memory ran out.
 */
uint64_t memblock_phys_alloc_pages_from(struct memblock *mb, uint64_t nr, uint64_t start,
					uint64_t end, const char *caller)
{
	uint64_t done = 0;

	if (start < PAGE_SIZE)
		start = PAGE_SIZE;
	while (done < nr) {
		uint64_t idx = UINT64_MAX, s, e, top, bottom, n;

		if (mb->debug || mb->bottom_up || mb->reserved.cnt + 2 > mb->reserved.max) {
			if (!memblock_phys_alloc_range_from(mb, PAGE_SIZE, PAGE_SIZE, start, end, caller))
				return done;
			done++;
			continue;
		}
		for (memblock_next_free_range_rev(mb, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL);
		     idx != UINT64_MAX;
		     memblock_next_free_range_rev(mb, &idx, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)) {
			top = round_down(clamp_u64(e, start, end), PAGE_SIZE);
			bottom = round_up(clamp_u64(s, start, end), PAGE_SIZE);
			if (top > bottom)
				break;
		}
		if (idx == UINT64_MAX)
			return done;
		n = (top - bottom) >> PAGE_SHIFT;
		if (n > nr - done)
			n = nr - done;
		if (memblock_reserve_from(mb, top - (n << PAGE_SHIFT), n << PAGE_SHIFT,
					  "memblock_alloc_range_nid"))
			return done;
		done += n;
	}
	return done;
}

/**
 * memblock_phys_alloc_try_nid() - Linux's: below current_limit, on nid first, then anywhere
 *
 * Return: the address, 0 on failure.
 */
uint64_t memblock_phys_alloc_try_nid(struct memblock *mb, uint64_t size, uint64_t align, int nid)
{
	return memblock_alloc_range_nid(mb, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
}

/* memblock_alloc_internal(): cap at current_limit, retry without the lower bound. */
static uint64_t alloc_internal(struct memblock *mb, const char *what, uint64_t size,
			       uint64_t align, uint64_t min_addr, uint64_t max_addr, int nid,
			       bool exact_nid, const char *caller)
{
	uint64_t found;

	dbg(mb, "%s: %llu bytes align=0x%llx nid=%d from=0x%016llx max_addr=0x%016llx %s\n", what,
	    (unsigned long long)size, (unsigned long long)align, nid, (unsigned long long)min_addr,
	    (unsigned long long)max_addr, caller);
	if (max_addr > mb->current_limit)
		max_addr = mb->current_limit;
	found = memblock_alloc_range_nid(mb, size, align, min_addr, max_addr, nid, exact_nid);
	if (!found && min_addr)
		found = memblock_alloc_range_nid(mb, size, align, 0, max_addr, nid, exact_nid);
	return found;
}

/**
 * memblock_alloc_try_nid_from() - Linux's memblock_alloc_try_nid()
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * @max_addr is capped at current_limit; when nothing fits, the allocation is
 * retried without @min_addr, and on any node after @nid.
 *
 * Return: the physical address (Linux returns its virtual one), 0 on failure.
 */
uint64_t memblock_alloc_try_nid_from(struct memblock *mb, uint64_t size, uint64_t align,
				     uint64_t min_addr, uint64_t max_addr, int nid,
				     const char *caller)
{
	return alloc_internal(mb, "memblock_alloc_try_nid", size, align, min_addr, max_addr, nid,
			      false, caller);
}

/**
 * memblock_alloc_try_nid_raw_from() - Linux's memblock_alloc_try_nid_raw()
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * As memblock_alloc_try_nid_from(): memprobe has no memory to clear.
 *
 * Return: the physical address (Linux returns its virtual one), 0 on failure.
 */
uint64_t memblock_alloc_try_nid_raw_from(struct memblock *mb, uint64_t size, uint64_t align,
					 uint64_t min_addr, uint64_t max_addr, int nid,
					 const char *caller)
{
	return alloc_internal(mb, "memblock_alloc_try_nid_raw", size, align, min_addr, max_addr,
			      nid, false, caller);
}

/**
 * memblock_alloc_exact_nid_raw_from() - Linux's memblock_alloc_exact_nid_raw()
 * @caller: the name memblock=debug's line gives, where Linux prints its caller
 *
 * As memblock_alloc_try_nid_raw_from(), but only on @nid.
 *
 * Return: the physical address (Linux returns its virtual one), 0 on failure.
 */
uint64_t memblock_alloc_exact_nid_raw_from(struct memblock *mb, uint64_t size, uint64_t align,
					   uint64_t min_addr, uint64_t max_addr, int nid,
					   const char *caller)
{
	return alloc_internal(mb, "memblock_alloc_exact_nid_raw", size, align, min_addr, max_addr,
			      nid, true, caller);
}

/* Round every memory region inward to align; drop those that vanish. */
void memblock_trim_memory(struct memblock *mb, uint64_t align)
{
	mb->epoch++;
	for (long i = 0; i < (long)mb->memory.cnt; i++) {
		struct memblock_region *r = &mb->memory.regions[i];
		uint64_t start = round_up(r->base, align);
		uint64_t end = round_down(r->base + r->size, align);

		if (start == r->base && end == r->base + r->size)
			continue;
		if (start < end) {
			r->base = start;
			r->size = end - start;
		} else {
			memblock_remove_region(&mb->memory, (unsigned long)i);
			i--;
		}
	}
}

/**
 * memblock_next_pfn_range() - one step of for_each_mem_pfn_range()
 * @idx: the walk's position, 0 to start
 * @nid: the node whose regions to walk, MAX_NUMNODES for all
 *
 * Regions without a whole page are skipped, as Linux skips them.
 * Return: false when there is no further range.
 */
bool memblock_next_pfn_range(const struct memblock *mb, unsigned long *idx, int nid,
			     uint64_t *start_pfn, uint64_t *end_pfn, int *out_nid)
{
	while (*idx < mb->memory.cnt) {
		const struct memblock_region *r = &mb->memory.regions[(*idx)++];
		uint64_t s = PFN_UP(r->base), e = PFN_DOWN(r->base + r->size);

		if (s >= e || (nid != MAX_NUMNODES && r->nid != nid))
			continue;
		*start_pfn = s;
		*end_pfn = e;
		if (out_nid)
			*out_nid = r->nid;
		return true;
	}
	return false;
}

/**
 * absent_pages_in_range() - pages of [start_pfn, end_pfn) in no memory region of nid
 * @nid: a node, or MAX_NUMNODES for any node
 * Return: the number of such pages (Linux's __absent_pages_in_range).
 */
uint64_t absent_pages_in_range(const struct memblock *mb, int nid, uint64_t start_pfn,
			       uint64_t end_pfn)
{
	uint64_t present = 0, s, e;
	/*
	 * Regions are sorted: only those from the first ending above start_pfn
	 * to end_pfn count.  A reversed range (a caller's end below its start)
	 * walks them all, as Linux's clamp() arithmetic counts every one.
	 */
	bool in_order = start_pfn <= end_pfn && start_pfn <= UINT64_MAX >> PAGE_SHIFT;
	unsigned long i = in_order ? memblock_first_ending_after(&mb->memory, PFN_PHYS(start_pfn)) : 0;

	while (memblock_next_pfn_range(mb, &i, nid, &s, &e, NULL) && !(in_order && s >= end_pfn)) {
		s = clamp_u64(s, start_pfn, end_pfn);
		e = clamp_u64(e, start_pfn, end_pfn);
		present += e - s;
	}
	return end_pfn - start_pfn - present;
}

/**
 * memblock_start_of_DRAM() - Linux's: where the lowest memory region starts
 *
 * Return: its base, 0 when there is no memory.
 */
uint64_t memblock_start_of_DRAM(const struct memblock *mb)
{
	return mb->memory.regions[0].base;
}

/**
 * memblock_end_of_DRAM() - Linux's: where the highest memory region ends
 *
 * Return: the address after its last byte, 0 when there is no memory.
 */
uint64_t memblock_end_of_DRAM(const struct memblock *mb)
{
	const struct memblock_region *r = &mb->memory.regions[mb->memory.cnt - 1];

	return r->base + r->size;
}

/**
 * memblock_first_ending_after() - where a walk upwards from addr starts
 * @type: memory or reserved, sorted and without overlaps as memblock keeps them
 * @addr: an address
 *
 * Return: the index of the first region ending above @addr, or type->cnt.
 */
unsigned long memblock_first_ending_after(const struct memblock_type *type, uint64_t addr)
{
	unsigned long left = 0, right = type->cnt;

	while (left < right) {
		unsigned long mid = left + (right - left) / 2;

		if (type->regions[mid].base + type->regions[mid].size > addr)
			right = mid;
		else
			left = mid + 1;
	}
	return left;
}

/* Binary search for the region holding addr, -1 if none (memblock_search). */
static long search(const struct memblock_type *type, uint64_t addr)
{
	unsigned long left = 0, right = type->cnt;

	do {
		unsigned long mid = (left + right) / 2;

		if (addr < type->regions[mid].base)
			right = mid;
		else if (addr >= type->regions[mid].base + type->regions[mid].size)
			left = mid + 1;
		else
			return (long)mid;
	} while (left < right);
	return -1;
}

/**
 * memblock_search_pfn_nid() - the node of the memory region holding a page's first byte
 * @mb: memblock
 * @pfn: the page
 *
 * A binary search, as Linux's.  Linux also hands back the region's pages
 * for early_pfn_to_nid()'s one-entry cache; memory regions do not change
 * while memprobe asks, so the cache could only repeat this answer.
 * Return: the node, -1 when no memory region holds that byte.
 */
int memblock_search_pfn_nid(const struct memblock *mb, uint64_t pfn)
{
	long idx = mb->memory.cnt ? search(&mb->memory, PFN_PHYS(pfn)) : -1;

	return idx < 0 ? -1 : mb->memory.regions[idx].nid;
}

/**
 * memblock_is_region_memory() - Linux's: whether one memory region holds all of a range
 *
 * Return: true when the region holding @base reaches its end; a range over
 * two touching regions (of different nodes or flags) is not, as in Linux.
 */
bool memblock_is_region_memory(const struct memblock *mb, uint64_t base, uint64_t size)
{
	long idx = search(&mb->memory, base);
	uint64_t end = base + cap_size(base, &size);

	if (idx < 0)
		return false;
	return mb->memory.regions[idx].base + mb->memory.regions[idx].size >= end;
}

/**
 * memblock_is_region_reserved() - Linux's: whether any byte of a range is reserved
 *
 * Return: true when the range overlaps a reserved region.
 */
bool memblock_is_region_reserved(const struct memblock *mb, uint64_t base, uint64_t size)
{
	cap_size(base, &size);
	for (unsigned long i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = &mb->reserved.regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return true;
	}
	return false;
}

static void dump_type(struct mp_log *log, const struct memblock_type *type)
{
	mp_printk(log, " %s.cnt  = 0x%lx\n", type->name, type->cnt);
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];
		char nid_buf[32] = "";

		if (r->nid != MAX_NUMNODES)
			mp_snprintf(nid_buf, sizeof(nid_buf), " on node %d", r->nid);
		mp_printk(log, " %s[%#x]\t[0x%016llx-0x%016llx], 0x%016llx bytes%s flags: %#x\n",
			  type->name, (unsigned)i, (unsigned long long)r->base,
			  (unsigned long long)(r->base + r->size - 1), (unsigned long long)r->size,
			  nid_buf, r->flags);
	}
}

/* The "MEMBLOCK configuration:" block, to any log. */
void memblock_dump_all_to(struct memblock *mb, struct mp_log *log)
{
	mp_printk(log, "MEMBLOCK configuration:\n");
	mp_printk(log, " memory size = 0x%016llx reserved size = 0x%016llx\n",
		  (unsigned long long)mb->memory.total_size,
		  (unsigned long long)mb->reserved.total_size);
	dump_type(log, &mb->memory);
	dump_type(log, &mb->reserved);
}

/* As Linux: printed only with memblock=debug. */
void memblock_dump_all(struct memblock *mb)
{
	if (mb->debug)
		memblock_dump_all_to(mb, mb->log);
}
