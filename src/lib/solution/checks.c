/*
 * Pre-issuance checks: every error-level rule the plan decides on its own,
 * run before a key is generated, a CA created or a row written. The CAs a
 * node will chain to are read from the state when they exist, from the
 * PKCS#12 to import, or known to be made by ucpki (which marks only
 * basicConstraints critical, never reaches 2038 and signs by version).
 * The post-issue lint stays the second line of defence.
 *
 * Also here: which products connect to which (verify.clients), and the
 * revoked serials of the state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "solution/checks.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

/* 2038-01-19T03:14:07Z, as lint's r5-2038 counts it. */
#define Y2038 ((time_t)2147483647)

/* --- clients ---------------------------------------------------------------- */

/* Client groups of the profiles' verify.clients; "x-*" is a prefix. */
static const struct {
	const char *client, *product;
} client_groups[] = {
	{"uc", "uc-*"},          {"phones", "phone-*"},   {"gateways", "rg8700"},
	{"gateways", "mediatrix"}, {"gateways", "hipath4000"}, {"branch", "branch-sbc"},
	{"sbc", "branch-sbc"},   {"osb", "branch-sbc"},   {"facade", "facade-*"},
	{"openfire-federation", "openfire"},
};

static int product_matches(const char *pattern, const char *id)
{
	size_t n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, id, n - 1) == 0;
	return strcmp(pattern, id) == 0;
}

int client_means(const char *client, const struct ucpki_profile *p)
{
	if (strcmp(client, p->id) == 0)
		return 1;
	for (size_t i = 0; i < sizeof(client_groups) / sizeof(client_groups[0]); i++)
		if (strcmp(client_groups[i].client, client) == 0 &&
		    product_matches(client_groups[i].product, p->id))
			return 1;
	return 0;
}

int node_serves(const struct inv_node *n, const struct ucpki_profile *q)
{
	for (int i = 0; i < n->n_products; i++)
		for (int k = 0; k < n->products[i]->n_clients; k++)
			if (client_means(n->products[i]->clients[k], q))
				return 1;
	return 0;
}

const char *critical_not_allowed(X509 *x, const struct ucpki_profile *p, char *buf,
                                 size_t len)
{
	if (p->n_critical_ok < 0)
		return NULL;
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *ext = X509_get_ext(x, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext)), ok = 0;
		if (!X509_EXTENSION_get_critical(ext))
			continue;
		for (int j = 0; j < p->n_critical_ok && !ok; j++) {
			int allowed = OBJ_sn2nid(p->critical_ok[j]);
			if (allowed == NID_undef)
				allowed = OBJ_txt2nid(p->critical_ok[j]);
			ok = allowed == nid && nid != NID_undef;
		}
		if (!ok) {
			if (nid != NID_undef)
				snprintf(buf, len, "%s", OBJ_nid2sn(nid));
			else
				OBJ_obj2txt(buf, (int)len, X509_EXTENSION_get_object(ext), 1);
			return buf;
		}
	}
	return NULL;
}

/* --- revoked serials ---------------------------------------------------------- */

static int collect_revoked(void *arg, const char *ca_ref, const struct ucpki_cert_rec *r)
{
	struct revoked *rv = arg;

	(void)ca_ref;
	if (r->status != UCPKI_CERT_REVOKED)
		return 0;
	if (rv->n == rv->cap) {
		int ncap = rv->cap ? 2 * rv->cap : 16;
		char **nv = realloc(rv->serials, (size_t)ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		rv->serials = nv;
		rv->cap = ncap;
	}
	if ((rv->serials[rv->n] = strdup(r->serial)) == NULL)
		return -1;
	rv->n++;
	return 0;
}

int revoked_load(struct ucpki_state *st, struct revoked *rv, struct ucpki_err *e)
{
	memset(rv, 0, sizeof(*rv));
	if (st == NULL)
		return 0;
	if (ucpki_certs_list(st, NULL, -1, collect_revoked, rv, e) != 0) {
		revoked_free(rv);
		if (e && e->code == UCPKI_OK)
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return -1;
	}
	return 0;
}

int revoked_has(const struct revoked *rv, const char *serial)
{
	for (int i = 0; serial && serial[0] && i < rv->n; i++)
		if (strcmp(rv->serials[i], serial) == 0)
			return 1;
	return 0;
}

void revoked_free(struct revoked *rv)
{
	for (int i = 0; i < rv->n; i++)
		free(rv->serials[i]);
	free(rv->serials);
	memset(rv, 0, sizeof(*rv));
}

/* --- the chains nodes will have ------------------------------------------------ */

#define CHAINS_MAX 64

struct chain {
	char ref[160];
	STACK_OF(X509) *certs;   /* the CA and those above it, as far as known (owned) */
	char root_o[256];        /* organisation of the root, "" when unknown */
};

struct pc {
	struct ucpki_state *st;
	const struct ucpki_inventory *inv;
	ucpki_violation_cb cb;
	void *arg;
	int count;
	struct chain chains[CHAINS_MAX];
	int n_chains;
};

static void report(struct pc *pc, const struct inv_node *n, const char *rule, const char *tag,
                   const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(struct pc *pc, const struct inv_node *n, const char *rule, const char *tag,
                   const char *fix, const char *fmt, ...)
{
	struct ucpki_violation v;
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v.node = n ? n->name : "";
	v.line = n ? n->line : 0;
	v.rule = rule;
	v.tag = tag;
	v.msg = msg;
	v.fix = fix;
	pc->count++;
	if (pc->cb)
		pc->cb(pc->arg, &v);
}

/* Organisation of a DN or a certificate, "" when none. */
static void org_of_name(X509_NAME *n, char *buf, size_t len)
{
	int i = n ? X509_NAME_get_index_by_NID(n, NID_organizationName, -1) : -1;
	unsigned char *utf8 = NULL;

	buf[0] = '\0';
	if (i < 0 || ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i))) < 0)
		return;
	snprintf(buf, len, "%s", (char *)utf8);
	OPENSSL_free(utf8);
}

static void org_of_dn(const char *dn, char *buf, size_t len)
{
	X509_NAME *n = ucpki_dn_parse(dn, strstr(dn, "=?") ? "host.example" : NULL, NULL);

	org_of_name(n, buf, len);
	X509_NAME_free(n);
	ERR_clear_error();
}

static int push_up(STACK_OF(X509) *sk, X509 *x)
{
	if (!sk_X509_push(sk, x))
		return -1;
	X509_up_ref(x);
	return 0;
}

/* The certificates of the CA to import (its PKCS#12, with its password). */
static int load_import(const struct ucpki_inventory *inv, STACK_OF(X509) *out,
                       struct ucpki_err *e)
{
	struct ucpki_pack *pk;
	char *pass = NULL;

	if (ucpki_secret_read(inv->import_pass_file, &pass, e) != 0)
		return -1;
	pk = ucpki_pack_load(inv->import_p12, pass, e);
	ucpki_secret_free(pass);
	if (pk == NULL) {
		ucpki_err_prefix(e, "%s:%d: ca.import: ", inv->label, inv->import_line);
		return -1;
	}
	for (int i = 0; i < ucpki_pack_count(pk); i++) {
		X509 *x = ucpki_pack_cert_at(pk, i);
		if (x && push_up(out, x) != 0) {
			ucpki_pack_free(pk);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	ucpki_pack_free(pk);
	return 0;
}

/* Fill c from the state when the CA is there: 1 found, 0 not there. */
static int load_state(struct pc *pc, struct chain *c, struct ucpki_err *e)
{
	struct ucpki_err e2 = {0};
	struct ucpki_ca *ca;
	STACK_OF(X509) *sk;

	if (pc->st == NULL)
		return 0;
	if ((ca = ucpki_ca_open(pc->st, c->ref, &e2)) == NULL) {
		ERR_clear_error();
		if (e2.code == UCPKI_E_NOTFOUND)
			return 0;
		if (e)
			*e = e2;
		return -1;
	}
	sk = ucpki_ca_chain(ca);
	for (int i = 0; i < sk_X509_num(sk); i++)
		if (push_up(c->certs, sk_X509_value(sk, i)) != 0) {
			ucpki_ca_free(ca);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	ucpki_ca_free(ca);
	return 1;
}

static int is_import_ref(const struct ucpki_inventory *inv, const char *ref)
{
	size_t n = strlen(inv->pki);

	return inv->import_p12 && strncmp(ref, inv->pki, n) == 0 && ref[n] == '/' &&
	       strcmp(ref + n + 1, inv->import_name) == 0;
}

static struct chain *chain_of(struct pc *pc, const char *ref, struct ucpki_err *e);

/* A CA issue creates from the inventory: root, issuing, its SHA-1 sibling,
 * a DLS sub-CA. */
static int is_created_ref(const struct ucpki_inventory *inv, const char *ref)
{
	size_t n = strlen(inv->pki);
	const char *name = ref + n + 1;
	char sib[80];

	if (strncmp(ref, inv->pki, n) != 0 || ref[n] != '/')
		return 0;
	snprintf(sib, sizeof(sib), "%s-sha1", inv->issuing.name ? inv->issuing.name : "");
	return strncmp(name, "dls-", 4) == 0 ||
	       (!inv->import_p12 && (strcmp(name, inv->root.name) == 0 ||
	                             (inv->issuing.present && (strcmp(name, inv->issuing.name) == 0 ||
	                                                       strcmp(name, sib) == 0))));
}

/* A DLS sub-CA under the imported CA chains to what the import holds. */
static int load_under_import(struct pc *pc, struct chain *c, struct ucpki_err *e)
{
	char parent[160];
	struct chain *p;

	snprintf(parent, sizeof(parent), "%s/%s", pc->inv->pki, pc->inv->import_name);
	if ((p = chain_of(pc, parent, e)) == NULL)
		return -1;
	for (int i = 0; i < sk_X509_num(p->certs); i++)
		if (push_up(c->certs, sk_X509_value(p->certs, i)) != 0)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	snprintf(c->root_o, sizeof(c->root_o), "%s", p->root_o);
	return 0;
}

/* What a CA the state lacks will chain to: the import's certificates, the
 * parent of a DLS sub-CA, or - for the CAs issue creates under the
 * inventory's root - only the root's organisation. */
static int load_planned(struct pc *pc, struct chain *c, struct ucpki_err *e)
{
	const struct ucpki_inventory *inv = pc->inv;

	if (is_import_ref(inv, c->ref))
		return load_import(inv, c->certs, e);
	if (!is_created_ref(inv, c->ref))
		return 0; /* a node's `ca:` the state lacks: issue reports it */
	if (inv->import_p12)
		return load_under_import(pc, c, e);
	org_of_dn(inv->root.subject, c->root_o, sizeof(c->root_o));
	return 0;
}

static struct chain *chain_of(struct pc *pc, const char *ref, struct ucpki_err *e)
{
	struct chain *c;
	int rc;

	for (int i = 0; i < pc->n_chains; i++)
		if (strcmp(pc->chains[i].ref, ref) == 0)
			return &pc->chains[i];
	if (pc->n_chains == CHAINS_MAX) {
		ucpki_err_set(e, UCPKI_E_INPUT, "more than %d different CAs in one inventory",
		              CHAINS_MAX);
		return NULL;
	}
	c = &pc->chains[pc->n_chains];
	memset(c, 0, sizeof(*c));
	snprintf(c->ref, sizeof(c->ref), "%s", ref);
	if ((c->certs = sk_X509_new_null()) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	pc->n_chains++;
	if ((rc = load_state(pc, c, e)) == 0)
		rc = load_planned(pc, c, e);
	if (rc < 0)
		return NULL;
	for (int i = 0; i < sk_X509_num(c->certs); i++) {
		X509 *x = sk_X509_value(c->certs, i);
		if (X509_self_signed(x, 0) == 1)
			org_of_name(X509_get_subject_name(x), c->root_o, sizeof(c->root_o));
	}
	ERR_clear_error();
	return c;
}

static void chains_free(struct pc *pc)
{
	for (int i = 0; i < pc->n_chains; i++)
		sk_X509_pop_free(pc->chains[i].certs, X509_free);
	pc->n_chains = 0;
}

/* --- the rules of one node --------------------------------------------------- */

static const char *short_name(X509 *x, char *buf, size_t len)
{
	char *cn = ucpki_dn_cn(X509_get_subject_name(x));

	snprintf(buf, len, "CN=%s", cn ? cn : "?");
	free(cn);
	return buf;
}

static void check_keys(struct pc *pc, const struct node_spec *s, const struct chain *c)
{
	(void)c;
	if (s->identity == UCPKI_IDENT_NONE || s->identity == UCPKI_IDENT_CA)
		return;
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		if (p->identity == UCPKI_IDENT_NONE || profile_key_allowed(p, s->key))
			continue;
		report(pc, s->n, "key-type", "", "give the node a `key:` every one of its products "
		       "takes, or give the product a node of its own",
		       "%s does not accept the node's %s key (it takes %s%s)", p->id, s->key,
		       p->keys[0], p->n_keys > 1 ? ", ..." : "");
	}
}

static int eku_listed(const char *list, const char *eku)
{
	size_t n = strlen(eku);

	for (const char *q = list; (q = strstr(q, eku)) != NULL; q++)
		if ((q == list || q[-1] == ',') && (q[n] == ',' || q[n] == '\0'))
			return 1;
	return 0;
}

static void check_ekus(struct pc *pc, const struct node_spec *s, const struct chain *c)
{
	(void)c;
	if (s->identity == UCPKI_IDENT_NONE)
		return;
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		for (int k = 0; k < p->n_forbid_eku; k++)
			if (eku_listed(s->eku, p->forbid_eku[k]))
				report(pc, s->n, "eku-forbidden", "", "give the product a node of its own",
				       "%s forbids the EKU %s (guide %s), which another product of the node "
				       "adds", p->id, p->forbid_eku[k], p->guide);
	}
}

/* R12: the server certificate's O is not the root CA's. */
static void check_org(struct pc *pc, const struct node_spec *s, const struct chain *c)
{
	char o[256];

	if (s->identity != UCPKI_IDENT_HOST || c->root_o[0] == '\0')
		return;
	org_of_dn(s->subject, o, sizeof(o));
	for (int i = 0; o[0] && i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		if (!p->org_distinct_from_root || strcmp(o, c->root_o) != 0)
			continue;
		report(pc, s->n, "org-distinct", "R12",
		       "give the node its own `subject:` with a different O=",
		       "%s: the certificate's organization '%s' is the root CA's (it must differ)",
		       p->id, o);
		return;
	}
}

/* R5: a product with a 32-bit clock gets no CA valid into 2038. */
static void check_2038(struct pc *pc, const struct node_spec *s, const struct chain *c)
{
	const struct ucpki_profile *p = NULL;
	char who[200], when[32];

	for (int i = 0; i < s->n->n_products && p == NULL; i++)
		if (s->n->products[i]->clamp_2038)
			p = s->n->products[i];
	for (int i = 0; p && i < sk_X509_num(c->certs); i++) {
		X509 *x = sk_X509_value(c->certs, i);
		time_t na = 0;
		if (ucpki_asn1_time_to_t(X509_get0_notAfter(x), &na) != 0 || na < Y2038)
			continue;
		report(pc, s->n, "r5-2038", "R5",
		       "issue it from a CA that expires before 2038 (`ca:` or another `ca.import`)",
		       "%s: its CA %s is valid until %s, past 2038-01-19 (32-bit clocks)", p->id,
		       short_name(x, who, sizeof(who)), ucpki_time_string(na, when, sizeof(when)));
	}
}

/* R4: versions 4-6 verify every signature of the chain with SHA-1. */
static void check_sha1(struct pc *pc, const struct node_spec *s, const struct chain *c)
{
	char who[200];

	if (s->version < 4 || s->version > 6)
		return;
	for (int i = 0; i < sk_X509_num(c->certs); i++) {
		X509 *x = sk_X509_value(c->certs, i);
		int md = NID_undef, pk;
		if (X509_self_signed(x, 0) == 1)
			continue; /* a root's own signature is never checked */
		if (!OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk) || md == NID_sha1 ||
		    md == NID_undef)
			continue;
		report(pc, s->n, "sig-sha2-unsupported", "R4",
		       "issue it from a SHA-1 CA (`ca:`), from CAs ucpki creates (ca.root and "
		       "ca.issuing: version 4-6 nodes get a SHA-1 sibling), or give it `version: 7` "
		       "or later",
		       "version %d accepts only SHA-1, but its CA %s is signed with %s", s->version,
		       short_name(x, who, sizeof(who)), OBJ_nid2sn(md));
	}
	ERR_clear_error();
}

/* The chain every product that takes this node's certificate accepts: the
 * node's own products with a whole-chain rule, and its clients'. */
static void check_critical_by(struct pc *pc, const struct node_spec *s, const struct chain *c,
                              const struct ucpki_profile *p, int own)
{
	char who[200], ext[80], msg_by[160];

	if (own)
		snprintf(msg_by, sizeof(msg_by), "%s", p->id);
	else
		snprintf(msg_by, sizeof(msg_by), "%s (it connects to this node)", p->id);
	for (int i = 0; i < sk_X509_num(c->certs); i++) {
		X509 *x = sk_X509_value(c->certs, i);
		if (critical_not_allowed(x, p, ext, sizeof(ext)) == NULL)
			continue;
		report(pc, s->n, "critical-ext", "guide 3.1.2",
		       "issue the node from a CA whose certificates mark only basicConstraints "
		       "critical (a CA ucpki creates: ca.root and ca.issuing)",
		       "its CA %s marks %s critical; %s accepts only %s%s critical in every "
		       "certificate it is presented",
		       short_name(x, who, sizeof(who)), ext, msg_by,
		       p->n_critical_ok ? p->critical_ok[0] : "none", p->n_critical_ok > 1 ? ", ..." : "");
	}
}

static void check_critical(struct pc *pc, const struct node_spec *s, const struct chain *c)
{
	const struct ucpki_profile_set *set = pc->inv->profiles;

	for (int i = 0; i < s->n->n_products; i++)
		if (s->n->products[i]->critical_whole_chain)
			check_critical_by(pc, s, c, s->n->products[i], 1);
	for (int i = 0; set && i < ucpki_profiles_count(set); i++) {
		const struct ucpki_profile *q = ucpki_profiles_at(set, i);
		int own = 0;
		for (int k = 0; k < s->n->n_products; k++)
			own |= s->n->products[k] == q;
		if (!own && q->critical_whole_chain && node_serves(s->n, q))
			check_critical_by(pc, s, c, q, 0);
	}
}

typedef void (*node_rule)(struct pc *, const struct node_spec *, const struct chain *);

static const node_rule node_rules[] = {check_keys, check_ekus, check_org,
                                       check_2038, check_sha1, check_critical};

/* --- solution-wide: R3 ------------------------------------------------------------- */

static int needs_osv_ca(const struct inv_node *n, int *is_osv)
{
	int need = 0;

	*is_osv = 0;
	for (int i = 0; i < n->n_products; i++) {
		need |= n->products[i]->same_ca_as_osv;
		*is_osv |= strcmp(n->products[i]->id, "osv") == 0;
	}
	return need;
}

struct r3 {
	const struct inv_node *ref;
	char ca[160];
	int ref_is_osv;
};

static void r3_note(struct r3 *r, const struct node_spec *s)
{
	int is_osv;

	if (s->identity != UCPKI_IDENT_HOST || !needs_osv_ca(s->n, &is_osv))
		return;
	if (r->ref == NULL || (is_osv && !r->ref_is_osv)) {
		r->ref = s->n;
		r->ref_is_osv = is_osv;
		snprintf(r->ca, sizeof(r->ca), "%s", s->ca_ref);
	}
}

static void r3_check(struct pc *pc, const struct r3 *r, const struct node_spec *s)
{
	int is_osv;
	char msg[400];

	if (r->ref == NULL || s->n == r->ref || s->identity != UCPKI_IDENT_HOST ||
	    !needs_osv_ca(s->n, &is_osv) || strcmp(s->ca_ref, r->ca) == 0)
		return;
	snprintf(msg, sizeof(msg), "give node %s and node %s one CA: remove the `ca:` that "
	         "differs, or put both in one version group (4-6 or 7 and later)", s->n->name,
	         r->ref->name);
	report(pc, s->n, "solution-same-ca", "R3", msg,
	       "issued by %s, but node %s by %s: OpenScape Voice, UC (Bcom) and ASC share one CA",
	       s->ca_ref, r->ref->name, r->ca);
}

/* --- the run ------------------------------------------------------------------------- */

static int each_node(struct pc *pc, struct r3 *r3, int pass, struct ucpki_err *e)
{
	for (int i = 0; i < pc->inv->n_nodes; i++) {
		struct node_spec s;
		const struct chain *c;
		if (node_spec_make(pc->inv, &pc->inv->nodes[i], 0, &s, e) != 0)
			return -1;
		if (pass == 0) {
			if ((c = chain_of(pc, s.ca_ref, e)) == NULL) {
				node_spec_clear(&s);
				return -1;
			}
			for (size_t k = 0; k < sizeof(node_rules) / sizeof(node_rules[0]); k++)
				node_rules[k](pc, &s, c);
			r3_note(r3, &s);
		} else {
			r3_check(pc, r3, &s);
		}
		node_spec_clear(&s);
	}
	return 0;
}

int ucpki_solution_check(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         ucpki_violation_cb cb, void *arg, int *violations,
                         struct ucpki_err *e)
{
	struct pc *pc = calloc(1, sizeof(*pc));
	struct r3 r3 = {0};
	int rc;

	if (violations)
		*violations = 0;
	if (pc == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	pc->st = st;
	pc->inv = inv;
	pc->cb = cb;
	pc->arg = arg;
	rc = each_node(pc, &r3, 0, e);
	if (rc == 0)
		rc = each_node(pc, &r3, 1, e);
	if (violations)
		*violations = pc->count;
	chains_free(pc);
	free(pc);
	ERR_clear_error();
	return rc;
}
