// SPDX-License-Identifier: MIT
/*
 * Option layering at scale: a config file of N words below a command line
 * of N others (half the table's options, repeated; half words the table
 * does not know), parsed as memprobe.efi and `analyze` parse them, and the
 * report's "options:" line gathered.  The time per word should stay flat
 * as N grows.  It prints numbers and never fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "memprobe/options.h"

static const char *const known[] = { "mem=2G", "efi=debug", "numa=off", "nogbpages", "memblock=debug",
				     "kernel=6.12", "nopat", "movable_node" };

/* N words, one per line, as a config file holds them; @salt keeps the two sources' unknown words apart. */
static char *make_words(unsigned n, char salt)
{
	char *text = malloc((size_t)n * 24 + 1), *p = text;

	for (unsigned i = 0; i < n; i++)
		p += i % 2 ? sprintf(p, "%s\n", known[(i / 2) % (sizeof(known) / sizeof(known[0]))])
			   : sprintf(p, "w%c%u=%u\n", salt, i, i);
	*p = '\0';
	return text;
}

int main(void)
{
	static const unsigned sizes[] = { 5000, 10000, 20000, 40000, 80000 };
	static struct options o;	/* large: its messages */
	static char words[1 << 16];

	printf("option layering: a config file of N words under a command line of N others (median of 3):\n");
	printf("%8s %10s %12s\n", "N", "ms", "ns/word");
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *file = make_words(sizes[i], 'f'), *cmdline = make_words(sizes[i], 'c');
		const struct option_source src[] = { { "memprobe.conf", file }, { NULL, cmdline } };
		double t[3];

		for (char *c = cmdline; *c; c++)
			*c = *c == '\n' ? ' ' : *c;
		for (unsigned r = 0; r < 3; r++) {
			double start = now_ns();

			options_init(&o);
			options_parse_sources(&o, src, 2);
			options_words(words, sizeof(words), src, 2);
			t[r] = now_ns() - start;
		}
		for (unsigned a = 0; a < 3; a++)	/* the median */
			for (unsigned b = a + 1; b < 3; b++)
				if (t[b] < t[a]) {
					double x = t[a];

					t[a] = t[b];
					t[b] = x;
				}
		printf("%8u %10.1f %12.1f\n", sizes[i], t[1] / 1e6, t[1] / (2.0 * sizes[i]));
		free(file);
		free(cmdline);
	}
	return 0;
}
