// SPDX-License-Identifier: MIT
/* memprobe replay's lexer: boot-log lines to events (see replay_lex.h). */
#include "replay_lex.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memprobe/lib/nodemask.h"
#include "memprobe/profile.h"

/* Remove the line end, "[    1.234567] " and the caller's "+0x1f/0x80". */
/*
 * Whether line starts with printk's timestamp, "[    0.073019] ": digits, a
 * dot and spaces in brackets.  Linux's own text may start with a bracket too
 * ("[SRAT:0x00] Invalid zero length", "[Firmware Bug]: ...").
 */
static size_t timestamp_length(const char *line)
{
	size_t i = 1, digits = 0;

	if (line[0] != '[')
		return 0;
	for (; line[i] == ' ' || line[i] == '.' || (line[i] >= '0' && line[i] <= '9'); i++)
		digits += line[i] >= '0' && line[i] <= '9';
	return digits && line[i] == ']' && line[i + 1] == ' ' ? i + 2 : 0;
}

/* dmesg -r's level, "<6>" (with the facility, "<14>"): its length, 0 without one. */
static size_t level_length(const char *line)
{
	size_t i = 1;

	if (line[0] != '<')
		return 0;
	while (line[i] >= '0' && line[i] <= '9' && i < 5)
		i++;
	return i > 1 && line[i] == '>' ? i + 1 : 0;
}

/* dmesg -T's "[Thu Dec  3 07:25:46 2026] ": its length, 0 without one. */
static size_t human_time_length(const char *line)
{
	const char *end = line[0] == '[' ? strchr(line, ']') : NULL;

	if (!end || end - line < 20 || end - line > 32 || end[1] != ' ' || !memchr(line, ':', (size_t)(end - line)))
		return 0;
	for (const char *p = line + 1; p < end; p++)
		if (!(*p == ' ' || *p == ':' || (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z')))
			return 0;
	return (size_t)(end - line) + 2;
}

/*
 * A syslog or journal header before "kernel: ": "Dec  3 07:25:46 host " (kern.log,
 * journalctl -k's default), "2026-12-03T07:25:46.123+00:00 host " (rsyslog's ISO
 * dates), "[    0.073019] host " (journalctl -o short-monotonic).  Return: the
 * length through "kernel: ", 0 when the line has no such header.
 */
static size_t syslog_length(const char *line)
{
	const char *k = strstr(line, " kernel: "), *host;
	bool dated;

	if (!k || k - line > 96)
		return 0;
	for (host = k; host > line && host[-1] != ' '; host--)
		;
	if (host == line)
		return 0;
	dated = (line[0] >= 'A' && line[0] <= 'Z' && line[1] >= 'a' && line[1] <= 'z' && line[3] == ' ' &&
		 memchr(line, ':', (size_t)(host - line))) ||
		(line[0] >= '0' && line[0] <= '9' && line[4] == '-' && line[7] == '-') ||
		(timestamp_length(line) && timestamp_length(line) == (size_t)(host - line));
	return dated ? (size_t)(k - line) + 9 : 0;
}

void replay_normalize(char *line)
{
	size_t n = strlen(line), cut, stamp;
	char *plus;

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	/* What comes before printk's own text in the formats users have: a serial capture's CRs,
	 * the syslog or journal header, dmesg -r's level; then the timestamp, plain or dmesg -T's. */
	for (cut = 0; line[cut] == '\r'; cut++)
		;
	cut += syslog_length(line + cut);
	cut += level_length(line + cut);
	stamp = timestamp_length(line + cut);
	cut += stamp ? stamp : human_time_length(line + cut);
	if (cut)
		memmove(line, line + cut, n - cut + 1);
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

	if (!p || sscanf(p, "[0x%llx-0x%llx]", &a, &b) != 2 || b < a)
		return false;
	*base = a;
	*size = b - a + 1;
	return true;
}

/* "[mem 0xA-0xB]" at or after p -> base A, size B - A + 1 */
static bool parse_mem(const char *p, uint64_t *base, uint64_t *size)
{
	unsigned long long a, b;

	p = strstr(p, "[mem ");
	if (!p || sscanf(p, "[mem %llx-%llx]", &a, &b) != 2 || b < a)
		return false;
	*base = a;
	*size = b - a + 1;
	return true;
}

/* Requests: "NAME: N bytes align=0xA [nid=K ]from=0xF max_addr=0xM CALLER" */
static bool request(const char *line, struct replay_event *ev)
{
	static const struct {
		const char *name;
		enum replay_request kind;
	} kinds[] = {
		{ "memblock_phys_alloc_range: ", REQ_PHYS_ALLOC_RANGE },
		{ "memblock_alloc_try_nid: ", REQ_TRY_NID },
		{ "memblock_alloc_try_nid_raw: ", REQ_TRY_NID_RAW },
		{ "memblock_alloc_exact_nid_raw: ", REQ_EXACT_NID_RAW },
	};
	unsigned long long size, align, from, max;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t n = strlen(kinds[k].name);

		if (strncmp(line, kinds[k].name, n))
			continue;
		ev->nid = NUMA_NO_NODE;
		if (kinds[k].kind == REQ_PHYS_ALLOC_RANGE
			    ? sscanf(line + n, "%llu bytes align=0x%llx from=0x%llx max_addr=0x%llx", &size,
				     &align, &from, &max) != 4
			    : sscanf(line + n, "%llu bytes align=0x%llx nid=%d from=0x%llx max_addr=0x%llx",
				     &size, &align, &ev->nid, &from, &max) != 5)
			return false;
		ev->kind = EV_REQUEST;
		ev->request = kinds[k].kind;
		ev->size = size;
		ev->align = align;
		ev->from = from;
		ev->max = max;
		return true;
	}
	return false;
}

/* The memblock operations the log shows as "NAME: [0xA-0xB] ... CALLER". */
static bool operation(const char *line, struct replay_event *ev)
{
	static const struct {
		const char *name;
		enum replay_event_kind kind;
	} ops[] = {
		{ "memblock_reserve: ", EV_RESERVE }, { "memblock_phys_free: ", EV_FREE },
		{ "memblock_add: ", EV_ADD },	      { "memblock_remove: ", EV_REMOVE },
		{ "memblock_add_node: ", EV_ADD_NODE },
	};

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		if (strncmp(line, ops[k].name, strlen(ops[k].name)) ||
		    !parse_range(line, &ev->base, &ev->size))
			continue;
		if (ops[k].kind == EV_ADD_NODE) {
			const char *p = strstr(line, "nid=");

			if (!p || sscanf(p, "nid=%d flags=%x", &ev->nid, &ev->flags) != 2)
				return false;
		}
		ev->kind = ops[k].kind;
		return true;
	}
	return false;
}

/* The NUMA lines that shape numa_meminfo and memblock's nodes. */
static bool numa(const char *line, struct replay_event *ev)
{
	if (sscanf(line, "ACPI: SRAT: Node %d PXM", &ev->nid) == 1 && parse_mem(line, &ev->base, &ev->size))
		ev->kind = EV_SRAT_MEMBLK;
	else if (sscanf(line, "NODE_DATA(%d) allocated", &ev->nid) == 1 &&
		 parse_mem(line, &ev->base, &ev->size))
		ev->kind = EV_NODE_DATA;
	else if ((!strncmp(line, "NUMA: Node ", 11) && strstr(line, " -> ")) ||
		 (!strncmp(line, "Warning: node ", 14) && strstr(line, " overlaps with itself ")) ||
		 (!strncmp(line, "node ", 5) && strstr(line, "] overlaps with node ")))
		ev->kind = EV_NUMA_CLEANUP;
	else if (!strncmp(line, "NUMA: nodes only cover ", 23) && strstr(line, "Not used."))
		ev->kind = EV_NOT_COVERED;
	else if (!strcmp(line, "ACPI: SRAT: SRAT not used.") ||
		 (strstr(line, "[SRAT:0x01] Invalid zero length") &&
		  (!strncmp(line, "[SRAT:", 6) || !strncmp(line, "ACPI: [SRAT:", 12))))
		ev->kind = EV_SRAT_REJECTED;
	else if (!strncmp(line, "Faking a node at ", 17) && parse_mem(line, &ev->base, &ev->size))
		ev->kind = EV_DUMMY_NODE;
	else if (sscanf(line, "Faking node %d at ", &ev->nid) == 1 && parse_mem(line, &ev->base, &ev->size))
		ev->kind = EV_FAKE_NODE;
	else
		return false;
	return true;
}

/**
 * replay_log_format() - a log format memprobe cannot read, named from its first line
 * @line: the log's first line (what follows its newline is not looked at)
 *
 * Return: the format's name ("journalctl -o json", ...), or NULL for a line
 * of a format it reads or cannot name.
 */
const char *replay_log_format(const char *line)
{
	char first[512];

	snprintf(first, sizeof(first), "%.*s", (int)strcspn(line, "\n"), line);
	if (first[0] == '{' && strstr(first, "\"MESSAGE\""))
		return "journalctl's JSON (-o json)";
	if (!strncmp(first, "__CURSOR=", 9))
		return "journalctl's export format (-o export)";
	if (!strncmp(first, "-- ", 3) && strstr(first, "No entries"))
		return "an empty journal (journalctl found no entries)";
	return NULL;
}

/* " 6.1, 6.12": the kernels memprobe models, for the messages that refuse another. */
void replay_print_kernels(FILE *out)
{
	const struct linux_profile *p;

	for (unsigned i = 0; (p = linux_profile_at(i)); i++)
		fprintf(out, "%s %s", i ? "," : "", p->name);
}

/* Classify one normalized line. */
void replay_lex(const char *line, struct replay_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = EV_OTHER;
	ev->caller = last_word(line);
	ev->memblock_op = !strncmp(line, "memblock_", 9) || !strncmp(line, "memblock: ", 10);
	if (!strcmp(line, "MEMBLOCK configuration:"))
		ev->kind = EV_DUMP_HEADER;
	else if (line[0] == ' ' && (!strncmp(line + 1, "memory", 6) || !strncmp(line + 1, "reserved", 8)))
		ev->kind = EV_DUMP_BODY;
	else if (!strncmp(line, "last_pfn = ", 11))
		ev->kind = EV_LAST_PFN, ev->pfn = strtoull(line + 11, NULL, 16);
	else if (!strncmp(line, "Memory: ", 8))
		ev->kind = EV_MEMORY_INIT;
	else if (!strncmp(line, "memblock: ", 10) && strstr(line, " is doubled to "))
		ev->kind = EV_DOUBLED;
	else if (!request(line, ev) && !operation(line, ev))
		numa(line, ev);
}
