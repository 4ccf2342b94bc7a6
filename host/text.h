/* SPDX-License-Identifier: MIT */
/* A growable text buffer, and a log that writes into one. */
#ifndef MEMPROBE_HOST_TEXT_H
#define MEMPROBE_HOST_TEXT_H

#include <stddef.h>

#include "memprobe/lib/printk.h"

struct text {
	char *s;		/* NUL-terminated; NULL while empty */
	size_t len, cap;
};

void text_add(struct text *t, const char *s, size_t n);
void text_clear(struct text *t);
void text_free(struct text *t);
struct mp_log text_log(struct text *t);

#endif
