/* Private parts of the lint module. */
#ifndef UCPKI_LINT_INTERNAL_H
#define UCPKI_LINT_INTERNAL_H

#include "ucpki/lint.h"

/* How a file found its profile file (with --profile). */
enum lint_match {
	LINT_MATCH_NAME = 0,       /* by its name (or no profile applies) */
	LINT_MATCH_CONTENT,        /* by what it holds: its name is none of the profile's */
	LINT_MATCH_NONE,           /* neither name nor content match a profile file */
	LINT_MATCH_AMBIGUOUS       /* the content fits several profile files */
};

struct lint_file {
	char *name;
	const struct ucpki_pack *pack;
	struct ucpki_pack *owned;      /* when the run loaded it */
	const struct ucpki_profile_file *spec;
	enum lint_match match;
	unsigned char digest[32];      /* SHA-256 of the bytes */
	int have_digest;
};

struct ucpki_lint {
	struct ucpki_lint_opts o;
	struct lint_file *files;
	int n_files, cap_files;
	struct ucpki_finding *f;
	int n, cap;
	STACK_OF(X509) *pool;          /* every certificate of every file (borrowed) */
};

/* Report against a rule; the severity follows whether a profile applies. */
void lint_report(struct ucpki_lint *l, const char *rule_id, const char *file, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* Certificate classes. */
int lint_is_ca(X509 *x);
int lint_is_self_signed(X509 *x);
/* "CN=host" style short name of a certificate into buf. */
const char *lint_cert_name(X509 *x, char *buf, size_t len);

/* Rule groups. */
void lint_cert_rules(struct ucpki_lint *l, const char *file, X509 *x);
void lint_file_rules(struct ucpki_lint *l, struct lint_file *f);
void lint_profile_rules(struct ucpki_lint *l);

/* The profile file a file's content stands for, when its name is none of
 * the profile's (sets f->spec and f->match); and the notice saying how it
 * was matched, or why not. */
void lint_match_content(struct ucpki_lint *l, struct lint_file *f);
void lint_match_report(struct ucpki_lint *l, const struct lint_file *f);

/* 1 if a file of format f is loaded as container c. */
int lint_format_fits(enum ucpki_container c, enum ucpki_format f);
/* What object i of p is in a profile's words (key is the file's key or NULL). */
enum ucpki_item lint_item_of(const struct ucpki_pack *p, int i, EVP_PKEY *key);

/* 1 if x has an extendedKeyUsage extension listing nid. */
int lint_has_eku(X509 *x, int nid);

#endif
