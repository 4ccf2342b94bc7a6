/* SPDX-License-Identifier: MIT */
/* memblock's region arrays from the C heap, for the host tool and host tests. */
#ifndef MEMPROBE_HOST_HEAP_H
#define MEMPROBE_HOST_HEAP_H

#include "memprobe/mm/memblock.h"

extern const struct memblock_storage host_heap;

#endif
