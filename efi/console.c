// SPDX-License-Identifier: MIT
/*
 * Report sinks of the UEFI app: ConOut (which OVMF and most firmware also
 * mirror on the serial port) and a new file on the boot volume per run.
 */
#include "efi-frontend.h"

#include "memprobe/util.h"

#define REPORT_DIR L"\\memprobe"
#define MAX_REPORTS 9999

static const struct {
	EFI_STATUS status;
	const char *name;
} status_names[] = {
	{ EFI_SUCCESS, "EFI_SUCCESS" },
	{ EFI_LOAD_ERROR, "EFI_LOAD_ERROR" },
	{ EFI_INVALID_PARAMETER, "EFI_INVALID_PARAMETER" },
	{ EFI_UNSUPPORTED, "EFI_UNSUPPORTED" },
	{ EFI_BAD_BUFFER_SIZE, "EFI_BAD_BUFFER_SIZE" },
	{ EFI_BUFFER_TOO_SMALL, "EFI_BUFFER_TOO_SMALL" },
	{ EFI_NOT_READY, "EFI_NOT_READY" },
	{ EFI_DEVICE_ERROR, "EFI_DEVICE_ERROR" },
	{ EFI_WRITE_PROTECTED, "EFI_WRITE_PROTECTED" },
	{ EFI_OUT_OF_RESOURCES, "EFI_OUT_OF_RESOURCES" },
	{ EFI_VOLUME_CORRUPTED, "EFI_VOLUME_CORRUPTED" },
	{ EFI_VOLUME_FULL, "EFI_VOLUME_FULL" },
	{ EFI_NO_MEDIA, "EFI_NO_MEDIA" },
	{ EFI_MEDIA_CHANGED, "EFI_MEDIA_CHANGED" },
	{ EFI_NOT_FOUND, "EFI_NOT_FOUND" },
	{ EFI_ACCESS_DENIED, "EFI_ACCESS_DENIED" },
	{ EFI_ABORTED, "EFI_ABORTED" },
};

const char *efi_status_name(EFI_STATUS status)
{
	for (UINTN i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].status == status)
			return status_names[i].name;
	return "unknown EFI status";
}

/* ASCII to UCS-2, '\n' to CR LF, in chunks, for OutputString. */
static void console_write(SIMPLE_TEXT_OUTPUT_INTERFACE *con, const char *text, size_t len)
{
	CHAR16 buf[128];
	UINTN n = 0;

	for (size_t i = 0; i < len; i++) {
		if (n + 3 >= sizeof(buf) / sizeof(buf[0])) {
			buf[n] = 0;
			uefi_call_wrapper(con->OutputString, 2, con, buf);
			n = 0;
		}
		if (text[i] == '\n')
			buf[n++] = '\r';
		buf[n++] = (unsigned char)text[i] < 0x80 ? (CHAR16)text[i] : L'?';
	}
	buf[n] = 0;
	if (n)
		uefi_call_wrapper(con->OutputString, 2, con, buf);
}

/* Append to a file; the first failure is kept and later writes are skipped. */
static void file_write(EFI_FILE_HANDLE file, EFI_STATUS *status, const char *text, size_t len)
{
	UINTN size = len;
	EFI_STATUS st;

	if (!file || *status != EFI_SUCCESS)
		return;
	st = uefi_call_wrapper(file->Write, 3, file, &size, (void *)text);
	if (EFI_ERROR(st) || size != len)
		*status = EFI_ERROR(st) ? st : EFI_VOLUME_FULL;
}

/* Write what the buffer holds. */
static void buffer_flush(EFI_FILE_HANDLE file, EFI_STATUS *status, struct file_buffer *b)
{
	file_write(file, status, b->bytes, b->len);
	b->len = 0;
}

static void buffered_write(EFI_FILE_HANDLE file, EFI_STATUS *status, struct file_buffer *b,
			   const char *text, size_t len)
{
	if (!file)
		return;
	if (b->len + len > sizeof(b->bytes))
		buffer_flush(file, status, b);
	if (len > sizeof(b->bytes)) {
		file_write(file, status, text, len);
		return;
	}
	mp_memcpy(b->bytes + b->len, text, len);
	b->len += len;
}

void efi_sink_write(void *ctx, const char *text, size_t len)
{
	struct efi_sink *sink = ctx;

	if (sink->con)
		console_write(sink->con, text, len);
	buffered_write(sink->file, &sink->file_status, &sink->file_buf, text, len);
}

void efi_acpidump_write(void *ctx, const char *text, size_t len)
{
	struct efi_sink *sink = ctx;

	buffered_write(sink->acpi_file, &sink->acpi_status, &sink->acpi_buf, text, len);
}

/* Root directory of the volume memprobe was loaded from, or NULL. */
EFI_FILE_HANDLE efi_open_boot_volume(EFI_HANDLE image, struct mp_log *log)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_FILE_HANDLE root;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			       (void **)&loaded);
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: no loaded-image protocol (%s); boot volume not used\n",
			  efi_status_name(st));
		return NULL;
	}
	root = LibOpenRoot(loaded->DeviceHandle);
	if (!root)
		mp_printk(log, "memprobe: warning: the boot device has no file system memprobe can "
			       "open; options file and saved report not available\n");
	return root;
}

static void ascii_to_ucs2(CHAR16 *dst, const char *src, UINTN max)
{
	UINTN i = 0;

	for (; src[i] && i + 1 < max; i++)
		dst[i] = (CHAR16)(unsigned char)src[i];
	dst[i] = 0;
}

/*
 * Create name empty: a file of that name left over (an acpi dump of a run
 * that could not save its report) is deleted first.
 */
static EFI_STATUS create_empty(EFI_FILE_HANDLE dir, CHAR16 *name, EFI_FILE_HANDLE *file)
{
	const UINT64 mode = EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE;
	EFI_STATUS st = uefi_call_wrapper(dir->Open, 5, dir, file, name, mode, 0);

	if (!EFI_ERROR(st))
		st = uefi_call_wrapper((*file)->Delete, 1, *file);
	if (!EFI_ERROR(st) || st == EFI_WARN_DELETE_FAILURE)
		st = uefi_call_wrapper(dir->Open, 5, dir, file, name, mode, 0);
	if (EFI_ERROR(st))
		*file = NULL;
	return st;
}

/*
 * Create \memprobe\report-NNNN.txt with the first free number, so an
 * earlier run's report is never overwritten.
 */
void efi_open_report_file(struct efi_sink *sink, EFI_FILE_HANDLE root, struct mp_log *log)
{
	EFI_FILE_HANDLE dir, file;
	EFI_STATUS st;

	sink->file = NULL;
	if (!root)
		return;
	st = uefi_call_wrapper(root->Open, 5, root, &dir, REPORT_DIR,
			       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
			       EFI_FILE_DIRECTORY);
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: cannot create \\memprobe on the boot volume (%s); "
			       "the report is not saved\n",
			  efi_status_name(st));
		return;
	}
	for (unsigned n = 1; n <= MAX_REPORTS; n++) {
		CHAR16 name[32], acpi_name[32];

		mp_snprintf(sink->file_name, sizeof(sink->file_name), "report-%04u.txt", n);
		mp_snprintf(sink->acpi_name, sizeof(sink->acpi_name), "acpi-%04u.txt", n);
		ascii_to_ucs2(name, sink->file_name, sizeof(name) / sizeof(name[0]));
		ascii_to_ucs2(acpi_name, sink->acpi_name, sizeof(acpi_name) / sizeof(acpi_name[0]));
		st = uefi_call_wrapper(dir->Open, 5, dir, &file, name, EFI_FILE_MODE_READ, 0);
		if (!EFI_ERROR(st)) {
			uefi_call_wrapper(file->Close, 1, file);
			continue;
		}
		if (st != EFI_NOT_FOUND)
			break;
		st = uefi_call_wrapper(dir->Open, 5, dir, &file, name,
				       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
				       0);
		if (!EFI_ERROR(st)) {
			sink->file = file;
			sink->file_status = EFI_SUCCESS;
			sink->acpi_status = create_empty(dir, acpi_name, &sink->acpi_file);
		}
		break;
	}
	uefi_call_wrapper(dir->Close, 1, dir);
	if (!sink->file)
		mp_printk(log, "memprobe: warning: cannot create a report file in \\memprobe (%s); "
			       "the report is not saved\n",
			  EFI_ERROR(st) ? efi_status_name(st) : "all names in use");
}

/* Flush and close; a flush error counts when no write failed before it. */
static void flush_and_close(EFI_FILE_HANDLE file, EFI_STATUS *status)
{
	EFI_STATUS st = uefi_call_wrapper(file->Flush, 1, file);

	if (*status == EFI_SUCCESS)
		*status = st;
	uefi_call_wrapper(file->Close, 1, file);
}

static void close_acpi_file(struct efi_sink *sink, struct mp_log *log)
{
	EFI_FILE_HANDLE file = sink->acpi_file;

	if (!file)
		return;
	sink->acpi_file = NULL;
	buffer_flush(file, &sink->acpi_status, &sink->acpi_buf);
	flush_and_close(file, &sink->acpi_status);
	if (EFI_ERROR(sink->acpi_status))
		mp_printk(log, "memprobe: warning: writing \\memprobe\\%s failed (%s)\n",
			  sink->acpi_name, efi_status_name(sink->acpi_status));
	else
		mp_printk(log, "memprobe: ACPI tables saved as \\memprobe\\%s (acpidump format)\n",
			  sink->acpi_name);
}

/* A run that makes no report (--help) leaves no files: delete both. */
void efi_discard_report_file(struct efi_sink *sink)
{
	if (sink->acpi_file)
		uefi_call_wrapper(sink->acpi_file->Delete, 1, sink->acpi_file);
	if (sink->file)
		uefi_call_wrapper(sink->file->Delete, 1, sink->file);
	sink->acpi_file = NULL;
	sink->file = NULL;
}

void efi_close_report_file(struct efi_sink *sink, struct mp_log *log)
{
	EFI_FILE_HANDLE file = sink->file;

	close_acpi_file(sink, log);
	if (!file)
		return;
	if (sink->file_status == EFI_SUCCESS)
		mp_printk(log, "memprobe: report saved as \\memprobe\\%s\n", sink->file_name);
	sink->file = NULL;
	buffer_flush(file, &sink->file_status, &sink->file_buf);
	flush_and_close(file, &sink->file_status);
	if (EFI_ERROR(sink->file_status))
		mp_printk(log, "memprobe: warning: writing \\memprobe\\%s failed (%s); the saved "
			       "report is incomplete\n",
			  sink->file_name, efi_status_name(sink->file_status));
}

/*
 * \memprobe\PREFIX-NNNN.txt with the number of this run's report, holding
 * text; a line in the report says where it went or why it did not.
 */
void efi_save_beside_report(const struct efi_sink *sink, EFI_FILE_HANDLE root, const char *prefix,
			    const char *text, size_t len, struct mp_log *log)
{
	const char *number = sink->file_name + 7;	/* after "report-" */
	EFI_FILE_HANDLE dir, file;
	char name[64];
	CHAR16 wname[64];
	EFI_STATUS st = EFI_NOT_FOUND, wst = EFI_SUCCESS;

	if (!root || !sink->file) {
		mp_printk(log, "memprobe: warning: no report file, so no %s file either\n", prefix);
		return;
	}
	mp_snprintf(name, sizeof(name), "%s-%s", prefix, number);
	ascii_to_ucs2(wname, name, sizeof(wname) / sizeof(wname[0]));
	st = uefi_call_wrapper(root->Open, 5, root, &dir, REPORT_DIR,
			       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	if (!EFI_ERROR(st)) {
		st = create_empty(dir, wname, &file);
		if (!EFI_ERROR(st)) {
			file_write(file, &wst, text, len);
			flush_and_close(file, &wst);
			st = wst;
		}
		uefi_call_wrapper(dir->Close, 1, dir);
	}
	if (EFI_ERROR(st))
		mp_printk(log, "memprobe: warning: writing \\memprobe\\%s failed (%s)\n", name,
			  efi_status_name(st));
	else
		mp_printk(log, "memprobe: those lines saved as \\memprobe\\%s\n", name);
}
