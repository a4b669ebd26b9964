/*
 * Profile documents -> struct ucpki_profile. Every value is checked here,
 * once, so the rest of ucpki can trust a loaded profile: names parse as
 * EKUs, key usages, key specs and extension names; files reference
 * passwords and files that exist; content fits the container.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>

#include "profiles/profiles_internal.h"
#include "ucpki/x509.h"

struct ctx {
	struct ucpki_profile_set *set;
	const struct yml *y;
	struct ucpki_profile *p;
	struct ucpki_err *e;
};

/* --- small helpers ------------------------------------------------------ */

#define ALLOC(c, n, type) ((type *)set_alloc((c)->set, (size_t)(n), sizeof(type)))

static int oom(struct ctx *c)
{
	return ucpki_err_set(c->e, UCPKI_E_INTERNAL, "out of memory");
}

/* A list of strings copied into set memory (the YAML list array is freed). */
static int strlist(struct ctx *c, struct fy_node *map, const char *path, const char *key,
                   const char *const **out, int *n)
{
	const char **tmp;
	const char **arr;

	if (yml_strlist(c->y, map, path, key, &tmp, n, c->e) != 0)
		return -1;
	if (tmp == NULL) {
		*out = NULL;
		*n = 0;
		return 0;
	}
	if ((arr = ALLOC(c, *n + 1, const char *)) == NULL) {
		free(tmp);
		return oom(c);
	}
	memcpy(arr, tmp, (size_t)*n * sizeof(*arr));
	free(tmp);
	*out = arr;
	return 0;
}

/* Join a list into "a,b,c" in set memory. */
static const char *join(struct ctx *c, const char *const *v, int n)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	size_t at = 0;

	if ((s = ALLOC(c, len, char)) == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		if (i)
			s[at++] = ',';
		memcpy(s + at, v[i], l);
		at += l;
	}
	s[at] = '\0';
	return s;
}

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* "4", "4-6", "7-" -> lo, hi (0 = open). */
static int parse_range(const char *s, int *lo, int *hi)
{
	char *end;
	long a, b;

	a = strtol(s, &end, 10);
	if (end == s || a < 1 || a > 99)
		return -1;
	if (*end == '\0') {
		*lo = *hi = (int)a;
		return 0;
	}
	if (*end != '-')
		return -1;
	s = end + 1;
	if (*s == '\0') {
		*lo = (int)a;
		*hi = 0;
		return 0;
	}
	b = strtol(s, &end, 10);
	if (end == s || *end != '\0' || b < a || b > 99)
		return -1;
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

static int parse_mode(const char *s, mode_t *out)
{
	char *end;
	long m = strtol(s, &end, 8);

	if (end == s || *end != '\0' || m < 0 || m > 07777)
		return -1;
	*out = (mode_t)m;
	return 0;
}

/* A relative bundle file name: one optional sub-directory, no "..". */
static int safe_name(const char *s)
{
	int slashes = 0;

	if (*s == '\0' || *s == '/' || strlen(s) > 120)
		return 0;
	for (const char *q = s; *q; q++) {
		if (*q == '/')
			slashes++;
		else if (!isalnum((unsigned char)*q) && !strchr("._-", *q))
			return 0;
	}
	return slashes <= 1 && strstr(s, "..") == NULL && s[strlen(s) - 1] != '/' &&
	       strcmp(s, "INSTALL.md") != 0 && strncmp(s, "secrets", 7) != 0;
}

static int ext_name_ok(const char *s)
{
	if (OBJ_sn2nid(s) != NID_undef || OBJ_ln2nid(s) != NID_undef)
		return 1;
	if (isdigit((unsigned char)s[0])) {
		ASN1_OBJECT *o = OBJ_txt2obj(s, 1);
		ASN1_OBJECT_free(o);
		return o != NULL;
	}
	return 0;
}

/* Placeholders a template may use. */
static int placeholders_ok(const char *s)
{
	static const char *const known[] = {"{domain}", "{hostname}", "{fqdn}", "{name}", "{user}"};

	for (const char *q = strchr(s, '{'); q; q = strchr(q + 1, '{')) {
		size_t i;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strncmp(q, known[i], strlen(known[i])) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			return 0;
	}
	return 1;
}

/* --- sections ------------------------------------------------------------ */

static int parse_versions(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"supported", "hash", "warn", "clamp-2038", NULL};
	struct ucpki_profile *p = c->p;
	struct ucpki_version_rule *rules;
	const char *const *sup = NULL;
	struct fy_node *h, *w, *kn, *val;
	const char *k;
	void *it;
	int n = 0, nr;

	p->clamp_2038 = 1;
	if (v == NULL) {
		if ((p->ver_lo = ALLOC(c, 1, int)) == NULL || (p->ver_hi = ALLOC(c, 1, int)) == NULL)
			return oom(c);
		p->ver_lo[0] = 1;
		p->n_ver = 1;
		return 0;
	}
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "versions", c->e, "expected a mapping");
	if (yml_check_keys(c->y, v, "versions", keys, c->e) != 0 ||
	    yml_bool(c->y, v, "versions", "clamp-2038", &p->clamp_2038, c->e) != 0 ||
	    strlist(c, v, "versions", "supported", &sup, &n) != 0)
		return -1;
	if (n == 0) {
		static const char *const all[] = {"1-"};
		sup = all;
		n = 1;
	}
	if ((p->ver_lo = ALLOC(c, n, int)) == NULL || (p->ver_hi = ALLOC(c, n, int)) == NULL)
		return oom(c);
	for (int i = 0; i < n; i++)
		if (parse_range(sup[i], &p->ver_lo[i], &p->ver_hi[i]) != 0)
			return yml_fail(c->y, yml_get(v, "supported"), "versions.supported", c->e,
			                "'%s' is not a version range (e.g. 8, 6-7, 4-)", sup[i]);
	p->n_ver = n;
	h = yml_get(v, "hash");
	w = yml_get(v, "warn");
	if ((h && !yml_is_map(h)) || (w && !yml_is_map(w)))
		return yml_fail(c->y, h && !yml_is_map(h) ? h : w, "versions", c->e,
		                "hash and warn map version ranges to values");
	nr = (h ? yml_map_count(h) : 0) + (w ? yml_map_count(w) : 0);
	if ((rules = ALLOC(c, nr + 1, struct ucpki_version_rule)) == NULL)
		return oom(c);
	p->vrules = rules;
	for (int pass = 0; pass < 2; pass++) {
		struct fy_node *m = pass == 0 ? h : w;
		const char *path = pass == 0 ? "versions.hash" : "versions.warn";
		it = NULL;
		while (m && yml_map_next(m, &it, &k, &kn, &val)) {
			struct ucpki_version_rule *r = &rules[p->n_vrules];
			const char *t = yml_text(val);
			if (k == NULL || parse_range(k, &r->lo, &r->hi) != 0)
				return yml_fail(c->y, kn, path, c->e,
				                "'%s' is not a version range (e.g. 8, 4-6, 7-)", k ? k : "?");
			if (t == NULL || *t == '\0')
				return yml_fail(c->y, val, path, c->e, "expected a value");
			if (pass == 0) {
				const EVP_MD *md;
				if (ucpki_hash_parse(t, &md, NULL, c->e) != 0)
					return yml_fail(c->y, val, path, c->e, "%s", c->e->msg);
				r->hash = t;
			} else {
				r->warning = t;
			}
			p->n_vrules++;
		}
	}
	return 0;
}

static int check_names(struct ctx *c, struct fy_node *map, const char *path, const char *key,
                       const char *const *v, int n, int (*ok)(const char *), const char *what)
{
	for (int i = 0; i < n; i++)
		if (!ok(v[i]))
			return yml_fail(c->y, yml_get(map, key), path, c->e, "%s: '%s' is not %s", key,
			                v[i], what);
	return 0;
}

static int eku_ok(const char *s)
{
	STACK_OF(ASN1_OBJECT) *sk = ucpki_eku_parse(s, NULL);
	int ok = sk != NULL && sk_ASN1_OBJECT_num(sk) == 1;

	sk_ASN1_OBJECT_pop_free(sk, ASN1_OBJECT_free);
	return ok;
}

static int keyspec_ok(const char *s)
{
	struct ucpki_keyspec ks;

	return ucpki_keyspec_parse(s, &ks, NULL, NULL) == 0;
}

static int san_template_ok(const char *s)
{
	return (strncmp(s, "DNS:", 4) == 0 || strncmp(s, "IP:", 3) == 0 ||
	        strncmp(s, "URI:", 4) == 0 || strncmp(s, "email:", 6) == 0) &&
	       placeholders_ok(s);
}

static int cert_enums(struct ctx *c, struct fy_node *v)
{
	static const char *const idents[] = {"host", "user", "ca", "none"};
	static const char *const bases[] = {"server", "client"};
	static const char *const cns[] = {"name", "hostname", "user"};
	struct ucpki_profile *p = c->p;
	const char *ident = "host", *base = "server", *cn = "name";
	int i;

	if (yml_str(c->y, v, "certificate", "identity", 0, &ident, c->e) != 0 ||
	    yml_str(c->y, v, "certificate", "base", 0, &base, c->e) != 0 ||
	    yml_str(c->y, v, "certificate", "cn", 0, &cn, c->e) != 0)
		return -1;
	if ((i = lookup(idents, 4, ident)) < 0)
		return yml_fail(c->y, yml_get(v, "identity"), "certificate.identity", c->e,
		                "'%s' is not one of host, user, ca, none", ident);
	p->identity = (enum ucpki_identity)i;
	if (lookup(bases, 2, base) < 0)
		return yml_fail(c->y, yml_get(v, "base"), "certificate.base", c->e,
		                "'%s' is not one of server, client", base);
	p->base = base;
	if (lookup(cns, 3, cn) < 0)
		return yml_fail(c->y, yml_get(v, "cn"), "certificate.cn", c->e,
		                "'%s' is not one of name, hostname, user", cn);
	p->cn = cn;
	return 0;
}

/* An EC or Ed25519 key cannot encipher (RFC 5480 3, RFC 8410 5): a
 * key-usage with keyEncipherment or dataEncipherment takes RSA keys only.
 * Returns the first allowed key spec it does not fit, or NULL. */
static const char *ku_misfit_key(const struct ucpki_profile *p, unsigned bits)
{
	if (!(bits & (UCPKI_KU_KEY_ENCIPHERMENT | UCPKI_KU_DATA_ENCIPHERMENT)))
		return NULL;
	for (int i = 0; i < p->n_keys; i++) {
		struct ucpki_keyspec ks;
		if (ucpki_keyspec_parse(p->keys[i], &ks, NULL, NULL) == 0 && ks.type != UCPKI_KEY_RSA)
			return p->keys[i];
	}
	return NULL;
}

static int cert_lists(struct ctx *c, struct fy_node *v)
{
	struct ucpki_profile *p = c->p;
	const char *const *eku = NULL, *const *ku = NULL;
	int n_eku = 0, n_ku = 0;
	unsigned bits;
	const char *misfit;
	struct fy_node *crit = yml_get(v, "critical-allowed");

	if (strlist(c, v, "certificate", "eku", &eku, &n_eku) != 0 ||
	    strlist(c, v, "certificate", "key-usage", &ku, &n_ku) != 0 ||
	    strlist(c, v, "certificate", "require-eku", &p->require_eku, &p->n_require_eku) != 0 ||
	    strlist(c, v, "certificate", "forbid-eku", &p->forbid_eku, &p->n_forbid_eku) != 0 ||
	    strlist(c, v, "certificate", "keys", &p->keys, &p->n_keys) != 0 ||
	    strlist(c, v, "certificate", "forbidden-extensions", &p->forbid_ext,
	            &p->n_forbid_ext) != 0)
		return -1;
	if (check_names(c, v, "certificate", "eku", eku, n_eku, eku_ok,
	                "an extended key usage") != 0 ||
	    check_names(c, v, "certificate", "require-eku", p->require_eku, p->n_require_eku,
	                eku_ok, "an extended key usage") != 0 ||
	    check_names(c, v, "certificate", "forbid-eku", p->forbid_eku, p->n_forbid_eku,
	                eku_ok, "an extended key usage") != 0 ||
	    check_names(c, v, "certificate", "keys", p->keys, p->n_keys, keyspec_ok,
	                "a key spec (rsa:2048, ec:p256, ...)") != 0 ||
	    check_names(c, v, "certificate", "forbidden-extensions", p->forbid_ext,
	                p->n_forbid_ext, ext_name_ok, "a known extension name or OID") != 0)
		return -1;
	if ((p->eku = join(c, eku, n_eku)) == NULL)
		return oom(c);
	if (n_ku) {
		if ((p->ku = join(c, ku, n_ku)) == NULL)
			return oom(c);
		if (ucpki_ku_parse(p->ku, &bits, c->e) != 0)
			return yml_fail(c->y, yml_get(v, "key-usage"), "certificate.key-usage", c->e,
			                "%s", c->e->msg);
		if ((misfit = ku_misfit_key(p, bits)) != NULL)
			return yml_fail(c->y, yml_get(v, "key-usage"), "certificate.key-usage", c->e,
			                "keyEncipherment/dataEncipherment does not apply to %s, which "
			                "keys allows (RFC 5480 3, RFC 8410 5): drop it or allow RSA only",
			                misfit);
	}
	if (p->n_keys == 0) {
		static const char *const dflt[] = {"rsa:2048", "rsa:3072", "rsa:4096", NULL};
		p->keys = dflt;
		p->n_keys = 3;
	}
	p->n_critical_ok = -1;
	if (crit && yml_text(crit) && strcmp(yml_text(crit), "any") == 0)
		return 0;
	if (crit) {
		if (strlist(c, v, "certificate", "critical-allowed", &p->critical_ok,
		            &p->n_critical_ok) != 0 ||
		    check_names(c, v, "certificate", "critical-allowed", p->critical_ok,
		                p->n_critical_ok, ext_name_ok, "a known extension name or OID") != 0)
			return -1;
	}
	return 0;
}

static int cert_san(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"extra", "require", NULL};
	struct ucpki_profile *p = c->p;
	struct fy_node *san = yml_get(v, "san");

	if (san == NULL)
		return 0;
	if (!yml_is_map(san))
		return yml_fail(c->y, san, "certificate.san", c->e, "expected a mapping");
	if (yml_check_keys(c->y, san, "certificate.san", keys, c->e) != 0 ||
	    strlist(c, san, "certificate.san", "extra", &p->san_extra, &p->n_san_extra) != 0 ||
	    strlist(c, san, "certificate.san", "require", &p->san_require, &p->n_san_require) != 0)
		return -1;
	if (check_names(c, san, "certificate.san", "extra", p->san_extra, p->n_san_extra,
	                san_template_ok, "a SAN template (DNS:conference.{domain})") != 0 ||
	    check_names(c, san, "certificate.san", "require", p->san_require, p->n_san_require,
	                placeholders_ok, "a name template ({hostname}, {domain}, ...)") != 0)
		return -1;
	return 0;
}

static int parse_certificate(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {
		"identity", "base", "eku", "key-usage", "require-eku", "forbid-eku", "keys",
		"forbidden-extensions", "critical-allowed", "critical-whole-chain", "san", "cn",
		"org-distinct-from-root", "same-ca-as-osv", "one-server-cert", "rsa-min", "days", NULL};
	struct ucpki_profile *p = c->p;

	p->rsa_min = 2048;
	p->base = "server";
	p->cn = "name";
	p->eku = "";
	if (v == NULL) {
		p->identity = UCPKI_IDENT_NONE;
		p->n_critical_ok = -1;
		return 0;
	}
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "certificate", c->e, "expected a mapping");
	if (yml_check_keys(c->y, v, "certificate", keys, c->e) != 0 || cert_enums(c, v) != 0 ||
	    cert_lists(c, v) != 0 || cert_san(c, v) != 0 ||
	    yml_bool(c->y, v, "certificate", "critical-whole-chain", &p->critical_whole_chain,
	             c->e) != 0 ||
	    yml_bool(c->y, v, "certificate", "org-distinct-from-root",
	             &p->org_distinct_from_root, c->e) != 0 ||
	    yml_bool(c->y, v, "certificate", "same-ca-as-osv", &p->same_ca_as_osv, c->e) != 0 ||
	    yml_bool(c->y, v, "certificate", "one-server-cert", &p->one_server_cert, c->e) != 0 ||
	    yml_int(c->y, v, "certificate", "rsa-min", 512, 16384, &p->rsa_min, c->e) != 0 ||
	    yml_int(c->y, v, "certificate", "days", 1, 36500, &p->default_days, c->e) != 0)
		return -1;
	return 0;
}

static int parse_verify(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"level", "browser-clients", "clients", "external-cas",
	                                   NULL};
	static const char *const levels[] = {"none", "trusted", "full"};
	struct ucpki_profile *p = c->p;

	p->verify_level = "none";
	if (v == NULL)
		return 0;
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "verify", c->e, "expected a mapping");
	if (yml_check_keys(c->y, v, "verify", keys, c->e) != 0 ||
	    yml_str(c->y, v, "verify", "level", 0, &p->verify_level, c->e) != 0 ||
	    yml_bool(c->y, v, "verify", "browser-clients", &p->browser_clients, c->e) != 0 ||
	    yml_bool(c->y, v, "verify", "external-cas", &p->external_cas, c->e) != 0 ||
	    strlist(c, v, "verify", "clients", &p->clients, &p->n_clients) != 0)
		return -1;
	if (lookup(levels, 3, p->verify_level) < 0)
		return yml_fail(c->y, yml_get(v, "level"), "verify.level", c->e,
		                "'%s' is not one of none, trusted, full", p->verify_level);
	return 0;
}

static int parse_passwords(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"default", "optional", "generate", "purpose", NULL};
	struct ucpki_profile *p = c->p;
	struct ucpki_profile_password *pw;
	struct fy_node *kn, *val;
	const char *k;
	void *it = NULL;

	if (v == NULL)
		return 0;
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "passwords", c->e, "expected a mapping of password names");
	if ((pw = ALLOC(c, yml_map_count(v) + 1, struct ucpki_profile_password)) ==
	    NULL)
		return oom(c);
	p->passwords = pw;
	while (yml_map_next(v, &it, &k, &kn, &val)) {
		char path[128];
		struct ucpki_profile_password *x = &pw[p->n_passwords];
		snprintf(path, sizeof(path), "passwords.%s", k ? k : "?");
		if (k == NULL || !safe_name(k) || strchr(k, '/'))
			return yml_fail(c->y, kn, "passwords", c->e, "password names are plain words");
		if (!yml_is_map(val))
			return yml_fail(c->y, val, path, c->e, "expected a mapping");
		x->name = k;
		if (yml_check_keys(c->y, val, path, keys, c->e) != 0 ||
		    yml_str(c->y, val, path, "default", 0, &x->product_default, c->e) != 0 ||
		    yml_bool(c->y, val, path, "optional", &x->optional, c->e) != 0 ||
		    yml_bool(c->y, val, path, "generate", &x->always_generate, c->e) != 0 ||
		    yml_str(c->y, val, path, "purpose", 0, &x->purpose, c->e) != 0)
			return -1;
		p->n_passwords++;
	}
	return 0;
}

static int parse_content(struct ctx *c, struct fy_node *f, const char *path,
                         struct ucpki_profile_file *x)
{
	static const char *const items[] = {"cert", "key", "chain", "root"};
	const char *const *v;
	int n, i;

	if (strlist(c, f, path, "content", &v, &n) != 0)
		return -1;
	if (n == 0 && x->copy_of == NULL)
		return yml_fail(c->y, f, path, c->e, "content: missing (e.g. [cert, key, chain])");
	if (n > UCPKI_PROFILE_MAX_ITEMS)
		return yml_fail(c->y, yml_get(f, "content"), path, c->e, "content: too many items");
	for (int j = 0; j < n; j++) {
		if ((i = lookup(items, 4, v[j])) < 0)
			return yml_fail(c->y, yml_get(f, "content"), path, c->e,
			                "content: '%s' is not one of cert, key, chain, root", v[j]);
		for (int k = 0; k < j; k++)
			if ((int)x->content[k] == i)
				return yml_fail(c->y, yml_get(f, "content"), path, c->e,
				                "content: '%s' listed twice", v[j]);
		x->content[j] = (enum ucpki_item)i;
	}
	x->n_content = n;
	return 0;
}

static int has_item(const struct ucpki_profile_file *x, enum ucpki_item it)
{
	for (int i = 0; i < x->n_content; i++)
		if (x->content[i] == it)
			return 1;
	return 0;
}

/* Combinations a container cannot hold, and what a key needs. */
static int check_file(struct ctx *c, struct fy_node *f, const char *path,
                      struct ucpki_profile_file *x)
{
	int key = has_item(x, UCPKI_ITEM_KEY), cert = has_item(x, UCPKI_ITEM_CERT);

	if ((key || cert) && c->p->identity == UCPKI_IDENT_NONE)
		return yml_fail(c->y, f, path, c->e,
		                "a profile without a certificate ships CA certificates only");
	if (x->container == UCPKI_CONT_DER && x->n_content != 1)
		return yml_fail(c->y, f, path, c->e, "a DER file holds exactly one item");
	if (x->container == UCPKI_CONT_DER && key)
		return yml_fail(c->y, f, path, c->e, "DER files here hold certificates, not keys");
	if (x->container == UCPKI_CONT_P7B && key)
		return yml_fail(c->y, f, path, c->e, "a PKCS#7 bundle cannot hold a private key");
	if ((x->container == UCPKI_CONT_PKCS12 || x->container == UCPKI_CONT_JKS) && key &&
	    !cert)
		return yml_fail(c->y, f, path, c->e, "a keystore key entry needs its certificate");
	if ((x->container == UCPKI_CONT_PKCS12 || x->container == UCPKI_CONT_JKS) && cert &&
	    !key)
		return yml_fail(c->y, f, path, c->e,
		                "a keystore holds the certificate with its key (add key)");
	if ((x->container == UCPKI_CONT_PKCS12 || x->container == UCPKI_CONT_JKS) &&
	    x->password == NULL)
		return yml_fail(c->y, f, path, c->e, "a keystore needs a password: name one");
	if (x->encrypted && (x->container != UCPKI_CONT_PEM || !key || x->password == NULL))
		return yml_fail(c->y, f, path, c->e,
		                "encrypted: applies to a PEM key and needs a password");
	if (x->password && ucpki_profile_password_find(c->p, x->password) == NULL)
		return yml_fail(c->y, yml_get(f, "password"), path, c->e,
		                "password: '%s' is not declared under passwords", x->password);
	if (x->when && lookup(c->p->options, c->p->n_options, x->when) < 0)
		return yml_fail(c->y, yml_get(f, "when"), path, c->e,
		                "when: '%s' is not declared under options", x->when);
	return 0;
}

static int parse_file(struct ctx *c, struct fy_node *f, int idx, struct ucpki_profile_file *x)
{
	static const char *const keys[] = {
		"name", "container", "content", "key-encoding", "key-encoding-required", "encrypted",
		"alias", "ca-alias", "password", "legacy", "copy-of", "when", "install-path",
		"owner", "mode", "purpose", NULL};
	static const char *const conts[] = {"pem", "der", "pkcs12", "jks", "p7b"};
	static const char *const forms[] = {"pkcs8", "pkcs1"};
	const char *cont = "pem", *form = "pkcs8", *mode = NULL;
	char path[64];
	int i;

	snprintf(path, sizeof(path), "files[%d]", idx);
	x->line = yml_line(f);
	if (!yml_is_map(f))
		return yml_fail(c->y, f, path, c->e, "expected a mapping");
	if (yml_check_keys(c->y, f, path, keys, c->e) != 0 ||
	    yml_str(c->y, f, path, "name", 1, &x->name, c->e) != 0 ||
	    yml_str(c->y, f, path, "container", 0, &cont, c->e) != 0 ||
	    yml_str(c->y, f, path, "key-encoding", 0, &form, c->e) != 0 ||
	    yml_bool(c->y, f, path, "key-encoding-required", &x->key_form_required, c->e) != 0 ||
	    yml_bool(c->y, f, path, "encrypted", &x->encrypted, c->e) != 0 ||
	    yml_str(c->y, f, path, "alias", 0, &x->alias, c->e) != 0 ||
	    yml_str(c->y, f, path, "ca-alias", 0, &x->ca_alias, c->e) != 0 ||
	    yml_str(c->y, f, path, "password", 0, &x->password, c->e) != 0 ||
	    yml_bool(c->y, f, path, "legacy", &x->legacy, c->e) != 0 ||
	    yml_str(c->y, f, path, "copy-of", 0, &x->copy_of, c->e) != 0 ||
	    yml_str(c->y, f, path, "when", 0, &x->when, c->e) != 0 ||
	    yml_str(c->y, f, path, "install-path", 0, &x->install_path, c->e) != 0 ||
	    yml_str(c->y, f, path, "owner", 0, &x->owner, c->e) != 0 ||
	    yml_str(c->y, f, path, "mode", 0, &mode, c->e) != 0 ||
	    yml_str(c->y, f, path, "purpose", 0, &x->purpose, c->e) != 0)
		return -1;
	if (!safe_name(x->name))
		return yml_fail(c->y, yml_get(f, "name"), path, c->e,
		                "name: '%s' must be a plain relative file name", x->name);
	if ((i = lookup(conts, 5, cont)) < 0)
		return yml_fail(c->y, yml_get(f, "container"), path, c->e,
		                "container: '%s' is not one of pem, der, pkcs12, jks, p7b", cont);
	x->container = (enum ucpki_container)i;
	if ((i = lookup(forms, 2, form)) < 0)
		return yml_fail(c->y, yml_get(f, "key-encoding"), path, c->e,
		                "key-encoding: '%s' is not one of pkcs8, pkcs1", form);
	x->key_form = (enum ucpki_key_form)i;
	if (mode && parse_mode(mode, &x->mode) != 0)
		return yml_fail(c->y, yml_get(f, "mode"), path, c->e,
		                "mode: '%s' is not an octal mode", mode);
	if (x->copy_of) {
		int found = 0;
		for (int j = 0; j < idx; j++)
			if (strcmp(c->p->files[j].name, x->copy_of) == 0) {
				const struct ucpki_profile_file *src = &c->p->files[j];
				x->container = src->container;
				memcpy(x->content, src->content, sizeof(x->content));
				x->n_content = src->n_content;
				x->key_form = src->key_form;
				x->key_form_required = src->key_form_required;
				found = 1;
			}
		if (!found)
			return yml_fail(c->y, yml_get(f, "copy-of"), path, c->e,
			                "copy-of: '%s' is not an earlier file of this profile",
			                x->copy_of);
		if (yml_get(f, "content"))
			return yml_fail(c->y, yml_get(f, "content"), path, c->e,
			                "a copy takes its content from copy-of");
		return 0;
	}
	if (parse_content(c, f, path, x) != 0)
		return -1;
	return check_file(c, f, path, x);
}

static int parse_files(struct ctx *c, struct fy_node *v)
{
	struct ucpki_profile *p = c->p;
	struct ucpki_profile_file *files;
	struct fy_node *f;
	void *it = NULL;

	if (v == NULL)
		return yml_fail(c->y, yml_root(c->y), "files", c->e,
		                "missing: every profile ships at least one file");
	/* files: [] is for a product whose steps only change stores on its host */
	if (!yml_is_seq(v))
		return yml_fail(c->y, v, "files", c->e, "expected a list of files");
	if ((files = ALLOC(c, yml_seq_count(v) + 1, struct ucpki_profile_file)) == NULL)
		return oom(c);
	p->files = files;
	while ((f = yml_seq_next(v, &it)) != NULL) {
		if (parse_file(c, f, p->n_files, &files[p->n_files]) != 0)
			return -1;
		for (int j = 0; j < p->n_files; j++)
			if (strcmp(files[j].name, files[p->n_files].name) == 0)
				return yml_fail(c->y, f, "files", c->e, "file '%s' is listed twice",
				                files[j].name);
		p->n_files++;
	}
	return 0;
}

/* Placeholders of install step texts (rendered by the solution module into
 * INSTALL.md): plain names, {pass:NAME} of a declared password and
 * {opt:NAME|default} of a declared option. ${...} is left alone. */
static int step_text_ok(struct ctx *c, const char *s, char *bad, size_t badlen)
{
	static const char *const plain[] = {"dir", "node", "fqdn", "hostname", "domain", "user",
	                                    "location", "template", "root-md5", "root-alias",
	                                    "root-cn", "backend", "osv-host1",
	                                    "osv-host2"};
	for (const char *q = strchr(s, '{'); q; q = strchr(q + 1, '{')) {
		const char *end = strchr(q, '}');
		char name[128];
		size_t n;
		int ok = 0;

		if (end == NULL)
			break;
		if (q > s && q[-1] == '$')
			continue; /* ${catalina.base}: the product's own variable */
		n = (size_t)(end - q - 1);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, q + 1, n);
		name[n] = '\0';
		for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
			if (strcmp(name, plain[i]) == 0)
				ok = 1;
		if (strncmp(name, "pass:", 5) == 0 && ucpki_profile_password_find(c->p, name + 5))
			ok = 1;
		if (strncmp(name, "encoded:", 8) == 0 && ucpki_profile_password_find(c->p, name + 8))
			ok = 1;
		if (strncmp(name, "opt:", 4) == 0) {
			char opt[128];
			size_t l = strcspn(name + 4, "|");
			snprintf(opt, sizeof(opt), "%.*s", (int)l, name + 4);
			ok = lookup(c->p->options, c->p->n_options, opt) >= 0;
		}
		if (!ok) {
			snprintf(bad, badlen, "%s", name);
			return 0;
		}
	}
	return 1;
}

/* Step kinds as the YAML spells them, in enum ucpki_step_kind order. */
static const char *const step_kinds[] = {"backup", "copy",       "append",    "run",
                                         "edit",   "ui",         "import-key", "import-ca",
                                         "fetch-ca"};
#define N_STEP_KINDS (int)(sizeof(step_kinds) / sizeof(step_kinds[0]))

/* The kind key of a step and its value. */
static int step_kind(struct ctx *c, struct fy_node *s, const char *path,
                     struct ucpki_profile_step *x, const char **val)
{
	int found = 0;

	for (int k = 0; k < N_STEP_KINDS; k++) {
		const char *v = NULL;
		if (yml_str(c->y, s, path, step_kinds[k], 0, &v, c->e) != 0)
			return -1;
		if (v == NULL)
			continue;
		if (found++)
			return yml_fail(c->y, s, path, c->e, "one kind (backup, copy, ...) per step");
		x->kind = (enum ucpki_step_kind)k;
		*val = v;
	}
	if (!found)
		return yml_fail(c->y, s, path, c->e,
		                "a step is one of backup, copy, append, run, edit, ui, import-key, "
		                "import-ca, fetch-ca");
	return 0;
}

/* Which keys each kind takes besides its own and when:. */
struct step_keys {
	enum ucpki_step_kind kind;
	const char *allowed;     /* space-separated */
};

static const struct step_keys step_key_table[] = {
	{UCPKI_STEP_BACKUP, ""},
	{UCPKI_STEP_COPY, "to"},
	{UCPKI_STEP_APPEND, "to"},
	{UCPKI_STEP_RUN, "tool input"},
	{UCPKI_STEP_UI, ""},
	{UCPKI_STEP_EDIT, "set property xml-attr match value file-content unless-default"},
	{UCPKI_STEP_IMPORT_KEY, "into alias"},
	{UCPKI_STEP_IMPORT_CA, "into"},
	{UCPKI_STEP_FETCH_CA, "into alias"},
};

static int step_key_allowed(enum ucpki_step_kind k, const char *key)
{
	for (size_t i = 0; i < sizeof(step_key_table) / sizeof(step_key_table[0]); i++) {
		const char *a = step_key_table[i].allowed;
		size_t l = strlen(key);
		if (step_key_table[i].kind != k)
			continue;
		for (const char *q = strstr(a, key); q; q = strstr(q + 1, key))
			if ((q == a || q[-1] == ' ') && (q[l] == ' ' || q[l] == '\0'))
				return 1;
	}
	return 0;
}

static int step_check_keys(struct ctx *c, struct fy_node *s, const char *path,
                           const struct ucpki_profile_step *x)
{
	static const char *const extra[] = {"to",    "set",   "into",         "alias", "tool", "input",
	                                    "property", "xml-attr", "match", "value",
	                                    "file-content", "unless-default"};
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (yml_get(s, extra[i]) && !step_key_allowed(x->kind, extra[i]))
			return yml_fail(c->y, yml_get(s, extra[i]), path, c->e, "%s: not for a %s step",
			                extra[i], step_kinds[x->kind]);
	return 0;
}

static int step_store(struct ctx *c, struct fy_node *s, const char *path,
                      struct ucpki_profile_step *x)
{
	const char *id = NULL;

	if (yml_str(c->y, s, path, "into", 1, &id, c->e) != 0 ||
	    yml_str(c->y, s, path, "alias", 0, &x->alias, c->e) != 0)
		return -1;
	if ((x->store = ucpki_profile_store_find(c->p, id)) == NULL)
		return yml_fail(c->y, yml_get(s, "into"), path, c->e,
		                "into: '%s' is not declared under install.stores", id);
	if (x->store->replace)
		return yml_fail(c->y, yml_get(s, "into"), path, c->e,
		                "into: store '%s' is replaced, not imported into", id);
	if (x->kind == UCPKI_STEP_IMPORT_KEY) {
		const struct ucpki_profile_file *f = ucpki_profile_file_find(c->p, x->file);
		if (f == NULL || f->container != UCPKI_CONT_PKCS12)
			return yml_fail(c->y, s, path, c->e,
			                "import-key: '%s' is not a PKCS#12 file of this profile",
			                x->file);
		if (x->alias == NULL)
			x->alias = f->alias;
	}
	if (x->kind == UCPKI_STEP_IMPORT_CA && ucpki_profile_file_find(c->p, x->file) == NULL)
		return yml_fail(c->y, s, path, c->e, "import-ca: '%s' is not a file of this profile",
		                x->file);
	if (x->kind == UCPKI_STEP_FETCH_CA && x->alias == NULL)
		return yml_fail(c->y, s, path, c->e, "fetch-ca: alias: missing (required)");
	return 0;
}

/* edit: prose in set:, and optionally what a script does. */
static int step_edit(struct ctx *c, struct fy_node *s, const char *path,
                     struct ucpki_profile_step *x)
{
	const char *prop = NULL, *attr = NULL, *whole = NULL, *def = NULL;

	if (yml_str(c->y, s, path, "set", 1, &x->text, c->e) != 0 ||
	    yml_str(c->y, s, path, "property", 0, &prop, c->e) != 0 ||
	    yml_str(c->y, s, path, "xml-attr", 0, &attr, c->e) != 0 ||
	    yml_str(c->y, s, path, "match", 0, &x->match, c->e) != 0 ||
	    yml_str(c->y, s, path, "value", 0, &x->value, c->e) != 0 ||
	    yml_str(c->y, s, path, "file-content", 0, &whole, c->e) != 0 ||
	    yml_str(c->y, s, path, "unless-default", 0, &def, c->e) != 0)
		return -1;
	if ((prop != NULL) + (attr != NULL) + (whole != NULL) > 1)
		return yml_fail(c->y, s, path, c->e, "one of property, xml-attr, file-content");
	if (prop || attr) {
		x->edit = prop ? UCPKI_EDIT_PROPERTY : UCPKI_EDIT_XML_ATTR;
		x->key = prop ? prop : attr;
		if (x->value == NULL)
			return yml_fail(c->y, s, path, c->e, "value: missing (required)");
		if (attr && x->match == NULL)
			return yml_fail(c->y, s, path, c->e, "match: missing (required)");
	} else if (whole) {
		x->edit = UCPKI_EDIT_FILE;
		x->value = whole;
	} else if (x->value || x->match) {
		return yml_fail(c->y, s, path, c->e, "value/match need property or xml-attr");
	}
	if (def && ucpki_profile_password_find(c->p, def) == NULL)
		return yml_fail(c->y, yml_get(s, "unless-default"), path, c->e,
		                "unless-default: '%s' is not declared under passwords", def);
	x->unless_default = def;
	return 0;
}

/* One install step: a mapping with exactly one kind key and its extras. */
static int parse_step(struct ctx *c, struct fy_node *s, int idx, struct ucpki_profile_step *x)
{
	static const char *const keys[] = {"backup", "copy",  "append",   "run",          "edit",
	                                   "ui",     "import-key", "import-ca", "fetch-ca",
	                                   "to",     "set",   "when",     "into",         "alias",
	                                   "property", "xml-attr", "match", "value",
	                                   "file-content", "unless-default", "tool", "input", NULL};
	char path[64], bad[128];
	const char *val = NULL;

	snprintf(path, sizeof(path), "install.steps[%d]", idx);
	if (!yml_is_map(s))
		return yml_fail(c->y, s, path, c->e, "expected a mapping such as {run: COMMAND}");
	if (yml_check_keys(c->y, s, path, keys, c->e) != 0 || step_kind(c, s, path, x, &val) != 0 ||
	    step_check_keys(c, s, path, x) != 0)
		return -1;
	switch (x->kind) {
	case UCPKI_STEP_BACKUP:
	case UCPKI_STEP_EDIT:
		x->path = val;
		break;
	case UCPKI_STEP_COPY:
	case UCPKI_STEP_APPEND:
	case UCPKI_STEP_IMPORT_KEY:
	case UCPKI_STEP_IMPORT_CA:
		x->file = val;
		break;
	case UCPKI_STEP_RUN:
	case UCPKI_STEP_UI:
		x->text = val;
		break;
	case UCPKI_STEP_FETCH_CA:
		x->from = val;
		break;
	}
	if (yml_str(c->y, s, path, "when", 0, &x->when, c->e) != 0)
		return -1;
	if (x->when && lookup(c->p->options, c->p->n_options, x->when) < 0)
		return yml_fail(c->y, yml_get(s, "when"), path, c->e,
		                "when: '%s' is not declared under options", x->when);
	if (x->kind == UCPKI_STEP_COPY || x->kind == UCPKI_STEP_APPEND) {
		if (yml_str(c->y, s, path, "to", 1, &x->path, c->e) != 0)
			return -1;
		if (ucpki_profile_file_find(c->p, x->file) == NULL)
			return yml_fail(c->y, s, path, c->e, "'%s' is not a file of this profile",
			                x->file);
	}
	if (x->kind == UCPKI_STEP_IMPORT_KEY || x->kind == UCPKI_STEP_IMPORT_CA ||
	    x->kind == UCPKI_STEP_FETCH_CA) {
		if (step_store(c, s, path, x) != 0)
			return -1;
	}
	if (x->kind == UCPKI_STEP_EDIT && step_edit(c, s, path, x) != 0)
		return -1;
	if (x->kind == UCPKI_STEP_RUN &&
	    (yml_str(c->y, s, path, "tool", 0, &x->tool, c->e) != 0 ||
	     yml_str(c->y, s, path, "input", 0, &x->input, c->e) != 0))
		return -1;
	if (x->tool && x->tool[0] != '/')
		return yml_fail(c->y, yml_get(s, "tool"), path, c->e, "tool: '%s' is not absolute",
		                x->tool);
	if (x->input && ucpki_profile_file_find(c->p, x->input) == NULL)
		return yml_fail(c->y, yml_get(s, "input"), path, c->e,
		                "input: '%s' is not a file of this profile", x->input);
	{
		const char *texts[] = {x->text, x->value, x->from};
		for (int i = 0; i < 3; i++)
			if (texts[i] && !step_text_ok(c, texts[i], bad, sizeof(bad)))
				return yml_fail(c->y, s, path, c->e,
				                "unknown placeholder {%s} (see docs/profiles.md)", bad);
	}
	return 0;
}

/* install.stores: the keystores the product has on its host, as shipped. */
static int parse_store(struct ctx *c, struct fy_node *v, int idx, struct ucpki_profile_store *x)
{
	static const char *const keys[] = {"id",   "path", "type",   "password",
	                                   "update", "file", "purpose", NULL};
	static const char *const types[] = {"jks", "pkcs12"};
	static const char *const updates[] = {"import", "replace"};
	const char *update = "import";
	char path[64];

	snprintf(path, sizeof(path), "install.stores[%d]", idx);
	if (!yml_is_map(v))
		return yml_fail(c->y, v, path, c->e, "expected {id: ID, path: PATH, type: jks, ...}");
	x->line = yml_line(v);
	if (yml_check_keys(c->y, v, path, keys, c->e) != 0 ||
	    yml_str(c->y, v, path, "id", 1, &x->id, c->e) != 0 ||
	    yml_str(c->y, v, path, "path", 1, &x->path, c->e) != 0 ||
	    yml_str(c->y, v, path, "type", 1, &x->type, c->e) != 0 ||
	    yml_str(c->y, v, path, "password", 1, &x->default_password, c->e) != 0 ||
	    yml_str(c->y, v, path, "update", 0, &update, c->e) != 0 ||
	    yml_str(c->y, v, path, "file", 0, &x->file, c->e) != 0 ||
	    yml_str(c->y, v, path, "purpose", 0, &x->purpose, c->e) != 0)
		return -1;
	if (!safe_name(x->id) || strchr(x->id, '/'))
		return yml_fail(c->y, yml_get(v, "id"), path, c->e, "store ids are plain words");
	if (x->path[0] != '/')
		return yml_fail(c->y, yml_get(v, "path"), path, c->e, "'%s' is not an absolute path",
		                x->path);
	if (lookup(types, 2, x->type) < 0)
		return yml_fail(c->y, yml_get(v, "type"), path, c->e, "'%s' is not one of jks, pkcs12",
		                x->type);
	if (lookup(updates, 2, update) < 0)
		return yml_fail(c->y, yml_get(v, "update"), path, c->e,
		                "'%s' is not one of import, replace", update);
	x->replace = strcmp(update, "replace") == 0;
	if (x->replace != (x->file != NULL))
		return yml_fail(c->y, v, path, c->e,
		                x->replace ? "file: missing: the bundle file that replaces the store"
		                           : "file: only for update: replace");
	if (x->file && ucpki_profile_file_find(c->p, x->file) == NULL)
		return yml_fail(c->y, yml_get(v, "file"), path, c->e,
		                "'%s' is not a file of this profile", x->file);
	for (int i = 0; i < c->p->n_stores; i++)
		if (strcmp(c->p->stores[i].id, x->id) == 0)
			return yml_fail(c->y, v, path, c->e, "store '%s' is listed twice", x->id);
	return 0;
}

static int parse_stores(struct ctx *c, struct fy_node *v)
{
	struct ucpki_profile *p = c->p;
	struct ucpki_profile_store *st;
	struct fy_node *s;
	void *it = NULL;

	if (v == NULL)
		return 0;
	if (!yml_is_seq(v))
		return yml_fail(c->y, v, "install.stores", c->e, "expected a list");
	if ((st = ALLOC(c, yml_seq_count(v) + 1, struct ucpki_profile_store)) == NULL)
		return oom(c);
	p->stores = st;
	while ((s = yml_seq_next(v, &it)) != NULL) {
		if (parse_store(c, s, p->n_stores, &st[p->n_stores]) != 0)
			return -1;
		p->n_stores++;
	}
	return 0;
}

static int parse_install(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"owner",  "mode",         "host",   "steps",
	                                   "restart", "restart-note", "stores", "keytool",
	                                   "encoder", NULL};
	static const char *const hosts[] = {"linux", "windows", "appliance", "device"};
	struct ucpki_profile *p = c->p;
	struct ucpki_profile_step *steps;
	struct fy_node *sv, *s;
	const char *mode = NULL;
	void *it = NULL;

	p->host_os = "linux";
	p->mode = 0644;
	if (v == NULL)
		return yml_fail(c->y, yml_root(c->y), "install", c->e,
		                "missing: the install steps (R8)");
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "install", c->e, "expected a mapping");
	if (yml_check_keys(c->y, v, "install", keys, c->e) != 0 ||
	    yml_str(c->y, v, "install", "owner", 0, &p->owner, c->e) != 0 ||
	    yml_str(c->y, v, "install", "mode", 0, &mode, c->e) != 0 ||
	    yml_str(c->y, v, "install", "host", 0, &p->host_os, c->e) != 0 ||
	    yml_str(c->y, v, "install", "restart", 0, &p->restart, c->e) != 0 ||
	    yml_str(c->y, v, "install", "restart-note", 0, &p->restart_note, c->e) != 0 ||
	    yml_str(c->y, v, "install", "keytool", 0, &p->keytool, c->e) != 0 ||
	    yml_str(c->y, v, "install", "encoder", 0, &p->encoder, c->e) != 0)
		return -1;
	if (mode && parse_mode(mode, &p->mode) != 0)
		return yml_fail(c->y, yml_get(v, "mode"), "install.mode", c->e,
		                "'%s' is not an octal mode", mode);
	if (lookup(hosts, 4, p->host_os) < 0)
		return yml_fail(c->y, yml_get(v, "host"), "install.host", c->e,
		                "'%s' is not one of linux, windows, appliance, device", p->host_os);
	if (parse_stores(c, yml_get(v, "stores")) != 0)
		return -1;
	sv = yml_get(v, "steps");
	if (sv == NULL || !yml_is_seq(sv) || yml_seq_count(sv) == 0)
		return yml_fail(c->y, sv ? sv : v, "install.steps", c->e,
		                "expected a non-empty list of steps");
	if ((steps = ALLOC(c, yml_seq_count(sv) + 1, struct ucpki_profile_step)) == NULL)
		return oom(c);
	p->steps = steps;
	while ((s = yml_seq_next(sv, &it)) != NULL) {
		if (parse_step(c, s, p->n_steps, &steps[p->n_steps]) != 0)
			return -1;
		p->n_steps++;
	}
	return 0;
}

static int parse_endpoints(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"port", "protocol", "name", "source", NULL};
	struct ucpki_profile *p = c->p;
	struct ucpki_profile_endpoint *eps;
	struct fy_node *s;
	void *it = NULL;

	if (v == NULL)
		return 0;
	if (!yml_is_seq(v))
		return yml_fail(c->y, v, "endpoints", c->e, "expected a list");
	if ((eps = ALLOC(c, yml_seq_count(v) + 1, struct ucpki_profile_endpoint)) == NULL)
		return oom(c);
	p->endpoints = eps;
	while ((s = yml_seq_next(v, &it)) != NULL) {
		struct ucpki_profile_endpoint *x = &eps[p->n_endpoints];
		char path[64];
		snprintf(path, sizeof(path), "endpoints[%d]", p->n_endpoints);
		if (!yml_is_map(s))
			return yml_fail(c->y, s, path, c->e, "expected a mapping");
		if (yml_check_keys(c->y, s, path, keys, c->e) != 0 ||
		    yml_int(c->y, s, path, "port", 1, 65535, &x->port, c->e) != 0 ||
		    yml_str(c->y, s, path, "protocol", 1, &x->protocol, c->e) != 0 ||
		    yml_str(c->y, s, path, "name", 0, &x->name, c->e) != 0 ||
		    yml_str(c->y, s, path, "source", 0, &x->source, c->e) != 0)
			return -1;
		if (x->port == 0)
			return yml_fail(c->y, s, path, c->e, "port: missing (required)");
		p->n_endpoints++;
	}
	return 0;
}

static int parse_options(struct ctx *c, struct fy_node *v)
{
	struct ucpki_profile *p = c->p;
	const char **names;
	struct fy_node *kn, *val;
	const char *k;
	void *it = NULL;

	if (v == NULL)
		return 0;
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "options", c->e,
		                "expected a mapping of option name to description");
	if ((names = ALLOC(c, yml_map_count(v) + 1, const char *)) == NULL)
		return oom(c);
	while (yml_map_next(v, &it, &k, &kn, &val)) {
		if (k == NULL || yml_text(val) == NULL)
			return yml_fail(c->y, kn, "options", c->e, "option: description");
		names[p->n_options++] = k;
	}
	p->options = names;
	return 0;
}

/* pkcs12: {encryption: legacy | aes, reason: ...}: what the product's
 * runtime reads. Required when the profile writes a PKCS#12 file. */
static int parse_pkcs12(struct ctx *c, struct fy_node *v)
{
	static const char *const keys[] = {"encryption", "reason", NULL};
	static const char *const encs[] = {"aes", "legacy"};
	struct ucpki_profile *p = c->p;
	const char *enc = NULL;
	int any = 0;

	for (int i = 0; i < p->n_files; i++)
		any |= p->files[i].container == UCPKI_CONT_PKCS12;
	if (v == NULL) {
		if (any)
			return yml_fail(c->y, yml_root(c->y), "pkcs12", c->e,
			                "missing: the PKCS#12 encryption the product's runtime reads "
			                "(pkcs12: {encryption: legacy|aes, reason: ...})");
		return 0;
	}
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "pkcs12", c->e, "expected {encryption: legacy|aes, reason: ...}");
	if (yml_check_keys(c->y, v, "pkcs12", keys, c->e) != 0 ||
	    yml_str(c->y, v, "pkcs12", "encryption", 1, &enc, c->e) != 0 ||
	    yml_str(c->y, v, "pkcs12", "reason", 1, &p->pkcs12_reason, c->e) != 0)
		return -1;
	switch (lookup(encs, 2, enc)) {
	case 0:
		p->pkcs12_legacy = 0;
		break;
	case 1:
		p->pkcs12_legacy = 1;
		break;
	default:
		return yml_fail(c->y, yml_get(v, "encryption"), "pkcs12.encryption", c->e,
		                "'%s' is not one of legacy, aes", enc);
	}
	return 0;
}

static int parse_header(struct ctx *c, struct fy_node *root, const char *id_hint)
{
	struct ucpki_profile *p = c->p;

	if (yml_str(c->y, root, NULL, "id", 1, &p->id, c->e) != 0 ||
	    yml_str(c->y, root, NULL, "name", 1, &p->name, c->e) != 0 ||
	    yml_str(c->y, root, NULL, "guide", 1, &p->guide, c->e) != 0 ||
	    yml_str(c->y, root, NULL, "summary", 0, &p->summary, c->e) != 0 ||
	    strlist(c, root, NULL, "notes", &p->notes, &p->n_notes) != 0)
		return -1;
	for (const char *q = p->id; *q; q++)
		if (!islower((unsigned char)*q) && !isdigit((unsigned char)*q) && *q != '-')
			return yml_fail(c->y, yml_get(root, "id"), "id", c->e,
			                "'%s': ids use lower-case letters, digits and '-'", p->id);
	if (id_hint && strcmp(id_hint, p->id) != 0)
		return yml_fail(c->y, yml_get(root, "id"), "id", c->e,
		                "'%s' does not match the file name (%s.yaml)", p->id, id_hint);
	if (p->summary == NULL)
		p->summary = "";
	return 0;
}

int profile_parse_into(struct ucpki_profile_set *s, const char *label, const char *id_hint,
                       const char *data, size_t len, struct ucpki_err *e)
{
	static const char *const keys[] = {"id", "name", "guide", "summary", "notes", "versions",
	                                   "certificate", "verify", "files", "passwords",
	                                   "install", "endpoints", "options", "pkcs12", NULL};
	struct yml *y = yml_load(label, data, len, e);
	struct ctx c = {s, y, NULL, e};
	struct fy_node *root;

	if (y == NULL)
		return -1;
	if (s->n_docs == s->cap_docs) {
		int ncap = s->cap_docs ? 2 * s->cap_docs : 16;
		struct yml **nd = realloc(s->docs, (size_t)ncap * sizeof(*nd));
		if (nd == NULL) {
			yml_free(y);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		s->docs = nd;
		s->cap_docs = ncap;
	}
	s->docs[s->n_docs++] = y;
	root = yml_root(y);
	if (!yml_is_map(root))
		return yml_fail(y, root, NULL, e, "a profile is a YAML mapping (id: ..., files: ...)");
	if ((c.p = ALLOC(&c, 1, struct ucpki_profile)) == NULL)
		return oom(&c);
	c.p->path = set_strdup(s, label);
	if (c.p->path == NULL)
		return oom(&c);
	if (yml_check_keys(y, root, NULL, keys, e) != 0 || parse_header(&c, root, id_hint) != 0 ||
	    parse_options(&c, yml_get(root, "options")) != 0 ||
	    parse_versions(&c, yml_get(root, "versions")) != 0 ||
	    parse_certificate(&c, yml_get(root, "certificate")) != 0 ||
	    parse_verify(&c, yml_get(root, "verify")) != 0 ||
	    parse_passwords(&c, yml_get(root, "passwords")) != 0 ||
	    parse_files(&c, yml_get(root, "files")) != 0 ||
	    parse_pkcs12(&c, yml_get(root, "pkcs12")) != 0 ||
	    parse_install(&c, yml_get(root, "install")) != 0 ||
	    parse_endpoints(&c, yml_get(root, "endpoints")) != 0)
		return -1;
	if (s->n == s->cap) {
		int ncap = s->cap ? 2 * s->cap : 64;
		struct ucpki_profile **nv = realloc(s->v, (size_t)ncap * sizeof(*nv));
		if (nv == NULL)
			return oom(&c);
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = c.p;
	return 0;
}
