/* SPDX-License-Identifier: MIT */
/* memprobe analyze: the whole analysis again, on a run folder. */
#ifndef MEMPROBE_HOST_ANALYZE_H
#define MEMPROBE_HOST_ANALYZE_H

int analyze_command(int argc, char **argv);

#endif
