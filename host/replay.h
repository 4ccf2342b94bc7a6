/* SPDX-License-Identifier: MIT */
/* memprobe replay: Linux's memblock=debug boot log against memprobe's memblock. */
#ifndef MEMPROBE_HOST_REPLAY_H
#define MEMPROBE_HOST_REPLAY_H

#include <stdio.h>

/* Replay the log; prints the summary (and the first divergence) to out.
 * Returns 0 if everything matched, 1 on a divergence, 2 if the log has no
 * memblock=debug output. */
int replay_log(FILE *in, FILE *out, const char *name);

#endif
