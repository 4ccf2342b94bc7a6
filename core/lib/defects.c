// SPDX-License-Identifier: MIT
/*
 * Firmware defects as data: the report's "[Firmware Bug]: TABLE ..." lines
 * (memprobe's and Linux's own) are the one place each defect is described,
 * so they are collected from the report as it is written.
 */
#include "memprobe/lib/defects.h"

#include "memprobe/lib/util.h"

#define MARK "[Firmware Bug]: "

/* Where needle starts in s[0, len), or NULL. */
static const char *find(const char *s, size_t len, const char *needle)
{
	return mp_memmem(s, len, needle, mp_strlen(needle));
}

/* "at offset 0x24" or "at offset 36": the offset the line names. */
static bool line_offset(const char *s, size_t len, uint32_t *offset)
{
	const char *at = find(s, len, " offset ");
	uint64_t v = 0;
	unsigned base = 10;

	if (!at)
		return false;
	at += 8;
	if (at + 2 < s + len && at[0] == '0' && at[1] == 'x') {
		base = 16;
		at += 2;
	}
	if (at >= s + len || mp_hexval(*at) < 0 || mp_hexval(*at) >= (int)base)
		return false;
	for (; at < s + len && mp_hexval(*at) >= 0 && mp_hexval(*at) < (int)base; at++)
		v = v * base + (uint64_t)mp_hexval(*at);
	*offset = (uint32_t)v;
	return v <= UINT32_MAX;
}

/**
 * defects_note_line() - keep a report line if it names a firmware defect
 * @d: the list
 * @line: one line of the report, with or without its newline
 * @len: its length
 */
void defects_note_line(struct defects *d, const char *line, size_t len)
{
	const char *mark = find(line, len, MARK), *table;
	struct defect *e;
	size_t n = 0;

	if (!mark)
		return;
	if (d->nr == DEFECTS_MAX) {
		d->dropped++;
		return;
	}
	e = &d->d[d->nr++];
	mp_memset(e, 0, sizeof(*e));
	table = mark + mp_strlen(MARK);
	while (table + n < line + len && n + 1 < sizeof(e->table) && table[n] >= 'A' && table[n] <= 'Z')
		n++;
	mp_memcpy(e->table, table, n);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len >= sizeof(e->text))
		len = sizeof(e->text) - 1;
	mp_memcpy(e->text, line, len);
	e->has_offset = line_offset(line, len, &e->offset);
}
