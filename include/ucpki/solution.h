/*
 * ucpki/solution.h - a whole solution from one inventory: plan, issue,
 * package, lint and report every device's certificate in its product's
 * exact format (docs/inventory.md).
 *
 * An inventory (YAML) names the solution, its version, its PKI and CAs,
 * defaults, and the nodes: each node is one certificate (rule R2: all of a
 * node's FQDNs and IPs go into its SAN) packaged for one or more products.
 * Loading checks everything a run needs - products, names, addresses,
 * versions, key specs, password files - and fails with one message naming
 * the inventory line and key, before anything is touched.
 *
 * ucpki_solution_issue() writes OUT/<node>/ with exactly the product's files,
 * INSTALL.md and secrets/, plus OUT/manifest.json. OUT is assembled beside
 * itself and moved into place only when complete. Before anything is made,
 * every rule the plan decides is checked (ucpki_solution_check()).
 * Re-running reuses a node's bundle unless its certificate spec (profile,
 * SANs, subject, key spec, hash, CA) or the extra trust anchors of its
 * trust files changed, its certificate was revoked, --renew is given or
 * names it, or it expires within renew_within days.
 *
 * Everything returned is owned by the caller and freed with the matching
 * _free(); callbacks get borrowed data valid only during the call.
 */
#ifndef UCPKI_SOLUTION_H
#define UCPKI_SOLUTION_H

#include <time.h>

#include "ucpki/ca.h"
#include "ucpki/err.h"
#include "ucpki/lint.h"
#include "ucpki/profiles.h"

struct ucpki_inventory;

/* Parse and check an inventory. Relative paths inside it (password files,
 * PKCS#12 imports) are taken from the inventory's directory. Free with
 * ucpki_inventory_free(). */
struct ucpki_inventory *ucpki_inventory_load(const char *path,
                                             const struct ucpki_profile_set *profiles,
                                             struct ucpki_warnings *w, struct ucpki_err *e);
/* The same from memory: label names it in messages, base_dir resolves
 * relative paths (NULL = current directory). */
struct ucpki_inventory *ucpki_inventory_parse(const char *label, const char *data, size_t len,
                                              const char *base_dir,
                                              const struct ucpki_profile_set *profiles,
                                              struct ucpki_warnings *w, struct ucpki_err *e);
void ucpki_inventory_free(struct ucpki_inventory *inv);

const char *ucpki_inventory_solution(const struct ucpki_inventory *inv);
const char *ucpki_inventory_pki(const struct ucpki_inventory *inv);
int ucpki_inventory_version(const struct ucpki_inventory *inv);
int ucpki_inventory_node_count(const struct ucpki_inventory *inv);

/* What a node will get (or got): the plan of one certificate. */
enum ucpki_node_action {
	UCPKI_ACTION_ISSUE = 0,  /* no usable bundle yet */
	UCPKI_ACTION_REISSUE,    /* the spec or trust anchors changed, or revoked */
	UCPKI_ACTION_RENEW,      /* --renew, or expiring within --renew-within */
	UCPKI_ACTION_REUSE,      /* the bundle in OUT is current */
	UCPKI_ACTION_CA_ONLY     /* the products get CA certificates only */
};

struct ucpki_plan_node {
	const char *name;
	const char *products;    /* "osv" or "uc-assistant,uc-cmp" */
	int line;                /* in the inventory */
	int version;
	enum ucpki_node_action action;
	const char *reason;      /* why (one line) */
	const char *ca;          /* issuing CA "PKI/CA" */
	const char *subject;     /* "C=US, ..., CN=osv1.acme.example" */
	const char *sans;        /* "DNS:a, IP:b" */
	const char *eku;         /* "serverAuth,clientAuth" */
	const char *key;         /* "rsa:2048" */
	const char *hash;        /* "sha256" */
	int days;
	time_t not_after;        /* expected (issue) or current (reuse) */
	int clamped_2038;        /* notAfter was clamped (R5) */
	const char *serial;      /* reuse: the current serial; else "" */
	const char *location;    /* or "" */
	const char *warnings;    /* "; "-separated, or "" */
	int n_files;             /* files the bundle will hold (INSTALL.md excluded) */
};

typedef int (*ucpki_plan_cb)(void *arg, const struct ucpki_plan_node *n);

/* A rule broken by the plan itself, found before anything is issued. */
struct ucpki_violation {
	const char *node;        /* "" for the solution as a whole */
	int line;                /* the node's line in the inventory */
	const char *rule;        /* lint rule id ("org-distinct"; see docs/lint.md) */
	const char *tag;         /* the product rule ("R12") or guide section, or "" */
	const char *msg;         /* what is wrong */
	const char *fix;         /* what to change in the inventory */
};
typedef int (*ucpki_violation_cb)(void *arg, const struct ucpki_violation *v);

struct ucpki_solution_opts {
	const char *out_dir;     /* OUT */
	int renew;               /* reissue every node */
	const char *renew_nodes; /* "a,b": reissue these nodes, or NULL */
	int renew_within;        /* reissue nodes expiring within DAYS; 0 = off */
	int threads;             /* worker threads; 0 = one per CPU */
	time_t now;              /* 0 = time(NULL) */
	int lock_wait_ms;        /* wait for another writer of OUT: 0 = UCPKI_LOCK_TIMEOUT_MS,
	                            negative = do not wait */
	/* progress while issuing: called from the calling thread */
	void (*progress)(void *arg, int done, int total);
	void *progress_arg;
	/* pre-issuance violations (plan and issue stop before anything is
	 * issued when there is one); NULL = only the count in the error */
	ucpki_violation_cb violation;
	void *violation_arg;
};

/* Every error-level rule that the plan decides on its own - per node (key
 * types, EKUs, R12 organisation, R5 2038 in the chain, R4 SHA-1 by version,
 * critical extensions every accepting product takes) and solution-wide (R3
 * one CA) - checked against the CAs in st (may be NULL), the CA to import,
 * and those issue would create; nothing is written. Each violation goes to
 * cb; *violations counts them. plan and issue run it first. */
int ucpki_solution_check(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         ucpki_violation_cb cb, void *arg, int *violations,
                         struct ucpki_err *e);

/* Tell what issue would do, node by node, without changing the state or
 * OUT. st may be NULL (no state yet: every node is issued). */
int ucpki_solution_plan(struct ucpki_state *st, const struct ucpki_inventory *inv,
                        const struct ucpki_solution_opts *o, ucpki_plan_cb cb, void *arg,
                        struct ucpki_warnings *w, struct ucpki_err *e);

/* Where the time of an issue run went (seconds of wall clock; the phases
 * run on several threads, so thread time is summed per phase). */
struct ucpki_timing {
	double total;
	double setup;            /* inventory, state, CAs, old manifest */
	double keygen;           /* thread seconds generating keys */
	double sign;             /* thread seconds building and signing */
	double package;          /* thread seconds encoding files (PKCS#12 key derivation) */
	double lint;             /* thread seconds linting bundles */
	double record;           /* recording certificates in the state */
	double write;            /* writing files, manifest, moving OUT into place */
	int threads;
};

struct ucpki_issue_summary {
	int nodes, issued, reused, ca_only;
	int files;
	int lint_errors, lint_warnings, lint_notices;
	struct ucpki_timing t;
};

/* Everything issue needs from its surroundings, checked before a state,
 * a key or a file exists: OUT (its parent exists and is writable, OUT is
 * absent, empty or an earlier output whose files can be replaced), the
 * state directory is not inside OUT (state_dir may be NULL), and a
 * customer CA to import opens with its password file. */
int ucpki_solution_validate(const struct ucpki_inventory *inv, const char *state_dir,
                            const struct ucpki_solution_opts *o, struct ucpki_err *e);

/* Issue the solution into opts->out_dir (see the header comment).
 * OUT is locked for the whole run (OUT.lock beside it); staging
 * directories of killed runs are removed first, or delivered when the
 * state recorded their certificates (so no node is issued twice). Creates
 * the PKI and its CAs in st when missing, reuses them when present (their
 * subjects must match the inventory). */
int ucpki_solution_issue(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         const struct ucpki_solution_opts *o, struct ucpki_issue_summary *sum,
                         struct ucpki_warnings *w, struct ucpki_err *e);

/* Lint every written bundle with its node's profiles, version and names,
 * plus the solution-wide rules (R3 same CA, R12, CN rules). cb gets each
 * finding with the node it belongs to ("" for solution-wide ones). */
typedef int (*ucpki_solution_finding_cb)(void *arg, const char *node,
                                         const struct ucpki_finding *f);
int ucpki_solution_lint(const struct ucpki_inventory *inv, const char *out_dir,
                        ucpki_solution_finding_cb cb, void *arg, int *errors, int *warnings,
                        struct ucpki_err *e);

/* One row of status. */
struct ucpki_node_status {
	const char *name, *products, *serial, *ca;
	time_t not_after;        /* 0 when not issued */
	int expires_in_days;
	const char *state;       /* "ok", "missing", "modified", "revoked", "expired",
	                            "outdated", "not issued", "ca only" */
	int lint_errors, lint_warnings;
	const char *location;
	const char *attention;   /* why the node needs action (status exits 1), or NULL */
};
typedef int (*ucpki_status_cb)(void *arg, const struct ucpki_node_status *s);

/* Compare the inventory with OUT/manifest.json, the files and the state
 * (st may be NULL): one row per node. A row needs attention when the node
 * is revoked, its files are missing or modified, it has expired or expires
 * within expiring_days (0 = no window), or its bundle failed lint. */
int ucpki_solution_status(struct ucpki_state *st, const struct ucpki_inventory *inv,
                          const char *out_dir, time_t now, int expiring_days,
                          ucpki_status_cb cb, void *arg, struct ucpki_err *e);

/* --- Live probes ----------------------------------------------------------- */

struct ucpki_solution_probe_opts {
	const char *out_dir;     /* where manifest.json tells what was issued */
	int timeout_ms;          /* connect and handshake, each; 0 = 3000 */
	const char *node;        /* only this node, or NULL for all */
};

/* What one node's TLS endpoint presents, judged at the level its clients
 * use (the product profile's verify level), against the solution's CAs. */
struct ucpki_node_probe {
	const char *name, *products;
	const char *skipped;     /* why the node was not probed, or NULL */
	const char *host;        /* first FQDN, else first IP */
	int port;                /* the node's port, else the product's first endpoint */
	const char *endpoint;    /* "SIP over TLS" */
	const char *level;       /* "none", "trusted", "full" */
	const char *issued_serial; /* from the manifest, "" when not issued */
	int reached;             /* a TLS handshake completed */
	const char *error;       /* why not reached, or NULL */
	const char *live_serial, *live_subject;
	time_t not_after;
	int expires_in_days;
	int ours;                /* the live certificate is the one ucpki issued */
	int accepted;            /* the verdict at level */
	const char *verdict;     /* "accepted" or the one-line reason */
};
typedef int (*ucpki_probe_cb)(void *arg, const struct ucpki_node_probe *p);

/* Probe every node with a TLS endpoint. *failures counts nodes that were
 * unreachable, present a certificate ucpki did not issue, or are rejected
 * at their level. st gives the solution's CAs as trust anchors. */
int ucpki_solution_probe(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         const struct ucpki_solution_probe_opts *o, ucpki_probe_cb cb, void *arg,
                         int *failures, struct ucpki_err *e);

const char *ucpki_node_action_name(enum ucpki_node_action a);

#endif
