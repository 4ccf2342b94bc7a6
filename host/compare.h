/* SPDX-License-Identifier: MIT */
/* memprobe compare: the prediction against a Linux boot log, stage by stage. */
#ifndef MEMPROBE_HOST_COMPARE_H
#define MEMPROBE_HOST_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

int compare_command(int argc, char **argv);
struct boot_memmap;
struct efi_memmap;
bool log_prediction(const char *log_path, const struct efi_memmap *run, char *options, size_t size,
		    struct boot_memmap *boot_map);

#endif
