// SPDX-License-Identifier: MIT
/*
 * memprobe replay: rebuild memblock from a Linux boot log captured with
 * memblock=debug and replay every allocation request through memprobe's
 * memblock, comparing the address chosen with the one Linux chose.  The
 * lexer (replay_lex.c) turns lines into events; this driver applies them
 * with the core's own memblock and NUMA code.
 *
 * The log shows most of what memblock did, but not all.  What it does not
 * show is taken from Linux 6.1's sources:
 * - the state before the first "MEMBLOCK configuration:" dump (reservations
 *   made before memblock=debug is parsed) is taken from that dump;
 * - current_limit is 1 MiB from e820__memblock_setup on (setup_arch sets
 *   ISA_END_ADDRESS), and max_pfn << 12 after init_mem_mapping, which maps
 *   all RAM up to max_pfn (the first "last_pfn =" line);
 * - numa_register_memblks() gives memblock's regions their nodes: the
 *   blocks come from the SRAT lines, "Faking a node at" or the "Faking node
 *   N at" lines, cleaned up by the core's numa_cleanup_meminfo (whose lines
 *   must equal Linux's), and are applied when the first NODE_DATA line, or
 *   an array doubling during NUMA setup, shows Linux did it;
 * - alloc_node_data() calls memblock_phys_alloc_try_nid(size, 64, nid),
 *   which prints no request line; its "NODE_DATA(n) allocated" line gives
 *   the node and size, and the request is replayed from that.
 * Other reservations by memblock_alloc_range_nid without a request line
 * are applied as logged and counted.
 */
#include "heap.h"
#include "readfile.h"
#include "replay.h"
#include "replay_lex.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memprobe/lib/util.h"
#include "memprobe/mm/memblock.h"
#include "memprobe/profile.h"
#include "memprobe/x86/numa_meminfo.h"

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
	bool done;			/* "Memory:" seen: the rest of the log is read, not replayed */
	struct text linux_dump;
	unsigned long lineno;
	uint64_t max_pfn;
	const struct linux_profile *profile;	/* from the log's "Linux version" line */
	char release[64];			/* that line's release, "" without one */
	bool modelled;				/* that release is a kernel memprobe models */
	bool e820_seen;				/* a BIOS-e820 line: the log has its start */
	bool in_init_mem_mapping, limit_raised;
	unsigned skip_double_followups;

	/* the request waiting for Linux's answer */
	enum replay_request pending;
	unsigned long pending_line;
	char pending_text[1024];
	uint64_t pending_size, ours_answer;
	struct text state_before;

	/* NUMA: the blocks of each attempt, and Linux's numa_cleanup_meminfo lines */
	struct numa_meminfo srat, fake, applied, reserved;
	bool srat_rejected;		/* Linux dropped the SRAT before its cleanup ("SRAT not used.", ...) */
	bool dummy;			/* "Faking a node at": the dummy attempt's one block */
	uint64_t dummy_start, dummy_end;
	bool blocks_changed, cleanup_checked;
	struct text linux_cleanup;
	uint8_t node_data_seen[NODEMASK_BYTES];
	uint64_t last_anon_reserve_base, last_anon_reserve_size;
	bool last_anon_counted;

	/* results */
	unsigned allocs, allocs_same, dumps, dumps_same, doublings, doublings_same, unreplayable;
	bool diverged;
};

/* Our memblock=debug output: only the array doublings are kept, to match Linux's. */
static void ours_write(void *ctx, const char *s, size_t n)
{
	struct replay *r = ctx;

	if (n > 10 && !strncmp(s, "memblock: ", 10) && r->nr_our_doublings < MAX_DOUBLINGS) {
		snprintf(r->our_doublings[r->nr_our_doublings++], sizeof(r->our_doublings[0]), "%.*s",
			 (int)(n && s[n - 1] == '\n' ? n - 1 : n), s);
	}
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

static void snapshot(struct replay *r, const char *line)
{
	struct mp_log log = text_log(&r->state_before);

	r->pending_line = r->lineno;
	snprintf(r->pending_text, sizeof(r->pending_text), "%s", line);
	text_clear(&r->state_before);
	if (!r->diverged)
		memblock_dump_all_to(&r->mb, &log);
}

/*
 * The blocks numa_register_memblks() used, through the core's cleanup:
 * the SRAT's (if any), then the dummy node's after a failed attempt, then
 * the fake nodes'.  Each cleanup's lines go to log.
 */
static void cleanup(struct replay *r, struct numa_meminfo *mi, struct mp_log *log)
{
	uint64_t low, high;

	numa_meminfo_limits(r->profile, &r->mb, r->max_pfn, &low, &high);
	numa_cleanup_meminfo(mi, low, high, &r->mb, &r->reserved, log);
}

static void cleaned_blocks(struct replay *r, struct mp_log *log)
{
	struct numa_meminfo *mi = &r->applied;

	memset(&r->reserved, 0, sizeof(r->reserved));
	*mi = r->srat;
	if (r->srat.nr_blks && !r->srat_rejected)
		cleanup(r, mi, log);
	if (r->dummy) {
		mi->nr_blks = 0;
		numa_add_memblk_to(mi, 0, r->dummy_start, r->dummy_end, log);
		cleanup(r, mi, log);
	}
	if (r->fake.nr_blks) {
		*mi = r->fake;
		cleanup(r, mi, log);
	}
}

static void discard_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

/* numa_register_memblks() and numa_clear_kernel_node_hotplug(): every region gets its node. */
static void apply_nodes(struct replay *r)
{
	struct mp_log quiet = { .write = discard_write, .ctx = NULL };

	if (!r->blocks_changed)
		return;
	r->blocks_changed = false;
	cleaned_blocks(r, &quiet);
	memblock_set_node(&r->mb, 0, UINT64_MAX, &r->mb.memory, MAX_NUMNODES);
	memblock_set_node(&r->mb, 0, UINT64_MAX, &r->mb.reserved, MAX_NUMNODES);
	numa_set_memblock_nodes(&r->mb, &r->mb.memory, &r->applied);
	numa_set_memblock_nodes(&r->mb, &r->mb.reserved, &r->applied);
}

/* Our numa_cleanup_meminfo lines on the same blocks must be Linux's. */
static void check_cleanup(struct replay *r)
{
	struct text ours = { 0 };
	struct mp_log log = text_log(&ours);

	if (r->cleanup_checked || ((!r->srat.nr_blks || r->srat_rejected) && !r->dummy && !r->fake.nr_blks))
		return;
	r->cleanup_checked = true;
	cleaned_blocks(r, &log);
	if ((ours.len != r->linux_cleanup.len ||
	     (ours.len && memcmp(ours.s, r->linux_cleanup.s, ours.len))) && !r->diverged) {
		r->diverged = true;
		fprintf(r->out, "replay: numa_cleanup_meminfo's lines differ (before line %lu):\n", r->lineno);
		fprintf(r->out, "replay: Linux:\n%s", r->linux_cleanup.len ? r->linux_cleanup.s : "(none)\n");
		fprintf(r->out, "replay: memprobe:\n%s", ours.len ? ours.s : "(none)\n");
	}
	text_free(&ours);
}

/* The NUMA events: collect the blocks of each attempt and Linux's cleanup lines. */
static void numa_event(struct replay *r, const struct replay_event *ev, const char *line)
{
	switch (ev->kind) {
	case EV_SRAT_MEMBLK:
		numa_add_memblk_to(&r->srat, ev->nid, ev->base, ev->base + ev->size, &r->ours_log);
		break;
	case EV_NUMA_CLEANUP:
		text_add(&r->linux_cleanup, line, strlen(line));
		text_add(&r->linux_cleanup, "\n", 1);
		return;
	case EV_NOT_COVERED:
		return;
	case EV_SRAT_REJECTED:
		r->srat_rejected = true;	/* its blocks never reach numa_cleanup_meminfo */
		break;
	case EV_DUMMY_NODE:
		r->dummy = true;
		r->dummy_start = ev->base;
		r->dummy_end = ev->base + ev->size;
		break;
	case EV_FAKE_NODE:
		numa_add_memblk_to(&r->fake, ev->nid, ev->base, ev->base + ev->size, &r->ours_log);
		break;
	default:
		return;
	}
	r->blocks_changed = true;
}

/* Load memblock from Linux's dump (the first one). */
static void load_dump(struct replay *r)
{
	char *save = NULL, *line;
	char *copy = strdup(r->linux_dump.s);
	struct memblock_type *type = NULL;

	if (!copy) {
		perror("memprobe replay");
		exit(2);
	}
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
		if (type == &r->mb.memory) {
			memblock_add_node_from(&r->mb, a, size, nid, flags, "replay");
		} else {
			memblock_reserve_from(&r->mb, a, size, "replay");
			memblock_set_node(&r->mb, a, size, &r->mb.reserved, nid);
		}
	}
	free(copy);
}

/* A dump ended: the first one is the starting state, each later one is compared. */
static void end_of_dump(struct replay *r)
{
	struct text mine = { 0 };
	struct mp_log log = text_log(&mine);

	r->in_dump = false;
	if (!r->loaded) {
		r->loaded = true;
		memblock_allow_resize(&r->mb);
		load_dump(r);
		memblock_set_current_limit(&r->mb, 0x100000);
		text_clear(&r->linux_dump);
		return;
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
	text_free(&mine);
	text_clear(&r->linux_dump);
}

static bool is_init_mem_mapping_caller(const char *caller)
{
	return !strcmp(caller, "init_mem_mapping") || !strcmp(caller, "alloc_low_pages") ||
	       !strcmp(caller, "memblock_alloc_range_nid");
}

/* Replay an allocation request through our memblock; Linux's answer follows. */
static void request(struct replay *r, const struct replay_event *ev, const char *line)
{
	snapshot(r, line);
	r->pending = ev->request;
	r->pending_size = ev->size;
	switch (ev->request) {
	case REQ_PHYS_ALLOC_RANGE:
		r->ours_answer = memblock_phys_alloc_range_from(&r->mb, ev->size, ev->align, ev->from,
								ev->max, ev->caller);
		break;
	case REQ_TRY_NID:
		r->ours_answer = memblock_alloc_try_nid_from(&r->mb, ev->size, ev->align, ev->from,
							     ev->max, ev->nid, ev->caller);
		break;
	case REQ_TRY_NID_RAW:
		r->ours_answer = memblock_alloc_try_nid_raw_from(&r->mb, ev->size, ev->align, ev->from,
								 ev->max, ev->nid, ev->caller);
		break;
	default:
		r->ours_answer = memblock_alloc_exact_nid_raw_from(&r->mb, ev->size, ev->align,
								   ev->from, ev->max, ev->nid,
								   ev->caller);
		break;
	}
}

/* Linux's array doubling against ours (which ran in the operation before it). */
static void doubling(struct replay *r, const char *line)
{
	r->doublings++;
	if (r->nr_our_doublings && !strcmp(r->our_doublings[0], line)) {
		r->doublings_same++;
	} else if (!r->diverged) {
		snapshot(r, line);
		report_divergence(r, "array doubling", line,
				  r->nr_our_doublings ? r->our_doublings[0] : "no doubling");
	}
	if (r->nr_our_doublings)
		memmove(r->our_doublings[0], r->our_doublings[1],
			--r->nr_our_doublings * sizeof(r->our_doublings[0]));
	r->skip_double_followups = 2;
}

/* alloc_node_data(): replay the request its reservation answered. */
static void node_data(struct replay *r, const struct replay_event *ev, const char *line)
{
	char what[64];

	apply_nodes(r);
	check_cleanup(r);
	snapshot(r, line);
	if (ev->nid < 0 || ev->nid >= MAX_NUMNODES || node_isset(r->node_data_seen, ev->nid)) {
		snprintf(what, sizeof(what), "NODE_DATA(%d)", ev->nid);
		report_divergence(r, what, "allocated it twice (Linux allocates it once per node)",
				  "cannot replay that");
		return;
	}
	node_set(r->node_data_seen, ev->nid);
	if (r->last_anon_counted && r->last_anon_reserve_base == ev->base &&
	    r->last_anon_reserve_size == ev->size) {
		memblock_phys_free_from(&r->mb, ev->base, ev->size, "replay");
		r->unreplayable--;
		r->last_anon_counted = false;
	}
	r->pending_size = ev->size;
	r->ours_answer = memblock_phys_alloc_try_nid(&r->mb, ev->size, SMP_CACHE_BYTES, ev->nid);
	settle(r, ev->base);
}

/* One event of the log, after the first dump. */
static void replay_event(struct replay *r, const struct replay_event *ev, const char *line)
{
	if (ev->memblock_op && r->in_init_mem_mapping && !r->limit_raised &&
	    !is_init_mem_mapping_caller(ev->caller)) {
		/* setup_arch: memblock_set_current_limit(get_max_mapped()). */
		memblock_set_current_limit(&r->mb, r->max_pfn << 12);
		r->limit_raised = true;
	}
	if (ev->memblock_op && !strcmp(ev->caller, "init_mem_mapping"))
		r->in_init_mem_mapping = true;

	if (r->skip_double_followups) {
		if ((ev->kind == EV_FREE || ev->kind == EV_RESERVE) && !strcmp(ev->caller, "memblock_double_array")) {
			r->skip_double_followups--;
			return;	/* our own doubling did this already */
		}
		r->skip_double_followups = 0;
	}
	if (r->pending != REQ_NONE) {
		if (ev->kind == EV_RESERVE && !strcmp(ev->caller, "memblock_alloc_range_nid")) {
			settle(r, ev->base);
			return;
		}
		if (ev->memblock_op || ev->kind == EV_DUMP_HEADER)
			settle(r, 0);	/* Linux found nothing: no reservation followed */
	}
	switch (ev->kind) {
	case EV_REQUEST:
		request(r, ev, line);
		break;
	case EV_DOUBLED:
		apply_nodes(r);	/* a doubling during NUMA setup: Linux is setting nodes */
		doubling(r, line);
		break;
	case EV_NODE_DATA:
		node_data(r, ev, line);
		break;
	case EV_RESERVE:
		if (!strcmp(ev->caller, "memblock_alloc_range_nid")) {
			r->unreplayable++;
			r->last_anon_reserve_base = ev->base;
			r->last_anon_reserve_size = ev->size;
			r->last_anon_counted = true;
		}
		memblock_reserve_from(&r->mb, ev->base, ev->size, ev->caller);
		break;
	case EV_FREE:
		memblock_phys_free_from(&r->mb, ev->base, ev->size, ev->caller);
		break;
	case EV_ADD:
		memblock_add_from(&r->mb, ev->base, ev->size, ev->caller);
		break;
	case EV_REMOVE:
		memblock_remove_from(&r->mb, ev->base, ev->size, ev->caller);
		break;
	case EV_ADD_NODE:
		memblock_add_node_from(&r->mb, ev->base, ev->size, ev->nid, ev->flags, ev->caller);
		break;
	default:
		numa_event(r, ev, line);
		break;
	}
}

/* One line of the log. */
static void replay_line(struct replay *r, char *line)
{
	struct replay_event ev;

	replay_normalize(line);
	if (!strncmp(line, "Linux version ", 14) && !r->release[0]) {
		snprintf(r->release, sizeof(r->release), "%.*s", (int)strcspn(line + 14, " \n"), line + 14);
		r->modelled = linux_profile_for_release(r->release) != NULL;
		if (r->modelled)
			r->profile = linux_profile_for_release(r->release);
		else
			r->done = true;	/* refused at the end: nothing is compared */
	}
	r->e820_seen |= !strncmp(line, "BIOS-e820: ", 11);
	replay_lex(line, &ev);
	if (r->in_dump) {
		if (ev.kind == EV_DUMP_BODY) {
			text_add(&r->linux_dump, line, strlen(line));
			text_add(&r->linux_dump, "\n", 1);
			return;
		}
		end_of_dump(r);
	}
	if (ev.kind == EV_DUMP_HEADER && !r->e820_seen) {
		r->done = true;	/* the log's start is lost: refused at the end, nothing is compared */
		return;
	}
	if (ev.kind == EV_DUMP_HEADER) {
		if (r->loaded)
			replay_event(r, &ev, line);
		r->in_dump = true;
		text_add(&r->linux_dump, "MEMBLOCK configuration:\n", 24);
		return;
	}
	if (ev.kind == EV_LAST_PFN && !r->max_pfn)
		r->max_pfn = ev.pfn;
	if (ev.kind == EV_MEMORY_INIT) {
		r->done = true;
		return;
	}
	if (r->loaded)
		replay_event(r, &ev, line);
	else
		numa_event(r, &ev, line);
}

int replay_log(FILE *in, FILE *out, const char *name)
{
	struct replay *r = calloc(1, sizeof(*r));
	char *line = malloc(LOG_LINE_MAX);
	size_t total = 0;
	int status;

	if (!r || !line) {
		free(line);
		free(r);
		perror("memprobe replay");
		return 2;
	}
	r->out = out;
	r->profile = linux_profile_default();	/* a log without a 'Linux version' line */
	r->ours_log.write = ours_write;
	r->ours_log.ctx = r;
	memblock_init(&r->mb, &r->ours_log, &host_heap);
	r->mb.debug = true;	/* our doubling lines are compared with Linux's */

	/* Read to the end even after "Memory:", so a writer into a pipe never sees it closed. */
	while (read_line(in, line, LOG_LINE_MAX, &total, READ_MAX_LOG)) {
		if (!r->lineno && replay_log_format(line)) {
			fprintf(stderr, "memprobe replay: %s is %s, which memprobe does not read: take 'journalctl -k "
					"-b' (its default output), 'dmesg', or a serial console's capture\n",
				name, replay_log_format(line));
			free(line);
			status = 2;
			goto out;
		}
		if (total > READ_MAX_LOG) {
			too_big(name, READ_MAX_LOG);
			free(line);
			status = 2;
			goto out;
		}
		r->lineno++;
		if (!r->done)
			replay_line(r, line);
	}
	free(line);
	if (ferror(in)) {
		fprintf(stderr, "memprobe: cannot read %s: %s\n", name, strerror(errno));
		status = 2;
		goto out;
	}
	if (r->in_dump)
		end_of_dump(r);
	if (r->pending != REQ_NONE)
		settle(r, 0);
	check_cleanup(r);
	if (r->nr_our_doublings && !r->diverged) {
		r->diverged = true;
		fprintf(out, "replay: memprobe doubled an array where Linux did not: %s\n",
			r->our_doublings[0]);
	}

	if (r->release[0] && !r->modelled) {
		fprintf(out, "replay: %s: the log is of Linux %s, which memprobe does not model (it models", name,
			r->release);
		replay_print_kernels(out);
		fprintf(out, "); not replayed\n");
		status = 2;
	} else if (!r->e820_seen) {
		fprintf(out, "replay: %s has no BIOS-e820 lines: not the start of a Linux x86 boot log (the "
			     "kernel's ring buffer keeps only its newest lines: take the boot from a serial console "
			     "or 'journalctl -k -b'); not replayed\n", name);
		status = 2;
	} else if (!r->loaded) {
		fprintf(out, "replay: %s: no \"MEMBLOCK configuration:\" dump; was Linux booted with "
			     "memblock=debug?\n", name);
		status = 2;
	} else if (!r->allocs && !r->dumps && !r->doublings) {
		fprintf(out, "replay: %s: nothing to compare after the first memblock dump (the log ends there?): "
			     "no allocation, dump or doubling replayed\n", name);
		status = 2;
	} else {
		if (r->release[0])
			fprintf(out, "replay: Linux %s (%s), as the log's 'Linux version' line says\n", r->profile->name,
				r->release);
		else
			fprintf(out, "replay: Linux %s: the log has no 'Linux version' line\n", r->profile->name);
		fprintf(out, "replay: %u of %u allocations identical, %u of %u dumps identical, %u of %u "
			     "array doublings identical (%u reservations without a request line applied "
			     "as logged; the first dump is the starting state)\n",
			r->allocs_same, r->allocs, r->dumps_same, r->dumps, r->doublings_same,
			r->doublings, r->unreplayable);
		status = r->diverged ? 1 : 0;
	}
out:
	memblock_release(&r->mb);
	text_free(&r->linux_dump);
	text_free(&r->state_before);
	text_free(&r->linux_cleanup);
	free(r);
	return status;
}
