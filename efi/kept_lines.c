// SPDX-License-Identifier: MIT
/*
 * The lines printed after ExitBootServices, kept in a non-volatile UEFI
 * variable so that the next run prints them and saves them in its run
 * folder: the machine may have no serial port, and its screen is gone
 * after the reset.
 */
#include "after_exit.h"

static EFI_GUID memprobe_vendor_guid = { 0x8be4df61, 0x93ca, 0x4fd3,
					 { 0x9a, 0x3b, 0x6d, 0x65, 0x6d, 0x70, 0x72, 0x62 } };
#define AFTER_EXIT_VARIABLE L"MemprobeAfterExit"

/**
 * kept_lines_save() - the lines into the variable (runtime services only: after ExitBootServices)
 * @text: the lines
 * @len: their length
 * @status: set to SetVariable's status
 *
 * Return: whether they were saved.
 */
bool kept_lines_save(const char *text, size_t len, EFI_STATUS *status)
{
	*status = uefi_call_wrapper(RT->SetVariable, 5, AFTER_EXIT_VARIABLE, &memprobe_vendor_guid,
				    EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
					    EFI_VARIABLE_RUNTIME_ACCESS,
				    len, (void *)text);
	return !EFI_ERROR(*status);
}

/**
 * kept_lines_take() - the lines a previous run kept after ExitBootServices
 * @buf: where they go, NUL-terminated
 * @size: its size
 * @log: where a failure to delete the variable is named
 *
 * Read once: the variable is deleted, so a later run does not show them again.
 * Return: the number of bytes copied into buf, 0 when there were none.
 */
size_t kept_lines_take(char *buf, size_t size, struct mp_log *log)
{
	UINTN len = size - 1;
	UINT32 attrs;
	EFI_STATUS s = uefi_call_wrapper(RT->GetVariable, 5, AFTER_EXIT_VARIABLE, &memprobe_vendor_guid,
					 &attrs, &len, buf);

	if (s == EFI_NOT_FOUND)
		return 0;
	if (EFI_ERROR(s)) {
		mp_printk(log, "memprobe: warning: the previous run's lines after ExitBootServices cannot be "
			       "read (GetVariable: %s)\n",
			  efi_status_name(s));
		return 0;
	}
	buf[len] = '\0';
	s = uefi_call_wrapper(RT->SetVariable, 5, AFTER_EXIT_VARIABLE, &memprobe_vendor_guid, attrs, 0, NULL);
	if (EFI_ERROR(s))
		mp_printk(log, "memprobe: warning: deleting the previous run's kept lines failed (SetVariable: "
			       "%s); the next run shows them again\n",
			  efi_status_name(s));
	return len;
}
