// SPDX-License-Identifier: MIT
/*
 * COM1 after ExitBootServices: a 16550 at I/O port 0x3f8, found by its
 * scratch register and written by polling, since no firmware is left to
 * ask.
 */
#include "after_exit.h"

#define COM1 0x3f8
#define UART_SCRATCH 7
#define UART_LINE_STATUS 5
#define UART_THR_EMPTY 0x20
#define SPINS_PER_BYTE 100000	/* a stuck UART costs a bounded wait per byte, not a hang */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Return: whether a 16550 answers at COM1 (its scratch register keeps what is written). */
bool com1_present(void)
{
	outb(COM1 + UART_SCRATCH, 0x5a);
	if (inb(COM1 + UART_SCRATCH) != 0x5a)
		return false;
	outb(COM1 + UART_SCRATCH, 0xa5);
	return inb(COM1 + UART_SCRATCH) == 0xa5;
}

static void com1_putc(char c)
{
	for (unsigned spin = 0; spin < SPINS_PER_BYTE && !(inb(COM1 + UART_LINE_STATUS) & UART_THR_EMPTY); spin++)
		;
	outb(COM1, (uint8_t)c);
}

/* Text to COM1, each newline preceded by a carriage return. */
void com1_write(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			com1_putc('\r');
		com1_putc(text[i]);
	}
}
