// SPDX-License-Identifier: MIT
/*
 * Model-based tests: random e820 tables checked against a reference that
 * tracks the type of every address unit (1 KiB) one by one.
 *
 * - sanitize: each unit gets the highest type covering it; runs of one type
 *   merge, except PRAM and soft-reserved, which split at every boundary of
 *   any input entry;
 * - range_update / range_remove on a sanitized table, then sanitize again:
 *   the units of the old type inside the range change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#define UNIT 0x400ULL
#define UNITS 512
#define ITERATIONS 20000

static const uint32_t all_types[] = {
	E820_TYPE_RAM,	E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
	E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_PRAM, E820_TYPE_RESERVED_KERN,
	E820_TYPE_SOFT_RESERVED, 20,
};
#define NR_TYPES (sizeof(all_types) / sizeof(all_types[0]))
#define NR_MERGEABLE_TYPES 8	/* all_types without PRAM and soft-reserved */
static const uint32_t mergeable_types[NR_MERGEABLE_TYPES] = {
	E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
	E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_RESERVED_KERN, 20,
};

struct model {
	uint32_t type[UNITS];
	bool boundary[UNITS + 1];
};

struct state {
	struct e820_table table;
	struct e820_sanitizer scratch;
	struct e820_table expected;
	struct capture c;
};

static uint64_t rnd(uint64_t n)
{
	return ((uint64_t)rand() << 31 ^ (uint64_t)rand()) % n;
}

static bool nomerge(uint32_t type)
{
	return type == E820_TYPE_PRAM || type == E820_TYPE_SOFT_RESERVED;
}

/* The table the model describes, in Linux's sanitized form. */
static void model_to_table(const struct model *m, uint64_t base, struct e820_table *t)
{
	t->nr_entries = 0;
	for (uint32_t u = 0; u < UNITS;) {
		uint32_t v = u + 1;

		if (!m->type[u]) {
			u++;
			continue;
		}
		while (v < UNITS && m->type[v] == m->type[u] && !(nomerge(m->type[u]) && m->boundary[v]))
			v++;
		t->entries[t->nr_entries].addr = base + u * UNIT;
		t->entries[t->nr_entries].size = (uint64_t)(v - u) * UNIT;
		t->entries[t->nr_entries++].type = m->type[u];
		u = v;
	}
}

static void assert_tables_equal(const struct e820_table *got, const struct e820_table *want,
				const char *what, int iteration)
{
	if (got->nr_entries != want->nr_entries)
		fail_msg("%s, iteration %d: %u entries, model has %u", what, iteration,
			 got->nr_entries, want->nr_entries);
	for (uint32_t i = 0; i < got->nr_entries; i++) {
		const struct e820_entry *g = &got->entries[i], *w = &want->entries[i];

		if (g->addr != w->addr || g->size != w->size || g->type != w->type)
			fail_msg("%s, iteration %d, entry %u: [%#llx+%#llx type %u], model [%#llx+%#llx "
				 "type %u]",
				 what, iteration, i, (unsigned long long)g->addr,
				 (unsigned long long)g->size, g->type, (unsigned long long)w->addr,
				 (unsigned long long)w->size, w->type);
		/* Invariants: sorted, no overlap. */
		if (i && got->entries[i - 1].addr + got->entries[i - 1].size > g->addr)
			fail_msg("%s, iteration %d: entries %u and %u overlap or are unsorted", what,
				 iteration, i - 1, i);
	}
}

/* Random entries (possibly empty, overlapping, unsorted) near a random base. */
static void random_table(struct e820_table *t, struct model *m, uint64_t base,
			 const uint32_t *types, size_t nr_types)
{
	uint32_t n = 2 + (uint32_t)rnd(30);

	memset(m, 0, sizeof(*m));
	t->nr_entries = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t start = (uint32_t)rnd(UNITS), len = (uint32_t)rnd(64), type;

		if (start + len > UNITS)
			len = UNITS - start;
		if (rnd(8) == 0)
			len = 0;
		type = types[rnd(nr_types)];
		t->entries[i].addr = base + start * UNIT;
		t->entries[i].size = (uint64_t)len * UNIT;
		t->entries[i].type = type;
		t->nr_entries++;
		if (!len)
			continue;
		m->boundary[start] = m->boundary[start + len] = true;
		for (uint32_t u = start; u < start + len; u++)
			if (type > m->type[u])
				m->type[u] = type;
	}
}

static uint64_t random_base(void)
{
	switch (rnd(3)) {
	case 0:
		return 0;
	case 1:
		return rnd(1ULL << 40) & ~(UNIT - 1);
	default:
		return UINT64_MAX - (UNITS + 1) * UNIT + 1;	/* right below the top */
	}
}

static void sanitize_matches_model(void **unused)
{
	struct state *s = calloc(1, sizeof(*s));
	struct model m;

	(void)unused;
	assert_non_null(s);
	srand(2);
	for (int it = 0; it < ITERATIONS; it++) {
		uint64_t base = random_base();

		random_table(&s->table, &m, base, all_types, NR_TYPES);
		assert_int_equal(e820__update_table(&s->table, &s->scratch), 0);
		model_to_table(&m, base, &s->expected);
		assert_tables_equal(&s->table, &s->expected, "sanitize", it);
	}
	free(s);
}

static void update_and_remove_match_model(void **unused)
{
	struct state *s = calloc(1, sizeof(*s));
	struct model m;

	(void)unused;
	assert_non_null(s);
	capture_init(&s->c);
	srand(3);
	for (int it = 0; it < ITERATIONS; it++) {
		uint64_t base = random_base();
		uint32_t start = (uint32_t)rnd(UNITS), len = (uint32_t)rnd(UNITS - start + 1);
		uint32_t old_type = mergeable_types[rnd(NR_MERGEABLE_TYPES)];
		uint32_t new_type = mergeable_types[rnd(NR_MERGEABLE_TYPES)];
		bool remove = rnd(2), check_type = rnd(4) != 0;

		random_table(&s->table, &m, base, mergeable_types, NR_MERGEABLE_TYPES);
		if (e820__update_table(&s->table, &s->scratch) < 0)
			continue;
		capture_reset(&s->c);
		if (remove) {
			e820__range_remove(&s->c.log, &s->table, base + start * UNIT, len * UNIT,
					   old_type, check_type);
		} else {
			if (old_type == new_type)
				continue;	/* Linux BUG()s on that */
			e820__range_update(&s->c.log, &s->table, base + start * UNIT, len * UNIT,
					   old_type, new_type);
		}
		for (uint32_t u = start; u < start + len; u++) {
			if (remove && (!check_type || m.type[u] == old_type))
				m.type[u] = 0;
			else if (!remove && m.type[u] == old_type)
				m.type[u] = new_type;
		}
		/* With fewer than two entries Linux leaves the table as it is. */
		if (e820__update_table(&s->table, &s->scratch) < 0 &&
		    (s->table.nr_entries == 0 || s->table.entries[0].size == 0))
			continue;
		model_to_table(&m, base, &s->expected);
		assert_tables_equal(&s->table, &s->expected, remove ? "remove" : "update", it);
	}
	capture_free(&s->c);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanitize_matches_model),
		cmocka_unit_test(update_and_remove_match_model),
	};

	return cmocka_run_group_tests_name("e820 model", tests, NULL, NULL);
}
