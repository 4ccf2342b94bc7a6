/* SPDX-License-Identifier: MIT */
/* sparse_init(): the section roots, usemaps, memmap buffers and vmemmap page tables from memblock. */
#ifndef MEMPROBE_MM_SPARSE_H
#define MEMPROBE_MM_SPARSE_H

struct machine;
void sparse_init(struct machine *m);

#endif
