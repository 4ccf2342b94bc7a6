// SPDX-License-Identifier: MIT
/*
 * memblock against a page-by-page reference (see memblock_model.h).
 * Allocations are checked against the reference's own answer: free ranges
 * are maximal runs of free memory pages of one node and one flag set (a
 * memblock region never spans two), and top-down takes the highest aligned
 * fit of the highest range that has one, bottom-up the lowest.  Sequences
 * stay short enough that no array needs to grow.
 */
#include "memblock_model.h"

#include <stdarg.h>
#include <stdio.h>

static uint64_t rnd(const struct model_numbers *src, uint64_t n)
{
	return src->next(src->ctx, n);
}

static void random_range(const struct model_numbers *src, uint64_t *first, uint64_t *count)
{
	*first = rnd(src, MODEL_PAGES);
	*count = 1 + rnd(src, 24);
	if (*first + *count > MODEL_PAGES)
		*count = MODEL_PAGES - *first;
}

static int random_nid(const struct model_numbers *src)
{
	static const int nids[] = { 0, 1, 2, MAX_NUMNODES };

	return nids[rnd(src, 4)];
}

static int fail(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return -1;
}

void model_init(struct memblock_model *r)
{
	for (int p = 0; p < MODEL_PAGES; p++) {
		r->nid[p] = MODEL_NOT_MEMORY;
		r->flags[p] = 0;
		r->reserved[p] = false;
	}
}

/* The reference's allocation: per free range, as memblock searches. */
static uint64_t ref_alloc(const struct memblock_model *r, uint64_t size_pages, uint64_t align_pages,
			  uint64_t start, uint64_t end, int nid, bool bottom_up)
{
	uint64_t best = 0;
	bool found = false;

	if (start < 1)
		start = 1;	/* page 0 is never returned */
	if (end < start)
		end = start;
	for (uint64_t p = 0; p < MODEL_PAGES;) {
		uint64_t q = p + 1, lo, hi, cand;

		if (r->nid[p] == MODEL_NOT_MEMORY || r->reserved[p]) {
			p++;
			continue;
		}
		while (q < MODEL_PAGES && r->nid[q] == r->nid[p] && r->flags[q] == r->flags[p] &&
		       !r->reserved[q])
			q++;
		lo = p < start ? start : p > end ? end : p;
		hi = q < start ? start : q > end ? end : q;
		if (nid == NUMA_NO_NODE || nid == r->nid[p]) {
			if (bottom_up) {
				cand = (lo + align_pages - 1) / align_pages * align_pages;
				if (cand < hi && hi - cand >= size_pages && !found) {
					best = cand;
					found = true;
				}
			} else if (hi >= size_pages) {
				cand = (hi - size_pages) / align_pages * align_pages;
				if (cand >= lo) {
					best = cand;
					found = true;
				}
			}
		}
		p = q;
	}
	return found ? best * MODEL_PAGE : 0;
}

/*
 * The model's pages that type's regions cover, as nid/flags or reserved
 * (each array may be NULL); a page is covered when its first byte is.
 */
static void paint_pages(const struct memblock_type *type, int *nid, uint32_t *flags, bool *resv)
{
	for (uint64_t p = 0; p < MODEL_PAGES; p++) {
		if (nid)
			nid[p] = MODEL_NOT_MEMORY;
		if (flags)
			flags[p] = 0;
		if (resv)
			resv[p] = false;
	}
	for (unsigned long i = 0; i < type->cnt; i++) {
		const struct memblock_region *g = &type->regions[i];
		uint64_t end = g->size > UINT64_MAX - g->base ? UINT64_MAX : g->base + g->size;

		for (uint64_t p = g->base / MODEL_PAGE + (g->base % MODEL_PAGE != 0);
		     g->size && p < MODEL_PAGES && p * MODEL_PAGE < end; p++) {
			if (nid)
				nid[p] = g->nid;
			if (flags)
				flags[p] = g->flags;
			if (resv)
				resv[p] = true;
		}
	}
}

/* The state after a step against the reference; 0, or -1 with the first difference in err. */
static int check_state(const struct memblock *mb, const struct memblock_model *r, char *err,
		       size_t err_size)
{
	const struct memblock_type *types[2] = { &mb->memory, &mb->reserved };
	int nid[MODEL_PAGES];
	uint32_t flags[MODEL_PAGES];
	bool resv[MODEL_PAGES];

	for (int t = 0; t < 2; t++) {
		const struct memblock_type *type = types[t];
		uint64_t total = 0;

		for (unsigned long i = 0; i < type->cnt; i++) {
			const struct memblock_region *g = &type->regions[i];

			total += g->size;
			if (i && type->regions[i - 1].base + type->regions[i - 1].size > g->base)
				return fail(err, err_size, "%s regions %lu/%lu overlap or unsorted",
					    type->name, i - 1, i);
			if (i && type->regions[i - 1].base + type->regions[i - 1].size == g->base &&
			    type->regions[i - 1].nid == g->nid && type->regions[i - 1].flags == g->flags)
				return fail(err, err_size, "%s regions %lu/%lu not merged", type->name,
					    i - 1, i);
		}
		if (total != type->total_size)
			return fail(err, err_size, "%s total_size %#llx, regions add up to %#llx",
				    type->name, (unsigned long long)type->total_size,
				    (unsigned long long)total);
	}
	/* The regions are sorted and apart (checked above): paint each one's pages once. */
	paint_pages(&mb->memory, nid, flags, NULL);
	paint_pages(&mb->reserved, NULL, NULL, resv);
	for (uint64_t p = 0; p < MODEL_PAGES; p++)
		if (nid[p] != r->nid[p] || (nid[p] != MODEL_NOT_MEMORY && flags[p] != r->flags[p]) ||
		    resv[p] != r->reserved[p])
			return fail(err, err_size, "page %llu is nid %d flags %u reserved %d, model "
				    "nid %d flags %u reserved %d",
				    (unsigned long long)p, nid[p], flags[p], resv[p], r->nid[p],
				    r->flags[p], r->reserved[p]);
	return 0;
}

/**
 * model_step() - one random operation on both memblock and the reference, then the check
 * Return: 0, or -1 with what differs in err.
 */
int model_step(struct memblock *mb, struct memblock_model *r, const struct model_numbers *src,
	       struct model_result *res, char *err, size_t err_size)
{
	uint64_t first, count;
	int op = (int)rnd(src, 10), nid = random_nid(src);

	res->alloc = res->alloc_failed = false;
	res->op = "";
	random_range(src, &first, &count);
	switch (op) {
	case 0:
	case 1:
	case 9: {
		uint32_t flags = rnd(src, 3) == 0 ? MEMBLOCK_HOTPLUG : 0;

		res->op = "add_node";
		memblock_add_node(mb, first * MODEL_PAGE, count * MODEL_PAGE, nid, flags);
		for (uint64_t p = first; p < first + count; p++)
			if (r->nid[p] == MODEL_NOT_MEMORY) {
				r->nid[p] = nid;
				r->flags[p] = flags;
			}
		break;
	}
	case 2:
		res->op = "remove";
		memblock_remove(mb, first * MODEL_PAGE, count * MODEL_PAGE);
		for (uint64_t p = first; p < first + count; p++)
			r->nid[p] = MODEL_NOT_MEMORY;
		break;
	case 3:
		res->op = "reserve";
		memblock_reserve(mb, first * MODEL_PAGE, count * MODEL_PAGE);
		for (uint64_t p = first; p < first + count; p++)
			r->reserved[p] = true;
		break;
	case 4:
		res->op = "phys_free";
		memblock_phys_free(mb, first * MODEL_PAGE, count * MODEL_PAGE);
		for (uint64_t p = first; p < first + count; p++)
			r->reserved[p] = false;
		break;
	case 5:
		res->op = "set_node";
		memblock_set_node(mb, first * MODEL_PAGE, count * MODEL_PAGE, &mb->memory, nid);
		for (uint64_t p = first; p < first + count; p++)
			if (r->nid[p] != MODEL_NOT_MEMORY)
				r->nid[p] = nid;
		break;
	case 6: {
		bool set = rnd(src, 2);

		res->op = set ? "mark_hotplug" : "clear_hotplug";
		if (set)
			memblock_mark_hotplug(mb, first * MODEL_PAGE, count * MODEL_PAGE);
		else
			memblock_clear_hotplug(mb, first * MODEL_PAGE, count * MODEL_PAGE);
		for (uint64_t p = first; p < first + count; p++)
			r->flags[p] = set ? MEMBLOCK_HOTPLUG : 0;
		break;
	}
	default: {
		uint64_t size = 1 + rnd(src, 8), align = 1ULL << rnd(src, 4);
		uint64_t start = rnd(src, MODEL_PAGES / 2), want, got;
		uint64_t end = rnd(src, 4) ? start + 1 + rnd(src, MODEL_PAGES - start) : 0;
		int want_nid = rnd(src, 2) ? NUMA_NO_NODE : (int)rnd(src, 3);
		bool bottom_up = rnd(src, 2);

		res->op = "alloc";
		memblock_set_bottom_up(mb, bottom_up);
		/* end 0 is MEMBLOCK_ALLOC_ACCESSIBLE: current_limit, here "anywhere". */
		want = ref_alloc(r, size, align, start, end ? end : MODEL_PAGES, want_nid,
				 bottom_up);
		if (!want && want_nid != NUMA_NO_NODE)
			want = ref_alloc(r, size, align, start, end ? end : MODEL_PAGES,
					 NUMA_NO_NODE, bottom_up);
		got = memblock_alloc_range_nid(mb, size * MODEL_PAGE, align * MODEL_PAGE, start * MODEL_PAGE,
					       end * MODEL_PAGE, want_nid, false);
		if (got != want)
			return fail(err, err_size, "alloc %llu pages align %llu in [%llu, %llu) nid %d "
				    "%s: got %#llx, model %#llx",
				    (unsigned long long)size, (unsigned long long)align,
				    (unsigned long long)start, (unsigned long long)end, want_nid,
				    bottom_up ? "bottom-up" : "top-down", (unsigned long long)got,
				    (unsigned long long)want);
		res->alloc = true;
		res->alloc_failed = !got;
		for (uint64_t p = got / MODEL_PAGE; got && p < got / MODEL_PAGE + size; p++)
			r->reserved[p] = true;
		break;
	}
	}
	return check_state(mb, r, err, err_size);
}
