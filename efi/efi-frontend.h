/* SPDX-License-Identifier: MIT */
/* The UEFI front end's pieces: console and file sinks, input collection. */
#ifndef MEMPROBE_EFI_FRONTEND_H
#define MEMPROBE_EFI_FRONTEND_H

#include <efi.h>
#include <efilib.h>

#include "memprobe/machine.h"

/* Bytes for a file, written in few large writes: the FAT driver's cost is per call. */
struct file_buffer {
	char bytes[8192];
	size_t len;
};

/* Where report lines go: the console (mirrored on serial by the firmware) and a file. */
struct efi_sink {
	struct file_buffer file_buf, acpi_buf;
	SIMPLE_TEXT_OUTPUT_INTERFACE *con;
	EFI_FILE_HANDLE file;		/* NULL when the report cannot be saved */
	EFI_STATUS file_status;		/* first write error, if any */
	char file_name[64];
	EFI_FILE_HANDLE acpi_file;	/* the acpidump text, same number as the report */
	EFI_STATUS acpi_status;
	char acpi_name[64];
};

/* The TSC's rate, for the core's clock. */
struct efi_clock {
	uint64_t tsc_per_us;
};

void efi_sink_write(void *ctx, const char *text, size_t len);
void efi_acpidump_write(void *ctx, const char *text, size_t len);
EFI_FILE_HANDLE efi_open_boot_volume(EFI_HANDLE image, struct mp_log *log);
void efi_open_report_file(struct efi_sink *sink, EFI_FILE_HANDLE root, struct mp_log *log);
void efi_discard_report_file(struct efi_sink *sink);
void efi_close_report_file(struct efi_sink *sink, struct mp_log *log);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
const char *efi_status_name(EFI_STATUS status);
void *efi_alloc_pool(UINTN size);
char *efi_read_options(EFI_HANDLE image, EFI_FILE_HANDLE root, struct mp_log *log);
void efi_collect_firmware(struct fw_inputs *fw);
void efi_collect_clock(struct fw_inputs *fw, struct efi_clock *c);
void efi_collect_memmap(struct fw_inputs *fw, struct mp_log *log);
void efi_collect_acpi(struct fw_inputs *fw);
void efi_save_beside_report(const struct efi_sink *sink, EFI_FILE_HANDLE root, const char *prefix,
			    const char *text, size_t len, struct mp_log *log);
void efi_exit_and_map(EFI_HANDLE image, const struct machine *m, struct mp_log *log);
size_t efi_previous_after_exit(char *buf, size_t size);

#endif
