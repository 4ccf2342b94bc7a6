// SPDX-License-Identifier: MIT
/* Write a newc cpio archive holding /dev/console, /proc, /sys and /init. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned ino = 1;

static void pad(FILE *out, long n)
{
	while (n++ % 4)
		fputc(0, out);
}

static void entry(FILE *out, const char *name, unsigned mode, unsigned rmajor, unsigned rminor,
		  const void *data, unsigned long size)
{
	long hdr;

	hdr = fprintf(out, "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X", ino++,
		      mode, 0, 0, 1, 0, size, 0, 0, rmajor, rminor, (unsigned long)strlen(name) + 1, 0);
	fwrite(name, 1, strlen(name) + 1, out);
	pad(out, hdr + (long)strlen(name) + 1);
	if (size) {
		fwrite(data, 1, size, out);
		pad(out, (long)size);
	}
}

int main(int argc, char **argv)
{
	FILE *in, *out;
	char *buf;
	long size;

	if (argc != 3 || !(in = fopen(argv[1], "rb")) || !(out = fopen(argv[2], "wb"))) {
		fprintf(stderr, "usage: mkcpio INIT OUT.cpio\n");
		return 2;
	}
	fseek(in, 0, SEEK_END);
	size = ftell(in);
	rewind(in);
	buf = malloc((size_t)size);
	if (!buf || fread(buf, 1, (size_t)size, in) != (size_t)size)
		return 1;
	entry(out, "dev", S_IFDIR | 0755, 0, 0, NULL, 0);
	entry(out, "dev/console", S_IFCHR | 0600, 5, 1, NULL, 0);
	entry(out, "proc", S_IFDIR | 0755, 0, 0, NULL, 0);
	entry(out, "sys", S_IFDIR | 0755, 0, 0, NULL, 0);
	entry(out, "init", S_IFREG | 0755, 0, 0, buf, (unsigned long)size);
	entry(out, "TRAILER!!!", 0, 0, 0, NULL, 0);
	fclose(out);
	return 0;
}
