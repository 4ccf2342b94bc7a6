/* SPDX-License-Identifier: MIT */
#ifndef MEMPROBE_VERSION_H
#define MEMPROBE_VERSION_H

#define MEMPROBE_VERSION "0.1.0"

#endif
