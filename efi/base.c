// SPDX-License-Identifier: MIT
/*
 * What every part of the UEFI front end uses: the names of firmware
 * statuses (every failure is logged with its name), pool memory, and the
 * buffer GetMemoryMap fills.
 */
#include "efi-frontend.h"

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
	{ EFI_NO_MAPPING, "EFI_NO_MAPPING" },
	{ EFI_TIMEOUT, "EFI_TIMEOUT" },
	{ EFI_NOT_STARTED, "EFI_NOT_STARTED" },
	{ EFI_ALREADY_STARTED, "EFI_ALREADY_STARTED" },
	{ EFI_SECURITY_VIOLATION, "EFI_SECURITY_VIOLATION" },
	{ EFI_CRC_ERROR, "EFI_CRC_ERROR" },
	{ EFI_WARN_UNKNOWN_GLYPH, "EFI_WARN_UNKNOWN_GLYPH" },
	{ EFI_WARN_DELETE_FAILURE, "EFI_WARN_DELETE_FAILURE" },
	{ EFI_WARN_WRITE_FAILURE, "EFI_WARN_WRITE_FAILURE" },
	{ EFI_WARN_BUFFER_TOO_SMALL, "EFI_WARN_BUFFER_TOO_SMALL" },
};

const char *efi_status_name(EFI_STATUS status)
{
	for (UINTN i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].status == status)
			return status_names[i].name;
	return "unknown EFI status";
}

/* Boot-services pool memory (EfiLoaderData); NULL when the firmware has none left. */
void *efi_alloc_pool(UINTN size)
{
	void *p = NULL;

	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, size, &p)))
		return NULL;
	return p;
}

/**
 * efi_free_pool() - pool memory back to the firmware
 * @p: from efi_alloc_pool() (or the firmware's own pool), or NULL
 * @log: where a refusal is named, or NULL where no line can be written
 */
void efi_free_pool(void *p, struct mp_log *log)
{
	EFI_STATUS st;

	if (!p)
		return;
	st = uefi_call_wrapper(BS->FreePool, 1, p);
	if (EFI_ERROR(st))
		mp_printk(log, "memprobe: warning: FreePool(%#llx) failed: %s\n", (unsigned long long)(uintptr_t)p,
			  efi_status_name(st));
}

/**
 * efi_alloc_memmap_buffer() - a buffer for GetMemoryMap, with room to spare
 * @slack: descriptors more than the map holds now (allocating may add some)
 * @capacity: set to the buffer's size
 * @log: where a failure is named
 *
 * GetMemoryMap without a buffer says how big the map is now.
 * Return: the buffer (pool memory), or NULL after a line says why.
 */
void *efi_alloc_memmap_buffer(UINTN slack, UINTN *capacity, struct mp_log *log)
{
	UINTN size = 0, key = 0, desc_size = 0;
	UINT32 version = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &desc_size, &version);
	void *buf;

	if (st != EFI_BUFFER_TOO_SMALL) {
		mp_printk(log, "memprobe: error: GetMemoryMap without a buffer returned %s (0x%lx), not "
			       "EFI_BUFFER_TOO_SMALL\n",
			  efi_status_name(st), (unsigned long)st);
		return NULL;
	}
	*capacity = size + slack * (desc_size ? desc_size : 64);
	buf = efi_alloc_pool(*capacity);
	if (!buf)
		mp_printk(log, "memprobe: error: cannot allocate %lu bytes for the EFI memory map\n",
			  (unsigned long)*capacity);
	return buf;
}
