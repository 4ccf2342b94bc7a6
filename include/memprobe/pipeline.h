/* SPDX-License-Identifier: MIT */
/* The sequencer every front end shares: the stages in Linux's order, then the views. */
#ifndef MEMPROBE_PIPELINE_H
#define MEMPROBE_PIPELINE_H

#include "memprobe/machine.h"

void memprobe_run(struct machine *m);
void memprobe_run_acpi(struct machine *m);

#endif
