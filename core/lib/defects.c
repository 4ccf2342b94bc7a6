// SPDX-License-Identifier: MIT
/*
 * Firmware defects as data, recorded by the code that finds them: each is
 * one "[Firmware Bug]" line of the report, and the same line with its table,
 * kind and offset in the log's list of defects.
 */
#include "memprobe/lib/defects.h"

#include <stdarg.h>

#include "memprobe/lib/util.h"

/* Copy at most size - 1 bytes of s, NUL-terminated. */
static void copy_word(char *dst, size_t size, const char *s)
{
	size_t n = 0;

	for (; s && s[n] && n + 1 < size; n++)
		dst[n] = s[n];
	dst[n] = '\0';
}

/* The defect into the log's list, if it keeps one; then the line into the log. */
static void record(struct mp_log *log, const char *table, const char *kind, int64_t offset, const char *line,
		   size_t len)
{
	struct defects *d = log ? log->defects : NULL;
	struct defect *e;

	if (d && d->nr == DEFECTS_MAX) {
		d->dropped++;
	} else if (d) {
		e = &d->d[d->nr++];
		copy_word(e->table, sizeof(e->table), table);
		copy_word(e->kind, sizeof(e->kind), kind);
		e->has_offset = offset >= 0 && offset <= UINT32_MAX;
		e->offset = e->has_offset ? (uint32_t)offset : 0;
		mp_memcpy(e->text, line, len - 1);	/* the line without its newline */
		e->text[len - 1] = '\0';
	}
	if (log && log->write)
		log->write(log->ctx, line, len);
}

/**
 * fw_bug() - a firmware defect: its "[Firmware Bug]" line, printed and recorded
 * @log: where the line goes; its defects list, if any, records it
 * @table: the table (or map) at fault: "SRAT", "ACPI", "EFI", ...
 * @kind: what is wrong, one word: "checksum", "length", "overlap", ...
 * @offset: the byte offset in the table the line names, or FW_BUG_NO_OFFSET
 * @fmt: the whole line, "[Firmware Bug]: " in it, printf-style, with its newline
 */
void fw_bug(struct mp_log *log, const char *table, const char *kind, int64_t offset, const char *fmt, ...)
{
	char line[MP_LINE_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = mp_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (n)
		record(log, table, kind, offset, line, n);
}

/**
 * fw_bug_more() - the line that closes a kind of defect shown by a few examples
 * @log: where the line goes
 * @table: the table at fault
 * @kind: the kind of defect
 * @f: the findings of that kind
 * @what: the kind in words, after "memprobe: [Firmware Bug]: "
 *
 * Prints (and records) nothing when every finding was shown.
 */
void fw_bug_more(struct mp_log *log, const char *table, const char *kind, const struct mp_findings *f,
		 const char *what)
{
	if (f->count > MP_EXAMPLES)
		fw_bug(log, table, kind, FW_BUG_NO_OFFSET,
		       "memprobe: [Firmware Bug]: %s: %u more not listed (%u in all)\n", what,
		       f->count - MP_EXAMPLES, f->count);
}
