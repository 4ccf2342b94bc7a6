/* SPDX-License-Identifier: MIT */
/* setup_cpu_entry_areas(): the page tables trap_init() takes from memblock for the CPU entry areas. */
#ifndef MEMPROBE_X86_CPU_ENTRY_AREA_H
#define MEMPROBE_X86_CPU_ENTRY_AREA_H

struct machine;
void setup_cpu_entry_areas(struct machine *m);

#endif
