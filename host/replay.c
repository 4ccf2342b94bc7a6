// SPDX-License-Identifier: MIT
/*
 * memprobe replay: rebuild memblock from a Linux boot log captured with
 * memblock=debug and replay every allocation request through memprobe's
 * memblock, comparing the address chosen with the one Linux chose.
 *
 * The log shows most of what memblock did, but not all.  What it does not
 * show is modelled from Linux 6.1's sources:
 * - the state before the first "MEMBLOCK configuration:" dump (reservations
 *   made before memblock=debug is parsed) is taken from that dump;
 * - current_limit is 1 MiB from e820__memblock_setup on (setup_arch sets
 *   ISA_END_ADDRESS), and max_pfn << 12 after init_mem_mapping, which maps
 *   all RAM up to max_pfn (the first "last_pfn =" line);
 * - memblock_set_node(): numa_register_memblks() gives each block of the
 *   cleaned-up numa_meminfo its node.  The blocks come from the SRAT lines
 *   ("ACPI: SRAT: Node N PXM P [mem ...]") merged as the "NUMA: Node N ...
 *   -> [mem ...]" lines say, or from "Faking a node at" / "Faking node N at";
 *   they are applied when the first NODE_DATA allocation shows up;
 * - alloc_node_data() calls memblock_phys_alloc_try_nid(0x2b000, 64, nid),
 *   which prints no request line; its "NODE_DATA(n) allocated" line gives
 *   the node, and the request is replayed from that.
 * Other reservations by memblock_alloc_range_nid without a request line
 * are applied as logged and counted.
 */
#include "heap.h"
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memprobe/memblock.h"

#define MAX_LINE 1024
#define MAX_BLOCKS 2048
#define SMP_CACHE 64

enum request_kind { REQ_NONE, REQ_PHYS_ALLOC_RANGE, REQ_TRY_NID, REQ_TRY_NID_RAW, REQ_EXACT_NID_RAW };

struct numa_block {
	uint64_t start, end;
	int nid;
};

struct text {
	char *s;
	size_t len, cap;
};

#define MAX_DOUBLINGS 16

struct replay {
	struct memblock mb;
	struct mp_log ours_log;		/* our memblock=debug lines */
	char our_doublings[MAX_DOUBLINGS][160];	/* not yet matched with Linux's */
	unsigned nr_our_doublings;
	FILE *out;

	/* parsing state */
	bool loaded;			/* the first dump has been read */
	bool in_dump;
	struct text linux_dump;
	unsigned long lineno;
	uint64_t max_pfn;
	bool in_init_mem_mapping, limit_raised;
	unsigned skip_double_followups;

	/* the request waiting for Linux's answer */
	enum request_kind pending;
	unsigned long pending_line;
	char pending_text[MAX_LINE];
	uint64_t pending_size, ours_answer;
	struct text state_before;

	/* NUMA blocks for memblock_set_node, and whether they were applied */
	struct numa_block blocks[MAX_BLOCKS];
	int nr_blocks;
	bool fake_list;			/* "Faking node" lines replace the SRAT blocks */
	bool nodes_applied;
	uint64_t last_anon_reserve_base, last_anon_reserve_size;

	/* results */
	unsigned allocs, allocs_same, dumps, dumps_same, doublings, doublings_same, unreplayable;
	bool diverged;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s) {
			perror("memprobe replay");
			exit(2);
		}
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_clear(struct text *t)
{
	t->len = 0;
	if (t->s)
		t->s[0] = '\0';
}

static void text_write(void *ctx, const char *s, size_t n)
{
	text_add(ctx, s, n);
}

/* Our memblock=debug output: only the array doublings are kept, to match Linux's. */
static void ours_write(void *ctx, const char *s, size_t n)
{
	struct replay *r = ctx;

	if (n > 10 && !strncmp(s, "memblock: ", 10) && r->nr_our_doublings < MAX_DOUBLINGS) {
		snprintf(r->our_doublings[r->nr_our_doublings++], sizeof(r->our_doublings[0]), "%.*s",
			 (int)(n && s[n - 1] == '\n' ? n - 1 : n), s);
	}
}


/* Remove "[    1.234567] " and the caller's "+0x1f/0x80". */
static void normalize(char *line)
{
	size_t n = strlen(line);
	char *plus;

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (line[0] == '[') {
		char *end = strstr(line, "] ");

		if (end)
			memmove(line, end + 2, strlen(end + 2) + 1);
	}
	plus = strrchr(line, '+');
	if (plus && strncmp(plus, "+0x", 3) == 0 && strchr(plus, '/') && !strchr(plus, ' '))
		*plus = '\0';
}

static const char *last_word(const char *line)
{
	const char *sp = strrchr(line, ' ');

	return sp ? sp + 1 : line;
}

/* "[0xA-0xB]" anywhere in the line -> A and size B - A + 1 */
static bool parse_range(const char *line, uint64_t *base, uint64_t *size)
{
	const char *p = strstr(line, "[0x");
	unsigned long long a, b;

	if (!p || sscanf(p, "[0x%llx-0x%llx]", &a, &b) != 2)
		return false;
	*base = a;
	*size = b - a + 1;
	return true;
}

/* "[mem 0xA-0xB]" at or after p -> [A, B + 1) */
static bool parse_mem(const char *p, uint64_t *start, uint64_t *end)
{
	unsigned long long a, b;

	p = strstr(p, "[mem ");
	if (!p || sscanf(p, "[mem %llx-%llx]", &a, &b) != 2)
		return false;
	*start = a;
	*end = b + 1;
	return true;
}

static void report_divergence(struct replay *r, const char *what, const char *linux_side,
			      const char *ours_side)
{
	if (r->diverged)
		return;
	r->diverged = true;
	fprintf(r->out, "replay: first divergence at line %lu: %s\n", r->pending_line,
		r->pending_text);
	fprintf(r->out, "replay:   %s: Linux %s, memprobe %s\n", what, linux_side, ours_side);
	if (r->state_before.len) {
		fprintf(r->out, "replay: memprobe's memblock state before that line:\n");
		fputs(r->state_before.s, r->out);
	}
}

/* Compare our answer to a request with Linux's and make our state follow Linux's. */
static void settle(struct replay *r, uint64_t linux_answer)
{
	char l[32], o[32];

	r->allocs++;
	if (linux_answer == r->ours_answer) {
		r->allocs_same++;
	} else {
		snprintf(l, sizeof(l), linux_answer ? "0x%llx" : "failed", (unsigned long long)linux_answer);
		snprintf(o, sizeof(o), r->ours_answer ? "0x%llx" : "failed",
			 (unsigned long long)r->ours_answer);
		report_divergence(r, "allocation", l, o);
		if (r->ours_answer)
			memblock_phys_free_from(&r->mb, r->ours_answer, r->pending_size, "replay");
		if (linux_answer)
			memblock_reserve_from(&r->mb, linux_answer, r->pending_size, "replay");
	}
	r->pending = REQ_NONE;
}

static void snapshot(struct replay *r, unsigned long lineno, const char *line)
{
	struct mp_log log = { text_write, &r->state_before };

	r->pending_line = lineno;
	snprintf(r->pending_text, sizeof(r->pending_text), "%s", line);
	text_clear(&r->state_before);
	if (!r->diverged)
		memblock_dump_all_to(&r->mb, &log);
}

/* numa_register_memblks(): every block's range gets its node. */
static void apply_nodes(struct replay *r)
{
	if (r->nodes_applied)
		return;
	r->nodes_applied = true;
	memblock_set_node(&r->mb, 0, UINT64_MAX, &r->mb.memory, MAX_NUMNODES);
	memblock_set_node(&r->mb, 0, UINT64_MAX, &r->mb.reserved, MAX_NUMNODES);
	for (int i = 0; i < r->nr_blocks; i++) {
		uint64_t end = r->blocks[i].end;

		/* numa_cleanup_meminfo() trims blocks at max_pfn. */
		if (r->max_pfn && end > r->max_pfn << 12)
			end = r->max_pfn << 12;
		if (end <= r->blocks[i].start)
			continue;
		memblock_set_node(&r->mb, r->blocks[i].start, end - r->blocks[i].start,
				  &r->mb.memory, r->blocks[i].nid);
	}
	for (int i = 0; i < r->nr_blocks; i++) {
		uint64_t end = r->blocks[i].end;

		if (r->max_pfn && end > r->max_pfn << 12)
			end = r->max_pfn << 12;
		if (end > r->blocks[i].start)
			memblock_set_node(&r->mb, r->blocks[i].start, end - r->blocks[i].start,
					  &r->mb.reserved, r->blocks[i].nid);
	}
}

static void add_block(struct replay *r, int nid, uint64_t start, uint64_t end)
{
	if (r->nr_blocks < MAX_BLOCKS)
		r->blocks[r->nr_blocks++] = (struct numa_block){ start, end, nid };
}

/* The NUMA lines that shape numa_meminfo. */
static bool numa_line(struct replay *r, const char *line)
{
	uint64_t s, e, s2, e2, ms, me;
	int nid;

	if (sscanf(line, "ACPI: SRAT: Node %d PXM", &nid) == 1 && parse_mem(line, &s, &e)) {
		if (!r->fake_list)
			add_block(r, nid, s, e);
		return true;
	}
	if (sscanf(line, "NUMA: Node %d [mem", &nid) == 1 && strstr(line, " -> ")) {
		const char *plus = strstr(line, "] + [mem ");
		const char *arrow = strstr(line, " -> ");

		if (!parse_mem(line, &s, &e) || !plus || !parse_mem(plus + 4, &s2, &e2) ||
		    !parse_mem(arrow, &ms, &me))
			return true;
		for (int i = 0; i < r->nr_blocks; i++) {
			if (r->blocks[i].nid == nid && r->blocks[i].start == s && r->blocks[i].end == e) {
				r->blocks[i].start = ms;
				r->blocks[i].end = me;
				for (int j = 0; j < r->nr_blocks; j++) {
					if (j != i && r->blocks[j].nid == nid && r->blocks[j].start == s2 &&
					    r->blocks[j].end == e2) {
						memmove(&r->blocks[j], &r->blocks[j + 1],
							(size_t)(r->nr_blocks - j - 1) * sizeof(r->blocks[0]));
						r->nr_blocks--;
						break;
					}
				}
				break;
			}
		}
		return true;
	}
	if (strstr(line, "Not used.") && strstr(line, "NUMA: nodes only cover")) {
		r->nr_blocks = 0;
		return true;
	}
	if (strncmp(line, "Faking a node at ", 17) == 0 && parse_mem(line, &s, &e)) {
		r->nr_blocks = 0;
		add_block(r, 0, s, e);
		return true;
	}
	if (sscanf(line, "Faking node %d at ", &nid) == 1 && parse_mem(line, &s, &e)) {
		if (!r->fake_list) {
			r->fake_list = true;
			r->nr_blocks = 0;
		}
		add_block(r, nid, s, e);
		return true;
	}
	return false;
}

/* Load memblock from Linux's dump (the first one). */
static int load_dump(struct replay *r)
{
	char *save = NULL, *line;
	char *copy = strdup(r->linux_dump.s);
	struct memblock_type *type = NULL;

	if (!copy)
		return -1;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b, size;
		unsigned idx, flags = 0;
		int nid = MAX_NUMNODES;
		const char *on;

		if (strncmp(line, " memory[", 8) == 0)
			type = &r->mb.memory;
		else if (strncmp(line, " reserved[", 10) == 0)
			type = &r->mb.reserved;
		else
			continue;
		if (sscanf(strchr(line, '['), "[%x]\t[0x%llx-0x%llx], 0x%llx bytes", &idx, &a, &b, &size) != 4)
			continue;
		on = strstr(line, " on node ");
		if (on)
			nid = atoi(on + 9);
		if (strstr(line, "flags: "))
			flags = (unsigned)strtoul(strstr(line, "flags: ") + 7, NULL, 16);
		if (size == 0)
			continue;	/* the empty type's dummy region */
		if (type == &r->mb.memory)
			memblock_add_node_from(&r->mb, a, size, nid, flags, "replay");
		else {
			memblock_reserve_from(&r->mb, a, size, "replay");
			memblock_set_node(&r->mb, a, size, &r->mb.reserved, nid);
		}
	}
	free(copy);
	return 0;
}

static void end_of_dump(struct replay *r)
{
	struct text mine = { 0 };
	struct mp_log log = { text_write, &mine };

	r->in_dump = false;
	if (!r->loaded) {
		r->loaded = true;
		memblock_allow_resize(&r->mb);
		load_dump(r);
		memblock_set_current_limit(&r->mb, 0x100000);
	}
	memblock_dump_all_to(&r->mb, &log);
	r->dumps++;
	if (mine.len == r->linux_dump.len && !memcmp(mine.s, r->linux_dump.s, mine.len)) {
		r->dumps_same++;
	} else if (!r->diverged) {
		/* Show the first line that differs. */
		const char *a = r->linux_dump.s, *b = mine.s;

		while (*a && *a == *b)
			a++, b++;
		while (a > r->linux_dump.s && a[-1] != '\n')
			a--, b--;
		r->diverged = true;
		fprintf(r->out, "replay: first divergence in the MEMBLOCK configuration dump ending at line %lu:\n",
			r->lineno);
		fprintf(r->out, "replay:   Linux:    %.*s\n", (int)strcspn(a, "\n"), a);
		fprintf(r->out, "replay:   memprobe: %.*s\n", (int)strcspn(b, "\n"), b);
		fprintf(r->out, "replay: memprobe's dump:\n%s", mine.s);
	}
	free(mine.s);
	text_clear(&r->linux_dump);
}

static bool is_init_mem_mapping_caller(const char *caller)
{
	return !strcmp(caller, "init_mem_mapping") || !strcmp(caller, "alloc_low_pages") ||
	       !strcmp(caller, "memblock_alloc_range_nid");
}

/* Requests: "NAME: N bytes align=0xA [nid=K ]from=0xF max_addr=0xM CALLER" */
static bool request_line(struct replay *r, const char *line)
{
	static const struct {
		const char *name;
		enum request_kind kind;
	} kinds[] = {
		{ "memblock_phys_alloc_range: ", REQ_PHYS_ALLOC_RANGE },
		{ "memblock_alloc_try_nid: ", REQ_TRY_NID },
		{ "memblock_alloc_try_nid_raw: ", REQ_TRY_NID_RAW },
		{ "memblock_alloc_exact_nid_raw: ", REQ_EXACT_NID_RAW },
	};
	unsigned long long size, align, from, max;
	int nid = NUMA_NO_NODE;
	const char *caller = last_word(line);

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t n = strlen(kinds[k].name);

		if (strncmp(line, kinds[k].name, n))
			continue;
		if (kinds[k].kind == REQ_PHYS_ALLOC_RANGE) {
			if (sscanf(line + n, "%llu bytes align=0x%llx from=0x%llx max_addr=0x%llx", &size,
				   &align, &from, &max) != 4)
				return false;
		} else if (sscanf(line + n, "%llu bytes align=0x%llx nid=%d from=0x%llx max_addr=0x%llx",
				  &size, &align, &nid, &from, &max) != 5) {
			return false;
		}
		snapshot(r, r->lineno, line);
		r->pending = kinds[k].kind;
		r->pending_size = size;
		switch (kinds[k].kind) {
		case REQ_PHYS_ALLOC_RANGE:
			r->ours_answer = memblock_phys_alloc_range_from(&r->mb, size, align, from, max, caller);
			break;
		case REQ_TRY_NID:
			r->ours_answer = memblock_alloc_try_nid_from(&r->mb, size, align, from, max, nid, caller);
			break;
		case REQ_TRY_NID_RAW:
			r->ours_answer = memblock_alloc_try_nid_raw_from(&r->mb, size, align, from, max, nid,
									 caller);
			break;
		default:
			r->ours_answer = memblock_alloc_exact_nid_raw_from(&r->mb, size, align, from, max,
									   nid, caller);
			break;
		}
		return true;
	}
	return false;
}

/* One line of the log, after the first dump. */
static void replay_line(struct replay *r, const char *line)
{
	const char *caller = last_word(line);
	uint64_t base, size;
	bool memblock_op = !strncmp(line, "memblock_", 9) || !strncmp(line, "memblock: ", 10);
	int nid;

	if (memblock_op && r->in_init_mem_mapping && !r->limit_raised &&
	    !is_init_mem_mapping_caller(caller)) {
		/* setup_arch: memblock_set_current_limit(get_max_mapped()). */
		memblock_set_current_limit(&r->mb, r->max_pfn << 12);
		r->limit_raised = true;
	}
	if (memblock_op && !strcmp(caller, "init_mem_mapping"))
		r->in_init_mem_mapping = true;

	if (r->skip_double_followups) {
		if ((!strncmp(line, "memblock_phys_free: ", 20) && !strcmp(caller, "memblock_free")) ||
		    (!strncmp(line, "memblock_reserve: ", 18) && !strcmp(caller, "memblock_double_array"))) {
			r->skip_double_followups--;
			return;	/* our own doubling did this already */
		}
		r->skip_double_followups = 0;
	}
	if (r->pending != REQ_NONE) {
		if (!strncmp(line, "memblock_reserve: ", 18) && !strcmp(caller, "memblock_alloc_range_nid") &&
		    parse_range(line, &base, &size)) {
			settle(r, base);
			return;
		}
		if (memblock_op || !strcmp(line, "MEMBLOCK configuration:"))
			settle(r, 0);	/* Linux found nothing: no reservation followed */
	}
	if (request_line(r, line))
		return;
	if (!strncmp(line, "memblock: ", 10) && strstr(line, " is doubled to ")) {
		r->doublings++;
		if (r->nr_our_doublings && !strcmp(r->our_doublings[0], line)) {
			r->doublings_same++;
		} else if (!r->diverged) {
			snapshot(r, r->lineno, line);
			report_divergence(r, "array doubling", line,
					  r->nr_our_doublings ? r->our_doublings[0] : "no doubling");
		}
		if (r->nr_our_doublings)
			memmove(r->our_doublings[0], r->our_doublings[1],
				--r->nr_our_doublings * sizeof(r->our_doublings[0]));
		r->skip_double_followups = 2;
		return;
	}
	if (sscanf(line, "NODE_DATA(%d) allocated", &nid) == 1 && parse_mem(line, &base, &size)) {
		/* alloc_node_data(): replay the request its reservation answered. */
		uint64_t linux_answer = base, nd_size = size - base;

		apply_nodes(r);
		if (r->last_anon_reserve_base == linux_answer && r->last_anon_reserve_size == nd_size) {
			memblock_phys_free_from(&r->mb, linux_answer, nd_size, "replay");
			r->unreplayable--;
		}
		snapshot(r, r->lineno, line);
		r->pending_size = nd_size;
		r->ours_answer = memblock_phys_alloc_try_nid(&r->mb, nd_size, SMP_CACHE, nid);
		settle(r, linux_answer);
		return;
	}
	if (numa_line(r, line))
		return;
	if (!strncmp(line, "memblock_reserve: ", 18) && parse_range(line, &base, &size)) {
		if (!strcmp(caller, "memblock_alloc_range_nid")) {
			r->unreplayable++;
			r->last_anon_reserve_base = base;
			r->last_anon_reserve_size = size;
		}
		memblock_reserve_from(&r->mb, base, size, caller);
	} else if (!strncmp(line, "memblock_phys_free: ", 20) && parse_range(line, &base, &size)) {
		memblock_phys_free_from(&r->mb, base, size, caller);
	} else if (!strncmp(line, "memblock_add: ", 14) && parse_range(line, &base, &size)) {
		memblock_add_from(&r->mb, base, size, caller);
	} else if (!strncmp(line, "memblock_remove: ", 17) && parse_range(line, &base, &size)) {
		memblock_remove_from(&r->mb, base, size, caller);
	} else if (!strncmp(line, "memblock_add_node: ", 19) && parse_range(line, &base, &size)) {
		unsigned flags = 0;
		const char *p = strstr(line, "nid=");

		if (p && sscanf(p, "nid=%d flags=%x", &nid, &flags) == 2)
			memblock_add_node_from(&r->mb, base, size, nid, flags, caller);
	}
}

int replay_log(FILE *in, FILE *out, const char *name)
{
	struct replay *r = calloc(1, sizeof(*r));
	char line[MAX_LINE];
	int status;

	if (!r) {
		perror("memprobe replay");
		return 2;
	}
	r->out = out;
	r->ours_log.write = ours_write;
	r->ours_log.ctx = r;
	memblock_init(&r->mb, &r->ours_log, &host_heap);
	r->mb.debug = true;	/* our doubling lines are compared with Linux's */

	while (fgets(line, sizeof(line), in)) {
		r->lineno++;
		normalize(line);
		if (r->in_dump) {
			if (line[0] == ' ' && (!strncmp(line + 1, "memory", 6) || !strncmp(line + 1, "reserved", 8))) {
				text_add(&r->linux_dump, line, strlen(line));
				text_add(&r->linux_dump, "\n", 1);
				continue;
			}
			end_of_dump(r);
		}
		if (!strcmp(line, "MEMBLOCK configuration:")) {
			if (r->loaded)
				replay_line(r, line);
			r->in_dump = true;
			text_add(&r->linux_dump, "MEMBLOCK configuration:\n", 24);
			continue;
		}
		if (!r->max_pfn && !strncmp(line, "last_pfn = ", 11))
			r->max_pfn = strtoull(line + 11, NULL, 16);
		if (!strncmp(line, "Memory: ", 8))
			break;	/* mem_init: memblock hands over to the buddy allocator */
		if (!r->loaded) {
			numa_line(r, line);
			continue;
		}
		replay_line(r, line);
	}
	if (r->in_dump)
		end_of_dump(r);
	if (r->pending != REQ_NONE)
		settle(r, 0);
	if (r->nr_our_doublings && !r->diverged) {
		r->diverged = true;
		fprintf(out, "replay: memprobe doubled an array where Linux did not: %s\n",
			r->our_doublings[0]);
	}

	if (!r->loaded) {
		fprintf(out, "replay: %s: no \"MEMBLOCK configuration:\" dump; was Linux booted with "
			     "memblock=debug?\n", name);
		status = 2;
	} else {
		fprintf(out, "replay: %u of %u allocations identical, %u of %u dumps identical, %u of %u "
			     "array doublings identical (%u reservations without a request line applied "
			     "as logged)\n",
			r->allocs_same, r->allocs, r->dumps_same, r->dumps, r->doublings_same,
			r->doublings, r->unreplayable);
		status = r->diverged ? 1 : 0;
	}
	memblock_release(&r->mb);
	free(r->linux_dump.s);
	free(r->state_before.s);
	free(r);
	return status;
}
