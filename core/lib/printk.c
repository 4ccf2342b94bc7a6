// SPDX-License-Identifier: MIT
/*
 * A freestanding vsnprintf with Linux's number semantics, and line output.
 *
 * Supported: %d %i %u %x %X %o %c %s %%, flags "-0# +", width and precision
 * (both may be "*"), length modifiers hh h l ll L z t j.
 */
#include <stdint.h>

#include "memprobe/lib/printk.h"

enum {
	F_LEFT = 1,	/* '-' */
	F_ZEROPAD = 2,	/* '0' */
	F_SPECIAL = 4,	/* '#' */
	F_PLUS = 8,	/* '+' */
	F_SPACE = 16,	/* ' ' */
};

/* Output cursor: counts every character, stores those that fit. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/*
 * Print an integer as Linux's number() does: the "0x" prefix is always
 * written with '#' (also for 0) and counts toward the field width.
 */
static void put_number(struct out *o, uint64_t value, int negative, unsigned base,
		       int upper, int flags, int width, int precision)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = 0;

	if (negative)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';
	if (sign)
		width--;
	if ((flags & F_SPECIAL) && base == 16)
		width -= 2;
	else if ((flags & F_SPECIAL) && base == 8 && value != 0)
		width -= 1;

	/* constant bases: shifts, and a multiply for 10, instead of a division per digit */
	if (base == 16)
		do {
			tmp[n++] = digits[value & 15];
			value >>= 4;
		} while (value);
	else if (base == 10)
		do {
			tmp[n++] = digits[value % 10];
			value /= 10;
		} while (value);
	else
		do {
			tmp[n++] = digits[value % base];
			value /= base;
		} while (value);

	if (precision < n)
		precision = n;
	width -= precision;

	if (!(flags & (F_LEFT | F_ZEROPAD)))
		put_repeat(o, ' ', width), width = 0;
	if (sign)
		put(o, sign);
	if (flags & F_SPECIAL) {
		if (base == 16) {
			put(o, '0');
			put(o, upper ? 'X' : 'x');
		} else if (base == 8 && tmp[n - 1] != '0') {
			put(o, '0');
		}
	}
	if (!(flags & F_LEFT))
		put_repeat(o, (flags & F_ZEROPAD) ? '0' : ' ', width), width = 0;
	put_repeat(o, '0', precision - n);
	while (n > 0)
		put(o, tmp[--n]);
	put_repeat(o, ' ', width);
}

static void put_string(struct out *o, const char *s, int flags, int width, int precision)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (precision < 0 || len < precision))
		len++;
	if (!(flags & F_LEFT))
		put_repeat(o, ' ', width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		put_repeat(o, ' ', width - len);
}

static int read_decimal(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < 100000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

/**
 * mp_vsnprintf() - vsnprintf() for the conversions above
 * @buf: where the text goes; always NUL-terminated when @size is not 0
 * @size: the size of @buf
 *
 * An unknown conversion is copied as written.
 *
 * Return: the length the whole text has, which is @size or more when it was cut.
 */
size_t mp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (const char *p = fmt; *p; p++) {
		int flags = 0, width = -1, precision = -1, lmod = 0;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		for (;; p++) {
			if (*p == '-')
				flags |= F_LEFT;
			else if (*p == '0')
				flags |= F_ZEROPAD;
			else if (*p == '#')
				flags |= F_SPECIAL;
			else if (*p == '+')
				flags |= F_PLUS;
			else if (*p == ' ')
				flags |= F_SPACE;
			else
				break;
		}
		if (*p == '*') {
			width = va_arg(args, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			p++;
		} else if (*p >= '0' && *p <= '9') {
			width = read_decimal(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				precision = va_arg(args, int);
				p++;
			} else {
				precision = read_decimal(&p);
			}
			if (precision < 0)
				precision = 0;
		}
		/* lmod: 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
		if (*p == 'h') {
			lmod = -1;
			if (*++p == 'h') {
				lmod = -2;
				p++;
			}
		} else if (*p == 'l') {
			lmod = 1;
			if (*++p == 'l') {
				lmod = 2;
				p++;
			}
		} else if (*p == 'L' || *p == 'j') {
			lmod = 2;
			p++;
		} else if (*p == 'z' || *p == 't') {
			lmod = 3;
			p++;
		}
		if (width < 0)
			width = 0;

		switch (*p) {
		case '%':
			put(&o, '%');
			break;
		case 'c': {
			char c = (char)va_arg(args, int);

			if (!(flags & F_LEFT))
				put_repeat(&o, ' ', width - 1);
			put(&o, c);
			if (flags & F_LEFT)
				put_repeat(&o, ' ', width - 1);
			break;
		}
		case 's':
			put_string(&o, va_arg(args, const char *), flags, width, precision);
			break;
		case 'd':
		case 'i': {
			int64_t v;

			if (lmod == 2)
				v = va_arg(args, long long);
			else if (lmod == 1 || lmod == 3)
				v = va_arg(args, long);
			else
				v = va_arg(args, int);
			if (lmod == -1)
				v = (short)v;
			else if (lmod == -2)
				v = (signed char)v;
			put_number(&o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0, 10,
				   0, flags, width, precision);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v;
			unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;

			if (lmod == 2)
				v = va_arg(args, unsigned long long);
			else if (lmod == 1 || lmod == 3)
				v = va_arg(args, unsigned long);
			else
				v = va_arg(args, unsigned int);
			if (lmod == -1)
				v = (unsigned short)v;
			else if (lmod == -2)
				v = (unsigned char)v;
			put_number(&o, v, 0, base, *p == 'X', flags & ~(F_PLUS | F_SPACE), width,
				   precision);
			break;
		}
		case '\0':
			p--;	/* a lone '%' at the end: stop at the terminator */
			break;
		default:
			/* Unknown conversion: show it as written. */
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

/**
 * mp_snprintf() - snprintf() on mp_vsnprintf()
 *
 * Return: the length the whole text has, which is @size or more when it was cut.
 */
size_t mp_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = mp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/**
 * mp_printk() - format text and hand it to the log's sink
 * @log: the log; NULL, or one without a sink, drops the text
 *
 * Text longer than MP_LINE_MAX - 1 is cut, and then ends with a newline.
 */
void mp_printk(struct mp_log *log, const char *fmt, ...)
{
	char line[MP_LINE_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = mp_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= sizeof(line)) {
		/* Keep the line terminated even when it was cut. */
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (log && log->write)
		log->write(log->ctx, line, n);
}

/* Hand the record to the sink as a line and start an empty one. */
static void cont_flush(struct mp_cont *c)
{
	c->text[c->len] = '\n';
	if (c->log && c->log->write)
		c->log->write(c->log->ctx, c->text, c->len + 1);
	c->len = 0;
}

/* Append a piece, or start a new record when the piece and its NUL would pass c->max. */
static void cont_put(struct mp_cont *c, const char *piece, size_t n)
{
	if (c->len && c->len + n + 1 > c->max)
		cont_flush(c);
	for (size_t i = 0; i < n && c->len < sizeof(c->text) - 1; i++)
		c->text[c->len++] = piece[i];
}

static void cont_append(struct mp_cont *c, const char *fmt, va_list ap)
{
	char piece[MP_LINE_MAX];
	size_t n = mp_vsnprintf(piece, sizeof(piece), fmt, ap);

	cont_put(c, piece, n < sizeof(piece) ? n : sizeof(piece) - 1);
}

/**
 * mp_cont_start() - begin a line Linux prints with pr_info() and pr_cont()
 * @c: the line being built
 * @log: where its records go
 * @max: the kernel's largest record, at most MP_RECORD_MAX
 */
void mp_cont_start(struct mp_cont *c, struct mp_log *log, unsigned max, const char *fmt, ...)
{
	va_list ap;

	c->log = log;
	c->max = max < MP_RECORD_MAX ? max : MP_RECORD_MAX;
	c->len = 0;
	va_start(ap, fmt);
	cont_append(c, fmt, ap);
	va_end(ap);
}

/**
 * mp_cont_number() - pr_cont("%d ", @value), without formatting: lists of
 * node ids are long (a zonelist per node) and are all this piece
 * @c: the line being built
 * @value: the number
 */
void mp_cont_number(struct mp_cont *c, unsigned value)
{
	char piece[12];
	size_t n = sizeof(piece) - 1;

	piece[n] = ' ';
	do {
		piece[--n] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	cont_put(c, piece + n, sizeof(piece) - n);
}

/* mp_cont_end() - pr_cont("\n"): the newline needs a byte of its own, and may start a record. */
void mp_cont_end(struct mp_cont *c)
{
	if (c->len + 2 > c->max)
		cont_flush(c);
	cont_flush(c);
}

/* The line that closes a kind of finding with more than MP_EXAMPLES examples. */
void mp_findings_more(struct mp_log *log, const struct mp_findings *f, const char *what)
{
	if (f->count > MP_EXAMPLES)
		mp_printk(log, "memprobe: %s: %u more not listed (%u in all)\n", what,
			  f->count - MP_EXAMPLES, f->count);
}
