// SPDX-License-Identifier: MIT
/* memprobe's host command-line tool. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "memprobe/machine.h"
#include "replay.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: memprobe replay BOOTLOG\n"
		   "       memprobe --help\n\n"
		   "replay   rebuild memblock from a Linux boot log captured with memblock=debug\n"
		   "         (dmesg or a serial console, timestamps or not; '-' reads standard input),\n"
		   "         replay every allocation request through memprobe's memblock and compare\n"
		   "         each address and each MEMBLOCK configuration dump with Linux's.\n"
		   "         Exit status: 0 all identical, 1 a divergence, 2 unusable input.\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "replay")) {
		FILE *in = strcmp(argv[2], "-") ? fopen(argv[2], "r") : stdin;
		int status;

		if (!in) {
			fprintf(stderr, "memprobe: cannot open %s: %s\n", argv[2], strerror(errno));
			return 2;
		}
		status = replay_log(in, stdout, argv[2]);
		if (in != stdin)
			fclose(in);
		return status;
	}
	fprintf(stderr, "memprobe %s: ", MEMPROBE_VERSION);
	if (argc < 2)
		fprintf(stderr, "a command is needed\n");
	else
		fprintf(stderr, "unknown command or wrong arguments: '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
