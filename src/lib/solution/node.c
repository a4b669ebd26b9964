/*
 * A node's certificate from its products: the union of their EKUs, the
 * strictest of their rules, the SANs of every FQDN and IP of the node (R2)
 * plus what the products add (Openfire's conference.<domain>), the hash of
 * the node's version (R4), the 2038 clamp (R5), and its passwords.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "solution/solution_internal.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

/* Generated passwords: 24 characters from 62, about 143 bits. Letters and
 * digits only, so no product's config file or command line trips on them. */
#define PW_LEN 24

static const char *first_name(const struct inv_node *n)
{
	return n->n_fqdn ? n->fqdn[0] : n->n_ip ? n->ip[0] : n->name;
}

const char *inventory_ca_ref(const struct ucpki_inventory *inv, const struct inv_node *n,
                             char *buf, size_t len)
{
	if (n && n->ca)
		snprintf(buf, len, "%s", n->ca);
	else if (inv->import_p12)
		snprintf(buf, len, "%s/%s", inv->pki, inv->import_name);
	else if (inv->issuing.present)
		snprintf(buf, len, "%s/%s", inv->pki, inv->issuing.name);
	else
		snprintf(buf, len, "%s/%s", inv->pki, inv->root.name);
	return buf;
}

int inventory_sha1_sibling(const struct ucpki_inventory *inv, const struct inv_node *n)
{
	return n->ca == NULL && inv->import_p12 == NULL && inv->issuing.present &&
	       strcmp(inventory_issuing_hash(inv), "sha1") != 0;
}

const char *inventory_issuing_hash(const struct ucpki_inventory *inv)
{
	if (inv->issuing.hash)
		return inv->issuing.hash;
	return inv->version <= 6 ? "sha1" : "sha256";
}

const char *node_subca_ref(const struct ucpki_inventory *inv, const struct inv_node *n,
                           char *buf, size_t len)
{
	char name[80];
	size_t j = 0;

	/* CA names take letters, digits, '-' and '_' */
	for (const char *q = n->name; *q && j < sizeof(name) - 1; q++)
		name[j++] = *q == '.' ? '-' : *q;
	name[j] = '\0';
	snprintf(buf, len, "%s/dls-%s", inv->pki, name);
	return buf;
}

/* Append item to a comma list in buf when it is not there yet. */
static void list_add(char *buf, size_t len, const char *item)
{
	size_t n = strlen(item), at = strlen(buf);

	for (const char *q = buf; (q = strstr(q, item)) != NULL; q++)
		if ((q == buf || q[-1] == ',') && (q[n] == ',' || q[n] == '\0'))
			return;
	if (at + n + 2 > len)
		return;
	if (at)
		buf[at++] = ',';
	memcpy(buf + at, item, n + 1);
}

/* Fill {domain} {hostname} {fqdn} {name} {user} of a SAN template. */
static void fill_template(const struct inv_node *n, const char *t, char *out, size_t len)
{
	static const char *const names[] = {"{domain}", "{hostname}", "{fqdn}", "{name}", "{user}"};
	const char *vals[5];
	size_t at = 0;

	vals[0] = n->domain ? n->domain : first_name(n);
	vals[1] = n->hostname ? n->hostname : first_name(n);
	vals[2] = first_name(n);
	vals[3] = n->name;
	vals[4] = n->user ? n->user : n->name;
	while (*t && at + 1 < len) {
		int done = 0;
		for (int i = 0; i < 5 && !done; i++) {
			size_t l = strlen(names[i]);
			if (strncmp(t, names[i], l) == 0) {
				at += (size_t)snprintf(out + at, len - at, "%s", vals[i]);
				if (at >= len)
					at = len - 1;
				t += l;
				done = 1;
			}
		}
		if (!done)
			out[at++] = *t++;
	}
	out[at] = '\0';
}

static int build_san(const struct inv_node *n, struct node_spec *s)
{
	size_t len = 64;
	char item[300];

	for (int i = 0; i < n->n_fqdn; i++)
		len += strlen(n->fqdn[i]) + 6;
	for (int i = 0; i < n->n_ip; i++)
		len += strlen(n->ip[i]) + 5;
	for (int p = 0; p < n->n_products; p++)
		len += (size_t)n->products[p]->n_san_extra * 300;
	if (n->email)
		len += strlen(n->email) + 8;
	if ((s->san = calloc(1, len)) == NULL)
		return -1;
	if (s->identity == UCPKI_IDENT_CA)
		return 0;
	if (s->identity == UCPKI_IDENT_HOST) {
		for (int i = 0; i < n->n_fqdn; i++) {
			snprintf(item, sizeof(item), "DNS:%s", n->fqdn[i]);
			list_add(s->san, len, item);
		}
		for (int i = 0; i < n->n_ip; i++) {
			snprintf(item, sizeof(item), "IP:%s", n->ip[i]);
			list_add(s->san, len, item);
		}
	}
	for (int p = 0; p < n->n_products; p++)
		for (int i = 0; i < n->products[p]->n_san_extra; i++) {
			fill_template(n, n->products[p]->san_extra[i], item, sizeof(item));
			list_add(s->san, len, item);
		}
	if (n->email) {
		snprintf(item, sizeof(item), "email:%s", n->email);
		list_add(s->san, len, item);
	}
	return 0;
}

/* The CN: the first FQDN (else IP: rule R11), the host name, or the user. */
static const char *node_cn(const struct inv_node *n, const char *rule)
{
	if (strcmp(rule, "hostname") == 0)
		return n->hostname ? n->hostname : first_name(n);
	if (strcmp(rule, "user") == 0)
		return n->user ? n->user : n->name;
	return first_name(n);
}

static int build_subject(const struct ucpki_inventory *inv, const struct inv_node *n,
                         struct node_spec *s, const char *cn_rule, struct ucpki_err *e)
{
	const char *tmpl = n->subject ? n->subject : inv->def_subject, *cn;
	struct ucpki_err e2 = {0};
	char cabuf[200];
	X509_NAME *name;

	if (s->identity == UCPKI_IDENT_CA && n->subject == NULL) {
		/* the DLS CA: the defaults' organisation, a CN of its own */
		snprintf(cabuf, sizeof(cabuf), "%s DLS CA", n->name);
		cn = cabuf;
	} else {
		cn = node_cn(n, cn_rule);
	}
	name = ucpki_dn_parse(tmpl, strstr(tmpl, "=?") ? cn : NULL, &e2);
	if (name == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s:%d: node '%s': subject: %s", inv->label,
		                     n->line, n->name, e2.msg);
	s->subject = ucpki_dn_string(name);
	s->cn = ucpki_dn_cn(name);
	X509_NAME_free(name);
	return s->subject ? 0 : ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

/* The node's key, else the inventory default if every product takes it,
 * else the first product's default. */
static void choose_key(const struct ucpki_inventory *inv, const struct inv_node *n,
                       struct node_spec *s)
{
	const struct ucpki_profile *first = NULL;
	const char *want = n->key ? n->key : inv->def_key;
	int ok = want != NULL;

	for (int i = 0; i < n->n_products; i++) {
		const struct ucpki_profile *p = n->products[i];
		if (p->identity == UCPKI_IDENT_NONE)
			continue;
		if (first == NULL)
			first = p;
		if (want && !profile_key_allowed(p, want))
			ok = 0;
	}
	if (ok) {
		snprintf(s->key, sizeof(s->key), "%s", want);
	} else {
		struct ucpki_keyspec ks;
		const char *dflt = first ? first->keys[0] : "rsa:2048";
		if (ucpki_keyspec_parse(dflt, &ks, NULL, NULL) == 0)
			ucpki_keyspec_string(&ks, s->key, sizeof(s->key));
		else
			snprintf(s->key, sizeof(s->key), "rsa:2048");
		if (want)
			snprintf(s->warnings + strlen(s->warnings),
			         sizeof(s->warnings) - strlen(s->warnings),
			         "%sthe default key %s is not accepted by %s: using %s",
			         s->warnings[0] ? "\n" : "", want, first ? first->id : "?", s->key);
	}
}

/* Merge what the products ask of the certificate. */
static int merge_products(const struct inv_node *n, struct node_spec *s, const char **cn_rule)
{
	char eku[256] = "", products[512] = "";

	s->identity = UCPKI_IDENT_NONE;
	s->base = "server";
	*cn_rule = "name";
	s->days = 0;
	for (int i = 0; i < n->n_products; i++) {
		const struct ucpki_profile *p = n->products[i];
		char *copy, *save = NULL, *tok;

		list_add(products, sizeof(products), p->id);
		if (p->clamp_2038)
			s->clamp_2038 = 1;
		if (p->identity == UCPKI_IDENT_NONE)
			continue;
		if (s->identity == UCPKI_IDENT_NONE || p->identity == UCPKI_IDENT_HOST ||
		    p->identity == UCPKI_IDENT_CA)
			s->identity = p->identity;
		if (strcmp(p->cn, "name") != 0)
			*cn_rule = p->cn;
		if (strcmp(p->base, "client") == 0 && n->n_products == 1)
			s->base = "client";
		if (s->ku == NULL)
			s->ku = p->ku;
		if (s->days == 0)
			s->days = p->default_days;
		if ((copy = strdup(p->eku)) == NULL)
			return -1;
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			list_add(eku, sizeof(eku), tok);
		free(copy);
	}
	if ((s->eku = strdup(eku)) == NULL || (s->products = strdup(products)) == NULL)
		return -1;
	return 0;
}

static void random_password(char out[PW_LEN + 1])
{
	static const char set[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	int n = 0;

	while (n < PW_LEN) {
		unsigned char buf[64];
		if (RAND_bytes(buf, sizeof(buf)) != 1)
			continue;
		for (size_t i = 0; i < sizeof(buf) && n < PW_LEN; i++)
			if (buf[i] < 248) /* 248 = 4 * 62: no bias */
				out[n++] = set[buf[i] % 62];
		OPENSSL_cleanse(buf, sizeof(buf));
	}
	out[PW_LEN] = '\0';
}

int node_pkcs12_legacy(const struct inv_node *n, const struct ucpki_profile *p)
{
	return n->pkcs12 ? n->pkcs12 == 1 : p->pkcs12_legacy;
}

/* "p12=la" per product writing PKCS#12 ('l'egacy / 'a'es): a change makes
 * new files, so it is part of what shapes the bundle. */
static void pkcs12_marks(const struct inv_node *n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n->n_products && at + 2 < len; i++)
		for (int j = 0; j < n->products[i]->n_files; j++)
			if (n->products[i]->files[j].container == UCPKI_CONT_PKCS12) {
				buf[at++] = node_pkcs12_legacy(n, n->products[i]) ? 'l' : 'a';
				buf[at] = '\0';
				break;
			}
}

void store_secret_name(const struct ucpki_profile_store *st, char *buf, size_t len)
{
	snprintf(buf, len, "store-%s", st->id);
}

/* The passwords of the stores the node's steps import into: the product's
 * own (as shipped) unless the inventory gives a file. */
static int make_store_passwords(const struct inv_node *n, struct node_spec *s,
                                struct ucpki_err *e)
{
	char *filepw = NULL;
	int rc = 0;

	if (n->store_password_file && ucpki_secret_read(n->store_password_file, &filepw, e) != 0)
		return -1;
	for (int i = 0; rc == 0 && i < n->n_products; i++) {
		const struct ucpki_profile *p = n->products[i];
		for (int j = 0; rc == 0 && j < p->n_stores; j++) {
			const struct ucpki_profile_store *st = &p->stores[j];
			char name[64];
			struct node_pw *x;
			int dup = 0;
			if (st->replace)
				continue;
			store_secret_name(st, name, sizeof(name));
			for (int k = 0; k < s->n_pw; k++)
				dup |= strcmp(s->pw[k].name, name) == 0;
			if (dup)
				continue;
			if (s->n_pw == NODE_MAX_PW) {
				rc = ucpki_err_set(e, UCPKI_E_POLICY, "node %s: too many passwords", n->name);
				break;
			}
			x = &s->pw[s->n_pw++];
			x->store = 1;
			x->owned_name = strdup(name);
			x->name = x->owned_name;
			x->value = strdup(filepw ? filepw : st->default_password);
			x->product_default = filepw == NULL;
			x->weak = 1;
			if (x->owned_name == NULL || x->value == NULL)
				rc = ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	ucpki_secret_free(filepw);
	return rc;
}

/* The secret's file name (without .pass) of password `name` of product p:
 * the name itself on a one-product node; "<product>-<name>" when the node
 * carries several, so each product's keystores get their own password. */
void node_secret_name(const struct inv_node *n, const struct ucpki_profile *p,
                      const char *name, char *buf, size_t len)
{
	if (n->n_products > 1 && p)
		snprintf(buf, len, "%s-%s", p->id, name);
	else
		snprintf(buf, len, "%s", name);
}

static void generate_into(struct node_pw *x)
{
	char buf[PW_LEN + 1];

	random_password(buf);
	x->value = strdup(buf);
	x->generated = 1;
	OPENSSL_cleanse(buf, sizeof(buf));
}

/* One value per password of each product (see node_secret_name). */
static int make_passwords(const struct ucpki_inventory *inv, const struct inv_node *n,
                          struct node_spec *s, struct ucpki_err *e)
{
	char *filepw = NULL;

	(void)inv;
	if (n->pw == PW_FILE && ucpki_secret_read(n->password_file, &filepw, e) != 0)
		return -1;
	for (int i = 0; i < n->n_products; i++) {
		const struct ucpki_profile *p = n->products[i];
		for (int j = 0; j < p->n_passwords; j++) {
			const struct ucpki_profile_password *pp = &p->passwords[j];
			char name[128];
			struct node_pw *x;
			if (s->n_pw == NODE_MAX_PW) {
				ucpki_secret_free(filepw);
				return ucpki_err_set(e, UCPKI_E_POLICY, "node %s: more than %d passwords",
				                     n->name, NODE_MAX_PW);
			}
			node_secret_name(n, p, pp->name, name, sizeof(name));
			x = &s->pw[s->n_pw++];
			x->owned_name = strdup(name);
			x->name = x->owned_name;
			x->product = p;
			x->pname = pp->name;
			if (pp->always_generate) {
				generate_into(x);
			} else if (n->pw == PW_FILE) {
				x->value = strdup(filepw);
				x->weak = 1;
			} else if (n->pw == PW_DEFAULT && pp->product_default) {
				x->value = strdup(pp->product_default);
				x->product_default = x->weak = 1;
			} else {
				if (n->pw == PW_DEFAULT)
					snprintf(s->warnings + strlen(s->warnings),
					         sizeof(s->warnings) - strlen(s->warnings),
					         "%s%s: no product default for password '%s': generated one",
					         s->warnings[0] ? "\n" : "", p->id, pp->name);
				generate_into(x);
			}
			if (x->value == NULL || x->owned_name == NULL) {
				ucpki_secret_free(filepw);
				return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			}
		}
	}
	ucpki_secret_free(filepw);
	return 0;
}

/* Everything that shapes the certificate, hashed: a change means reissue. */
static void fingerprint(struct node_spec *s)
{
	char buf[4096], p12[32];

	pkcs12_marks(s->n, p12, sizeof(p12));
	snprintf(buf, sizeof(buf), "v1|%s|%s|%s|%s|%s|%s|%s|%s|%s|%d|%s%s%s", s->products,
	         ucpki_identity_name(s->identity), s->base, s->subject, s->san, s->eku,
	         s->ku ? s->ku : "", s->key, s->hash, s->clamp_2038, s->ca_ref, p12[0] ? "|p12=" : "",
	         p12);
	sha256_hex(buf, strlen(buf), s->fingerprint);
}

int node_spec_make(const struct ucpki_inventory *inv, const struct inv_node *n,
                   int with_passwords, struct node_spec *s, struct ucpki_err *e)
{
	const char *cn_rule;
	char ref[160];

	memset(s, 0, sizeof(*s));
	s->inv = inv;
	s->n = n;
	s->version = n->version;
	if (merge_products(n, s, &cn_rule) != 0)
		goto oom;
	s->hash = "sha256";
	for (int i = 0; i < n->n_products; i++)
		if (n->products[i]->identity != UCPKI_IDENT_NONE) {
			s->hash = ucpki_profile_hash(n->products[i], n->version);
			break;
		}
	if (s->identity == UCPKI_IDENT_CA)
		node_subca_ref(inv, n, ref, sizeof(ref));
	else if (strcmp(s->hash, "sha1") == 0 && inventory_sha1_sibling(inv, n))
		/* R4: a version 4-6 node in a newer solution chains through an
		 * issuing CA that is itself SHA-1 signed */
		snprintf(ref, sizeof(ref), "%s/%s-sha1", inv->pki, inv->issuing.name);
	else
		inventory_ca_ref(inv, n, ref, sizeof(ref));
	if ((s->ca_ref = strdup(ref)) == NULL)
		goto oom;
	if (n->days)
		s->days = n->days;
	else if (s->days == 0)
		s->days = inv->def_days ? inv->def_days : 1095;
	choose_key(inv, n, s);
	if (build_san(n, s) != 0)
		goto oom;
	if (s->identity != UCPKI_IDENT_NONE && build_subject(inv, n, s, cn_rule, e) != 0)
		goto fail;
	if (s->identity == UCPKI_IDENT_NONE && (s->subject = strdup("")) == NULL)
		goto oom;
	for (int i = 0; i < n->n_products; i++) {
		const char *w = ucpki_profile_version_warning(n->products[i], n->version);
		if (w && strstr(s->warnings, w) == NULL)
			snprintf(s->warnings + strlen(s->warnings), sizeof(s->warnings) - strlen(s->warnings),
			         "%s%s: %s", s->warnings[0] ? "\n" : "", n->products[i]->id, w);
	}
	fingerprint(s);
	if (with_passwords && (make_passwords(inv, n, s, e) != 0 || make_store_passwords(n, s, e) != 0))
		goto fail;
	return 0;
oom:
	ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
fail:
	node_spec_clear(s);
	return -1;
}

void node_spec_clear(struct node_spec *s)
{
	free(s->products);
	free(s->subject);
	free(s->cn);
	free(s->san);
	free(s->eku);
	free((char *)s->ca_ref);
	for (int i = 0; i < s->n_pw; i++) {
		ucpki_secret_free(s->pw[i].value);
		free(s->pw[i].owned_name);
	}
	memset(s, 0, sizeof(*s));
}

const struct ucpki_profile *node_file_product(const struct node_spec *s,
                                             const struct ucpki_profile_file *f)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		if (f >= p->files && f < p->files + p->n_files)
			return p;
	}
	return NULL;
}

const struct node_pw *node_spec_pw(const struct node_spec *s, const struct ucpki_profile *p,
                                   const char *name)
{
	char want[128];

	if (name == NULL)
		return NULL;
	node_secret_name(s->n, p, name, want, sizeof(want));
	for (int i = 0; i < s->n_pw; i++)
		if (strcmp(s->pw[i].name, want) == 0)
			return &s->pw[i];
	return NULL;
}

const char *node_spec_password(const struct node_spec *s, const struct ucpki_profile *p,
                               const char *name)
{
	const struct node_pw *pw = node_spec_pw(s, p, name);
	return pw ? pw->value : NULL;
}

void node_certspec_opts(const struct node_spec *s, struct ucpki_certspec_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->base = s->identity == UCPKI_IDENT_CA ? "ca" : s->base;
	o->subject = s->subject;
	o->san = s->san[0] ? s->san : NULL;
	o->eku = s->eku;
	o->ku = s->ku;
	o->key = s->key;
	o->hash = s->hash;
	o->profile = s->products;
	o->days = s->days;
	o->pathlen = s->identity == UCPKI_IDENT_CA ? 0 : -1;
	o->no_2038 = s->clamp_2038;
}

/* 1 if the profile accepts the canonical key spec. */
int profile_key_allowed(const struct ucpki_profile *p, const char *spec)
{
	for (int i = 0; i < p->n_keys; i++) {
		struct ucpki_keyspec ks;
		char canon[32];
		if (ucpki_keyspec_parse(p->keys[i], &ks, NULL, NULL) == 0 &&
		    strcmp(ucpki_keyspec_string(&ks, canon, sizeof(canon)), spec) == 0)
			return 1;
	}
	return 0;
}
