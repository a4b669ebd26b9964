/*
 * ucpki solution issue: every node's certificate, packaged, linted and
 * written, in batches. Within a batch, worker threads (the calling thread
 * among them) do the work that costs: key generation, signing, encoding
 * (PKCS#12 key derivation), linting. The calling thread then records the
 * certificates in the state, writes the files and the manifest in
 * inventory order. Memory holds one batch, whatever the node count.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/err.h>

#include "solution/cas.h"
#include "solution/checks.h"
#include "solution/solution_internal.h"
#include "solution/stage.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

#define BATCH 256

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- one node's work ------------------------------------------------------ */

struct job {
	const struct inv_node *n;
	struct node_spec spec;
	enum ucpki_node_action action;
	char reason[160];
	const struct old_node *old;
	struct ucpki_issued iss;       /* the new certificate and key */
	struct material m;
	struct ca_entry *ca;
	struct bundle b;
	struct lint_counts lc;
	struct ucpki_warnings w;
	struct ucpki_err e;
	int failed;
	double t_key, t_sign, t_pack, t_lint, t_write;
	char subca_serial[80];
	char trust_fp[65];             /* of the extra trust anchors, "" = none */
};

struct run {
	struct ucpki_state *st;
	const struct ucpki_inventory *inv;
	const struct ucpki_solution_opts *o;
	struct ca_set cas;
	struct old_manifest old;
	time_t now;
	struct stage *stg;
	struct revoked rv;             /* serials revoked in the state */
	/* R4 in a mixed solution: the SHA-1 sibling CA and the products it issues,
	 * whose servers get that CA in their trust files */
	char sib_ref[160];
	const struct ucpki_profile *sib_products[64];
	int n_sib;
	X509 *sib_cert;                /* borrowed from cas; NULL when not opened */
};

const char *ucpki_node_action_name(enum ucpki_node_action a)
{
	static const char *const names[] = {"issue", "reissue", "renew", "reuse", "ca-only"};
	return (unsigned)a < 5 ? names[a] : "?";
}

/* Is the bundle of the last run still there, byte for byte? */
static int old_files_intact(const struct run *r, const struct old_node *old)
{
	char path[4096], hex[65];

	if (old->n_files == 0)
		return 0;
	for (int i = 0; i < old->n_files; i++) {
		snprintf(path, sizeof(path), "%s/%s", r->o->out_dir, old->files[i].path);
		if (file_sha256_hex(path, hex) != 0 || strcmp(hex, old->files[i].sha256) != 0)
			return 0;
	}
	return 1;
}

/* 1 if the comma list has the name. */
static int name_listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *q = list; q && (q = strstr(q, name)) != NULL; q++)
		if ((q == list || q[-1] == ',') && (q[n] == ',' || q[n] == '\0'))
			return 1;
	return 0;
}

/* --renew-node names nodes of the inventory. */
static int check_renew_nodes(const struct ucpki_inventory *inv, const char *list,
                             struct ucpki_err *e)
{
	char buf[4096], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = 0;
		for (int i = 0; i < inv->n_nodes && !found; i++)
			found = strcmp(inv->nodes[i].name, tok) == 0;
		if (!found)
			return ucpki_err_set(e, UCPKI_E_INPUT, "the node %s asked to be renewed: %s has no "
			                     "node of that name", tok, inv->label);
	}
	return 0;
}

/* The products that version 4-6 nodes get from the SHA-1 sibling CA. */
static int find_sibling_products(struct run *r, struct ucpki_err *e)
{
	const struct ucpki_inventory *inv = r->inv;

	r->n_sib = 0;
	if (!inv->issuing.present || inv->import_p12)
		return 0;
	snprintf(r->sib_ref, sizeof(r->sib_ref), "%s/%s-sha1", inv->pki, inv->issuing.name);
	for (int i = 0; i < inv->n_nodes; i++) {
		const struct inv_node *n = &inv->nodes[i];
		struct node_spec s;
		if (!inventory_sha1_sibling(inv, n))
			continue;
		if (node_spec_make(inv, n, 0, &s, e) != 0)
			return -1;
		for (int p = 0; strcmp(s.ca_ref, r->sib_ref) == 0 && p < n->n_products; p++) {
			int dup = 0;
			for (int k = 0; k < r->n_sib; k++)
				dup |= r->sib_products[k] == n->products[p];
			if (!dup && r->n_sib < 64)
				r->sib_products[r->n_sib++] = n->products[p];
		}
		node_spec_clear(&s);
	}
	return 0;
}

/* A node whose clients include a product issued by the SHA-1 sibling
 * trusts that CA too (OSV root.pem and a version 5 RG8700). */
static int serves_sibling(const struct run *r, const struct node_spec *s)
{
	if (strcmp(s->ca_ref, r->sib_ref) == 0)
		return 0; /* its own chain carries it */
	for (int k = 0; k < r->n_sib; k++)
		if (node_serves(s->n, r->sib_products[k]))
			return 1;
	return 0;
}

static int takes_external_cas(const struct inv_node *n)
{
	for (int i = 0; i < n->n_products; i++)
		if (n->products[i]->external_cas)
			return 1;
	return 0;
}

/* What the node's trust files get besides its own chain, hashed: a change
 * rewrites the bundle. "" when nothing. */
static void trust_fingerprint(const struct run *r, const struct node_spec *s, char out[65])
{
	EVP_MD_CTX *ctx;
	unsigned char md[32];
	int any = 0;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return;
	}
	if (serves_sibling(r, s)) {
		EVP_DigestUpdate(ctx, r->sib_ref, strlen(r->sib_ref) + 1);
		any = 1;
	}
	for (int i = 0; takes_external_cas(s->n) && i < sk_X509_num(r->inv->trust); i++) {
		unsigned char d[32];
		unsigned int len = 0;
		if (X509_digest(sk_X509_value(r->inv->trust, i), EVP_sha256(), d, &len) == 1)
			EVP_DigestUpdate(ctx, d, len);
		any = 1;
	}
	if (any && EVP_DigestFinal_ex(ctx, md, NULL) == 1) {
		for (int i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	}
	EVP_MD_CTX_free(ctx);
}

static void decide(const struct run *r, struct job *j)
{
	const struct old_node *old = j->old = manifest_find(&r->old, j->n->name);
	const struct ca_entry *ca = cas_find(&r->cas, j->spec.ca_ref);
	long left;

	if (j->spec.identity == UCPKI_IDENT_NONE) {
		j->action = UCPKI_ACTION_CA_ONLY;
		snprintf(j->reason, sizeof(j->reason), "CA certificates only");
		return;
	}
	if (old == NULL || old->serial[0] == '\0') {
		j->action = UCPKI_ACTION_ISSUE;
		snprintf(j->reason, sizeof(j->reason), "new node");
		return;
	}
	if (strcmp(old->fingerprint, j->spec.fingerprint) != 0) {
		j->action = UCPKI_ACTION_REISSUE;
		snprintf(j->reason, sizeof(j->reason),
		         "the certificate spec changed (products, names, subject, key, hash or CA)");
		return;
	}
	if (ca && old->ca_fp[0] && strcmp(old->ca_fp, ca->fp) != 0) {
		j->action = UCPKI_ACTION_REISSUE;
		snprintf(j->reason, sizeof(j->reason), "%s is not the CA that issued the bundle",
		         j->spec.ca_ref);
		return;
	}
	if (revoked_has(&r->rv, old->serial)) {
		j->action = UCPKI_ACTION_REISSUE;
		snprintf(j->reason, sizeof(j->reason), "revoked (serial %s is revoked in the state)",
		         old->serial);
		return;
	}
	if (strcmp(old->trust_fp, j->trust_fp) != 0) {
		j->action = UCPKI_ACTION_REISSUE;
		snprintf(j->reason, sizeof(j->reason),
		         "its extra trust anchors changed ('trust:', or a client's SHA-1 CA)");
		return;
	}
	left = (long)((old->not_after - r->now) / 86400);
	if (r->o->renew || name_listed(r->o->renew_nodes, j->n->name)) {
		j->action = UCPKI_ACTION_RENEW;
		snprintf(j->reason, sizeof(j->reason), "%s",
		         r->o->renew ? "renewal of every node asked" : "renewal of this node asked");
		return;
	}
	if (r->o->renew_within > 0 && left < r->o->renew_within) {
		j->action = UCPKI_ACTION_RENEW;
		snprintf(j->reason, sizeof(j->reason), "expires in %ld days (renewed within %d)", left,
		         r->o->renew_within);
		return;
	}
	if (!old_files_intact(r, old)) {
		j->action = UCPKI_ACTION_ISSUE;
		snprintf(j->reason, sizeof(j->reason), "the bundle in %s is missing or was changed",
		         r->o->out_dir);
		return;
	}
	j->action = UCPKI_ACTION_REUSE;
	snprintf(j->reason, sizeof(j->reason), "unchanged, valid %ld more days", left);
}

/* A host or user certificate from a fresh key. */
static int issue_cert(const struct run *r, struct job *j, struct ucpki_ca_signer *sg)
{
	struct ucpki_certspec_opts so;
	struct ucpki_certspec *cs;
	EVP_PKEY *key;
	double t0 = now_seconds(), t1;
	int rc;

	node_certspec_opts(&j->spec, &so);
	if ((cs = ucpki_certspec_new(&so, &j->w, &j->e)) == NULL)
		return -1;
	if ((key = ucpki_key_generate(ucpki_certspec_keyspec(cs), &j->e)) == NULL) {
		ucpki_certspec_free(cs);
		return -1;
	}
	t1 = now_seconds();
	j->t_key += t1 - t0;
	rc = ucpki_ca_sign_unrecorded(j->ca->ca, sg, cs, key, NULL, r->now, &j->iss, &j->w, &j->e);
	j->t_sign += now_seconds() - t1;
	ucpki_certspec_free(cs);
	if (rc != 0) {
		EVP_PKEY_free(key);
		return -1;
	}
	j->iss.key = key;
	return 0;
}

/* Upper-case hex of a certificate's serial, as the state records it. */
static void serial_hex(X509 *x, char *buf, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	snprintf(buf, len, "%s", hex ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
}

static void set_material(const struct run *r, struct job *j)
{
	struct material *m = &j->m;

	memset(m, 0, sizeof(*m));
	m->root = j->ca->root;
	m->root_md5 = j->ca->root_md5;
	m->node = j->n;
	m->trust_ext = r->inv->trust;
	if (r->sib_cert && serves_sibling(r, &j->spec) &&
	    (m->trust_extra = sk_X509_new_null()) != NULL)
		sk_X509_push(m->trust_extra, r->sib_cert);
	if (j->spec.identity == UCPKI_IDENT_CA) {
		/* the DLS CA itself, with what is above it */
		m->cert = ucpki_ca_cert(j->ca->ca);
		m->key = ucpki_ca_key(j->ca->ca, NULL);
		m->chain = sk_X509_new_null();
		for (int i = 1; m->chain && i < sk_X509_num(j->ca->chain); i++)
			sk_X509_push(m->chain, sk_X509_value(j->ca->chain, i));
		serial_hex(m->cert, j->subca_serial, sizeof(j->subca_serial));
		m->serial = j->subca_serial;
		ucpki_asn1_time_to_t(X509_get0_notAfter(m->cert), &m->not_after);
		return;
	}
	m->chain = sk_X509_dup(j->ca->chain);
	if (j->iss.cert) {
		m->cert = j->iss.cert;
		m->key = j->iss.key;
		m->serial = j->iss.serial;
		ucpki_asn1_time_to_t(X509_get0_notAfter(m->cert), &m->not_after);
	}
}

/* Write the node's files into the staging directory, or keep the current
 * ones. The calling thread does this while the workers make the next batch
 * (file creation serialises in the file system anyway). */
static int stage_node(const struct run *r, struct job *j)
{
	double t0 = now_seconds();

	if (j->action == UCPKI_ACTION_REUSE) {
		for (int i = 0; i < j->old->n_files; i++)
			if (stage_link(r->stg, j->old->files[i].path, &j->e) != 0)
				return -1;
	} else {
		for (int i = 0; i < j->b.n; i++)
			if (stage_write(r->stg, j->b.f[i].path, j->b.f[i].data, j->b.f[i].len,
			                j->b.f[i].mode, &j->e) != 0)
				return -1;
	}
	j->t_write += now_seconds() - t0;
	return 0;
}

static void work(const struct run *r, struct job *j, struct ucpki_ca_signer *sg)
{
	double t0;

	if (node_spec_make(r->inv, j->n, 1, &j->spec, &j->e) != 0)
		goto fail;
	trust_fingerprint(r, &j->spec, j->trust_fp);
	decide(r, j);
	if (j->action == UCPKI_ACTION_REUSE)
		return;
	if ((j->ca = cas_find(&r->cas, j->spec.ca_ref)) == NULL) {
		ucpki_err_set(&j->e, UCPKI_E_INTERNAL, "node %s: CA %s not opened", j->n->name,
		              j->spec.ca_ref);
		goto fail;
	}
	if ((j->spec.identity == UCPKI_IDENT_HOST || j->spec.identity == UCPKI_IDENT_USER) &&
	    issue_cert(r, j, sg) != 0)
		goto fail;
	set_material(r, j);
	t0 = now_seconds();
	if (package_node(&j->spec, &j->m, &j->b, &j->e) != 0 ||
	    package_install(&j->spec, &j->m, &j->b, &j->e) != 0)
		goto fail;
	j->t_pack += now_seconds() - t0;
	t0 = now_seconds();
	if (lint_node_bundle(&j->spec, &j->m, &j->b, 0, NULL, NULL, NULL, &j->lc, &j->e) != 0)
		goto fail;
	j->t_lint += now_seconds() - t0;
	ERR_clear_error();
	return;
fail:
	if (j->e.msg[0] && strstr(j->e.msg, j->n->name) == NULL)
		ucpki_err_prefix(&j->e, "node %s: ", j->n->name);
	j->failed = 1;
	ERR_clear_error();
}

static void job_clear(struct job *j)
{
	node_spec_clear(&j->spec);
	ucpki_issued_clear(&j->iss);
	sk_X509_free(j->m.chain);
	sk_X509_free(j->m.trust_extra);
	bundle_clear(&j->b);
}

/* --- a parallel for ------------------------------------------------------- */

struct pool {
	const struct run *r;
	struct job *jobs;
	int n, next;
	pthread_mutex_t lock;
	pthread_t tid[64];
	int started;
};

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	struct ucpki_ca_signer *sg = ucpki_ca_signer_new(); /* NULL works, only slower */

	for (;;) {
		int i;
		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			break;
		work(p->r, &p->jobs[i], sg);
	}
	ucpki_ca_signer_free(sg);
	ERR_clear_error();
	return NULL;
}

/* Start a batch on worker threads and return; pool_wait() collects it. If no
 * thread starts, the calling thread does the batch itself. */
static void pool_start(struct pool *p, const struct run *r, struct job *jobs, int n,
                       int threads)
{
	p->r = r;
	p->jobs = jobs;
	p->n = n;
	p->next = 0;
	p->started = 0;
	pthread_mutex_init(&p->lock, NULL);
	if (threads > n)
		threads = n;
	for (int t = 0; t < threads && p->started < 64; t++)
		if (pthread_create(&p->tid[p->started], NULL, pool_worker, p) == 0)
			p->started++;
	if (p->started == 0)
		pool_worker(p);
}

static void pool_wait(struct pool *p)
{
	for (int t = 0; t < p->started; t++)
		pthread_join(p->tid[t], NULL);
	pthread_mutex_destroy(&p->lock);
}

/* --- warnings, collapsed across nodes --------------------------------------- */

struct wtab {
	char msg[UCPKI_WARN_MAX][UCPKI_WARN_LEN];
	char first[UCPKI_WARN_MAX][72];
	int count[UCPKI_WARN_MAX];
	int n;
};

static void wtab_add(struct wtab *t, const char *node, const char *msg)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->msg[i], msg) == 0) {
			t->count[i]++;
			return;
		}
	if (t->n == UCPKI_WARN_MAX)
		return;
	snprintf(t->msg[t->n], UCPKI_WARN_LEN, "%s", msg);
	snprintf(t->first[t->n], sizeof(t->first[0]), "%s", node);
	t->count[t->n++] = 1;
}

static void wtab_flush(const struct wtab *t, struct ucpki_warnings *w)
{
	for (int i = 0; i < t->n; i++) {
		if (t->count[i] == 1)
			ucpki_warn(w, "node %s: %s", t->first[i], t->msg[i]);
		else
			ucpki_warn(w, "%d nodes (%s, ...): %s", t->count[i], t->first[i], t->msg[i]);
	}
}

static void collect_warnings(struct wtab *t, const struct job *j)
{
	char buf[sizeof(j->spec.warnings)];
	char *save = NULL, *tok;

	for (int i = 0; i < j->w.n; i++)
		wtab_add(t, j->n->name, j->w.msg[i]);
	snprintf(buf, sizeof(buf), "%s", j->spec.warnings);
	for (tok = strtok_r(buf, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save))
		wtab_add(t, j->n->name, tok);
}

/* --- the manifest ------------------------------------------------------------ */

/* Append text to the manifest stream (errors show in ferror). */
static void put(FILE *f, const char *s)
{
	fwrite(s, 1, strlen(s), f);
}

static json_t *cert_json(X509 *x, const char *ref)
{
	json_t *o = json_object();
	char *subj = ucpki_dn_string(X509_get_subject_name(x));
	char when[32], fp[100];
	time_t na = 0;

	ucpki_fingerprint(x, EVP_sha256(), fp, sizeof(fp));
	ucpki_asn1_time_to_t(X509_get0_notAfter(x), &na);
	if (ref)
		json_object_set_new(o, "ref", json_string(ref));
	json_object_set_new(o, "subject", json_string(subj ? subj : ""));
	json_object_set_new(o, "self_signed", json_boolean(X509_self_signed(x, 0) == 1));
	json_object_set_new(o, "not_after", json_string(ucpki_time_string(na, when, sizeof(when))));
	json_object_set_new(o, "sha256", json_string(fp));
	free(subj);
	return o;
}

/* Every CA certificate the run's bundles carry, once. */
static json_t *cas_json(const struct run *r)
{
	json_t *arr = json_array();
	STACK_OF(X509) *seen = sk_X509_new_null();

	for (int i = 0; seen && i < r->cas.n; i++) {
		STACK_OF(X509) *chain = ucpki_ca_chain(r->cas.v[i].ca);
		for (int k = 0; k < sk_X509_num(chain); k++) {
			X509 *x = sk_X509_value(chain, k);
			int dup = 0;
			for (int d = 0; d < sk_X509_num(seen); d++)
				if (X509_cmp(sk_X509_value(seen, d), x) == 0)
					dup = 1;
			if (dup || !sk_X509_push(seen, x))
				continue;
			json_array_append_new(arr, cert_json(x, k == 0 ? r->cas.v[i].ref : NULL));
		}
	}
	sk_X509_free(seen);
	return arr;
}

static int manifest_begin(FILE *f, const struct run *r)
{
	json_t *head = json_object();
	char when[32], *s;

	json_object_set_new(head, "solution", json_string(r->inv->solution));
	json_object_set_new(head, "version", json_integer(r->inv->version));
	json_object_set_new(head, "pki", json_string(r->inv->pki));
	json_object_set_new(head, "generated", json_string(ucpki_time_string(r->now, when,
	                                                                     sizeof(when))));
	json_object_set_new(head, "ucpki", json_string(UCPKI_VERSION));
	json_object_set_new(head, "cas", cas_json(r));
	s = json_dumps(head, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	json_decref(head);
	if (s == NULL)
		return -1;
	/* drop the closing brace: the node list follows */
	s[strlen(s) - 2] = '\0';
	put(f, s);
	put(f, ",\n  \"nodes\": [");
	free(s);
	return ferror(f) ? -1 : 0;
}

static json_t *node_json(const struct job *j, const struct bundle *files)
{
	json_t *o = json_object(), *fa = json_array(), *lint = json_object();
	char when[32];
	const struct old_node *old = j->action == UCPKI_ACTION_REUSE ? j->old : NULL;

	json_object_set_new(o, "name", json_string(j->n->name));
	json_object_set_new(o, "products", json_string(j->spec.products));
	json_object_set_new(o, "action", json_string(ucpki_node_action_name(j->action)));
	json_object_set_new(o, "spec", json_string(j->spec.fingerprint));
	json_object_set_new(o, "ca", json_string(old ? old->ca : j->spec.ca_ref));
	json_object_set_new(o, "ca_sha256", json_string(old ? old->ca_fp : j->ca ? j->ca->fp : ""));
	json_object_set_new(o, "trust", json_string(j->trust_fp));
	json_object_set_new(o, "subject", json_string(j->spec.subject));
	json_object_set_new(o, "sans", json_string(j->spec.san));
	json_object_set_new(o, "key", json_string(j->spec.identity == UCPKI_IDENT_NONE ? ""
	                                                                             : j->spec.key));
	json_object_set_new(o, "hash", json_string(j->spec.hash));
	json_object_set_new(o, "version", json_integer(j->spec.version));
	json_object_set_new(o, "serial", json_string(old ? old->serial
	                                             : j->m.serial ? j->m.serial : ""));
	if (old)
		json_object_set_new(o, "not_after",
		                    json_string(ucpki_time_string(old->not_after, when, sizeof(when))));
	else if (j->m.cert)
		json_object_set_new(o, "not_after",
		                    json_string(ucpki_time_string(j->m.not_after, when, sizeof(when))));
	else
		json_object_set_new(o, "not_after", json_string(""));
	json_object_set_new(o, "location", json_string(j->n->location ? j->n->location : ""));
	json_object_set_new(lint, "errors", json_integer(old ? old->lint_errors : j->lc.errors));
	json_object_set_new(lint, "warnings", json_integer(old ? old->lint_warnings : j->lc.warnings));
	json_object_set_new(o, "lint", lint);
	for (int i = 0; old && i < old->n_files; i++) {
		json_t *fo = json_object();
		json_object_set_new(fo, "path", json_string(old->files[i].path));
		json_object_set_new(fo, "sha256", json_string(old->files[i].sha256));
		json_array_append_new(fa, fo);
	}
	for (int i = 0; !old && i < files->n; i++) {
		const struct out_file *f = &files->f[i];
		json_t *fo = json_object();
		char hex[65], mode[8];
		sha256_hex(f->data, f->len, hex);
		snprintf(mode, sizeof(mode), "%04o", (unsigned)f->mode);
		json_object_set_new(fo, "path", json_string(f->path));
		json_object_set_new(fo, "sha256", json_string(hex));
		json_object_set_new(fo, "size", json_integer((json_int_t)f->len));
		json_object_set_new(fo, "mode", json_string(mode));
		if (f->product)
			json_object_set_new(fo, "product", json_string(f->product->id));
		json_array_append_new(fa, fo);
	}
	json_object_set_new(o, "files", fa);
	return o;
}

/* --- the run -------------------------------------------------------------------- */

/* OUT is replaced as a whole: the state must not live inside it. */
/* realpath() of a path whose last component may not exist yet (a state
 * about to be created). */
static int resolve_maybe_missing(const char *path, char *out, size_t len)
{
	char parent[PATH_MAX], rp[PATH_MAX];
	const char *slash;
	size_t n = strlen(path);

	if (realpath(path, rp) != NULL) {
		snprintf(out, len, "%s", rp);
		return 0;
	}
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (slash = path + n; slash > path && slash[-1] != '/'; slash--)
		;
	if (slash == path)
		snprintf(parent, sizeof(parent), ".");
	else
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	if (realpath(parent, rp) == NULL)
		return -1;
	if ((size_t)snprintf(out, len, "%s%s%.*s", rp, rp[strlen(rp) - 1] == '/' ? "" : "/",
	                     (int)(path + n - slash), slash) >= len)
		return -1;
	return 0;
}

static int check_state_dir_outside(const char *state_dir, const char *out, struct ucpki_err *e)
{
	char sp[PATH_MAX], op[PATH_MAX], parent[PATH_MAX], *slash;
	const char *base;
	size_t n;

	if (resolve_maybe_missing(state_dir, sp, sizeof(sp)) != 0)
		return 0;
	snprintf(parent, sizeof(parent), "%s", out);
	while (strlen(parent) > 1 && parent[strlen(parent) - 1] == '/')
		parent[strlen(parent) - 1] = '\0';
	if ((slash = strrchr(parent, '/')) != NULL) {
		*slash = '\0';
		base = slash + 1;
		if (parent[0] == '\0')
			snprintf(parent, sizeof(parent), "/");
	} else {
		base = parent[0] ? out : ".";
		snprintf(parent, sizeof(parent), ".");
	}
	if (realpath(parent, op) == NULL)
		return 0;
	n = strlen(op);
	snprintf(op + n, sizeof(op) - n, "%s%s", op[n - 1] == '/' ? "" : "/", base);
	n = strlen(op);
	if (strncmp(sp, op, n) == 0 && (sp[n] == '/' || sp[n] == '\0'))
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "the state %s is inside %s, which issue replaces as a whole: "
		                     "keep the state in another directory", state_dir, out);
	return 0;
}

static int check_state_outside(struct ucpki_state *st, const char *out, struct ucpki_err *e)
{
	return check_state_dir_outside(ucpki_state_dir(st), out, e);
}

/* Nodes that name their own CA ('ca: PKI/CA') name one that exists: checked
 * before any CA is created. */
static int check_node_cas(const struct run *r, struct ucpki_err *e)
{
	for (int i = 0; i < r->inv->n_nodes; i++) {
		const struct inv_node *n = &r->inv->nodes[i];
		struct ucpki_err e2 = {0};
		struct ucpki_ca *ca;
		if (n->ca == NULL)
			continue;
		if ((ca = ucpki_ca_open(r->st, n->ca, &e2)) == NULL) {
			if (e2.code != UCPKI_E_NOTFOUND) {
				if (e)
					*e = e2;
				return -1;
			}
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s:%d: nodes[%d].ca: %s", r->inv->label,
			                     n->line, i, e2.msg);
		}
		ucpki_ca_free(ca);
	}
	return 0;
}

/* Every rule the plan decides, before a CA, key or row is made. */
static int precheck(const struct run *r, struct ucpki_err *e)
{
	int n = 0;

	if (check_renew_nodes(r->inv, r->o->renew_nodes, e) != 0 ||
	    ucpki_solution_check(r->st, r->inv, r->o->violation, r->o->violation_arg, &n, e) != 0)
		return -1;
	if (n > 0)
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "%s: %d pre-issuance check%s failed: nothing was issued or written",
		                     r->inv->label, n, n == 1 ? "" : "s");
	return 0;
}

static int open_cas(struct run *r, struct ucpki_warnings *w, struct ucpki_err *e)
{
	for (int i = 0; i < r->inv->n_nodes; i++) {
		const struct inv_node *n = &r->inv->nodes[i];
		struct node_spec s;
		int rc = 0;

		if (node_spec_make(r->inv, n, 0, &s, e) != 0)
			return -1;
		if (s.identity == UCPKI_IDENT_CA)
			rc = cas_ensure_subca(r->st, r->inv, &s, w, e);
		else if (cas_find(&r->cas, s.ca_ref) == NULL && strcmp(s.hash, "sha1") == 0 &&
		         inventory_sha1_sibling(r->inv, n))
			rc = cas_ensure_sha1_sibling(r->st, r->inv, w, e);
		if (rc == 0 && cas_get(&r->cas, r->st, s.ca_ref, e) == NULL) {
			/* an unknown CA is the node's doing ('ca:'); a passphrase is not */
			if (e && e->code == UCPKI_E_NOTFOUND)
				ucpki_err_prefix(e, "%s:%d: node %s: ", r->inv->label, n->line, n->name);
			rc = -1;
		}
		node_spec_clear(&s);
		if (rc != 0)
			return -1;
	}
	if (r->n_sib > 0 && cas_find(&r->cas, r->sib_ref) != NULL)
		r->sib_cert = ucpki_ca_cert(cas_find(&r->cas, r->sib_ref)->ca);
	return 0;
}

static int write_node(struct run *r, struct stage *stg, struct job *j, FILE *mf, int first,
                      struct ucpki_issue_summary *sum, struct ucpki_err *e)
{
	char *s;
	json_t *o;

	if (stage_node(r, j) != 0) {
		if (e)
			*e = j->e;
		return -1;
	}
	if (j->action == UCPKI_ACTION_REUSE) {
		sum->reused++;
		sum->files += j->old->n_files;
		sum->lint_errors += j->old->lint_errors;
		sum->lint_warnings += j->old->lint_warnings;
	} else {
		sum->files += j->b.n;
		sum->lint_errors += j->lc.errors;
		sum->lint_warnings += j->lc.warnings;
		sum->lint_notices += j->lc.notices;
		if (j->action == UCPKI_ACTION_CA_ONLY)
			sum->ca_only++;
		else
			sum->issued++;
	}
	if ((o = node_json(j, &j->b)) == NULL ||
	    (s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT)) == NULL) {
		json_decref(o);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	put(mf, first ? "\n    " : ",\n    ");
	put(mf, s);
	free(s);
	json_decref(o);
	return ferror(mf) ? ucpki_err_set(e, UCPKI_E_IO, "%s: manifest write failed", stg->dir) : 0;
}

static int threads_for(const struct ucpki_solution_opts *o)
{
	long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Record, write and report a finished batch, in inventory order. */
static int emit_batch(struct run *r, struct stage *stg, FILE *mf, struct job *jobs, int n,
                      int base, int *done, struct wtab *wt, struct ucpki_issue_summary *sum,
                      struct ucpki_err *e)
{
	for (int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		double t0;

		sum->t.keygen += j->t_key;
		sum->t.sign += j->t_sign;
		sum->t.package += j->t_pack;
		sum->t.lint += j->t_lint;
		if (j->failed) {
			if (e)
				*e = j->e;
			return -1;
		}
		t0 = now_seconds();
		if (j->iss.cert && ucpki_ca_record(j->ca->ca, &j->iss, j->spec.products, e) != 0) {
			ucpki_err_prefix(e, "node %s: ", j->n->name);
			return -1;
		}
		sum->t.record += now_seconds() - t0;
		t0 = now_seconds();
		if (write_node(r, stg, j, mf, base + i == 0, sum, e) != 0)
			return -1;
		sum->t.write += now_seconds() - t0;
		collect_warnings(wt, j);
		if (r->o->progress)
			r->o->progress(r->o->progress_arg, ++*done, r->inv->n_nodes);
	}
	return 0;
}

static void clear_jobs(struct job *jobs, int n)
{
	for (int i = 0; i < n; i++) {
		job_clear(&jobs[i]);
		memset(&jobs[i], 0, sizeof(jobs[i]));
	}
}

/* Batches in a pipeline: the workers make batch k+1 while this thread
 * records and writes batch k. Memory holds two batches. */
static int issue_nodes(struct run *r, struct stage *stg, FILE *mf,
                       struct ucpki_issue_summary *sum, struct ucpki_warnings *w,
                       struct ucpki_err *e)
{
	struct job *jobs[2] = {calloc(BATCH, sizeof(struct job)), calloc(BATCH, sizeof(struct job))};
	struct wtab *wt = calloc(1, sizeof(*wt));
	struct pool pool;
	int total = r->inv->n_nodes, done = 0, rc = -1, cur = 0, n, running = 0;

	if (jobs[0] == NULL || jobs[1] == NULL || wt == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	n = total < BATCH ? total : BATCH;
	for (int i = 0; i < n; i++)
		jobs[cur][i].n = &r->inv->nodes[i];
	pool_start(&pool, r, jobs[cur], n, sum->t.threads);
	running = 1;
	for (int base = 0; base < total; base += BATCH) {
		int next = base + BATCH, nn = total - next < BATCH ? total - next : BATCH;
		pool_wait(&pool);
		running = 0;
		if (next < total) {
			for (int i = 0; i < nn; i++)
				jobs[!cur][i].n = &r->inv->nodes[next + i];
			pool_start(&pool, r, jobs[!cur], nn, sum->t.threads);
			running = 1;
		}
		if (emit_batch(r, stg, mf, jobs[cur], n, base, &done, wt, sum, e) != 0)
			goto out;
		clear_jobs(jobs[cur], n);
		cur = !cur;
		n = nn;
	}
	rc = 0;
out:
	if (running)
		pool_wait(&pool);
	for (int k = 0; k < 2; k++)
		if (jobs[k]) {
			clear_jobs(jobs[k], BATCH);
			free(jobs[k]);
		}
	if (wt)
		wtab_flush(wt, w);
	free(wt);
	return rc;
}

/* The customer CA to import opens with its password (checked before any
 * state exists: a wrong password file must not leave a half-made state). */
static int check_import_source(const struct ucpki_inventory *inv, struct ucpki_err *e)
{
	unsigned char *p12 = NULL;
	size_t len = 0;
	char *pass = NULL;
	struct ucpki_ksentry *v = NULL;
	int n = 0, rc;

	if (inv->import_p12 == NULL)
		return 0;
	if (ucpki_secret_read(inv->import_pass_file, &pass, e) != 0)
		return -1;
	if (ucpki_file_read(inv->import_p12, 0, &p12, &len, e) != 0) {
		ucpki_secret_free(pass);
		return -1;
	}
	rc = ucpki_p12_decode(p12, len, inv->import_p12, pass, &v, &n, e);
	ucpki_ksentries_free(v, n);
	ucpki_secure_free(p12, len);
	ucpki_secret_free(pass);
	if (rc != 0)
		ucpki_err_prefix(e, "%s: the CA to import (ca.import): ", inv->label);
	return rc;
}

int ucpki_solution_validate(const struct ucpki_inventory *inv, const char *state_dir,
                            const struct ucpki_solution_opts *o, struct ucpki_err *e)
{
	if (state_dir && check_state_dir_outside(state_dir, o->out_dir, e) != 0)
		return -1;
	return stage_check_out(o->out_dir, e) != 0 || check_import_source(inv, e) != 0 ? -1 : 0;
}

/* Serials the state holds, sorted, to tell whether an interrupted run's
 * certificates were recorded. */
struct serials {
	char **v;
	size_t n, cap;
};

static int serial_add(void *arg, const struct ucpki_cert_rec *r)
{
	struct serials *s = arg;

	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 256;
		char **nv = realloc(s->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	if ((s->v[s->n] = strdup(r->serial)) == NULL)
		return -1;
	s->n++;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* stage_leftovers: 1 when a staged manifest lists a certificate issued by
 * its run that the state recorded (the run died after the state commit). */
static int staged_committed(void *arg, const char *manifest_path)
{
	struct ucpki_state *st = arg;
	struct serials ss = {0};
	struct ucpki_cert_filter f = {0};
	json_t *m = json_load_file(manifest_path, 0, NULL), *nodes, *nd;
	struct ucpki_err e = {0};
	size_t i;
	int found = 0;

	if (m == NULL)
		return 0; /* not complete: the run died before its commit */
	if (ucpki_store_cert_list(ucpki_state_store(st), &f, serial_add, &ss, &e) == 0) {
		qsort(ss.v, ss.n, sizeof(*ss.v), str_cmp);
		nodes = json_object_get(m, "nodes");
		json_array_foreach(nodes, i, nd) {
			const char *serial = json_string_value(json_object_get(nd, "serial"));
			const char *action = json_string_value(json_object_get(nd, "action"));
			if (serial == NULL || serial[0] == '\0' || action == NULL ||
			    strcmp(action, "reuse") == 0 || strcmp(action, "ca only") == 0)
				continue;
			if (bsearch(&serial, ss.v, ss.n, sizeof(*ss.v), str_cmp)) {
				found = 1;
				break;
			}
		}
	}
	for (size_t k = 0; k < ss.n; k++)
		free(ss.v[k]);
	free(ss.v);
	json_decref(m);
	return found;
}

static void note_warning(void *arg, const char *msg)
{
	ucpki_warn(arg, "%s", msg);
}

int ucpki_solution_issue(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         const struct ucpki_solution_opts *o, struct ucpki_issue_summary *sum,
                         struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct run *r = calloc(1, sizeof(*r));
	struct stage stg;
	struct ucpki_lock *lock = NULL;
	FILE *mf = NULL;
	double t_start = now_seconds(), t0;
	int in_tx = 0, rc = -1;
	int wait = o->lock_wait_ms == 0 ? UCPKI_LOCK_TIMEOUT_MS : o->lock_wait_ms < 0 ? 0 : o->lock_wait_ms;

	memset(sum, 0, sizeof(*sum));
	memset(&stg, 0, sizeof(stg));
	if (r == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	r->st = st;
	r->inv = inv;
	r->o = o;
	r->now = o->now ? o->now : time(NULL);
	sum->nodes = inv->n_nodes;
	sum->t.threads = threads_for(o);
	if (check_state_outside(st, o->out_dir, e) != 0 || stage_check_out(o->out_dir, e) != 0 ||
	    (lock = ucpki_lock_acquire(o->out_dir, wait, e)) == NULL ||
	    stage_leftovers(o->out_dir, staged_committed, st, note_warning, w, e) != 0 ||
	    stage_check_out(o->out_dir, e) != 0 ||
	    manifest_read(o->out_dir, &r->old, e) != 0 || check_node_cas(r, e) != 0 ||
	    precheck(r, e) != 0 || revoked_load(st, &r->rv, e) != 0 ||
	    find_sibling_products(r, e) != 0 || cas_ensure(st, inv, w, e) != 0 ||
	    open_cas(r, w, e) != 0 || stage_new(&stg, o->out_dir, e) != 0)
		goto out;
	r->stg = &stg;
	if ((mf = stage_open(&stg, "manifest.json", e)) == NULL || manifest_begin(mf, r) != 0)
		goto out;
	if (ucpki_store_begin(ucpki_state_store(st), e) != 0)
		goto out;
	in_tx = 1;
	sum->t.setup = now_seconds() - t_start;
	if (issue_nodes(r, &stg, mf, sum, w, e) != 0)
		goto out;
	t0 = now_seconds();
	put(mf, "\n  ]\n}\n");
	if (fclose(mf) != 0) {
		mf = NULL;
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot write the manifest", stg.dir);
		goto out;
	}
	mf = NULL;
	/* files durable and sealed, then the state records the certificates,
	 * then the files appear: a run killed after the commit is delivered
	 * by the next one (stage_leftovers), never issued again */
	if (stage_seal(&stg, e) != 0)
		goto out;
	if (ucpki_store_commit(ucpki_state_store(st), e) != 0)
		goto out;
	in_tx = 0;
	if (stage_commit(&stg, e) != 0)
		goto out;
	sum->t.write += now_seconds() - t0;
	rc = 0;
out:
	if (mf)
		fclose(mf);
	if (in_tx)
		ucpki_store_rollback(ucpki_state_store(st));
	stage_abort(&stg);
	ucpki_lock_release(lock);
	manifest_clear(&r->old);
	cas_free(&r->cas);
	revoked_free(&r->rv);
	free(r);
	sum->t.total = now_seconds() - t_start;
	return rc;
}

/* --- plan ------------------------------------------------------------------------ */

static time_t expected_end(const struct node_spec *s, time_t now, time_t ca_end, int *clamped)
{
	time_t end = now + (time_t)s->days * 86400;

	*clamped = 0;
	if (ca_end && end > ca_end)
		end = ca_end;
	if (s->clamp_2038 && end > UCPKI_2038_LIMIT) {
		end = UCPKI_2038_LIMIT;
		*clamped = 1;
	}
	return end;
}

int ucpki_solution_plan(struct ucpki_state *st, const struct ucpki_inventory *inv,
                        const struct ucpki_solution_opts *o, ucpki_plan_cb cb, void *arg,
                        struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct run r = {0};
	int rc = 0;

	(void)w;
	r.st = st;
	r.inv = inv;
	r.o = o;
	r.now = o->now ? o->now : time(NULL);
	if (precheck(&r, e) != 0 || find_sibling_products(&r, e) != 0)
		return -1;
	if (o->out_dir && (stage_check_out(o->out_dir, e) != 0 ||
	                   manifest_read(o->out_dir, &r.old, e) != 0))
		return -1;
	if (revoked_load(st, &r.rv, e) != 0) {
		manifest_clear(&r.old);
		return -1;
	}
	for (int i = 0; i < inv->n_nodes && rc == 0; i++) {
		struct job j;
		struct ucpki_plan_node pn = {0};
		struct ucpki_ca *ca = NULL;
		time_t ca_end = 0;

		memset(&j, 0, sizeof(j));
		j.n = &inv->nodes[i];
		if (node_spec_make(inv, j.n, 0, &j.spec, e) != 0) {
			rc = -1;
			break;
		}
		trust_fingerprint(&r, &j.spec, j.trust_fp);
		decide(&r, &j);
		if (st && (ca = ucpki_ca_open(st, j.spec.ca_ref, NULL)) != NULL) {
			char fp[100];
			ucpki_asn1_time_to_t(X509_get0_notAfter(ucpki_ca_cert(ca)), &ca_end);
			ucpki_fingerprint(ucpki_ca_cert(ca), EVP_sha256(), fp, sizeof(fp));
			if (j.action == UCPKI_ACTION_REUSE && j.old->ca_fp[0] &&
			    strcmp(j.old->ca_fp, fp) != 0) {
				j.action = UCPKI_ACTION_REISSUE;
				snprintf(j.reason, sizeof(j.reason), "%s is not the CA that issued the bundle",
				         j.spec.ca_ref);
			}
		} else if (j.action == UCPKI_ACTION_REUSE) {
			j.action = UCPKI_ACTION_REISSUE;
			snprintf(j.reason, sizeof(j.reason), "%s does not exist in the state yet",
			         j.spec.ca_ref);
		}
		ERR_clear_error();
		ucpki_ca_free(ca);
		pn.name = j.n->name;
		pn.products = j.spec.products;
		pn.line = j.n->line;
		pn.version = j.spec.version;
		pn.action = j.action;
		pn.reason = j.reason;
		pn.ca = j.spec.ca_ref;
		pn.subject = j.spec.subject;
		pn.sans = j.spec.san;
		pn.eku = j.spec.eku;
		pn.key = j.spec.identity == UCPKI_IDENT_NONE ? "" : j.spec.key;
		pn.hash = j.spec.hash;
		pn.days = j.spec.days;
		pn.location = j.n->location ? j.n->location : "";
		pn.warnings = j.spec.warnings;
		if (j.action == UCPKI_ACTION_REUSE) {
			pn.not_after = j.old->not_after;
			pn.serial = j.old->serial;
		} else if (j.action != UCPKI_ACTION_CA_ONLY) {
			pn.not_after = expected_end(&j.spec, r.now, ca_end, &pn.clamped_2038);
			pn.serial = "";
		} else {
			pn.serial = "";
		}
		for (int p = 0; p < j.n->n_products; p++)
			for (int f = 0; f < j.n->products[p]->n_files; f++)
				if (j.n->products[p]->files[f].when == NULL ||
				    node_option(j.n, j.n->products[p]->files[f].when))
					pn.n_files++;
		if (cb(arg, &pn) != 0)
			i = inv->n_nodes; /* the caller has seen enough */
		node_spec_clear(&j.spec);
	}
	manifest_clear(&r.old);
	revoked_free(&r.rv);
	return rc;
}
