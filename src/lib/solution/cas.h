/* The CAs of a solution run (see cas.c). */
#ifndef UCPKI_SOLUTION_CAS_H
#define UCPKI_SOLUTION_CAS_H

#include "solution/solution_internal.h"

#define CA_SET_MAX 64

struct ca_entry {
	char ref[160];
	struct ucpki_ca *ca;
	STACK_OF(X509) *chain;   /* the CA and those above it, roots excluded (borrowed certs) */
	X509 *root;              /* borrowed; NULL when the state has none */
	char root_md5[33];       /* "" when not RSA */
	char fp[100];            /* SHA-256 fingerprint of the CA certificate */
	time_t not_after;
};

struct ca_set {
	struct ca_entry v[CA_SET_MAX];
	int n;
};

/* Create the PKI, root and issuing CA (or import the customer's CA) when
 * missing; check that existing ones match the inventory. */
int cas_ensure(struct ucpki_state *st, const struct ucpki_inventory *inv,
               struct ucpki_warnings *w, struct ucpki_err *e);
/* The SHA-1 sibling of the issuing CA for version 4-6 nodes (R4). */
int cas_ensure_sha1_sibling(struct ucpki_state *st, const struct ucpki_inventory *inv,
                            struct ucpki_warnings *w, struct ucpki_err *e);
/* The DLS subordinate CA of a dls-pki node. */
int cas_ensure_subca(struct ucpki_state *st, const struct ucpki_inventory *inv,
                     const struct node_spec *s, struct ucpki_warnings *w, struct ucpki_err *e);

/* Open (once) and unlock a CA of the run. */
struct ca_entry *cas_get(struct ca_set *set, struct ucpki_state *st, const char *ref,
                         struct ucpki_err *e);
struct ca_entry *cas_find(const struct ca_set *set, const char *ref);
void cas_free(struct ca_set *set);

#endif
