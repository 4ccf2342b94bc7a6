// SPDX-License-Identifier: MIT
/* Whole files into memory, for the host tool's commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

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


/*
 * /dev/kmsg: one record a read, and a read at the end waits for the next
 * message.  Read without waiting until there is nothing more (EAGAIN); a
 * record overwritten while reading (EPIPE) is skipped.
 */
static char *read_kmsg(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	size_t cap = 1 << 16;
	char *buf = malloc(cap);

	*len = 0;
	if (fd < 0 || !buf) {
		fprintf(stderr, "memprobe: cannot read %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - *len < 8192 + 2) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = bigger;
		}
		n = read(fd, buf + *len, 8192);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
		if (buf[*len - 1] != '\n')
			buf[(*len)++] = '\n';
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
}

/**
 * read_log() - a kernel log, whole: a file, standard input, or /dev/kmsg itself
 * @path: the log
 * @len: its length
 *
 * A character device is read as /dev/kmsg (without waiting at its end, so
 * nothing hangs); anything else as read_file() reads it.
 *
 * Return: the text (free it), or NULL after naming the file and the error.
 */
char *read_log(const char *path, size_t *len)
{
	struct stat st;

	if (strcmp(path, "-") && !stat(path, &st) && S_ISCHR(st.st_mode))
		return read_kmsg(path, len);
	return read_file(path, len);
}
