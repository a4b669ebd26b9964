/*
 * Inventory files -> struct ucpki_inventory, checked completely: every
 * problem a run could hit because of the inventory is found here, with the
 * file, line and key, before the state or the output is touched.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "solution/solution_internal.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

/* Inventories are small text; 10,000 nodes take about 1 MB. */
#define INVENTORY_MAX (64u * 1024 * 1024)
#define DEFAULT_VERSION 10

struct ictx {
	struct ucpki_inventory *inv;
	const struct yml *y;
	const struct ucpki_profile_set *profiles;
	struct ucpki_warnings *w;
	struct ucpki_err *e;
};

static int oom(struct ictx *c)
{
	return ucpki_err_set(c->e, UCPKI_E_INTERNAL, "out of memory");
}

/* A path from the inventory, relative to its directory. */
static const char *resolve(struct ictx *c, const char *p)
{
	if (p[0] == '/' || c->inv->base_dir == NULL)
		return arena_strdup(&c->inv->a, p);
	return arena_printf(&c->inv->a, "%s/%s", c->inv->base_dir, p);
}

static int name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || !isalnum((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return strcmp(s, "manifest.json") != 0;
}

/* A list (or one value) copied into the arena. */
static int list(struct ictx *c, struct fy_node *map, const char *path, const char *key,
                const char ***out, int *n)
{
	const char **tmp;

	if (yml_strlist(c->y, map, path, key, &tmp, n, c->e) != 0)
		return -1;
	*out = NULL;
	if (tmp == NULL)
		return 0;
	if ((*out = arena_alloc(&c->inv->a, (size_t)(*n + 1) * sizeof(char *))) == NULL) {
		free(tmp);
		return oom(c);
	}
	memcpy(*out, tmp, (size_t)*n * sizeof(char *));
	free(tmp);
	return 0;
}

static int check_dn(struct ictx *c, struct fy_node *map, const char *path, const char *key,
                    const char *dn, int template_ok)
{
	struct ucpki_err e2 = {0};
	X509_NAME *n;
	char p[128];

	if (dn == NULL)
		return 0;
	snprintf(p, sizeof(p), "%s.%s", path, key);
	n = ucpki_dn_parse(dn, strstr(dn, "=?") ? "host.example" : NULL, &e2);
	if (n == NULL)
		return yml_fail(c->y, yml_get(map, key), p, c->e, "%s", e2.msg);
	X509_NAME_free(n);
	if (!template_ok && strstr(dn, "=?"))
		return yml_fail(c->y, yml_get(map, key), p, c->e,
		                "a CA subject cannot be a template (CN=?)");
	return 0;
}

static int check_keyspec(struct ictx *c, struct fy_node *map, const char *path,
                         const char *key, const char **spec)
{
	struct ucpki_keyspec ks;
	struct ucpki_err e2 = {0};
	char p[128], buf[32];

	if (*spec == NULL)
		return 0;
	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (ucpki_keyspec_parse(*spec, &ks, NULL, &e2) != 0)
		return yml_fail(c->y, yml_get(map, key), p, c->e, "%s", e2.msg);
	*spec = arena_strdup(&c->inv->a, ucpki_keyspec_string(&ks, buf, sizeof(buf)));
	return *spec ? 0 : oom(c);
}

static int check_hash(struct ictx *c, struct fy_node *map, const char *path, const char *h)
{
	const EVP_MD *md;
	struct ucpki_err e2 = {0};
	char p[128];

	if (h == NULL)
		return 0;
	snprintf(p, sizeof(p), "%s.hash", path);
	if (ucpki_hash_parse(h, &md, NULL, &e2) != 0)
		return yml_fail(c->y, yml_get(map, "hash"), p, c->e, "%s", e2.msg);
	return 0;
}

static int readable(struct ictx *c, struct fy_node *at, const char *path, const char *file,
                    const char *what)
{
	if (access(file, R_OK) != 0)
		return yml_fail(c->y, at, path, c->e, "%s '%s' cannot be read", what, file);
	return 0;
}

/* --- the CA section ------------------------------------------------------ */

static int parse_ca_entry(struct ictx *c, struct fy_node *v, const char *path,
                          struct inv_ca *ca, const char *dflt_name, int is_root)
{
	static const char *const keys[] = {"name", "subject", "key", "days", "hash", "pathlen",
	                                   NULL};
	char p[64];

	snprintf(p, sizeof(p), "ca.%s", path);
	if (!yml_is_map(v))
		return yml_fail(c->y, v, p, c->e, "expected {subject: DN, key: SPEC, days: N}");
	ca->present = 1;
	ca->line = yml_line(v);
	ca->name = dflt_name;
	ca->pathlen = -1;
	if (yml_check_keys(c->y, v, p, keys, c->e) != 0 ||
	    yml_str(c->y, v, p, "name", 0, &ca->name, c->e) != 0 ||
	    yml_str(c->y, v, p, "subject", 1, &ca->subject, c->e) != 0 ||
	    yml_str(c->y, v, p, "key", 0, &ca->key, c->e) != 0 ||
	    yml_str(c->y, v, p, "hash", 0, &ca->hash, c->e) != 0 ||
	    yml_int(c->y, v, p, "days", 1, 36500, &ca->days, c->e) != 0 ||
	    yml_int(c->y, v, p, "pathlen", 0, 16, &ca->pathlen, c->e) != 0 ||
	    check_dn(c, v, p, "subject", ca->subject, 0) != 0 ||
	    check_keyspec(c, v, p, "key", &ca->key) != 0 || check_hash(c, v, p, ca->hash) != 0)
		return -1;
	if (!name_ok(ca->name, 64) || strchr(ca->name, '.'))
		return yml_fail(c->y, yml_get(v, "name"), p, c->e,
		                "'%s' is not a CA name (letters, digits, '-', '_')", ca->name);
	if (is_root && yml_get(v, "pathlen") == NULL)
		ca->pathlen = -1;
	return 0;
}

static int parse_import(struct ictx *c, struct fy_node *v)
{
	static const char *const keys[] = {"p12", "password-file", "name", NULL};
	struct ucpki_inventory *inv = c->inv;
	const char *p12 = NULL, *pf = NULL;

	if (!yml_is_map(v))
		return yml_fail(c->y, v, "ca.import", c->e,
		                "expected {p12: FILE, password-file: FILE}");
	inv->import_line = yml_line(v);
	inv->import_name = "issuing";
	if (yml_check_keys(c->y, v, "ca.import", keys, c->e) != 0 ||
	    yml_str(c->y, v, "ca.import", "p12", 1, &p12, c->e) != 0 ||
	    yml_str(c->y, v, "ca.import", "password-file", 1, &pf, c->e) != 0 ||
	    yml_str(c->y, v, "ca.import", "name", 0, &inv->import_name, c->e) != 0)
		return -1;
	if ((inv->import_p12 = resolve(c, p12)) == NULL ||
	    (inv->import_pass_file = resolve(c, pf)) == NULL)
		return oom(c);
	if (readable(c, yml_get(v, "p12"), "ca.import.p12", inv->import_p12, "PKCS#12 file") != 0 ||
	    readable(c, yml_get(v, "password-file"), "ca.import.password-file",
	             inv->import_pass_file, "password file") != 0)
		return -1;
	if (!name_ok(inv->import_name, 64) || strchr(inv->import_name, '.'))
		return yml_fail(c->y, yml_get(v, "name"), "ca.import.name", c->e,
		                "'%s' is not a CA name", inv->import_name);
	return 0;
}

static int parse_ca(struct ictx *c, struct fy_node *v)
{
	static const char *const keys[] = {"root", "issuing", "import", NULL};
	struct ucpki_inventory *inv = c->inv;

	if (v == NULL)
		return yml_fail(c->y, yml_root(c->y), "ca", c->e,
		                "missing: give ca.root (and ca.issuing), or ca.import");
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "ca", c->e, "expected a mapping with root, issuing or import");
	if (yml_check_keys(c->y, v, "ca", keys, c->e) != 0)
		return -1;
	if (yml_get(v, "import")) {
		if (yml_get(v, "root") || yml_get(v, "issuing"))
			return yml_fail(c->y, v, "ca", c->e,
			                "give either import or root/issuing, not both");
		return parse_import(c, yml_get(v, "import"));
	}
	if (yml_get(v, "root") == NULL)
		return yml_fail(c->y, v, "ca", c->e, "root: missing (required without import)");
	if (parse_ca_entry(c, yml_get(v, "root"), "root", &inv->root, "root", 1) != 0)
		return -1;
	if (yml_get(v, "issuing") &&
	    parse_ca_entry(c, yml_get(v, "issuing"), "issuing", &inv->issuing, "issuing", 0) != 0)
		return -1;
	if (inv->issuing.present && strcmp(inv->issuing.name, inv->root.name) == 0)
		return yml_fail(c->y, yml_get(v, "issuing"), "ca.issuing", c->e,
		                "the issuing CA needs a name other than the root's");
	return 0;
}

static int parse_defaults(struct ictx *c, struct fy_node *v)
{
	static const char *const keys[] = {"subject", "key", "days", NULL};
	struct ucpki_inventory *inv = c->inv;

	inv->def_subject = "CN=?";
	inv->def_key = NULL;
	if (v == NULL)
		return 0;
	if (!yml_is_map(v))
		return yml_fail(c->y, v, "defaults", c->e, "expected {subject, key, days}");
	if (yml_check_keys(c->y, v, "defaults", keys, c->e) != 0 ||
	    yml_str(c->y, v, "defaults", "subject", 0, &inv->def_subject, c->e) != 0 ||
	    yml_str(c->y, v, "defaults", "key", 0, &inv->def_key, c->e) != 0 ||
	    yml_int(c->y, v, "defaults", "days", 1, 36500, &inv->def_days, c->e) != 0 ||
	    check_dn(c, v, "defaults", "subject", inv->def_subject, 1) != 0 ||
	    check_keyspec(c, v, "defaults", "key", &inv->def_key) != 0)
		return -1;
	return 0;
}

/* --- nodes ---------------------------------------------------------------- */

static int parse_products(struct ictx *c, struct fy_node *v, const char *path,
                          struct inv_node *n)
{
	const char **ids;
	struct fy_node *pn = yml_get(v, "product");
	char p[96];

	snprintf(p, sizeof(p), "%s.product", path);
	if (list(c, v, path, "product", &ids, &n->n_products) != 0)
		return -1;
	if (n->n_products == 0)
		return yml_fail(c->y, pn ? pn : v, p, c->e, "missing: the product id (see 'ucpki "
		                                            "profiles list')");
	n->products = arena_alloc(&c->inv->a, (size_t)n->n_products * sizeof(*n->products));
	if (n->products == NULL)
		return oom(c);
	for (int i = 0; i < n->n_products; i++) {
		struct ucpki_err e2 = {0};
		if ((n->products[i] = ucpki_profiles_find(c->profiles, ids[i], &e2)) == NULL)
			return yml_fail(c->y, pn, p, c->e, "%s", e2.msg);
		for (int j = 0; j < i; j++)
			if (n->products[j] == n->products[i])
				return yml_fail(c->y, pn, p, c->e, "'%s' listed twice", ids[i]);
		if (n->products[i]->identity == UCPKI_IDENT_CA && n->n_products > 1)
			return yml_fail(c->y, pn, p, c->e,
			                "%s hands out a CA: give it a node of its own", ids[i]);
	}
	return 0;
}

static enum ucpki_identity node_identity(const struct inv_node *n)
{
	enum ucpki_identity id = UCPKI_IDENT_NONE;

	for (int i = 0; i < n->n_products; i++) {
		enum ucpki_identity p = n->products[i]->identity;
		if (p == UCPKI_IDENT_CA || p == UCPKI_IDENT_HOST)
			return p;
		if (p == UCPKI_IDENT_USER)
			id = p;
	}
	return id;
}

/* The node of item i of key (a list, or a single value). */
static struct fy_node *item_at(struct fy_node *map, const char *key, int i)
{
	struct fy_node *v = yml_get(map, key), *it;
	void *iter = NULL;

	if (!yml_is_seq(v))
		return v;
	while ((it = yml_seq_next(v, &iter)) != NULL)
		if (i-- == 0)
			return it;
	return v;
}

static int parse_names(struct ictx *c, struct fy_node *v, const char *path,
                       struct inv_node *n)
{
	char p[96];
	unsigned char ip[16];
	int iplen;

	if (list(c, v, path, "fqdn", &n->fqdn, &n->n_fqdn) != 0 ||
	    list(c, v, path, "ip", &n->ip, &n->n_ip) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s.fqdn", path);
	for (int i = 0; i < n->n_fqdn; i++)
		if (!ucpki_is_dns_name(n->fqdn[i], 0) || strlen(n->fqdn[i]) > 253)
			return yml_fail(c->y, item_at(v, "fqdn", i), p, c->e,
			                "'%s' is not a valid DNS name", n->fqdn[i]);
	snprintf(p, sizeof(p), "%s.ip", path);
	for (int i = 0; i < n->n_ip; i++)
		if (!ucpki_parse_ip(n->ip[i], ip, &iplen))
			return yml_fail(c->y, item_at(v, "ip", i), p, c->e,
			                "'%s' is not an IPv4 or IPv6 address", n->ip[i]);
	for (int pass = 0; pass < 2; pass++) {
		const char *k = pass ? "domain" : "hostname", *val = pass ? n->domain : n->hostname;
		snprintf(p, sizeof(p), "%s.%s", path, k);
		if (val && !ucpki_is_dns_name(val, 0))
			return yml_fail(c->y, yml_get(v, k), p, c->e, "'%s' is not a valid DNS name", val);
	}
	if (n->n_fqdn == 0 && n->n_ip == 0 && node_identity(n) == UCPKI_IDENT_HOST) {
		snprintf(p, sizeof(p), "%s", path);
		return yml_fail(c->y, v, p, c->e,
		                "node '%s' has neither fqdn nor ip (its certificate names its host, "
		                "rule R2)", n->name);
	}
	return 0;
}

static int parse_password(struct ictx *c, struct fy_node *v, const char *path,
                          struct inv_node *n)
{
	const char *pw = NULL, *pf = NULL;
	char p[96];

	if (yml_str(c->y, v, path, "password", 0, &pw, c->e) != 0 ||
	    yml_str(c->y, v, path, "password-file", 0, &pf, c->e) != 0)
		return -1;
	if (pw && pf)
		return yml_fail(c->y, yml_get(v, "password"), path, c->e,
		                "give password or password-file, not both");
	if (pw) {
		snprintf(p, sizeof(p), "%s.password", path);
		if (strcmp(pw, "default") == 0)
			n->pw = PW_DEFAULT;
		else if (strcmp(pw, "generate") == 0)
			n->pw = PW_GENERATE;
		else
			return yml_fail(c->y, yml_get(v, "password"), p, c->e,
			                "'default' (the product's) or 'generate'; passwords themselves "
			                "go in a password-file, never in the inventory");
	}
	if (pf) {
		char *secret = NULL;
		struct ucpki_err e2 = {0};
		snprintf(p, sizeof(p), "%s.password-file", path);
		n->pw = PW_FILE;
		if ((n->password_file = resolve(c, pf)) == NULL)
			return oom(c);
		if (ucpki_secret_read(n->password_file, &secret, &e2) != 0)
			return yml_fail(c->y, yml_get(v, "password-file"), p, c->e, "%s", e2.msg);
		ucpki_secret_free(secret);
	}
	return 0;
}

/* pkcs12: legacy | aes overrides the products' PKCS#12 encryption. */
static int parse_pkcs12(struct ictx *c, struct fy_node *v, const char *path, struct inv_node *n)
{
	const char *val = NULL;
	char p[96];

	if (yml_str(c->y, v, path, "pkcs12", 0, &val, c->e) != 0)
		return -1;
	if (val == NULL)
		return 0;
	snprintf(p, sizeof(p), "%s.pkcs12", path);
	if (strcmp(val, "legacy") == 0)
		n->pkcs12 = 1;
	else if (strcmp(val, "aes") == 0)
		n->pkcs12 = 2;
	else
		return yml_fail(c->y, yml_get(v, "pkcs12"), p, c->e,
		                "'%s' is not one of legacy (3DES/SHA-1), aes (AES-256/PBKDF2)", val);
	return 0;
}

/* The password of the product's existing stores on the host: the
 * product's default (store-password: default), or a file's. */
static int parse_store_password(struct ictx *c, struct fy_node *v, const char *path,
                                struct inv_node *n)
{
	const char *pw = NULL, *pf = NULL;
	char p[96];

	if (yml_str(c->y, v, path, "store-password", 0, &pw, c->e) != 0 ||
	    yml_str(c->y, v, path, "store-password-file", 0, &pf, c->e) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s.store-password", path);
	if (pw && pf)
		return yml_fail(c->y, yml_get(v, "store-password"), p, c->e,
		                "give store-password or store-password-file, not both");
	if (pw && strcmp(pw, "default") != 0)
		return yml_fail(c->y, yml_get(v, "store-password"), p, c->e,
		                "'default' (the product's, e.g. changeit); a store's own password "
		                "goes in a store-password-file, never in the inventory");
	if (pf) {
		char *secret = NULL;
		struct ucpki_err e2 = {0};
		snprintf(p, sizeof(p), "%s.store-password-file", path);
		if ((n->store_password_file = resolve(c, pf)) == NULL)
			return oom(c);
		if (ucpki_secret_read(n->store_password_file, &secret, &e2) != 0)
			return yml_fail(c->y, yml_get(v, "store-password-file"), p, c->e, "%s", e2.msg);
		ucpki_secret_free(secret);
	}
	return 0;
}

static int parse_options(struct ictx *c, struct fy_node *v, const char *path,
                         struct inv_node *n)
{
	struct fy_node *o = yml_get(v, "options"), *kn, *val;
	const char *k;
	void *it = NULL;
	char p[96];

	snprintf(p, sizeof(p), "%s.options", path);
	if (o == NULL)
		return 0;
	if (!yml_is_map(o))
		return yml_fail(c->y, o, p, c->e, "expected a mapping of option: value");
	n->opt_names = arena_alloc(&c->inv->a, (size_t)yml_map_count(o) * sizeof(char *) + 1);
	n->opt_values = arena_alloc(&c->inv->a, (size_t)yml_map_count(o) * sizeof(char *) + 1);
	if (n->opt_names == NULL || n->opt_values == NULL)
		return oom(c);
	while (yml_map_next(o, &it, &k, &kn, &val)) {
		int known = 0;
		for (int i = 0; k && i < n->n_products; i++)
			for (int j = 0; j < n->products[i]->n_options; j++)
				if (strcmp(n->products[i]->options[j], k) == 0)
					known = 1;
		if (!known)
			return yml_fail(c->y, kn, p, c->e,
			                "'%s' is not an option of %s (see 'ucpki profiles show')",
			                k ? k : "?", n->products[0]->id);
		if (yml_text(val) == NULL)
			return yml_fail(c->y, val, p, c->e, "%s: expected a value", k);
		n->opt_names[n->n_opts] = k;
		n->opt_values[n->n_opts++] = yml_text(val);
	}
	return 0;
}

/* The version, key spec and hash agree with every product of the node. */
/* The first {opt:NAME} without a default in text that the node does not set. */
static const char *missing_option(const struct inv_node *n, const char *text, char *buf,
                                  size_t len)
{
	for (const char *q = text ? strstr(text, "{opt:") : NULL; q; q = strstr(q + 1, "{opt:")) {
		size_t l = strcspn(q + 5, "|}");
		if (q[5 + l] != '}')
			continue; /* has a default */
		snprintf(buf, len, "%.*s", (int)l, q + 5);
		if (node_option(n, buf) == NULL)
			return buf;
	}
	return NULL;
}

/* Install steps that name a host folder only the site knows need it as an
 * option: found now, before anything is issued. */
static int check_step_options(struct ictx *c, struct fy_node *v, const char *path,
                              const struct inv_node *n)
{
	char buf[64], p[96];

	for (int i = 0; i < n->n_products; i++) {
		const struct ucpki_profile *pr = n->products[i];
		for (int j = 0; j < pr->n_steps; j++) {
			const struct ucpki_profile_step *st = &pr->steps[j];
			const char *texts[] = {st->text, st->path, st->value};
			for (int k = 0; k < 3; k++) {
				const char *o = missing_option(n, texts[k], buf, sizeof(buf));
				if (o == NULL)
					continue;
				snprintf(p, sizeof(p), "%s.options", path);
				return yml_fail(c->y, v, p, c->e,
				                "%s needs option '%s' for its install steps "
				                "(ucpki profiles show %s lists the options)",
				                pr->id, o, pr->id);
			}
		}
	}
	return 0;
}

static int check_against_products(struct ictx *c, struct fy_node *v, const char *path,
                                  struct inv_node *n)
{
	struct fy_node *at = yml_get(v, "version") ? yml_get(v, "version") : yml_get(v, "product");
	const char *hash = NULL;
	char p[96], buf[64];

	snprintf(p, sizeof(p), "%s.%s", path, yml_get(v, "version") ? "version" : "product");
	for (int i = 0; i < n->n_products; i++) {
		const struct ucpki_profile *pr = n->products[i];
		if (!ucpki_profile_supports(pr, n->version))
			return yml_fail(c->y, at, p, c->e, "%s supports versions %s, not %d", pr->id,
			                ucpki_profile_versions_string(pr, buf, sizeof(buf)), n->version);
		if (pr->identity == UCPKI_IDENT_NONE)
			continue;
		if (hash && strcmp(hash, ucpki_profile_hash(pr, n->version)) != 0)
			return yml_fail(c->y, at, p, c->e,
			                "the products of this node sign with different hashes at version %d",
			                n->version);
		hash = ucpki_profile_hash(pr, n->version);
		if (n->key && !profile_key_allowed(pr, n->key)) {
			snprintf(p, sizeof(p), "%s.key", path);
			return yml_fail(c->y, yml_get(v, "key"), p, c->e,
			                "%s does not accept %s keys (it takes %s%s)", pr->id, n->key,
			                pr->keys[0], pr->n_keys > 1 ? ", ..." : "");
		}
	}
	return 0;
}

static int parse_node(struct ictx *c, struct fy_node *v, int idx, struct inv_node *n)
{
	static const char *const keys[] = {
		"name", "product", "fqdn", "ip", "version", "key", "days", "subject", "location",
		"password", "password-file", "ca", "hostname", "domain", "user", "email", "options",
		"port", "store-password", "store-password-file", "pkcs12", NULL};
	char path[48];

	snprintf(path, sizeof(path), "nodes[%d]", idx);
	if (!yml_is_map(v))
		return yml_fail(c->y, v, path, c->e, "expected a mapping {name, product, fqdn, ip}");
	n->line = yml_line(v);
	n->version = c->inv->version;
	if (yml_check_keys(c->y, v, path, keys, c->e) != 0 ||
	    yml_str(c->y, v, path, "name", 1, &n->name, c->e) != 0)
		return -1;
	if (!name_ok(n->name, 64))
		return yml_fail(c->y, yml_get(v, "name"), path, c->e,
		                "name: '%s' is not a node name (letters, digits, '.', '-', '_')",
		                n->name);
	if (parse_products(c, v, path, n) != 0 ||
	    yml_int(c->y, v, path, "version", 1, 99, &n->version, c->e) != 0 ||
	    yml_str(c->y, v, path, "key", 0, &n->key, c->e) != 0 ||
	    yml_int(c->y, v, path, "days", 1, 36500, &n->days, c->e) != 0 ||
	    yml_int(c->y, v, path, "port", 1, 65535, &n->port, c->e) != 0 ||
	    yml_str(c->y, v, path, "subject", 0, &n->subject, c->e) != 0 ||
	    yml_str(c->y, v, path, "location", 0, &n->location, c->e) != 0 ||
	    yml_str(c->y, v, path, "ca", 0, &n->ca, c->e) != 0 ||
	    yml_str(c->y, v, path, "hostname", 0, &n->hostname, c->e) != 0 ||
	    yml_str(c->y, v, path, "domain", 0, &n->domain, c->e) != 0 ||
	    yml_str(c->y, v, path, "user", 0, &n->user, c->e) != 0 ||
	    yml_str(c->y, v, path, "email", 0, &n->email, c->e) != 0 ||
	    check_dn(c, v, path, "subject", n->subject, 1) != 0 ||
	    check_keyspec(c, v, path, "key", &n->key) != 0 || parse_names(c, v, path, n) != 0 ||
	    parse_password(c, v, path, n) != 0 || parse_store_password(c, v, path, n) != 0 ||
	    parse_pkcs12(c, v, path, n) != 0 ||
	    parse_options(c, v, path, n) != 0 ||
	    check_against_products(c, v, path, n) != 0 || check_step_options(c, v, path, n) != 0)
		return -1;
	if (n->ca && (strchr(n->ca, '/') == NULL || strchr(n->ca, '/') != strrchr(n->ca, '/')))
		return yml_fail(c->y, yml_get(v, "ca"), path, c->e, "ca: '%s' is not PKI/CA", n->ca);
	return 0;
}

/* Names are unique; a hash table keeps 10,000 nodes fast. */
static int check_unique(struct ictx *c, struct fy_node *seq)
{
	struct ucpki_inventory *inv = c->inv;
	size_t cap = 16;
	int *slots, rc = 0;

	while (cap < (size_t)inv->n_nodes * 2)
		cap *= 2;
	if ((slots = malloc(cap * sizeof(*slots))) == NULL)
		return oom(c);
	for (size_t i = 0; i < cap; i++)
		slots[i] = -1;
	for (int i = 0; i < inv->n_nodes && rc == 0; i++) {
		size_t h = 5381;
		for (const char *q = inv->nodes[i].name; *q; q++)
			h = h * 33 + (unsigned char)tolower((unsigned char)*q);
		for (h &= cap - 1; slots[h] >= 0; h = (h + 1) & (cap - 1))
			if (strcasecmp(inv->nodes[slots[h]].name, inv->nodes[i].name) == 0) {
				char p[48];
				snprintf(p, sizeof(p), "nodes[%d].name", i);
				rc = ucpki_err_set(c->e, UCPKI_E_INPUT,
				                   "%s:%d: %s: '%s' is already the name of the node on line %d",
				                   yml_label(c->y), inv->nodes[i].line, p, inv->nodes[i].name,
				                   inv->nodes[slots[h]].line);
				break;
			}
		if (rc == 0)
			slots[h] = i;
	}
	(void)seq;
	free(slots);
	return rc;
}

static int parse_nodes(struct ictx *c, struct fy_node *v)
{
	struct ucpki_inventory *inv = c->inv;
	struct fy_node *item;
	void *it = NULL;

	if (v == NULL || !yml_is_seq(v) || yml_seq_count(v) == 0)
		return yml_fail(c->y, v ? v : yml_root(c->y), "nodes", c->e,
		                "expected a non-empty list of nodes");
	inv->nodes = arena_alloc(&inv->a, (size_t)yml_seq_count(v) * sizeof(*inv->nodes));
	if (inv->nodes == NULL)
		return oom(c);
	while ((item = yml_seq_next(v, &it)) != NULL) {
		if (parse_node(c, item, inv->n_nodes, &inv->nodes[inv->n_nodes]) != 0)
			return -1;
		inv->n_nodes++;
	}
	return check_unique(c, v);
}

/* One 'trust:' file: every certificate in it (PEM, DER, PKCS#7). */
static int add_trust_file(struct ictx *c, struct fy_node *at, const char *file)
{
	struct ucpki_err e2 = {0};
	struct ucpki_pack *pk = ucpki_pack_load(file, NULL, &e2);
	int added = 0;

	if (pk == NULL)
		return yml_fail(c->y, at, "trust", c->e, "%s", e2.msg);
	for (int i = 0; i < ucpki_pack_count(pk); i++) {
		X509 *x = ucpki_pack_cert_at(pk, i);
		int dup = 0;
		if (x == NULL)
			continue;
		added++;
		for (int k = 0; k < sk_X509_num(c->inv->trust); k++)
			dup |= X509_cmp(sk_X509_value(c->inv->trust, k), x) == 0;
		if (dup)
			continue;
		if (!sk_X509_push(c->inv->trust, x)) {
			ucpki_pack_free(pk);
			return oom(c);
		}
		X509_up_ref(x);
	}
	ucpki_pack_free(pk);
	if (added == 0)
		return yml_fail(c->y, at, "trust", c->e, "'%s' holds no certificate", file);
	return 0;
}

/* trust: [FILE...]: extra trust anchors (mail or LDAP servers' CAs, another
 * CA source) for every trust file of a profile that takes external CAs. */
static int parse_trust(struct ictx *c, struct fy_node *root)
{
	const char **files;
	int n;

	if (yml_get(root, "trust") == NULL)
		return 0;
	c->inv->trust_line = yml_line(yml_get(root, "trust"));
	if (list(c, root, NULL, "trust", &files, &n) != 0)
		return -1;
	if ((c->inv->trust = sk_X509_new_null()) == NULL)
		return oom(c);
	for (int i = 0; i < n; i++) {
		const char *path = resolve(c, files[i]);
		if (path == NULL)
			return oom(c);
		if (add_trust_file(c, item_at(root, "trust", i), path) != 0)
			return -1;
	}
	return 0;
}

static int parse_top(struct ictx *c)
{
	static const char *const keys[] = {"solution", "version", "pki", "ca", "defaults",
	                                   "trust", "nodes", NULL};
	struct ucpki_inventory *inv = c->inv;
	struct fy_node *root = yml_root(c->y);

	if (!yml_is_map(root))
		return yml_fail(c->y, root, NULL, c->e,
		                "an inventory is a mapping (solution:, ca:, nodes:, ...)");
	inv->version = DEFAULT_VERSION;
	if (yml_check_keys(c->y, root, NULL, keys, c->e) != 0 ||
	    yml_str(c->y, root, NULL, "solution", 1, &inv->solution, c->e) != 0 ||
	    yml_int(c->y, root, NULL, "version", 1, 99, &inv->version, c->e) != 0 ||
	    yml_str(c->y, root, NULL, "pki", 0, &inv->pki, c->e) != 0)
		return -1;
	if (!name_ok(inv->solution, 64))
		return yml_fail(c->y, yml_get(root, "solution"), "solution", c->e,
		                "'%s' is not a name (letters, digits, '.', '-', '_')", inv->solution);
	if (inv->pki == NULL)
		inv->pki = inv->solution;
	if (!name_ok(inv->pki, 64) || strchr(inv->pki, '.'))
		return yml_fail(c->y, yml_get(root, "pki") ? yml_get(root, "pki")
		                                           : yml_get(root, "solution"),
		                "pki", c->e, "'%s' is not a PKI name (letters, digits, '-', '_')",
		                inv->pki);
	return parse_ca(c, yml_get(root, "ca")) || parse_defaults(c, yml_get(root, "defaults")) ||
	               parse_trust(c, root) || parse_nodes(c, yml_get(root, "nodes"))
	           ? -1
	           : 0;
}

struct ucpki_inventory *ucpki_inventory_parse(const char *label, const char *data, size_t len,
                                              const char *base_dir,
                                              const struct ucpki_profile_set *profiles,
                                              struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_inventory *inv = calloc(1, sizeof(*inv));
	struct ictx c = {inv, NULL, profiles, w, e};

	if (inv == NULL || (inv->label = strdup(label)) == NULL ||
	    (base_dir && (inv->base_dir = strdup(base_dir)) == NULL)) {
		ucpki_inventory_free(inv);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if ((inv->y = yml_load(label, data, len, e)) == NULL) {
		ucpki_inventory_free(inv);
		return NULL;
	}
	c.y = inv->y;
	inv->profiles = profiles;
	if (parse_top(&c) != 0) {
		ucpki_inventory_free(inv);
		return NULL;
	}
	return inv;
}

struct ucpki_inventory *ucpki_inventory_load(const char *path,
                                             const struct ucpki_profile_set *profiles,
                                             struct ucpki_warnings *w, struct ucpki_err *e)
{
	unsigned char *data;
	size_t len;
	char *dir, *slash;
	struct ucpki_inventory *inv;

	if (ucpki_file_read(path, INVENTORY_MAX, &data, &len, e) != 0)
		return NULL;
	if ((dir = strdup(path)) == NULL) {
		free(data);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	inv = ucpki_inventory_parse(path, (const char *)data, len, slash ? dir : NULL, profiles,
	                            w, e);
	free(dir);
	free(data);
	return inv;
}

void ucpki_inventory_free(struct ucpki_inventory *inv)
{
	if (inv == NULL)
		return;
	sk_X509_pop_free(inv->trust, X509_free);
	arena_free(&inv->a);
	yml_free(inv->y);
	free(inv->label);
	free(inv->base_dir);
	free(inv);
}

const char *ucpki_inventory_solution(const struct ucpki_inventory *inv)
{
	return inv->solution;
}

const char *ucpki_inventory_pki(const struct ucpki_inventory *inv)
{
	return inv->pki;
}

int ucpki_inventory_version(const struct ucpki_inventory *inv)
{
	return inv->version;
}

int ucpki_inventory_node_count(const struct ucpki_inventory *inv)
{
	return inv->n_nodes;
}

const char *node_option(const struct inv_node *n, const char *name)
{
	for (int i = 0; i < n->n_opts; i++)
		if (strcmp(n->opt_names[i], name) == 0)
			return n->opt_values[i];
	return NULL;
}
