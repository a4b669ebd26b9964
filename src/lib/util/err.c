/* Error and warning helpers (see ucpki/err.h). */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "ucpki/err.h"

__attribute__((format(printf, 3, 0)))
static void vset(struct ucpki_err *e, enum ucpki_code code, const char *fmt, va_list ap)
{
	e->code = code;
	e->hint = UCPKI_HINT_NONE;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int ucpki_err_hint(struct ucpki_err *e, enum ucpki_hint hint)
{
	if (e)
		e->hint = hint;
	return -1;
}

const char *ucpki_err_code_name(enum ucpki_code code)
{
	static const char *const names[] = {
		[UCPKI_OK] = "ok",           [UCPKI_E_INPUT] = "input",   [UCPKI_E_NOTFOUND] = "not-found",
		[UCPKI_E_EXISTS] = "exists", [UCPKI_E_PASSWORD] = "password", [UCPKI_E_IO] = "io",
		[UCPKI_E_POLICY] = "policy", [UCPKI_E_CHECK] = "check",   [UCPKI_E_BUSY] = "busy",
		[UCPKI_E_INTERNAL] = "internal",
	};
	return (unsigned)code < sizeof(names) / sizeof(names[0]) && names[code] ? names[code] : "internal";
}

int ucpki_err_set(struct ucpki_err *e, enum ucpki_code code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

/* Append the most useful OpenSSL reason: the earliest error in the queue is
 * the root cause, later ones are the callers that passed it on. */
static void append_ssl_reason(struct ucpki_err *e)
{
	unsigned long first = ERR_get_error(), next;
	char buf[256];
	size_t len;

	while ((next = ERR_get_error()) != 0)
		;
	if (first == 0)
		return;
	ERR_error_string_n(first, buf, sizeof(buf));
	/* Keep only the reason text after the last colon-separated field. */
	const char *reason = ERR_reason_error_string(first);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof(e->msg) - len, " (%s)", reason ? reason : buf);
}

int ucpki_err_ssl(struct ucpki_err *e, enum ucpki_code code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL) {
		ERR_clear_error();
		return -1;
	}
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	append_ssl_reason(e);
	return -1;
}

void ucpki_err_prefix(struct ucpki_err *e, const char *fmt, ...)
{
	char prefix[256], old[UCPKI_ERR_MAX];
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	size_t plen = strlen(prefix);

	memcpy(old, e->msg, sizeof(old));
	if (plen >= sizeof(e->msg))
		plen = sizeof(e->msg) - 1;
	memcpy(e->msg, prefix, plen);
	/* the old message follows, cut to what still fits */
	size_t olen = strnlen(old, sizeof(old) - 1);
	if (olen > sizeof(e->msg) - 1 - plen)
		olen = sizeof(e->msg) - 1 - plen;
	memcpy(e->msg + plen, old, olen);
	e->msg[plen + olen] = '\0';
}

void ucpki_err_clear(struct ucpki_err *e)
{
	if (e == NULL)
		return;
	e->code = UCPKI_OK;
	e->hint = UCPKI_HINT_NONE;
	e->msg[0] = '\0';
}

int ucpki_err_exit_status(const struct ucpki_err *e)
{
	return e->code == UCPKI_E_CHECK ? 1 : 2;
}

void ucpki_warn(struct ucpki_warnings *w, const char *fmt, ...)
{
	char buf[UCPKI_WARN_LEN];
	va_list ap;

	if (w == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (int i = 0; i < w->n; i++)
		if (strcmp(w->msg[i], buf) == 0)
			return;
	if (w->n >= UCPKI_WARN_MAX)
		return;
	memcpy(w->msg[w->n++], buf, sizeof(buf));
}
