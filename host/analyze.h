/* SPDX-License-Identifier: MIT */
/* memprobe analyze: the whole analysis again, on a run folder. */
#ifndef MEMPROBE_HOST_ANALYZE_H
#define MEMPROBE_HOST_ANALYZE_H

#include "memprobe/machine.h"

struct run_inputs;

struct fw_inputs *run_inputs_load(const char *dir, struct run_inputs **in);
void run_inputs_free(struct run_inputs *in);
int analyze_command(int argc, char **argv);

#endif
