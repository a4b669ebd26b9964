/* Rules about files and bundles: PEM text (R6), chains and their order
 * (R1), keys against certificates (R10), and a product profile's files,
 * encodings and certificate requirements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "lint/lint_internal.h"
#include "ucpki/x509.h"

/* The certificates of a file, in file order. */
static int file_certs(const struct lint_file *f, X509 **out, int max)
{
	int n = 0;

	for (int i = 0; i < ucpki_pack_count(f->pack) && n < max; i++) {
		X509 *x = ucpki_pack_cert_at(f->pack, i);
		if (x)
			out[n++] = x;
	}
	return n;
}

static EVP_PKEY *file_key(const struct lint_file *f, int *index)
{
	for (int i = 0; i < ucpki_pack_count(f->pack); i++)
		if (ucpki_pack_type(f->pack, i) == UCPKI_OBJ_KEY) {
			if (index)
				*index = i;
			return ucpki_pack_key_at(f->pack, i);
		}
	return NULL;
}

static X509 *find_issuer(X509 **v, int n, X509 *x)
{
	for (int i = 0; i < n; i++)
		if (v[i] != x && X509_cmp(v[i], x) != 0 && X509_check_issued(v[i], x) == X509_V_OK)
			return v[i];
	return NULL;
}

static int index_of(X509 **v, int n, X509 *x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return i;
	return -1;
}

static int pool_array(struct ucpki_lint *l, X509 **out, int max)
{
	int n = 0;

	for (int i = 0; i < sk_X509_num(l->pool) && n < max; i++)
		out[n++] = sk_X509_value(l->pool, i);
	return n;
}

#define MAX_CERTS 64

/* From the file's end-entity certificate up through the CAs of the file:
 * signatures, gaps, order, strangers. */
static void check_chain(struct ucpki_lint *l, const struct lint_file *f)
{
	X509 *v[MAX_CERTS], *pool[4 * MAX_CERTS], *path[MAX_CERTS], *leaf = NULL, *cur, *up;
	int n = file_certs(f, v, MAX_CERTS), np = 0, npool = pool_array(l, pool, 4 * MAX_CERTS);
	int keyed = file_key(f, NULL) != NULL, ordered = 1, n_ca = 0;
	enum ucpki_format fmt = ucpki_pack_format(f->pack);
	char who[200], iss[200];

	for (int i = 0; i < n; i++) {
		if (!lint_is_ca(v[i]) && leaf == NULL)
			leaf = v[i];
		else if (lint_is_ca(v[i]))
			n_ca++;
	}
	if (leaf == NULL)
		return;
	lint_cert_name(leaf, who, sizeof(who));
	path[np++] = cur = leaf;
	while (np < MAX_CERTS && !lint_is_self_signed(cur) && (up = find_issuer(v, n, cur))) {
		if (X509_verify(cur, X509_get0_pubkey(up)) <= 0)
			lint_report(l, "chain-bad-signature", f->name,
			            "%s does not verify with the key of %s",
			            lint_cert_name(cur, who, sizeof(who)),
			            lint_cert_name(up, iss, sizeof(iss)));
		path[np++] = cur = up;
	}
	if (!lint_is_self_signed(cur)) {
		/* Omitting the root is right (R1); omitting an intermediate is not. */
		X509 *missing = find_issuer(pool, npool, cur);
		int wants_chain = 0;
		for (int i = 0; f->spec && i < f->spec->n_content; i++)
			if (f->spec->content[i] == UCPKI_ITEM_CHAIN)
				wants_chain = 1;
		if (missing && !lint_is_self_signed(missing) && (n_ca > 0 || wants_chain))
			lint_report(l, "chain-incomplete", f->name,
			            "the chain stops at %s: its issuer %s is not in the file",
			            lint_cert_name(cur, who, sizeof(who)),
			            lint_cert_name(missing, iss, sizeof(iss)));
		else if (missing == NULL && n_ca > 0 && np == 1)
			lint_report(l, "chain-incomplete", f->name,
			            "none of the CA certificates in the file issued %s",
			            lint_cert_name(leaf, who, sizeof(who)));
	}
	for (int i = 0; i < n; i++)
		if (index_of(path, np, v[i]) < 0 && lint_is_ca(v[i]) &&
		    !(np == 1 && n_ca > 0 && !lint_is_self_signed(cur) && !find_issuer(pool, npool, cur)))
			lint_report(l, "chain-unrelated", f->name,
			            "%s is not in the chain of %s", lint_cert_name(v[i], iss, sizeof(iss)),
			            lint_cert_name(leaf, who, sizeof(who)));
	if (fmt == UCPKI_FMT_PEM || fmt == UCPKI_FMT_PKCS7) {
		for (int i = 1; i < np; i++)
			if (index_of(v, n, path[i]) < index_of(v, n, path[i - 1]))
				ordered = 0;
		if (!ordered)
			lint_report(l, "chain-order", f->name,
			            "certificates are not in order: %s must come first, each "
			            "followed by its issuer", lint_cert_name(leaf, who, sizeof(who)));
	}
	if (keyed && lint_is_self_signed(cur) && np > 1) {
		int listed = 0;
		for (int i = 0; f->spec && i < f->spec->n_content; i++)
			if (f->spec->content[i] == UCPKI_ITEM_ROOT)
				listed = 1;
		if (!listed)
			lint_report(l, "root-included", f->name,
			            "the root CA %s is in a file with a private key (ship the chain up "
			            "to, not including, the root)", lint_cert_name(cur, iss, sizeof(iss)));
	}
}

/* Every key belongs to a certificate of its file, else of the bundle. */
static void check_keys(struct ucpki_lint *l, const struct lint_file *f)
{
	X509 *v[MAX_CERTS], *pool[4 * MAX_CERTS];
	int n = file_certs(f, v, MAX_CERTS), npool = pool_array(l, pool, 4 * MAX_CERTS);

	for (int i = 0; i < ucpki_pack_count(f->pack); i++) {
		EVP_PKEY *k;
		int matched = 0, leaves = 0;
		X509 **set = n ? v : pool;
		int nset = n ? n : npool;

		if (ucpki_pack_type(f->pack, i) != UCPKI_OBJ_KEY ||
		    (k = ucpki_pack_key_at(f->pack, i)) == NULL)
			continue;
		for (int j = 0; j < nset; j++) {
			if (!lint_is_ca(set[j]))
				leaves++;
			if (ucpki_key_matches_cert(set[j], k))
				matched = 1;
		}
		if (!matched && leaves > 0) {
			char who[200];
			X509 *first = NULL;
			for (int j = 0; j < nset && first == NULL; j++)
				if (!lint_is_ca(set[j]))
					first = set[j];
			lint_report(l, "key-mismatch", f->name,
			            "the private key does not belong to %s%s",
			            lint_cert_name(first, who, sizeof(who)),
			            n ? "" : " (nor to any certificate of the bundle)");
		}
	}
}

static void check_pem(struct ucpki_lint *l, const struct lint_file *f)
{
	struct ucpki_pem_style s;

	if (ucpki_pack_format(f->pack) != UCPKI_FMT_PEM)
		return;
	ucpki_pack_pem_style(f->pack, &s);
	if (s.crlf)
		lint_report(l, "pem-crlf", f->name, "CR LF line ends (use LF only)");
	if (s.blank_between)
		lint_report(l, "pem-blank-lines", f->name, "blank lines between PEM entries");
	if (s.junk_outside)
		lint_report(l, "pem-junk", f->name, "text outside the PEM blocks");
}

void lint_file_rules(struct ucpki_lint *l, struct lint_file *f)
{
	check_pem(l, f);
	check_chain(l, f);
	check_keys(l, f);
}

/* --- product profile ---------------------------------------------------- */

int lint_format_fits(enum ucpki_container c, enum ucpki_format f)
{
	switch (c) {
	case UCPKI_CONT_PEM:
		return f == UCPKI_FMT_PEM;
	case UCPKI_CONT_DER:
		return f == UCPKI_FMT_DER;
	case UCPKI_CONT_PKCS12:
		return f == UCPKI_FMT_PKCS12;
	case UCPKI_CONT_JKS:
		return f == UCPKI_FMT_JKS;
	case UCPKI_CONT_P7B:
		return f == UCPKI_FMT_PKCS7 || f == UCPKI_FMT_PEM;
	}
	return 0;
}

/* What an object is, in the profile's words: the certificate of the file's
 * key is "cert" (even a CA's, handed to a product that runs its own PKI),
 * other CAs are "chain" or "root". */
enum ucpki_item lint_item_of(const struct ucpki_pack *p, int i, EVP_PKEY *key)
{
	X509 *x;

	if (ucpki_pack_type(p, i) == UCPKI_OBJ_KEY)
		return UCPKI_ITEM_KEY;
	x = ucpki_pack_cert_at(p, i);
	if (!lint_is_ca(x) || (key && ucpki_key_matches_cert(x, key)))
		return UCPKI_ITEM_CERT;
	return lint_is_self_signed(x) ? UCPKI_ITEM_ROOT : UCPKI_ITEM_CHAIN;
}

static void items_string(const enum ucpki_item *v, int n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
		                       ucpki_item_name(v[i]));
	if (n == 0)
		snprintf(buf, len, "nothing");
}

/* Does the file hold the declared items in the declared order? A chain may
 * be empty (the root issues directly) and holds any number of CAs. Keystore
 * entries have no order: there only the set counts. */
static void check_content(struct ucpki_lint *l, const struct lint_file *f)
{
	const struct ucpki_profile_file *s = f->spec;
	enum ucpki_item got[4 * MAX_CERTS];
	int n = 0, ordered = s->container == UCPKI_CONT_PEM || s->container == UCPKI_CONT_DER;
	int i = 0, j = 0, ok = 1;
	char want_s[128], got_s[256];

	for (int k = 0; k < ucpki_pack_count(f->pack) && n < 4 * MAX_CERTS; k++) {
		enum ucpki_obj t = ucpki_pack_type(f->pack, k);
		enum ucpki_item it;
		if (t != UCPKI_OBJ_KEY && t != UCPKI_OBJ_CERT)
			continue;
		it = lint_item_of(f->pack, k, file_key(f, NULL));
		if ((it == UCPKI_ITEM_CHAIN || it == UCPKI_ITEM_ROOT) && n > 0 && got[n - 1] == it)
			continue; /* one chain item, however many CAs; a trust store, several roots */
		got[n++] = it;
	}
	if (ordered) {
		while (i < s->n_content && j < n) {
			if (s->content[i] == got[j]) {
				i++;
				j++;
			} else if (s->content[i] == UCPKI_ITEM_CHAIN) {
				i++; /* empty chain */
			} else {
				ok = 0;
				break;
			}
		}
		while (ok && i < s->n_content && s->content[i] == UCPKI_ITEM_CHAIN)
			i++;
		if (i < s->n_content || j < n)
			ok = 0;
	} else {
		for (int a = 0; a < n; a++) {
			int found = 0;
			for (int b = 0; b < s->n_content; b++)
				if (s->content[b] == got[a])
					found = 1;
			ok &= found;
		}
		for (int b = 0; b < s->n_content; b++) {
			int found = s->content[b] == UCPKI_ITEM_CHAIN;
			for (int a = 0; a < n; a++)
				if (got[a] == s->content[b])
					found = 1;
			ok &= found;
		}
	}
	if (ok)
		return;
	items_string(s->content, s->n_content, want_s, sizeof(want_s));
	items_string(got, n, got_s, sizeof(got_s));
	lint_report(l, "file-content", f->name, "holds %s; %s expects %s%s", got_s,
	            l->o.profile->id, want_s, ordered ? ", in that order" : "");
}

static int is_pkcs1(enum ucpki_keyenc k)
{
	return k == UCPKI_KEYENC_PKCS1 || k == UCPKI_KEYENC_PKCS1_ENCRYPTED ||
	       k == UCPKI_KEYENC_SEC1 || k == UCPKI_KEYENC_SEC1_ENCRYPTED;
}

static int is_encrypted(enum ucpki_keyenc k)
{
	return k == UCPKI_KEYENC_PKCS1_ENCRYPTED || k == UCPKI_KEYENC_SEC1_ENCRYPTED ||
	       k == UCPKI_KEYENC_PKCS8_ENCRYPTED;
}

static void check_key_form(struct ucpki_lint *l, const struct lint_file *f)
{
	const struct ucpki_profile_file *s = f->spec;
	int idx;
	enum ucpki_keyenc enc;

	if (file_key(f, &idx) == NULL || s->container != UCPKI_CONT_PEM)
		return;
	enc = ucpki_pack_keyenc_at(f->pack, idx);
	if (s->key_form_required && is_pkcs1(enc) != (s->key_form == UCPKI_KEYFORM_PKCS1))
		lint_report(l, "key-encoding", f->name, "the key is %s; %s requires %s",
		            ucpki_keyenc_name(enc), l->o.profile->id,
		            s->key_form == UCPKI_KEYFORM_PKCS1 ? "PKCS#1 (BEGIN RSA PRIVATE KEY)"
		                                               : "PKCS#8 (BEGIN PRIVATE KEY)");
	if (!s->encrypted && is_encrypted(enc))
		lint_report(l, "key-encrypted", f->name,
		            "the key is encrypted; %s loads it unencrypted", l->o.profile->id);
	if (s->encrypted && !is_encrypted(enc))
		lint_report(l, "key-unencrypted", f->name,
		            "the key is not encrypted; %s requires a password-protected key",
		            l->o.profile->id);
}

static void check_alias(struct ucpki_lint *l, const struct lint_file *f)
{
	const struct ucpki_profile_file *s = f->spec;
	const char *alias;
	int idx;

	if (s->alias == NULL || file_key(f, &idx) == NULL ||
	    (s->container != UCPKI_CONT_PKCS12 && s->container != UCPKI_CONT_JKS))
		return;
	alias = ucpki_pack_alias_at(f->pack, idx);
	if (alias == NULL) {
		/* PKCS#12 readers may attach the name to the certificate */
		for (int i = 0; i < ucpki_pack_count(f->pack) && alias == NULL; i++)
			if (ucpki_pack_type(f->pack, i) == UCPKI_OBJ_CERT)
				alias = ucpki_pack_alias_at(f->pack, i);
	}
	if (alias == NULL || strcasecmp(alias, s->alias) != 0)
		lint_report(l, "alias-mismatch", f->name, "the key entry is named '%s'; %s looks up '%s'",
		            alias ? alias : "(no alias)", l->o.profile->id, s->alias);
}

static int has_root(const struct lint_file *f)
{
	for (int i = 0; i < ucpki_pack_count(f->pack); i++) {
		X509 *x = ucpki_pack_cert_at(f->pack, i);
		if (x && lint_is_ca(x) && lint_is_self_signed(x))
			return 1;
	}
	return 0;
}

static void check_spec_file(struct ucpki_lint *l, struct lint_file *f)
{
	const struct ucpki_profile_file *s = f->spec;
	enum ucpki_format fmt = ucpki_pack_format(f->pack);

	if (!lint_format_fits(s->container, fmt)) {
		lint_report(l, "file-container", f->name, "is %s; %s loads it as %s",
		            ucpki_format_name(fmt), l->o.profile->id, ucpki_container_name(s->container));
		return;
	}
	check_content(l, f);
	for (int i = 0; i < s->n_content; i++)
		if (s->content[i] == UCPKI_ITEM_ROOT && !has_root(f))
			lint_report(l, "root-missing", f->name, "%s wants the root CA in this file",
			            l->o.profile->id);
	check_key_form(l, f);
	check_alias(l, f);
	if (s->copy_of) {
		for (int i = 0; i < l->n_files; i++) {
			struct lint_file *o = &l->files[i];
			if (o->spec && strcmp(o->spec->name, s->copy_of) == 0 && o->have_digest &&
			    f->have_digest && memcmp(o->digest, f->digest, sizeof(f->digest)) != 0)
				lint_report(l, "file-copy", f->name, "differs from %s, of which it must be a copy",
				            o->name);
		}
	}
}

/* --- the certificate against the profile -------------------------------- */

static int eku_nid(const char *name)
{
	STACK_OF(ASN1_OBJECT) *sk = ucpki_eku_parse(name, NULL);
	int nid = sk && sk_ASN1_OBJECT_num(sk) == 1 ? OBJ_obj2nid(sk_ASN1_OBJECT_value(sk, 0))
	                                            : NID_undef;

	sk_ASN1_OBJECT_pop_free(sk, ASN1_OBJECT_free);
	return nid;
}

static int ext_nid(const char *name)
{
	int nid = OBJ_sn2nid(name);

	if (nid == NID_undef)
		nid = OBJ_ln2nid(name);
	if (nid == NID_undef)
		nid = OBJ_txt2nid(name);
	return nid;
}

static void check_ekus(struct ucpki_lint *l, const char *file, X509 *x, const char *who)
{
	const struct ucpki_profile *p = l->o.profile;

	for (int i = 0; i < p->n_require_eku; i++)
		if (!lint_has_eku(x, eku_nid(p->require_eku[i])))
			lint_report(l, "eku-missing", file, "%s lacks extendedKeyUsage %s (%s requires it)",
			            who, p->require_eku[i], p->id);
	for (int i = 0; i < p->n_forbid_eku; i++)
		if (lint_has_eku(x, eku_nid(p->forbid_eku[i])))
			lint_report(l, "eku-forbidden", file, "%s has extendedKeyUsage %s (%s forbids it)",
			            who, p->forbid_eku[i], p->id);
	for (int i = 0; i < p->n_forbid_ext; i++)
		if (X509_get_ext_by_NID(x, ext_nid(p->forbid_ext[i]), -1) >= 0)
			lint_report(l, "ext-forbidden", file, "%s carries %s, which %s does not support", who,
			            p->forbid_ext[i], p->id);
}

static void check_criticals(struct ucpki_lint *l, const char *file, X509 *x)
{
	const struct ucpki_profile *p = l->o.profile;
	char who[200];

	if (p->n_critical_ok < 0)
		return;
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *ext = X509_get_ext(x, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext)), ok = 0;
		char name[80];
		if (!X509_EXTENSION_get_critical(ext))
			continue;
		for (int j = 0; j < p->n_critical_ok; j++)
			if (ext_nid(p->critical_ok[j]) == nid)
				ok = 1;
		if (ok)
			continue;
		OBJ_obj2txt(name, sizeof(name), X509_EXTENSION_get_object(ext), 0);
		lint_report(l, "critical-ext", file, "%s marks %s critical; %s accepts only %s%s",
		            lint_cert_name(x, who, sizeof(who)), name, p->id,
		            p->n_critical_ok ? p->critical_ok[0] : "none",
		            p->n_critical_ok > 1 ? ", ..." : "");
	}
}

static void check_keytype(struct ucpki_lint *l, const char *file, X509 *x, const char *who)
{
	const struct ucpki_profile *p = l->o.profile;
	struct ucpki_keyspec ks;
	char spec[32];

	/* a profile that lists no keys (CA certificates only) restricts none */
	if (p->n_keys == 0 || !ucpki_keyspec_of(X509_get0_pubkey(x), &ks))
		return;
	ucpki_keyspec_string(&ks, spec, sizeof(spec));
	for (int i = 0; i < p->n_keys; i++) {
		struct ucpki_keyspec want;
		char canon[32];
		if (ucpki_keyspec_parse(p->keys[i], &want, NULL, NULL) == 0 &&
		    strcmp(ucpki_keyspec_string(&want, canon, sizeof(canon)), spec) == 0)
			return;
	}
	lint_report(l, "key-type", file, "%s has a %s key; %s accepts %s%s", who, spec, p->id,
	            p->keys[0], p->n_keys > 1 ? " and the others its profile lists" : "");
}

/* SAN entries as "DNS:x" / "IP:y" strings. */
static int san_has(GENERAL_NAMES *g, const char *dns)
{
	for (int i = 0; g && i < sk_GENERAL_NAME_num(g); i++) {
		GENERAL_NAME *n = sk_GENERAL_NAME_value(g, i);
		if (n->type == GEN_DNS &&
		    strcasecmp((const char *)ASN1_STRING_get0_data(n->d.dNSName), dns) == 0)
			return 1;
	}
	return 0;
}

/* Fill one placeholder of t with value into out. */
static void subst(const char *t, const char *value, char *out, size_t len)
{
	const char *open = strchr(t, '{'), *close = open ? strchr(open, '}') : NULL;

	if (open == NULL || close == NULL) {
		snprintf(out, len, "%s", t);
		return;
	}
	snprintf(out, len, "%.*s%s%s", (int)(open - t), t, value, close + 1);
}

/* Required SAN templates. With the node's names (solution lint) they are
 * filled in directly; otherwise some DNS name D of the certificate must make
 * every template present (e.g. D and conference.D). */
static int templates_present(const struct ucpki_profile *p, GENERAL_NAMES *g,
                             const char *domain, const char *hostname, char *missing,
                             size_t len)
{
	for (int i = 0; i < p->n_san_require; i++) {
		const char *t = p->san_require[i];
		const char *v = strstr(t, "{hostname}") ? hostname : domain;
		char name[300];
		subst(t, v, name, sizeof(name));
		if (!san_has(g, name)) {
			snprintf(missing, len, "%s", name);
			return 0;
		}
	}
	return 1;
}

static void check_san_required(struct ucpki_lint *l, const char *file, X509 *x,
                               const char *who)
{
	const struct ucpki_profile *p = l->o.profile;
	GENERAL_NAMES *g = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	char missing[300] = "";
	int ok = 0;

	if (l->o.domain || l->o.hostname) {
		const char *d = l->o.domain ? l->o.domain : l->o.hostname;
		const char *h = l->o.hostname ? l->o.hostname : l->o.domain;
		ok = templates_present(p, g, d, h, missing, sizeof(missing));
	} else {
		for (int c = 0; g && c < sk_GENERAL_NAME_num(g) && !ok; c++) {
			GENERAL_NAME *n = sk_GENERAL_NAME_value(g, c);
			const char *v;
			if (n->type != GEN_DNS)
				continue;
			v = (const char *)ASN1_STRING_get0_data(n->d.dNSName);
			ok = templates_present(p, g, v, v, missing, sizeof(missing));
		}
		if (!ok)
			snprintf(missing, sizeof(missing), "a name for every one of %s%s",
			         p->san_require[0], p->n_san_require > 1 ? ", ..." : "");
	}
	if (!ok)
		lint_report(l, "san-required", file, "%s: the SAN lacks %s (%s needs %s)", who,
		            missing, p->id, p->san_require[p->n_san_require - 1]);
	GENERAL_NAMES_free(g);
}

static void check_cn_ip(struct ucpki_lint *l, const char *file, X509 *x, const char *who)
{
	GENERAL_NAMES *g = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	char *cn = ucpki_dn_cn(X509_get_subject_name(x));
	int dns = 0, ips = 0;
	unsigned char ip[16];
	int iplen;

	for (int i = 0; g && i < sk_GENERAL_NAME_num(g); i++) {
		GENERAL_NAME *n = sk_GENERAL_NAME_value(g, i);
		dns += n->type == GEN_DNS;
		ips += n->type == GEN_IPADD;
	}
	if (ips > 0 && dns == 0 && (cn == NULL || !ucpki_parse_ip(cn, ip, &iplen)))
		lint_report(l, "cn-ip", file,
		            "%s: only IP names, and the CN is not the IP (Internet Explorer, R11)", who);
	free(cn);
	GENERAL_NAMES_free(g);
}

static char *org_of(X509 *x)
{
	X509_NAME *n = X509_get_subject_name(x);
	int i = X509_NAME_get_index_by_NID(n, NID_organizationName, -1);
	unsigned char *utf8 = NULL;
	char *out;

	if (i < 0 || ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
	                                            X509_NAME_get_entry(n, i))) < 0)
		return NULL;
	out = strdup((char *)utf8);
	OPENSSL_free(utf8);
	return out;
}

static void check_org(struct ucpki_lint *l, const char *file, X509 *x, const char *who)
{
	char *o = org_of(x);

	for (int i = 0; o && i < sk_X509_num(l->pool); i++) {
		X509 *r = sk_X509_value(l->pool, i);
		char *ro;
		if (!lint_is_ca(r) || !lint_is_self_signed(r))
			continue;
		ro = org_of(r);
		if (ro && strcmp(o, ro) == 0)
			lint_report(l, "org-distinct", file,
			            "%s: organization '%s' is the root CA's (R12: it must differ)", who, o);
		free(ro);
	}
	free(o);
}

static void check_leaf(struct ucpki_lint *l, const char *file, X509 *x)
{
	const struct ucpki_profile *p = l->o.profile;
	char who[200];

	lint_cert_name(x, who, sizeof(who));
	check_ekus(l, file, x, who);
	check_keytype(l, file, x, who);
	if (p->n_san_require)
		check_san_required(l, file, x, who);
	if (p->browser_clients)
		check_cn_ip(l, file, x, who);
	if (p->org_distinct_from_root)
		check_org(l, file, x, who);
	if (l->o.expect_cn) {
		char *cn = ucpki_dn_cn(X509_get_subject_name(x));
		if (cn == NULL || strcasecmp(cn, l->o.expect_cn) != 0)
			lint_report(l, "cn-mismatch", file, "%s: the CN must be %s", who, l->o.expect_cn);
		free(cn);
	}
}

/* The first file that holds a certificate x. */
static const char *file_of(struct ucpki_lint *l, X509 *x)
{
	for (int i = 0; i < l->n_files; i++)
		for (int j = 0; j < ucpki_pack_count(l->files[i].pack); j++) {
			X509 *y = ucpki_pack_cert_at(l->files[i].pack, j);
			if (y && X509_cmp(x, y) == 0)
				return l->files[i].name;
		}
	return "";
}

void lint_profile_rules(struct ucpki_lint *l)
{
	const struct ucpki_profile *p = l->o.profile;

	if (l->o.version && !ucpki_profile_supports(p, l->o.version)) {
		char buf[64];
		lint_report(l, "version-unsupported", "", "%s supports versions %s, not %d", p->id,
		            ucpki_profile_versions_string(p, buf, sizeof(buf)), l->o.version);
	}
	for (int i = 0; i < l->n_files; i++) {
		struct lint_file *f = &l->files[i];
		lint_match_report(l, f);
		if (f->spec)
			check_spec_file(l, f);
	}
	if (l->o.bundle_complete)
		for (int j = 0; j < p->n_files; j++) {
			int found = 0;
			if (p->files[j].when)
				continue;
			for (int i = 0; i < l->n_files; i++)
				if (l->files[i].spec == &p->files[j])
					found = 1;
			if (!found)
				lint_report(l, "file-missing", p->files[j].name, "%s expects this file", p->id);
		}
	for (int i = 0; i < sk_X509_num(l->pool); i++) {
		X509 *x = sk_X509_value(l->pool, i);
		int dup = 0;
		for (int k = 0; k < i; k++)
			if (X509_cmp(sk_X509_value(l->pool, k), x) == 0)
				dup = 1;
		if (dup)
			continue;
		if (!lint_is_ca(x))
			check_leaf(l, file_of(l, x), x);
		if (!lint_is_ca(x) || p->critical_whole_chain)
			check_criticals(l, file_of(l, x), x);
	}
}
