// SPDX-License-Identifier: MIT
/*
 * The run folder: each run writes \memprobe\runs\NNNN\ (the next free
 * number) on the volume it was loaded from and never touches an earlier
 * one.  A volume that is read-only or full costs the files, never the run:
 * a warning says what was lost.
 */
#include "efi-frontend.h"

#include "memprobe/lib/util.h"

#define RUNS_DIR "\\memprobe\\runs"
#define MAX_RUNS 9999

static void ascii_to_ucs2(CHAR16 *dst, const char *src, UINTN max)
{
	UINTN i = 0;

	for (; src[i] && i + 1 < max; i++)
		dst[i] = (CHAR16)(unsigned char)src[i];
	dst[i] = 0;
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
			       "open; config files and run folder not available\n");
	return root;
}

/* Close a handle; a refusal is named with what it was. */
static void close_handle(EFI_FILE_HANDLE h, const char *what, struct mp_log *log)
{
	EFI_STATUS st = uefi_call_wrapper(h->Close, 1, h);

	if (EFI_ERROR(st))
		mp_printk(log, "memprobe: warning: closing %s failed (%s)\n", what, efi_status_name(st));
}

/* Open (create with create) a directory below dir. */
static EFI_STATUS open_dir(EFI_FILE_HANDLE dir, const char *name, bool create, EFI_FILE_HANDLE *out)
{
	CHAR16 wname[64];
	UINT64 mode = EFI_FILE_MODE_READ | (create ? EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE : 0);

	ascii_to_ucs2(wname, name, sizeof(wname) / sizeof(wname[0]));
	return uefi_call_wrapper(dir->Open, 5, dir, out, wname, mode, create ? EFI_FILE_DIRECTORY : 0);
}

#define TAIL_BYTES 1024	/* of report.txt: its closing "run saved in" line is within them */

/*
 * The previous run's folder: a run closes its report.txt last, after the
 * "memprobe: run saved in" line, so a report.txt without that line near its
 * end (or none) means that run was cut off (a power cut, a pulled stick)
 * while writing its folder.  Said here, as memprobe analyze refuses it.
 */
static void check_previous(EFI_FILE_HANDLE dir, const char *name, struct mp_log *log)
{
	CHAR16 wname[16];
	EFI_FILE_HANDLE f;
	char tail[TAIL_BYTES];
	UINT64 size = 0;
	UINTN len = TAIL_BYTES;
	EFI_STATUS st;

	ascii_to_ucs2(wname, "report.txt", sizeof(wname) / sizeof(wname[0]));
	st = uefi_call_wrapper(dir->Open, 5, dir, &f, wname, EFI_FILE_MODE_READ, 0);
	if (st == EFI_NOT_FOUND) {
		mp_printk(log, "memprobe: note: the previous run's folder %s\\%s has no report.txt: that run was cut "
			       "off while writing it (memprobe analyze refuses it)\n", RUNS_DIR, name);
		return;
	}
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: cannot open %s\\%s\\report.txt (%s) to see whether that run was "
			       "written to its end\n", RUNS_DIR, name, efi_status_name(st));
		return;
	}
	st = uefi_call_wrapper(f->SetPosition, 2, f, (UINT64)-1);	/* the end: its position is the size */
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(f->GetPosition, 2, f, &size);
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(f->SetPosition, 2, f, size > TAIL_BYTES ? size - TAIL_BYTES : 0);
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(f->Read, 3, f, &len, tail);
	close_handle(f, "the previous run's report.txt", log);
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: reading the end of %s\\%s\\report.txt failed (%s)\n", RUNS_DIR,
			  name, efi_status_name(st));
		return;
	}
	if (!mp_memmem(tail, len, "memprobe: run saved in ", 23))
		mp_printk(log, "memprobe: note: the previous run's folder %s\\%s is incomplete: its report.txt does "
			       "not end with the 'run saved in' line (that run was cut off while writing it; memprobe "
			       "analyze refuses it)\n", RUNS_DIR, name);
}

/**
 * run_folder_open() - create this run's folder, \memprobe\runs\NNNN
 * @rf: the folder; rf->dir stays NULL when nothing can be saved
 * @root: the boot volume's root, or NULL
 * @fail: fail=fs: the file system's first call fails (tests)
 * @log: where a failure is named
 */
void run_folder_open(struct run_folder *rf, EFI_FILE_HANDLE root, bool fail, struct mp_log *log)
{
	EFI_FILE_HANDLE runs, dir;
	EFI_STATUS st;
	unsigned last = 0;

	mp_memset(rf, 0, sizeof(*rf));
	if (!root)
		return;
	st = fail ? EFI_WRITE_PROTECTED : open_dir(root, "\\memprobe", true, &dir);
	if (!EFI_ERROR(st)) {
		close_handle(dir, "\\memprobe", log);
		st = open_dir(root, RUNS_DIR, true, &runs);
	}
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: cannot create %s on the boot volume (%s%s); nothing of "
			       "this run is saved\n",
			  RUNS_DIR, efi_status_name(st), fail ? ", fail=fs" : "");
		return;
	}
	for (unsigned n = 1; n <= MAX_RUNS; n++) {
		char name[8];

		mp_snprintf(name, sizeof(name), "%04u", n);
		st = open_dir(runs, name, false, &dir);
		if (!EFI_ERROR(st)) {
			close_handle(dir, "an earlier run's folder", log);
			last = n;
			continue;
		}
		if (st != EFI_NOT_FOUND)
			break;
		st = open_dir(runs, name, true, &rf->dir);
		if (!EFI_ERROR(st))
			mp_snprintf(rf->path, sizeof(rf->path), "%s\\%s", RUNS_DIR, name);
		else
			rf->dir = NULL;
		break;
	}
	if (last) {	/* the previous run: was its folder written to its end? */
		char name[8];

		mp_snprintf(name, sizeof(name), "%04u", last);
		EFI_STATUS again = open_dir(runs, name, false, &dir);

		if (!EFI_ERROR(again)) {
			check_previous(dir, name, log);
			close_handle(dir, "the previous run's folder", log);
		} else {
			mp_printk(log, "memprobe: warning: cannot open the previous run's folder %s\\%s again (%s) to "
				       "see whether it was written to its end\n", RUNS_DIR, name, efi_status_name(again));
		}
	}
	close_handle(runs, RUNS_DIR, log);
	if (!rf->dir)
		mp_printk(log, "memprobe: warning: cannot create a folder in %s (%s); nothing of this run "
			       "is saved\n",
			  RUNS_DIR, EFI_ERROR(st) ? efi_status_name(st) : "all numbers in use");
}

/* Append to a file; the first failure is kept and later writes are skipped. */
static void raw_write(struct efi_file *f, const void *bytes, size_t len)
{
	UINTN size = len;
	EFI_STATUS st;

	if (!f->handle || f->status != EFI_SUCCESS || !len)
		return;
	st = uefi_call_wrapper(f->handle->Write, 3, f->handle, &size, (void *)bytes);
	if (EFI_ERROR(st) || size != len)
		f->status = EFI_ERROR(st) ? st : EFI_VOLUME_FULL;
}

static void flush_buffer(struct efi_file *f)
{
	raw_write(f, f->buf, f->len);
	f->len = 0;
}

/**
 * efi_file_write() - an mp_log writer into a run-folder file, buffered
 * @ctx: the struct efi_file
 * @text: bytes
 * @len: how many
 */
void efi_file_write(void *ctx, const char *text, size_t len)
{
	struct efi_file *f = ctx;

	if (!f->handle)
		return;
	if (f->len + len > sizeof(f->buf))
		flush_buffer(f);
	if (len > sizeof(f->buf)) {
		raw_write(f, text, len);
		return;
	}
	mp_memcpy(f->buf + f->len, text, len);
	f->len += len;
}

/**
 * efi_file_create() - a new, empty file in the run folder
 * @rf: the folder
 * @f: the file; f->handle stays NULL when it cannot be created
 * @name: its name, which must stay valid
 */
void efi_file_create(struct run_folder *rf, struct efi_file *f, const char *name)
{
	CHAR16 wname[32];

	f->handle = NULL;
	f->len = 0;
	f->name = name;
	f->status = EFI_NOT_STARTED;
	if (!rf->dir)
		return;
	ascii_to_ucs2(wname, name, sizeof(wname) / sizeof(wname[0]));
	f->status = uefi_call_wrapper(rf->dir->Open, 5, rf->dir, &f->handle, wname,
				      EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(f->status))
		f->handle = NULL;
}

/**
 * efi_file_close() - write what is buffered, close, and account for the file
 * @rf: the folder, whose closing line lists the files written
 * @f: the file
 * @log: where a failure is named
 */
void efi_file_close(struct run_folder *rf, struct efi_file *f, struct mp_log *log)
{
	EFI_FILE_HANDLE h = f->handle;

	if (!rf->dir)
		return;
	if (h) {
		EFI_STATUS st;

		flush_buffer(f);
		f->handle = NULL;
		st = uefi_call_wrapper(h->Flush, 1, h);
		if (f->status == EFI_SUCCESS)
			f->status = st;
		st = uefi_call_wrapper(h->Close, 1, h);
		if (f->status == EFI_SUCCESS)
			f->status = st;
	}
	if (EFI_ERROR(f->status)) {
		mp_printk(log, "memprobe: warning: writing %s\\%s failed (%s); the file is missing or "
			       "incomplete\n",
			  rf->path, f->name, efi_status_name(f->status));
		return;
	}
	rf->saved_len += mp_snprintf(rf->saved + rf->saved_len, sizeof(rf->saved) - rf->saved_len, " %s",
				     f->name);
}

/**
 * run_folder_save() - a whole file in the run folder
 * @rf: the folder
 * @name: the file's name
 * @bytes: its content
 * @len: its length
 * @log: where a failure is named
 */
void run_folder_save(struct run_folder *rf, const char *name, const void *bytes, size_t len,
		     struct mp_log *log)
{
	struct efi_file *f = efi_alloc_pool(sizeof(*f));

	if (!f) {
		if (rf->dir)
			mp_printk(log, "memprobe: warning: no memory to write %s\\%s\n", rf->path, name);
		return;
	}
	efi_file_create(rf, f, name);
	raw_write(f, bytes, len);
	efi_file_close(rf, f, log);
	efi_free_pool(f, log);
}

/**
 * run_folder_close() - name what was saved, close the report last, close the folder
 * @rf: the folder
 * @report: report.txt, still open so the line lands in it too
 * @log: where the line goes
 */
void run_folder_close(struct run_folder *rf, struct efi_file *report, struct mp_log *log)
{
	if (!rf->dir)
		return;
	if (report->handle && report->status == EFI_SUCCESS)
		mp_printk(log, "memprobe: run saved in %s: %s%s\n", rf->path, report->name, rf->saved);
	efi_file_close(rf, report, log);
	close_handle(rf->dir, rf->path, log);
	rf->dir = NULL;
}

/**
 * run_folder_discard() - delete the folder of a run that made no report (--help)
 * @rf: the folder
 * @report: report.txt, open
 * @acpi: acpi.txt, open
 * @log: where a failure to delete is named
 *
 * Delete closes the handle whether or not it deletes (EFI_WARN_DELETE_FAILURE).
 */
void run_folder_discard(struct run_folder *rf, struct efi_file *report, struct efi_file *acpi,
			struct mp_log *log)
{
	struct efi_file *files[] = { report, acpi };
	EFI_STATUS st;

	for (unsigned i = 0; i < 2; i++) {
		st = files[i]->handle ? uefi_call_wrapper(files[i]->handle->Delete, 1, files[i]->handle) : EFI_SUCCESS;
		if (st != EFI_SUCCESS)
			mp_printk(log, "memprobe: warning: deleting %s\\%s failed (%s)\n", rf->path,
				  files[i]->name, efi_status_name(st));
		files[i]->handle = NULL;
	}
	st = rf->dir ? uefi_call_wrapper(rf->dir->Delete, 1, rf->dir) : EFI_SUCCESS;	/* empty now */
	if (st != EFI_SUCCESS)
		mp_printk(log, "memprobe: warning: deleting %s failed (%s); it stays, empty\n", rf->path,
			  efi_status_name(st));
	rf->dir = NULL;
}
