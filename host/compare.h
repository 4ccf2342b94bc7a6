/* SPDX-License-Identifier: MIT */
/* memprobe compare: the prediction against a Linux boot log, stage by stage. */
#ifndef MEMPROBE_HOST_COMPARE_H
#define MEMPROBE_HOST_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

int compare_command(int argc, char **argv);
bool log_prediction_options(const char *log_path, char *options, size_t size);

#endif
