// SPDX-License-Identifier: MIT
/*
 * A test's stand-in for Linux's cpuid and msr devices (LD_PRELOAD).  The
 * devices answer a read at offset (subleaf << 32 | leaf), or at the MSR's
 * number, so the answers of neighbouring leaves share offsets: no regular
 * file can hold them as the device gives them.  For a regular file named
 * .../dev/cpu/N/cpuid or .../msr, this spreads the offsets (16 bytes per
 * leaf, 8 per MSR), and a sparse file written that way answers as the
 * device would.  Character devices, and every other file, are untouched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static off_t spread(int fd, off_t off)
{
	char link[64], path[4096];
	struct stat st;
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, path, sizeof(path) - 1);
	if (len <= 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return off;
	path[len] = '\0';
	if (len > 6 && !strcmp(path + len - 6, "/cpuid") && strstr(path, "/dev/cpu/"))
		return off * 16;
	if (len > 4 && !strcmp(path + len - 4, "/msr") && strstr(path, "/dev/cpu/"))
		return off * 8;
	return off;
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	static ssize_t (*real)(int, void *, size_t, off_t);

	if (!real)
		real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
	return real(fd, buf, count, spread(fd, off));
}

ssize_t pread64(int fd, void *buf, size_t count, off_t off)
{
	return pread(fd, buf, count, off);
}
