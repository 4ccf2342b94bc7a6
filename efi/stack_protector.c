// SPDX-License-Identifier: MIT
/*
 * The stack protector's guard and failure handler for the UEFI build
 * (-fstack-protector-strong -mstack-protector-guard=global): firmware has
 * no thread pointer for the usual %fs canary.  The guard is a constant,
 * because efi_main's own frame is guarded before any code could set it;
 * it catches a frame overwritten by accident, which is what a firmware
 * tool needs to know.
 */
#include "efi-frontend.h"

#include <lib.h>

uintptr_t __stack_chk_guard = 0x5a17c0de2b6d9e41ULL;

void __stack_chk_fail(void) __attribute__((noreturn));

/* Say so on the console and leave to the firmware: memprobe's own stack was overwritten. */
void __stack_chk_fail(void)
{
	uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut,
			  L"memprobe: error: stack smashing detected in memprobe itself; stopping\r\n");
	uefi_call_wrapper(BS->Exit, 4, LibImageHandle, EFI_ABORTED, 0, NULL);
	for (;;)
		__asm__ volatile("hlt");
}
