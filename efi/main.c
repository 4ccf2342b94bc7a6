// SPDX-License-Identifier: MIT
/*
 * memprobe.efi: collect the firmware's raw inputs, run the core on them,
 * print and save the report.  From a UEFI shell it returns to the shell;
 * with the "poweroff" option (run-qemu.sh sets it) it powers off; with
 * "exit_boot_services" it leaves boot services, loads real page tables
 * and resets (efi/exit_boot.c).
 */
#include "efi-frontend.h"

#include "memprobe/util.h"

/*
 * Lines the front end produces before the report starts; the core prints
 * them right after its banner so the report reads in order.
 */
struct notes {
	char text[4096];
	size_t len;
};

static void notes_write(void *ctx, const char *text, size_t len)
{
	struct notes *n = ctx;

	if (n->len + len >= sizeof(n->text))
		len = sizeof(n->text) - 1 - n->len;
	mp_memcpy(n->text + n->len, text, len);
	n->len += len;
	n->text[n->len] = '\0';
}

static void *pool_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return efi_alloc_pool(bytes);
}

static void pool_free(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	uefi_call_wrapper(BS->FreePool, 1, p);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct notes notes = { .len = 0 };
	struct mp_log notes_log = { notes_write, &notes };
	struct efi_sink sink = { .file = NULL };
	struct mp_log log = { efi_sink_write, &sink };
	struct mp_log acpidump = { efi_acpidump_write, &sink };
	const struct sinks sinks = { &log, &acpidump };
	struct fw_inputs fw = { .frontend = NULL };
	const struct memblock_storage pool_storage = { pool_alloc, pool_free, NULL };
	struct machine *m = NULL;
	EFI_FILE_HANDLE root;
	bool poweroff;
	char previous[2048];
	size_t previous_len;
	struct efi_clock clock;

	InitializeLib(image, systab);
	sink.con = ST->ConOut;
	/* The boot manager arms a 5-minute watchdog; a slow emulator may need longer. */
	uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);

	root = efi_open_boot_volume(image, &notes_log);
	fw.cmdline = efi_read_options(image, root, &notes_log);
	efi_collect_firmware(&fw);
	efi_collect_clock(&fw, &clock);
	efi_open_report_file(&sink, root, &notes_log);
	efi_collect_memmap(&fw, &notes_log);
	efi_collect_acpi(&fw);
	previous_len = efi_previous_after_exit(previous, sizeof(previous));
	if (previous_len) {
		mp_printk(&notes_log, "memprobe: previous run after ExitBootServices:\n");
		notes_write(&notes, previous, previous_len);
		efi_save_beside_report(&sink, root, "after-exit", previous, previous_len, &notes_log);
	}
	fw.notes = notes.text;

	m = efi_alloc_pool(sizeof(*m));
	if (!m) {
		mp_printk(&log, "memprobe: error: cannot allocate %lu bytes for the analysis\n",
			  (unsigned long)sizeof(*m));
		efi_close_report_file(&sink, &log);
		return EFI_OUT_OF_RESOURCES;
	}
	machine_init(m, &fw, &sinks, &pool_storage);
	if (m->opts.help)
		efi_discard_report_file(&sink);
	memprobe_run(m);
	machine_release(m);
	efi_close_report_file(&sink, &log);
	if (root)
		uefi_call_wrapper(root->Close, 1, root);
	if (m->opts.exit_boot_services && !m->opts.help)
		efi_exit_and_map(image, m, &log);	/* returns only if it could not leave */
	poweroff = m->opts.poweroff;
	uefi_call_wrapper(BS->FreePool, 1, m);

	if (poweroff) {
		mp_printk(&log, "memprobe: powering off\n");
		uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	}
	return EFI_SUCCESS;
}
