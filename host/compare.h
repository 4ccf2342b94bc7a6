/* SPDX-License-Identifier: MIT */
/* memprobe compare: the prediction against a Linux boot log, stage by stage. */
#ifndef MEMPROBE_HOST_COMPARE_H
#define MEMPROBE_HOST_COMPARE_H

int compare_command(int argc, char **argv);

#endif
