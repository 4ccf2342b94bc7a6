/* SPDX-License-Identifier: MIT */
/*
 * Kernel-style formatting and line output for the freestanding core.
 *
 * The formatter follows Linux's vsnprintf where it differs from C's printf,
 * because memprobe's lines must match dmesg byte for byte: "%#x" of 0 is
 * "0x0", and the width of "%#010llx" counts the "0x".  Pointer extensions
 * (%pa, %pS) are not supported: callers spell "%pa" as "0x%016llx".
 */
#ifndef MEMPROBE_LIB_PRINTK_H
#define MEMPROBE_LIB_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

/* Longest line a single mp_printk call produces; longer output is cut. */
#define MP_LINE_MAX 512

struct defects;

/*
 * Where finished lines go.  `write` receives each line with its '\n'; a
 * log that keeps defects records each fw_bug() line in `defects` too.
 */
struct mp_log {
	void (*write)(void *ctx, const char *text, size_t len);
	void *ctx;
	struct defects *defects;	/* NULL: defects are only printed */
};

size_t mp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t mp_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format one or more complete lines and hand them to the log's sink. */
void mp_printk(struct mp_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A line Linux builds from pr_cont() pieces.  Its ring buffer keeps a
 * record of at most `max` bytes (LOG_LINE_MAX, PRINTKRB_RECORD_MAX): a piece
 * that would pass it starts a new record, a line of its own in dmesg.
 */
#define MP_RECORD_MAX 1024

struct mp_cont {
	struct mp_log *log;
	unsigned max;
	size_t len;
	char text[MP_RECORD_MAX];
};

void mp_cont_start(struct mp_cont *c, struct mp_log *log, unsigned max, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void mp_cont_number(struct mp_cont *c, unsigned value);
void mp_cont_end(struct mp_cont *c);

/*
 * One kind of finding, reported with a few examples and a count, so that
 * output grows with the kinds of defect, never with the square of a table.
 */
#define MP_EXAMPLES 3

struct mp_findings {
	unsigned count;
};

/* Count one finding. Return: whether to print it as an example. */
static inline int mp_finding(struct mp_findings *f)
{
	return f->count++ < MP_EXAMPLES;
}

void mp_findings_more(struct mp_log *log, const struct mp_findings *f, const char *what);

#endif
