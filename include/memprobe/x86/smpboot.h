/* SPDX-License-Identifier: MIT */
/*
 * The bring-up of the CPUs at boot: Linux's smp_init() and what its
 * end prints about the CPUs and their memory types.
 */
#ifndef MEMPROBE_X86_SMPBOOT_H
#define MEMPROBE_X86_SMPBOOT_H

struct machine;

void smp_init(struct machine *m);
void init_cpu_to_node(struct machine *m);
int early_cpu_to_node(const struct machine *m, unsigned cpu);

#endif
