/*
 * ucpki/err.h - how every libucpki function reports failure.
 *
 * Convention for the whole library: functions return 0 on success and -1 on
 * failure; on failure they have filled the caller's struct ucpki_err exactly
 * once, at the place where the failure happened, with a code the caller can
 * branch on and a one-line message fit to show a user (it names the file or
 * object and what is wrong; OpenSSL's error queue is folded in when it
 * explains the failure). Functions returning pointers return NULL on failure.
 * Library code never prints and never exits.
 *
 * Non-fatal findings (weak key size, SHA-1, a clamped validity) are collected
 * in a struct ucpki_warnings the caller may pass; NULL means "don't care".
 */
#ifndef UCPKI_ERR_H
#define UCPKI_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum ucpki_code {
	UCPKI_OK = 0,
	UCPKI_E_INPUT,     /* malformed input: DN, key spec, file contents */
	UCPKI_E_NOTFOUND,  /* unknown PKI, CA, serial, alias, file */
	UCPKI_E_EXISTS,    /* name or alias already taken */
	UCPKI_E_PASSWORD,  /* wrong passphrase or password */
	UCPKI_E_IO,        /* a file could not be read or written */
	UCPKI_E_POLICY,    /* refused by a rule: pathlen, key not matching */
	UCPKI_E_CHECK,     /* a check ran and failed (verify, lint, match) */
	UCPKI_E_BUSY,      /* the state database stayed locked */
	UCPKI_E_INTERNAL   /* a bug or an unexpected library failure */
};

/* What would fix the failure, as data: the library says what is needed,
 * the command turns it into its own words (an option, a command), so
 * library messages never name command-line options. */
enum ucpki_hint {
	UCPKI_HINT_NONE = 0,
	UCPKI_HINT_FORCE,          /* replacing an existing output must be asked for */
	UCPKI_HINT_STATE_PASS,     /* the state passphrase is needed */
	UCPKI_HINT_STATE_DIR,      /* no state here: create one or name another */
	UCPKI_HINT_SUBJECT,        /* a subject DN (or a template and its CN) is needed */
	UCPKI_HINT_SUBORDINATE,    /* subordinate CAs are made by creating a CA under a parent */
	UCPKI_HINT_COUNT
};

#define UCPKI_ERR_MAX 768

struct ucpki_err {
	enum ucpki_code code;
	enum ucpki_hint hint;
	char msg[UCPKI_ERR_MAX];
};

/* Fill e (if not NULL) with code and a printf-style message; returns -1 so
 * callers can write `return ucpki_err_set(e, ...)`. */
int ucpki_err_set(struct ucpki_err *e, enum ucpki_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, then append the reason from OpenSSL's error queue (and clear it). */
int ucpki_err_ssl(struct ucpki_err *e, enum ucpki_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an already-filled message with more context ("FILE: "). */
void ucpki_err_prefix(struct ucpki_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset to UCPKI_OK with an empty message. */
void ucpki_err_clear(struct ucpki_err *e);

/* Attach a hint to the error just set (ucpki_err_set() clears it).
 * Returns -1, for `ucpki_err_set(e, ...); return ucpki_err_hint(e, H);`. */
int ucpki_err_hint(struct ucpki_err *e, enum ucpki_hint hint);

/* "input", "not-found", "exists", "password", "io", "policy", "check",
 * "busy", "internal": the code as a JSON error names it. */
const char *ucpki_err_code_name(enum ucpki_code code);

/* Process exit status a command should use for this error: 1 for
 * UCPKI_E_CHECK, 2 for everything else. */
int ucpki_err_exit_status(const struct ucpki_err *e);

#define UCPKI_WARN_MAX 32
#define UCPKI_WARN_LEN 256

struct ucpki_warnings {
	int n;
	char msg[UCPKI_WARN_MAX][UCPKI_WARN_LEN];
};

/* Add a warning to w (ignored if w is NULL; extra warnings past the maximum
 * are dropped). Identical messages are kept once. */
void ucpki_warn(struct ucpki_warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
