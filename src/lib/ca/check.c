/*
 * Consistency check of a whole state (ucpki_state_check) and its online
 * backup (ucpki_state_backup).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca/ca_internal.h"

struct revoked {
	char serial[128];
	int64_t at;
};

struct check {
	struct ucpki_state *st;
	ucpki_problem_cb cb;
	void *arg;
	struct ucpki_state_counts *n;
	int failed;              /* a callback asked to stop, or out of memory */
	/* the CA being checked */
	const char *ref;
	X509 *cacert;
	EVP_PKEY *capub;
	char (*serials)[128];
	size_t ns, cap;
	struct revoked *rev;
	size_t nrev, caprev;
	int64_t last_number, last_this_update;
	X509_CRL *latest;
	int64_t latest_this_update;
};

static void problem(struct check *k, const char *kind, const char *serial, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct check *k, const char *kind, const char *serial, const char *fmt, ...)
{
	struct ucpki_state_problem p;
	char msg[UCPKI_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p.kind = kind;
	p.ca = k->ref ? k->ref : "";
	p.serial = serial ? serial : "";
	p.message = msg;
	if (strcmp(kind, "undelivered") == 0)
		k->n->undelivered++;
	k->n->problems++;
	if (k->cb && k->cb(k->arg, &p) != 0)
		k->failed = 1;
}

struct names {
	struct { int64_t id; char *name; int64_t pki_id; int64_t crl_number; } *v;
	size_t n, cap;
};

static int names_add(struct names *s, int64_t id, const char *name, int64_t pki_id,
                     int64_t crl_number)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 8;
		void *nv = realloc(s->v, ncap * sizeof(*s->v));
		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	if ((s->v[s->n].name = strdup(name)) == NULL)
		return -1;
	s->v[s->n].id = id;
	s->v[s->n].pki_id = pki_id;
	s->v[s->n].crl_number = crl_number;
	s->n++;
	return 0;
}

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
}

static int collect_pki(void *arg, const struct ucpki_pki_rec *r)
{
	return names_add(arg, r->id, r->name, 0, 0);
}

static int collect_ca(void *arg, const struct ucpki_ca_rec *r)
{
	return names_add(arg, r->id, r->name, r->pki_id, r->crl_number);
}

static int check_cert(void *arg, const struct ucpki_cert_rec *r)
{
	struct check *k = arg;
	const unsigned char *p = r->der;
	char norm[128], got[128];
	X509 *x = NULL;
	time_t na;

	k->n->certs++;
	if (ucpki_serial_normalize(r->serial, norm, sizeof(norm), NULL) != 0) {
		problem(k, "serial", r->serial, "%s: certificate row %lld has serial '%s', not a "
		        "hexadecimal number", k->ref, (long long)r->id, r->serial);
		return k->failed ? -1 : 0;
	}
	if (k->ns == k->cap) {
		size_t ncap = k->cap ? 2 * k->cap : 64;
		void *nv = realloc(k->serials, ncap * sizeof(*k->serials));
		if (nv == NULL) {
			k->failed = 1;
			return -1;
		}
		k->serials = nv;
		k->cap = ncap;
	}
	memcpy(k->serials[k->ns++], norm, sizeof(norm));
	if (r->status == UCPKI_CERT_REVOKED) {
		if (k->nrev == k->caprev) {
			size_t ncap = k->caprev ? 2 * k->caprev : 16;
			void *nv = realloc(k->rev, ncap * sizeof(*k->rev));
			if (nv == NULL) {
				k->failed = 1;
				return -1;
			}
			k->rev = nv;
			k->caprev = ncap;
		}
		memcpy(k->rev[k->nrev].serial, norm, sizeof(norm));
		k->rev[k->nrev++].at = r->revoked_at;
	}
	if (strcmp(r->delivery, UCPKI_DELIVERY_PENDING) == 0)
		problem(k, "undelivered", norm,
		        "%s: certificate %s (%s) was issued but never delivered: its files were "
		        "not written and its key was not kept; revoke serial %s of %s",
		        k->ref, norm, r->subject, norm, k->ref);
	if (r->der == NULL || (x = d2i_X509(NULL, &p, (long)r->der_len)) == NULL ||
	    p != r->der + r->der_len) {
		problem(k, "der", norm, "%s: certificate %s: the stored DER does not parse as one "
		        "certificate", k->ref, norm);
		X509_free(x);
		return k->failed ? -1 : 0;
	}
	if (serial_hex_of(x, got, sizeof(got)) != 0 || strcmp(got, norm) != 0)
		problem(k, "serial", norm, "%s: certificate row says serial %s, its certificate "
		        "has %s", k->ref, norm, got);
	if (X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(k->cacert)) != 0)
		problem(k, "issuer", norm, "%s: certificate %s: its issuer is not this CA", k->ref,
		        norm);
	else if (X509_verify(x, k->capub) != 1)
		problem(k, "signature", norm, "%s: certificate %s: not signed by this CA's key",
		        k->ref, norm);
	if (ucpki_asn1_time_to_t(X509_get0_notAfter(x), &na) != 0 || (int64_t)na != r->not_after)
		problem(k, "not_after", norm, "%s: certificate %s: the row's notAfter (%lld) is not "
		        "the certificate's (%lld)", k->ref, norm, (long long)r->not_after,
		        (long long)na);
	X509_free(x);
	ERR_clear_error();
	return k->failed ? -1 : 0;
}

static int check_crl(void *arg, const struct ucpki_crl_rec *r)
{
	struct check *k = arg;
	const unsigned char *p = r->der;
	ASN1_INTEGER *num = NULL;
	X509_CRL *crl = NULL;
	int64_t n = -1;

	k->n->crls++;
	if (r->number <= k->last_number)
		problem(k, "crl", NULL, "%s: CRL number %lld does not increase (after %lld)", k->ref,
		        (long long)r->number, (long long)k->last_number);
	if (r->this_update < k->last_this_update)
		problem(k, "crl", NULL, "%s: CRL %lld is older than CRL %lld before it", k->ref,
		        (long long)r->number, (long long)k->last_number);
	k->last_number = r->number;
	k->last_this_update = r->this_update;
	if (r->der == NULL || (crl = d2i_X509_CRL(NULL, &p, (long)r->der_len)) == NULL) {
		problem(k, "crl", NULL, "%s: CRL %lld: the stored DER does not parse", k->ref,
		        (long long)r->number);
		ERR_clear_error();
		return k->failed ? -1 : 0;
	}
	if ((num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL)) == NULL ||
	    !ASN1_INTEGER_get_int64(&n, num) || n != r->number)
		problem(k, "crl", NULL, "%s: CRL row %lld carries CRL number %lld", k->ref,
		        (long long)r->number, (long long)n);
	ASN1_INTEGER_free(num);
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(k->cacert)) != 0 ||
	    X509_CRL_verify(crl, k->capub) != 1)
		problem(k, "crl", NULL, "%s: CRL %lld is not signed by this CA", k->ref,
		        (long long)r->number);
	X509_CRL_free(k->latest);
	k->latest = crl;
	k->latest_this_update = r->this_update;
	ERR_clear_error();
	return k->failed ? -1 : 0;
}

static int cmp_serial(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Every certificate revoked before the latest CRL was made must be in it. */
static void check_revoked_listed(struct check *k)
{
	for (size_t i = 0; i < k->nrev && k->latest; i++) {
		BIGNUM *bn = NULL;
		ASN1_INTEGER *ai = NULL;
		X509_REVOKED *hit = NULL;
		int found;
		/* Times are in seconds: within the same second the order is unknown. */
		if (k->rev[i].at >= k->latest_this_update)
			continue;
		found = BN_hex2bn(&bn, k->rev[i].serial) &&
		        (ai = BN_to_ASN1_INTEGER(bn, NULL)) != NULL &&
		        X509_CRL_get0_by_serial(k->latest, &hit, ai) == 1;
		if (!found)
			problem(k, "crl", k->rev[i].serial,
			        "%s: certificate %s was revoked before the latest CRL (number %lld) "
			        "but is not in it", k->ref, k->rev[i].serial, (long long)k->last_number);
		ASN1_INTEGER_free(ai);
		BN_free(bn);
	}
}

static void check_ca(struct check *k, int64_t ca_id, int64_t crl_number, int pass_ok)
{
	struct ucpki_store *s = k->st->store;
	struct ucpki_cert_filter f = {0};
	struct ucpki_err e = {0};
	struct ucpki_ca *ca;

	k->n->cas++;
	if ((ca = ucpki_ca_open(k->st, k->ref, &e)) == NULL) {
		problem(k, "ca", NULL, "%s: %s", k->ref, e.msg);
		return;
	}
	k->cacert = ucpki_ca_cert(ca);
	k->capub = X509_get0_pubkey(k->cacert);
	if (pass_ok && ca->rec.key_len > 0) {
		if (ucpki_ca_unlock(ca, &e) != 0)
			problem(k, "ca", NULL, "%s: %s", k->ref, e.msg);
		else if (X509_check_private_key(k->cacert, ca->key) != 1)
			problem(k, "ca", NULL, "%s: the stored key does not belong to the CA certificate",
			        k->ref);
		ERR_clear_error();
	}
	k->ns = k->nrev = 0;
	k->last_number = 0;
	k->last_this_update = 0;
	k->latest = NULL;
	f.ca_id = ca_id;
	f.with_der = 1;
	if (ucpki_store_cert_list(s, &f, check_cert, k, &e) != 0 && !k->failed)
		problem(k, "store", NULL, "%s: cannot list its certificates: %s", k->ref, e.msg);
	qsort(k->serials, k->ns, sizeof(*k->serials), cmp_serial);
	for (size_t i = 1; i < k->ns; i++)
		if (strcmp(k->serials[i], k->serials[i - 1]) == 0 &&
		    (i < 2 || strcmp(k->serials[i], k->serials[i - 2]) != 0))
			problem(k, "duplicate", k->serials[i], "%s: serial %s is recorded more than once",
			        k->ref, k->serials[i]);
	if (ucpki_store_crl_list(s, ca_id, check_crl, k, &e) != 0 && !k->failed)
		problem(k, "store", NULL, "%s: cannot list its CRLs: %s", k->ref, e.msg);
	if (k->last_number > crl_number)
		problem(k, "crl", NULL, "%s: CRL number %lld was written but the CA's counter is at "
		        "%lld (numbers would repeat)", k->ref, (long long)k->last_number,
		        (long long)crl_number);
	check_revoked_listed(k);
	X509_CRL_free(k->latest);
	k->latest = NULL;
	ucpki_ca_free(ca);
}

int ucpki_state_check(struct ucpki_state *st, ucpki_problem_cb cb, void *arg,
                      struct ucpki_state_counts *n, struct ucpki_err *e)
{
	struct check k = {0};
	struct names pkis = {0}, cas = {0};
	struct ucpki_err pe = {0};
	char *report = NULL, ref[2 * NAME_MAX_LEN + 8];
	int pass_ok, rc = -1;

	memset(n, 0, sizeof(*n));
	k.st = st;
	k.cb = cb;
	k.arg = arg;
	k.n = n;
	if (ucpki_store_integrity(st->store, &report, e) != 0)
		return -1;
	if (report != NULL) {
		problem(&k, "integrity", NULL, "%s: damaged: PRAGMA integrity_check says %s",
		        st->db_path, report);
		free(report);
	}
	pass_ok = ucpki_state_check_passphrase(st, &pe) == 0;
	if (!pass_ok)
		problem(&k, "passphrase", NULL, "%s", pe.msg);
	if (ucpki_store_pki_list(st->store, collect_pki, &pkis, e) != 0 ||
	    ucpki_store_ca_list(st->store, 0, collect_ca, &cas, e) != 0)
		goto out;
	for (size_t i = 0; i < cas.n && !k.failed; i++) {
		const char *pki = "?";
		for (size_t j = 0; j < pkis.n; j++)
			if (pkis.v[j].id == cas.v[i].pki_id)
				pki = pkis.v[j].name;
		snprintf(ref, sizeof(ref), "%s/%s", pki, cas.v[i].name);
		k.ref = ref;
		check_ca(&k, cas.v[i].id, cas.v[i].crl_number, pass_ok);
		k.ref = NULL;
	}
	if (k.failed) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "%s: state check stopped (out of memory)",
		              st->db_path);
		goto out;
	}
	rc = 0;
out:
	free(k.serials);
	free(k.rev);
	names_free(&pkis);
	names_free(&cas);
	return rc;
}

int ucpki_state_backup(struct ucpki_state *st, const char *path, int force,
                       struct ucpki_err *e)
{
	size_t n = strlen(path) + 40;
	char *tmp = malloc(n);
	int fd, rc = -1;

	if (tmp == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (!force && access(path, F_OK) == 0) {
		ucpki_err_set(e, UCPKI_E_EXISTS, "%s: already exists", path);
		ucpki_err_hint(e, UCPKI_HINT_FORCE);
		goto out;
	}
	ucpki_file_clean_stale(path);
	snprintf(tmp, n, "%s.tmp-%ld-XXXXXX", path, (long)getpid());
	if ((fd = mkstemp(tmp)) < 0) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	close(fd);
	if (ucpki_store_backup(st->store, tmp, e) != 0)
		goto fail;
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0 || fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	if (force) {
		if (rename(tmp, path) != 0) {
			ucpki_err_set(e, UCPKI_E_IO, "%s: cannot replace: %s", path, strerror(errno));
			goto fail;
		}
	} else {
		/* link() never replaces: a FILE that appeared meanwhile stays. */
		if (link(tmp, path) != 0) {
			if (errno == EEXIST) {
				ucpki_err_set(e, UCPKI_E_EXISTS, "%s: already exists", path);
				ucpki_err_hint(e, UCPKI_HINT_FORCE);
			} else
				ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
			goto fail;
		}
		unlink(tmp);
	}
	rc = 0;
	goto out;
fail:
	unlink(tmp);
out:
	free(tmp);
	return rc;
}
