// SPDX-License-Identifier: MIT
/* Growable text for the host tool: a report captured whole, a boot log's dump, ... */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/**
 * text_add() - n bytes of s at the end of t
 * @t: the text
 * @s: the bytes
 * @n: how many
 *
 * The host tool cannot go on without memory: it says so and exits 2.
 */
void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *bigger = realloc(t->s, cap);

		if (!bigger) {
			fprintf(stderr, "memprobe: out of memory (%zu bytes of text)\n", cap);
			exit(2);
		}
		t->s = bigger;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

void text_clear(struct text *t)
{
	t->len = 0;
	if (t->s)
		t->s[0] = '\0';
}

void text_free(struct text *t)
{
	free(t->s);
	*t = (struct text){ NULL, 0, 0 };
}

static void text_write(void *ctx, const char *s, size_t n)
{
	text_add(ctx, s, n);
}

/* Return: a log whose lines are added to t. */
struct mp_log text_log(struct text *t)
{
	return (struct mp_log){ .write = text_write, .ctx = t };
}
