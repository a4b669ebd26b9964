/*
 * ucpki/lint.h - checking certificates, keys and the files that carry them
 * against RFC 5280, the guide's solution-wide rules (R1-R12) and a product
 * profile, before anything is installed.
 *
 * Rules are a table (ucpki_lint_rules()) with stable ids, a severity and
 * the RFC clause or guide section each comes from; docs/lint.md lists them.
 * A run collects the files of one bundle (one product's files, or any files
 * a user names), then ucpki_lint_run() reports findings. A run owns what it
 * loads itself; packs added with ucpki_lint_add_pack() are borrowed and must
 * outlive the run. Free with ucpki_lint_free().
 */
#ifndef UCPKI_LINT_H
#define UCPKI_LINT_H

#include <stddef.h>
#include <time.h>

#include "ucpki/err.h"
#include "ucpki/formats.h"
#include "ucpki/profiles.h"

enum ucpki_severity {
	UCPKI_SEV_NOTICE = 0,
	UCPKI_SEV_WARNING,
	UCPKI_SEV_ERROR
};

/* What a rule applies to. */
enum ucpki_rule_scope {
	UCPKI_SCOPE_ALWAYS = 0,  /* every run */
	UCPKI_SCOPE_PROFILE,     /* only when a product profile applies */
	UCPKI_SCOPE_SOLUTION     /* across the nodes of a solution (R3, R12, CN of a node) */
};

struct ucpki_lint_rule {
	const char *id;                 /* stable: "key-mismatch" */
	enum ucpki_severity severity;   /* without a profile */
	enum ucpki_severity severity_profile; /* when a profile applies */
	enum ucpki_rule_scope scope;
	const char *ref;                /* "RFC 5280 4.2.1.9", "guide 3.1.2" */
	const char *summary;            /* what it checks, one line */
};

/* Every rule in a stable order; *n gets the count. */
const struct ucpki_lint_rule *ucpki_lint_rules(int *n);
const struct ucpki_lint_rule *ucpki_lint_rule_find(const char *id);
const char *ucpki_severity_name(enum ucpki_severity s);

struct ucpki_finding {
	const struct ucpki_lint_rule *rule;
	enum ucpki_severity severity;   /* the rule's, for this run */
	char file[256];                 /* as added ("" for solution-wide findings) */
	char msg[320];
};

struct ucpki_lint_opts {
	const struct ucpki_profile *profile; /* NULL: generic rules only */
	int version;                    /* solution version; 0 = unknown */
	int expiring_days;              /* warn when notAfter is this close; 0 = 30 */
	int bundle_complete;            /* the files are the whole bundle: report missing ones */
	time_t now;                     /* 0 = time(NULL) */
	const char *expect_cn;          /* solution lint: the CN the node must have, or NULL */
	const char *domain, *hostname;  /* fill SAN templates ({domain}, {hostname}), or NULL */
};

struct ucpki_lint;

struct ucpki_lint *ucpki_lint_new(const struct ucpki_lint_opts *o, struct ucpki_err *e);
void ucpki_lint_free(struct ucpki_lint *l);

/* Read and add a file (any format ucpki_pack_load() reads; password for
 * PKCS#12, JKS and encrypted keys, may be NULL). name is how findings name
 * it (NULL = path); spec_name is the profile file it must match (NULL =
 * its base name); when no file of the profile has that name, the run
 * matches it to the profile's file its content stands for. Fails (with UCPKI_E_PASSWORD, UCPKI_E_INPUT, ...) when
 * the file cannot be read at all. */
int ucpki_lint_add_file(struct ucpki_lint *l, const char *path, const char *name,
                        const char *spec_name, const char *password, struct ucpki_err *e);
/* Add already loaded contents (borrowed). raw/raw_len are the file bytes
 * (for copies and PEM style; may be NULL). */
int ucpki_lint_add_pack(struct ucpki_lint *l, const char *name, const char *spec_name,
                        const struct ucpki_pack *pack, const unsigned char *raw,
                        size_t raw_len, struct ucpki_err *e);

/* Run every applicable rule. */
int ucpki_lint_run(struct ucpki_lint *l, struct ucpki_err *e);

/* Report a finding from outside (solution-wide rules); fmt is the message. */
void ucpki_lint_report(struct ucpki_lint *l, const char *rule_id, const char *file,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

int ucpki_lint_count(const struct ucpki_lint *l);
const struct ucpki_finding *ucpki_lint_at(const struct ucpki_lint *l, int i);
/* Number of findings of a severity. */
int ucpki_lint_tally(const struct ucpki_lint *l, enum ucpki_severity s);

#endif
