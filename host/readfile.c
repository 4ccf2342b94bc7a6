// SPDX-License-Identifier: MIT
/* Whole files into memory, for the host tool's commands. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "readfile.h"

/*
 * An open that never waits: a FIFO without a writer opens at once and then
 * reads as empty (its reads may wait for a writer that is there); a
 * character device stays non-blocking, so that its end (EAGAIN: /dev/kmsg, a
 * tty) is the end of what is read.
 */
static int open_input(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags;
	struct stat st;

	if (fd >= 0 && !(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode)) && (flags = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

/**
 * open_stream() - a file to read as a stream, opened without waiting ("-": standard input)
 * @path: the file
 *
 * Return: the stream, or NULL after naming the file and the error.
 */
FILE *open_stream(const char *path)
{
	int fd;
	FILE *f;

	if (!strcmp(path, "-"))
		return stdin;
	fd = open_input(path);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		fprintf(stderr, "memprobe: cannot open %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/**
 * read_line() - the next line of a stream, as bytes, bounded
 * @in: the stream
 * @line: where it goes, NUL-terminated, with its newline
 * @size: @line's size; the rest of a longer line is read and dropped
 * @total: bytes read so far, which this adds to
 * @max: the most the stream may hold: reading stops once @total passes it
 *
 * NUL bytes (a serial capture's padding, a damaged log) are dropped, so
 * they neither end the line nor the reading.
 *
 * Return: false at the end of the stream (or an error: see ferror()).
 */
bool read_line(FILE *in, char *line, size_t size, size_t *total, size_t max)
{
	size_t n = 0;
	int c = EOF;

	while (*total <= max && (c = getc_unlocked(in)) != EOF) {
		++*total;
		if (c && n + 1 < size)
			line[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (c == EOF && ferror(in) && errno == EAGAIN)
		clearerr(in);	/* a character device's end: no more now */
	line[n] = '\0';
	return c != EOF || n;
}

void too_big(const char *path, size_t max)
{
	fprintf(stderr, "memprobe: %s is larger than %zu MiB, the most memprobe reads of such a file; not read\n",
		path, max >> 20);
}

/**
 * read_file() - the whole of a file ("-": standard input), NUL-terminated
 * @path: the file
 * @len: its length
 * @max: the most it may hold (the READ_MAX_ of its kind)
 *
 * A file larger than @max is refused without reading it (a regular file) or
 * once @max bytes have come (a pipe, a device), so that nothing grows
 * without bound; opening never waits for a FIFO's writer.
 *
 * Return: the bytes (free them), or NULL after naming the file and the error.
 */
char *read_file(const char *path, size_t *len, size_t max)
{
	bool own = strcmp(path, "-") != 0;	/* "-" is standard input, which stays open */
	int fd = own ? open_input(path) : 0;
	size_t cap = 1 << 16;
	char *buf = NULL;
	struct stat st;

	*len = 0;
	if (fd < 0) {
		fprintf(stderr, "memprobe: cannot read %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		too_big(path, max);
		goto out;
	}
	buf = malloc(cap);
	while (buf) {
		ssize_t n = read(fd, buf + *len, cap - 1 - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)	/* a character device with nothing more now */
			break;
		if (n < 0) {
			fprintf(stderr, "memprobe: cannot read %s: %s\n", path, strerror(errno));
			free(buf);
			buf = NULL;
			break;
		}
		if (!n)
			break;
		*len += (size_t)n;
		if (*len > max) {
			too_big(path, max);
			free(buf);
			buf = NULL;
			break;
		}
		if (*len == cap - 1) {
			char *bigger = realloc(buf, cap *= 2);

			if (!bigger) {
				fprintf(stderr, "memprobe: %s is too big to read into memory\n", path);
				free(buf);
			}
			buf = bigger;
		}
	}
	if (buf)
		buf[*len] = '\0';	/* the loop leaves room: it reads at most cap - 1 bytes */
out:
	if (own)
		close(fd);
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
		if (*len > READ_MAX_LOG) {
			too_big(path, READ_MAX_LOG);
			free(buf);
			close(fd);
			return NULL;
		}
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
 * nothing hangs); anything else as read_file() reads it.  Either way at
 * most READ_MAX_LOG bytes, and NUL bytes (a serial capture's padding, a
 * damaged log) are dropped rather than ending the text.
 *
 * Return: the text (free it), or NULL after naming the file and the error.
 */
char *read_log(const char *path, size_t *len)
{
	struct stat st;

	char *text = strcmp(path, "-") && !stat(path, &st) && S_ISCHR(st.st_mode) ? read_kmsg(path, len)
										   : read_file(path, len, READ_MAX_LOG);
	size_t kept = 0;

	if (!text)
		return NULL;
	for (size_t i = 0; i < *len; i++)	/* NUL bytes dropped, so the text is read to its end */
		if (text[i])
			text[kept++] = text[i];
	text[kept] = '\0';
	*len = kept;
	return text;
}
