/* ucpki solution lint | status: what is in OUT, checked and summed up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "solution/checks.h"
#include "solution/solution_internal.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

/* The passwords a node's files were written with, from OUT/<node>/secrets. */
static void read_secrets(const char *out_dir, struct node_spec *s)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		for (int j = 0; j < p->n_passwords && s->n_pw < NODE_MAX_PW; j++) {
			char path[4096], name[128], *v = NULL;
			if (node_spec_password(s, p, p->passwords[j].name))
				continue;
			node_secret_name(s->n, p, p->passwords[j].name, name, sizeof(name));
			snprintf(path, sizeof(path), "%s/%s/secrets/%s.pass", out_dir, s->n->name, name);
			if (ucpki_secret_read(path, &v, NULL) != 0)
				continue;
			s->pw[s->n_pw].owned_name = strdup(name);
			s->pw[s->n_pw].name = s->pw[s->n_pw].owned_name;
			s->pw[s->n_pw].product = p;
			s->pw[s->n_pw++].value = v;
		}
	}
}

static int option_on(const struct inv_node *n, const char *name)
{
	const char *v = node_option(n, name);
	return v && strcmp(v, "false") != 0 && strcmp(v, "no") != 0 && strcmp(v, "0") != 0;
}

/* The files the node's products expect, without contents. */
static int skeleton(const struct node_spec *s, struct bundle *b, struct ucpki_err *e)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		const char *dir = product_dir(s, p);
		for (int j = 0; j < p->n_files; j++) {
			char path[512];
			if (p->files[j].when && !option_on(s->n, p->files[j].when))
				continue;
			snprintf(path, sizeof(path), "%s/%s%s%s", s->n->name, dir, dir[0] ? "/" : "",
			         p->files[j].name);
			if (bundle_add(b, path, p, &p->files[j], "", 0, 0644, 0, e) != 0)
				return -1;
		}
	}
	return 0;
}

/* The node's certificate as written (first file that holds one). */
static X509 *node_cert(const char *out_dir, const struct node_spec *s, const struct bundle *b)
{
	for (int i = 0; i < b->n; i++) {
		const struct ucpki_profile_file *f = b->f[i].spec;
		char path[4096];
		struct ucpki_pack *pk;
		X509 *x = NULL;
		int has = 0;
		for (int k = 0; f && k < f->n_content; k++)
			has |= f->content[k] == UCPKI_ITEM_CERT;
		if (!has)
			continue;
		snprintf(path, sizeof(path), "%s/%s", out_dir, b->f[i].path);
		if ((pk = ucpki_pack_load(path, node_spec_password(s, b->f[i].product, f->password),
		                          NULL)) == NULL) {
			ERR_clear_error();
			continue;
		}
		for (int k = 0; k < ucpki_pack_count(pk) && x == NULL; k++) {
			X509 *c = ucpki_pack_cert_at(pk, k);
			if (c && !(X509_get_extension_flags(c) & EXFLAG_CA)) {
				x = c;
				X509_up_ref(x);
			}
		}
		ucpki_pack_free(pk);
		if (x)
			return x;
	}
	return NULL;
}

struct r3 {
	X509 *ref;            /* the OpenScape Voice certificate, or the first of the group */
	char ref_node[80];
	int ref_is_osv;
};

static int same_issuer(X509 *a, X509 *b)
{
	const ASN1_OCTET_STRING *ka = X509_get0_authority_key_id(a), *kb = X509_get0_authority_key_id(b);

	if (X509_NAME_cmp(X509_get_issuer_name(a), X509_get_issuer_name(b)) != 0)
		return 0;
	return ka == NULL || kb == NULL || ASN1_OCTET_STRING_cmp(ka, kb) == 0;
}

static int is_osv(const struct inv_node *n)
{
	for (int i = 0; i < n->n_products; i++)
		if (strcmp(n->products[i]->id, "osv") == 0)
			return 1;
	return 0;
}

static int needs_osv_ca(const struct inv_node *n)
{
	for (int i = 0; i < n->n_products; i++)
		if (n->products[i]->same_ca_as_osv)
			return 1;
	return 0;
}

/* Tally and hand on the findings of l, as the node's. */
static void emit_findings(const struct ucpki_lint *l, const char *node,
                          ucpki_solution_finding_cb cb, void *arg, struct lint_counts *c)
{
	for (int i = 0; i < ucpki_lint_count(l); i++) {
		const struct ucpki_finding *f = ucpki_lint_at(l, i);
		if (f->severity == UCPKI_SEV_ERROR)
			c->errors++;
		else if (f->severity == UCPKI_SEV_WARNING)
			c->warnings++;
		else
			c->notices++;
		if (cb && cb(arg, node, f) != 0)
			break;
	}
}

/* One certificate against every product that connects to the node and
 * checks the whole chain it is presented (branch-sbc, guide 3.1.2). */
static void client_criticals(struct ucpki_lint *l, const struct ucpki_inventory *inv,
                             const struct inv_node *n, const char *file, X509 *x)
{
	const struct ucpki_profile_set *set = inv->profiles;
	char ext[80], *cn;

	for (int i = 0; set && i < ucpki_profiles_count(set); i++) {
		const struct ucpki_profile *q = ucpki_profiles_at(set, i);
		int own = 0;
		for (int k = 0; k < n->n_products; k++)
			own |= n->products[k] == q;
		if (own || !q->critical_whole_chain || !node_serves(n, q) ||
		    critical_not_allowed(x, q, ext, sizeof(ext)) == NULL)
			continue;
		cn = ucpki_dn_cn(X509_get_subject_name(x));
		ucpki_lint_report(l, "critical-ext", file,
		                  "CN=%s marks %s critical; %s connects to %s and accepts only %s%s "
		                  "critical in every certificate it is presented", cn ? cn : "?", ext,
		                  q->id, n->name, q->n_critical_ok ? q->critical_ok[0] : "none",
		                  q->n_critical_ok > 1 ? ", ..." : "");
		free(cn);
	}
}

/* What the node presents, read back from OUT, checked with its clients'
 * rules on what they accept. */
static int lint_clients(const struct ucpki_inventory *inv, const char *out_dir,
                        const struct node_spec *s, const struct bundle *b,
                        ucpki_solution_finding_cb cb, void *arg, struct lint_counts *c,
                        struct ucpki_err *e)
{
	struct ucpki_lint *l = ucpki_lint_new(NULL, e);
	STACK_OF(X509) *seen = sk_X509_new_null();

	if (l == NULL || seen == NULL) {
		ucpki_lint_free(l);
		sk_X509_free(seen);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	for (int i = 0; i < b->n; i++) {
		const struct ucpki_profile_file *f = b->f[i].spec;
		const char *shown = strchr(b->f[i].path, '/') ? strchr(b->f[i].path, '/') + 1
		                                               : b->f[i].path;
		char path[4096];
		struct ucpki_pack *pk;
		snprintf(path, sizeof(path), "%s/%s", out_dir, b->f[i].path);
		if ((pk = ucpki_pack_load(path, f ? node_spec_password(s, b->f[i].product, f->password) : NULL,
		                          NULL)) == NULL) {
			ERR_clear_error();
			continue; /* reported by the product's lint */
		}
		for (int k = 0; k < ucpki_pack_count(pk); k++) {
			X509 *x = ucpki_pack_cert_at(pk, k);
			int dup = 0;
			for (int d = 0; x && d < sk_X509_num(seen); d++)
				dup |= X509_cmp(sk_X509_value(seen, d), x) == 0;
			if (x == NULL || dup)
				continue;
			client_criticals(l, inv, s->n, shown, x);
			if (sk_X509_push(seen, x))
				X509_up_ref(x);
		}
		ucpki_pack_free(pk);
	}
	emit_findings(l, s->n->name, cb, arg, c);
	sk_X509_pop_free(seen, X509_free);
	ucpki_lint_free(l);
	return 0;
}

int ucpki_solution_lint(const struct ucpki_inventory *inv, const char *out_dir,
                        ucpki_solution_finding_cb cb, void *arg, int *errors, int *warnings,
                        struct ucpki_err *e)
{
	struct ucpki_lint *sol = ucpki_lint_new(NULL, e);
	struct lint_counts c = {0};
	X509 **certs = calloc((size_t)inv->n_nodes + 1, sizeof(*certs));
	struct r3 r3 = {0};
	int rc = -1;
	char path[4096];

	if (sol == NULL || certs == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/manifest.json", out_dir);
	if (access(path, R_OK) != 0) {
		ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s: no manifest.json (run 'ucpki solution issue' "
		                                   "first)", out_dir);
		goto out;
	}
	for (int i = 0; i < inv->n_nodes; i++) {
		const struct inv_node *n = &inv->nodes[i];
		struct node_spec s;
		struct bundle b = {0};
		struct material m = {0};
		int lrc;
		if (node_spec_make(inv, n, 0, &s, e) != 0)
			goto out;
		read_secrets(out_dir, &s);
		lrc = skeleton(&s, &b, e);
		if (lrc == 0)
			lrc = lint_node_bundle(&s, &m, &b, 1, out_dir, cb, arg, &c, e);
		if (lrc == 0)
			lrc = lint_clients(inv, out_dir, &s, &b, cb, arg, &c, e);
		if (lrc == 0 && s.identity == UCPKI_IDENT_HOST && needs_osv_ca(n) &&
		    (certs[i] = node_cert(out_dir, &s, &b)) != NULL &&
		    (r3.ref == NULL || (is_osv(n) && !r3.ref_is_osv))) {
			r3.ref = certs[i];
			r3.ref_is_osv = is_osv(n);
			snprintf(r3.ref_node, sizeof(r3.ref_node), "%s", n->name);
		}
		bundle_clear(&b);
		node_spec_clear(&s);
		if (lrc != 0)
			goto out;
	}
	/* R3: OSV, UC (Assistant, Bcom) and ASC chain to one CA */
	for (int i = 0; r3.ref && i < inv->n_nodes; i++) {
		char a[200], b[200];
		if (certs[i] == NULL || certs[i] == r3.ref || same_issuer(certs[i], r3.ref))
			continue;
		X509_NAME_oneline(X509_get_issuer_name(certs[i]), a, sizeof(a));
		X509_NAME_oneline(X509_get_issuer_name(r3.ref), b, sizeof(b));
		ucpki_lint_report(sol, "solution-same-ca", "",
		                  "node %s is issued by %s, node %s by %s: they must share one CA (R3)",
		                  inv->nodes[i].name, a, r3.ref_node, b);
	}
	for (int i = 0; i < ucpki_lint_count(sol); i++) {
		const struct ucpki_finding *f = ucpki_lint_at(sol, i);
		if (f->severity == UCPKI_SEV_ERROR)
			c.errors++;
		else if (f->severity == UCPKI_SEV_WARNING)
			c.warnings++;
		if (cb && cb(arg, "", f) != 0)
			break;
	}
	rc = 0;
out:
	if (errors)
		*errors = c.errors;
	if (warnings)
		*warnings = c.warnings;
	for (int i = 0; certs && i < inv->n_nodes; i++)
		X509_free(certs[i]);
	free(certs);
	ucpki_lint_free(sol);
	return rc;
}

/* --- status ----------------------------------------------------------------- */

static const char *file_state(const char *out_dir, const struct old_node *old)
{
	char path[4096], hex[65];

	for (int i = 0; i < old->n_files; i++) {
		snprintf(path, sizeof(path), "%s/%s", out_dir, old->files[i].path);
		if (access(path, F_OK) != 0)
			return "missing";
		if (file_sha256_hex(path, hex) != 0 || strcmp(hex, old->files[i].sha256) != 0)
			return "modified";
	}
	return NULL;
}

/* The row's state from the manifest, the files and the state. */
static const char *row_state(const char *out_dir, const struct old_node *old,
                             const struct node_spec *s, const struct revoked *rv, time_t now)
{
	const char *fs = file_state(out_dir, old);

	if (fs)
		return fs;
	if (s->identity == UCPKI_IDENT_NONE)
		return "ca only";
	if (revoked_has(rv, old->serial))
		return "revoked";
	if (old->not_after && old->not_after < now)
		return "expired";
	if (strcmp(old->fingerprint, s->fingerprint) != 0)
		return "outdated";
	return "ok";
}

/* Why the row needs action, or NULL (status exits 1 on any). */
static const char *row_attention(const struct ucpki_node_status *row, int expiring_days,
                                 char *buf, size_t len)
{
	static const char *const bad[] = {"revoked", "modified", "missing", "expired"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(row->state, bad[i]) == 0)
			return row->state;
	if (row->lint_errors > 0) {
		snprintf(buf, len, "%d lint error%s", row->lint_errors, row->lint_errors == 1 ? "" : "s");
		return buf;
	}
	if (expiring_days > 0 && row->not_after && row->serial[0] &&
	    row->expires_in_days < expiring_days) {
		snprintf(buf, len, "expires in %d days", row->expires_in_days);
		return buf;
	}
	return NULL;
}

int ucpki_solution_status(struct ucpki_state *st, const struct ucpki_inventory *inv,
                          const char *out_dir, time_t now, int expiring_days,
                          ucpki_status_cb cb, void *arg, struct ucpki_err *e)
{
	struct old_manifest m;
	struct revoked rv = {0};
	int rc = 0;

	if (now == 0)
		now = time(NULL);
	if (manifest_read(out_dir, &m, e) != 0)
		return -1;
	if (revoked_load(st, &rv, NULL) != 0)
		ERR_clear_error();
	for (int i = 0; i < inv->n_nodes && rc == 0; i++) {
		const struct inv_node *n = &inv->nodes[i];
		const struct old_node *old = manifest_find(&m, n->name);
		struct ucpki_node_status row = {0};
		struct node_spec s;
		char why[64];

		if (node_spec_make(inv, n, 0, &s, e) != 0) {
			rc = -1;
			break;
		}
		row.name = n->name;
		row.products = s.products;
		row.location = n->location ? n->location : "";
		row.serial = "";
		row.ca = s.ca_ref;
		if (old == NULL) {
			row.state = s.identity == UCPKI_IDENT_NONE ? "ca only, not written" : "not issued";
		} else {
			row.serial = old->serial;
			row.ca = old->ca;
			row.not_after = old->not_after;
			row.lint_errors = old->lint_errors;
			row.lint_warnings = old->lint_warnings;
			row.expires_in_days = old->not_after ? (int)((old->not_after - now) / 86400) : 0;
			row.state = row_state(out_dir, old, &s, &rv, now);
			row.attention = row_attention(&row, expiring_days, why, sizeof(why));
		}
		if (cb(arg, &row) != 0)
			i = inv->n_nodes;
		node_spec_clear(&s);
	}
	revoked_free(&rv);
	manifest_clear(&m);
	return rc;
}
