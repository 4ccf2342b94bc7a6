// SPDX-License-Identifier: MIT
/* Whole files into memory, for the host tool's commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"

/**
 * read_file() - the whole of a file ("-": standard input), NUL-terminated
 * @path: the file
 * @len: its length
 *
 * Return: the bytes (free them), or NULL after naming the file and the error.
 */
char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16;
	char *buf = malloc(cap);

	*len = 0;
	if (!f || !buf) {
		fprintf(stderr, "memprobe: cannot read %s: %s\n", path, strerror(errno));
		if (f && f != stdin)
			fclose(f);
		free(buf);
		return NULL;
	}
	for (size_t n; (n = fread(buf + *len, 1, cap - *len, f)) > 0;) {
		*len += n;
		if (*len == cap) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger) {
				fprintf(stderr, "memprobe: %s is too big to read into memory\n", path);
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
		}
	}
	if (buf && ferror(f)) {
		fprintf(stderr, "memprobe: cannot read %s: %s\n", path, strerror(errno));
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	if (buf)
		buf[*len] = '\0';	/* the loop leaves room: it grows the buffer when full */
	return buf;
}

