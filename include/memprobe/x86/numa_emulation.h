/* SPDX-License-Identifier: MIT */
/* numa=fake= as Linux 6.1's arch/x86/mm/numa_emulation.c splits the nodes. */
#ifndef MEMPROBE_X86_NUMA_EMULATION_H
#define MEMPROBE_X86_NUMA_EMULATION_H

struct machine;
void numa_emulation(struct machine *m);

#endif
