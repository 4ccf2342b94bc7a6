// SPDX-License-Identifier: MIT
/*
 * The console for a person in front of the machine: the text mode with the
 * most rows, a pause after each page, and at the end a question (power
 * off, reboot or return) instead of a report that scrolls away while the
 * firmware moves on.  Without a keyboard, with poweroff or no_pause (what
 * run-qemu.sh and tests use) nothing here waits.
 */
#include "efi-frontend.h"

#include "memprobe/lib/util.h"

/* After this long without a key the pager stops pausing: a machine with no one at it finishes. */
#define PAGE_WAIT_SECONDS 600

static const CHAR16 more_prompt[] = L"-- more: any key for the next page, c for no more pauses --";

/*
 * A console call's status: the console cannot report its own failures on
 * itself, so they are counted, and screen_report_failures() tells them.
 * Return: whether the call succeeded.
 */
static bool console_ok(struct screen *s, const char *call, EFI_STATUS st)
{
	if (!EFI_ERROR(st))
		return true;
	if (!s->failures++) {
		s->first_failure = st;
		s->first_failed_call = call;
	}
	return false;
}

/* Whether an input device other than the console splitter's own handle is there. */
static bool has_keyboard(struct mp_log *log)
{
	EFI_HANDLE *handles = NULL;
	UINTN n = 0, devices = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &TextInProtocol, NULL, &n,
					  &handles);

	if (st == EFI_NOT_FOUND)
		return false;
	if (EFI_ERROR(st)) {
		mp_printk(log, "memprobe: warning: the input devices cannot be listed (LocateHandleBuffer: %s); "
			       "taken as no keyboard\n",
			  efi_status_name(st));
		return false;
	}
	for (UINTN i = 0; i < n; i++)
		devices += handles[i] != ST->ConsoleInHandle;
	efi_free_pool(handles, log);
	return devices > 0;
}

/**
 * screen_setup() - the text mode with the most rows, and the pager
 * @s: the screen
 * @interactive: false (poweroff, no_pause) leaves the mode as it is and never waits
 * @log: where the choice is noted
 */
void screen_setup(struct screen *s, bool interactive, struct mp_log *log)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *con = ST->ConOut;
	UINTN cols = 80, rows = 25, best = 0, best_rows = 0, best_cols = 0;
	INT32 modes = con && con->Mode ? con->Mode->MaxMode : 0;

	mp_memset(s, 0, sizeof(*s));
	s->con = con;
	if (con && con->Mode)
		console_ok(s, "QueryMode", uefi_call_wrapper(con->QueryMode, 4, con, (UINTN)con->Mode->Mode, &cols,
							     &rows));
	s->cols = cols;
	s->rows = rows;
	if (!interactive || !con || !ST->ConIn)
		return;
	s->keyboard = has_keyboard(log);
	for (INT32 i = 0; i < modes; i++) {
		UINTN c, r;

		if (EFI_ERROR(uefi_call_wrapper(con->QueryMode, 4, con, (UINTN)i, &c, &r)))
			continue;
		if (r > best_rows || (r == best_rows && c > best_cols)) {
			best = (UINTN)i;
			best_rows = r;
			best_cols = c;
		}
	}
	if (best_rows && best != (UINTN)con->Mode->Mode &&
	    !EFI_ERROR(uefi_call_wrapper(con->SetMode, 2, con, best))) {
		s->cols = best_cols;
		s->rows = best_rows;
	}
	s->pause = s->keyboard && s->rows > 2;
	mp_printk(log, "memprobe: screen: %lux%lu text (the most rows of %d modes)%s\n",
		  (unsigned long)s->cols, (unsigned long)s->rows, modes,
		  s->pause ? "; pausing after each page (no_pause: never)"
			   : s->keyboard ? "" : "; no keyboard, so no pauses");
	/* Keys pressed during boot would turn pages no one saw. */
	while (!EFI_ERROR(uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2, ST->ConIn, &(EFI_INPUT_KEY){ 0, 0 })))
		;
}

/*
 * A key within seconds (0: no limit); false when none came.  Without the
 * timer a limited wait does not wait at all: a machine no one sits at must
 * finish.
 */
static bool wait_key(struct screen *s, unsigned seconds, EFI_INPUT_KEY *key)
{
	EFI_EVENT events[2] = { ST->ConIn->WaitForKey, NULL };
	UINTN nr = 1, index;
	bool got = false;

	if (seconds) {
		if (!console_ok(s, "CreateEvent", uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL, NULL,
								    &events[1])))
			return false;
		nr = 2;
		if (!console_ok(s, "SetTimer", uefi_call_wrapper(BS->SetTimer, 3, events[1], TimerRelative,
								 (UINT64)seconds * 10000000)))
			goto out;
	}
	for (;;) {
		EFI_STATUS st;

		if (!console_ok(s, "WaitForEvent", uefi_call_wrapper(BS->WaitForEvent, 3, nr, events, &index)) ||
		    index != 0)
			break;
		st = uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2, ST->ConIn, key);
		if (st != EFI_NOT_READY) {	/* EFI_NOT_READY: the event fired without a key; wait on */
			got = console_ok(s, "ReadKeyStroke", st);
			break;
		}
	}
out:
	if (nr == 2)
		console_ok(s, "CloseEvent", uefi_call_wrapper(BS->CloseEvent, 1, events[1]));
	return got;
}

/* The pager's stop: the prompt, a key, the prompt erased. */
static void page_break(struct screen *s)
{
	EFI_INPUT_KEY key = { 0, 0 };
	CHAR16 blank[sizeof(more_prompt) / sizeof(more_prompt[0]) + 2];
	UINTN n = sizeof(more_prompt) / sizeof(more_prompt[0]) - 1;

	console_ok(s, "OutputString", uefi_call_wrapper(s->con->OutputString, 2, s->con, (CHAR16 *)more_prompt));
	if (!wait_key(s, PAGE_WAIT_SECONDS, &key)) {
		s->pause = false;	/* no one is reading: finish */
	} else if (key.UnicodeChar == 'c' || key.UnicodeChar == 'C') {
		s->pause = false;
	}
	blank[0] = '\r';
	for (UINTN i = 1; i <= n; i++)
		blank[i] = ' ';
	blank[n + 1] = 0;
	console_ok(s, "OutputString", uefi_call_wrapper(s->con->OutputString, 2, s->con, blank));
	console_ok(s, "OutputString", uefi_call_wrapper(s->con->OutputString, 2, s->con, L"\r"));
	s->used = 0;
}

/* Chunks of UCS-2 for OutputString. */
struct out_chunk {
	CHAR16 buf[128];
	UINTN n;
};

static void chunk_flush(struct screen *s, struct out_chunk *c)
{
	c->buf[c->n] = 0;
	if (c->n)
		console_ok(s, "OutputString", uefi_call_wrapper(s->con->OutputString, 2, s->con, c->buf));
	c->n = 0;
}

/* A row ended (a newline or a wrap): with the page full, pause. */
static void row_done(struct screen *s, struct out_chunk *c)
{
	s->col = 0;
	if (++s->used >= s->rows - 1 && s->pause) {
		chunk_flush(s, c);
		page_break(s);
	}
}

/**
 * screen_write() - text on the console: ASCII to UCS-2, '\n' to CR LF, paged
 * @s: the screen
 * @text: the text
 * @len: its length
 */
void screen_write(struct screen *s, const char *text, size_t len)
{
	struct out_chunk c = { .n = 0 };

	if (!s->con)
		return;
	for (size_t i = 0; i < len; i++) {
		if (c.n + 3 >= sizeof(c.buf) / sizeof(c.buf[0]))
			chunk_flush(s, &c);
		if (text[i] == '\n') {
			c.buf[c.n++] = '\r';
			c.buf[c.n++] = '\n';
			row_done(s, &c);
			continue;
		}
		c.buf[c.n++] = (unsigned char)text[i] < 0x80 ? (CHAR16)text[i] : L'?';
		if (s->cols && ++s->col == s->cols)
			row_done(s, &c);
	}
	chunk_flush(s, &c);
}

/**
 * screen_final_question() - say where the run went, then power off, reboot or return
 * @s: the screen; nothing is asked without a keyboard
 * @folder: the run folder's path, or NULL when nothing was saved
 * @log: where the lines go (the console: the report file is closed)
 */
void screen_final_question(struct screen *s, const char *folder, struct mp_log *log)
{
	EFI_INPUT_KEY key = { 0, 0 };

	if (!s->keyboard)
		return;
	s->pause = false;
	if (folder)
		mp_printk(log, "memprobe: done; this run's files are in %s on the boot volume\n", folder);
	else
		mp_printk(log, "memprobe: done; nothing of this run was saved (see the warnings above)\n");
	mp_printk(log, "memprobe: p: power off, r: reboot, Esc or f: return to the firmware\n");
	for (;;) {
		if (!wait_key(s, 0, &key))
			return;
		switch (key.UnicodeChar) {
		case 'p': case 'P':
			mp_printk(log, "memprobe: powering off\n");
			uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
			mp_printk(log, "memprobe: error: ResetSystem returned instead of powering off\n");
			return;
		case 'r': case 'R':
			mp_printk(log, "memprobe: rebooting\n");
			uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
			mp_printk(log, "memprobe: error: ResetSystem returned instead of rebooting\n");
			return;
		default:
			if (key.ScanCode != SCAN_ESC && key.UnicodeChar != 'f' && key.UnicodeChar != 'F')
				break;
			mp_printk(log, "memprobe: returning to the firmware\n");
			return;
		}
	}
}

/**
 * screen_report_failures() - the console calls that failed, in one line
 * @s: the screen
 * @log: where the line goes (report.txt holds it even when the console lost it)
 */
void screen_report_failures(const struct screen *s, struct mp_log *log)
{
	if (s->failures)
		mp_printk(log, "memprobe: warning: %u console calls failed, the first %s (%s); the screen may "
			       "miss lines that report.txt has\n",
			  s->failures, s->first_failed_call, efi_status_name(s->first_failure));
}
