/* SPDX-License-Identifier: MIT */
/* The UEFI front end's pieces: console and file sinks, input collection. */
#ifndef MEMPROBE_EFI_FRONTEND_H
#define MEMPROBE_EFI_FRONTEND_H

#include <efi.h>
#include <efilib.h>

#include "memprobe/machine.h"

/* A file of the run folder, written in few large writes: the FAT driver's cost is per call. */
struct efi_file {
	EFI_FILE_HANDLE handle;		/* NULL: not open */
	EFI_STATUS status;		/* why it is not open, or the first write error */
	const char *name;
	size_t len;
	char buf[8192];
};

/* This run's folder, \memprobe\runs\NNNN. */
struct run_folder {
	EFI_FILE_HANDLE dir;		/* NULL when nothing can be saved */
	char path[32];
	char saved[160];		/* " name" per file written, for the closing line */
	size_t saved_len;
};

/* The console as a reader sees it: its size, and the pager's place. */
struct screen {
	SIMPLE_TEXT_OUTPUT_INTERFACE *con;	/* NULL: no console */
	UINTN rows, cols;
	bool keyboard;			/* an input device is there to answer */
	bool pause;			/* stop after each page */
	UINTN used;			/* rows written since the last stop */
	UINTN col;			/* the cursor's column */
	unsigned failures;		/* console calls that failed, told by screen_report_failures() */
	EFI_STATUS first_failure;
	const char *first_failed_call;
};

/* Where report lines go: the console (mirrored on serial by the firmware) and report.txt. */
struct efi_sink {
	struct screen screen;
	struct efi_file report, acpi;
};

/* The TSC's rate, for the core's clock, and its value when memprobe started. */
struct efi_clock {
	uint64_t tsc_per_us;
	uint64_t start_tsc;
};

void screen_setup(struct screen *s, bool interactive, struct mp_log *log);
void screen_write(struct screen *s, const char *text, size_t len);
void screen_final_question(struct screen *s, const char *folder, struct mp_log *log);
void screen_report_failures(const struct screen *s, struct mp_log *log);
EFI_FILE_HANDLE efi_open_boot_volume(EFI_HANDLE image, struct mp_log *log);

void run_folder_open(struct run_folder *rf, EFI_FILE_HANDLE root, bool fail, struct mp_log *log);
void efi_file_create(struct run_folder *rf, struct efi_file *f, const char *name);
void efi_file_write(void *ctx, const char *text, size_t len);
void efi_file_close(struct run_folder *rf, struct efi_file *f, struct mp_log *log);
void run_folder_save(struct run_folder *rf, const char *name, const void *bytes, size_t len,
		     struct mp_log *log);
void run_folder_close(struct run_folder *rf, struct efi_file *report, struct mp_log *log);
void run_folder_discard(struct run_folder *rf, struct efi_file *report, struct efi_file *acpi,
			struct mp_log *log);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
const char *efi_status_name(EFI_STATUS status);
void *efi_alloc_pool(UINTN size);
void efi_free_pool(void *p, struct mp_log *log);
void *efi_alloc_memmap_buffer(UINTN slack, UINTN *capacity, struct mp_log *log);
void efi_read_options(struct fw_inputs *fw, EFI_HANDLE image, EFI_FILE_HANDLE root, struct mp_log *log);
void efi_collect_firmware(struct fw_inputs *fw);
void efi_collect_cpus(struct fw_inputs *fw, const struct options *o, struct mp_log *log);
void efi_collect_secure_boot(struct fw_inputs *fw, bool fail, struct mp_log *log);
void efi_collect_clock(struct fw_inputs *fw, struct efi_clock *c, struct mp_log *log);
uint64_t efi_clock_since_start_us(const struct efi_clock *c);
void efi_collect_memmap(struct fw_inputs *fw, struct mp_log *log);
void efi_collect_acpi(struct fw_inputs *fw);
void efi_collect_ioapic(struct fw_inputs *fw);
void efi_collect_tables(struct fw_inputs *fw, struct mp_log *log);
void efi_exit_and_map(EFI_HANDLE image, const struct machine *m, struct mp_log *log);
size_t kept_lines_take(char *buf, size_t size, struct mp_log *log);

#endif
