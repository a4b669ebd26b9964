/* PKIs and CAs: creation, import from PKCS#12, loading, listing, export. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

#include "ca/ca_internal.h"
#include "ucpki/crypto.h"
#include "ucpki/file.h"


int ucpki_name_check(const char *what, const char *name, struct ucpki_err *e)
{
	size_t n = strlen(name);

	if (n == 0 || n > NAME_MAX_LEN || !isalnum((unsigned char)name[0]))
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_' &&
		    name[i] != '.')
			goto bad;
	return 0;
bad:
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "%s name '%s' must be 1-64 letters, digits, '.', '-' or '_', "
	                     "starting with a letter or digit", what, name);
}

int ca_ref_split(const char *ref, char *pki, size_t pkilen, char *ca, size_t calen,
                 struct ucpki_err *e)
{
	const char *slash = ref ? strchr(ref, '/') : NULL;
	size_t n;

	if (slash == NULL || strchr(slash + 1, '/') != NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "CA '%s' must be named PKI/CA",
		                     ref ? ref : "");
	n = (size_t)(slash - ref);
	if (n >= pkilen || strlen(slash + 1) >= calen)
		return ucpki_err_set(e, UCPKI_E_INPUT, "CA name '%s' is too long", ref);
	memcpy(pki, ref, n);
	pki[n] = '\0';
	memcpy(ca, slash + 1, strlen(slash + 1) + 1);
	if (ucpki_name_check("PKI", pki, e) != 0 || ucpki_name_check("CA", ca, e) != 0)
		return -1;
	return 0;
}

int ucpki_pki_create(struct ucpki_state *st, const char *name, const char *description,
                     struct ucpki_err *e)
{
	struct ucpki_pki_rec r = {0};

	if (ucpki_name_check("PKI", name, e) != 0)
		return -1;
	r.name = (char *)name;
	r.description = (char *)(description ? description : "");
	r.created = (int64_t)time(NULL);
	return ucpki_store_pki_add(st->store, &r, e);
}

int serial_new(unsigned char serial[UCPKI_SERIAL_LEN], char hex[2 * UCPKI_SERIAL_LEN + 1],
               struct ucpki_err *e)
{
	if (RAND_bytes(serial, UCPKI_SERIAL_LEN) != 1)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "no randomness for a serial number");
	/* Positive (top bit clear) and of fixed length (next bit set). */
	serial[0] = (unsigned char)((serial[0] & 0x7f) | 0x40);
	for (int i = 0; i < UCPKI_SERIAL_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02X", serial[i]);
	return 0;
}

int serial_hex_of(const X509 *cert, char *buf, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *h = bn ? BN_bn2hex(bn) : NULL;
	int rc = -1;

	if (h != NULL && strlen(h) < len) {
		/* BN_bn2hex pads to whole octets; keep it so. Negative serials
		 * (broken imports) keep their '-'. */
		memcpy(buf, h, strlen(h) + 1);
		rc = 0;
	}
	OPENSSL_free(h);
	BN_free(bn);
	return rc;
}

int record_cert(struct ucpki_state *st, int64_t ca_id, X509 *cert, const char *serial,
                const char *profile, struct ucpki_err *e)
{
	struct ucpki_cert_rec r = {0};
	GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	unsigned char *der = NULL;
	time_t nb = 0, na = 0;
	int len, rc = -1;

	r.ca_id = ca_id;
	r.serial = (char *)serial;
	r.subject = ucpki_dn_string(X509_get_subject_name(cert));
	r.sans = sans ? ucpki_san_string(sans) : strdup("");
	GENERAL_NAMES_free(sans);
	ucpki_asn1_time_to_t(X509_get0_notBefore(cert), &nb);
	ucpki_asn1_time_to_t(X509_get0_notAfter(cert), &na);
	r.not_before = nb;
	r.not_after = na;
	r.profile = (char *)profile;
	r.created = (int64_t)time(NULL);
	len = i2d_X509(cert, &der);
	if (r.subject == NULL || r.sans == NULL || len <= 0) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the certificate");
		goto out;
	}
	r.der = der;
	r.der_len = (size_t)len;
	rc = ucpki_store_cert_add(st->store, &r, e);
out:
	free(r.subject);
	free(r.sans);
	OPENSSL_free(der);
	return rc;
}

const EVP_MD *sig_md_for(EVP_PKEY *key, const EVP_MD *wanted, struct ucpki_warnings *w)
{
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519)
		return NULL; /* Ed25519 hashes internally */
	return wanted ? wanted : EVP_sha256();
}

/* --- loading ----------------------------------------------------------- */

static X509 *der_to_x509(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	return d2i_X509(NULL, &p, (long)len);
}

static int push_pem_chain(STACK_OF(X509) *sk, const unsigned char *pem, size_t len)
{
	BIO *bio;
	X509 *x;

	if (pem == NULL || len == 0)
		return 0;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return -1;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			BIO_free(bio);
			return -1;
		}
	ERR_clear_error();
	BIO_free(bio);
	return 0;
}

void ucpki_ca_free(struct ucpki_ca *ca)
{
	if (ca == NULL)
		return;
	ucpki_ca_rec_clear(&ca->rec);
	free(ca->ref);
	X509_free(ca->cert);
	sk_X509_pop_free(ca->chain, X509_free);
	EVP_PKEY_free(ca->key);
	ucpki_ca_signer_free(ca->signer);
	free(ca);
}

int ca_sign_cert(struct ucpki_ca *ca, X509 *cert, const EVP_MD *md, struct ucpki_err *e)
{
	if (ca->signer == NULL)
		ca->signer = ucpki_ca_signer_new(); /* NULL is fine: one-off context */
	return signer_sign(ca->signer, ca, cert, md, e);
}

static int load_chain(struct ucpki_ca *ca, struct ucpki_err *e)
{
	struct ucpki_ca_rec cur = {0};
	int64_t parent = ca->rec.parent_id;
	int guard = 0;

	if ((ca->chain = sk_X509_new_null()) == NULL || !X509_up_ref(ca->cert) ||
	    !sk_X509_push(ca->chain, ca->cert))
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (parent == 0)
		return push_pem_chain(ca->chain, ca->rec.chain, ca->rec.chain_len) == 0
		           ? 0 : ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	while (parent != 0) {
		X509 *x;
		if (++guard > 64)
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: CA parents form a loop", ca->ref);
		if (ucpki_store_ca_get(ca->st->store, parent, &cur, e) != 0)
			return -1;
		if ((x = der_to_x509(cur.cert, cur.cert_len)) == NULL || !sk_X509_push(ca->chain, x)) {
			X509_free(x);
			ucpki_ca_rec_clear(&cur);
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: a parent certificate is corrupted",
			                     ca->ref);
		}
		parent = cur.parent_id;
		if (parent == 0 && push_pem_chain(ca->chain, cur.chain, cur.chain_len) != 0) {
			ucpki_ca_rec_clear(&cur);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		ucpki_ca_rec_clear(&cur);
	}
	return 0;
}

struct ucpki_ca *ucpki_ca_open(struct ucpki_state *st, const char *ref, struct ucpki_err *e)
{
	char pki[NAME_MAX_LEN + 1], name[NAME_MAX_LEN + 1];
	struct ucpki_pki_rec p = {0};
	struct ucpki_ca *ca;

	if (ca_ref_split(ref, pki, sizeof(pki), name, sizeof(name), e) != 0)
		return NULL;
	if ((ca = calloc(1, sizeof(*ca))) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	ca->st = st;
	if ((ca->ref = strdup(ref)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	if (ucpki_store_pki_find(st->store, pki, &p, e) != 0)
		goto fail;
	if (ucpki_store_ca_find(st->store, p.id, name, &ca->rec, e) != 0) {
		if (e && e->code == UCPKI_E_NOTFOUND)
			ucpki_err_set(e, UCPKI_E_NOTFOUND, "unknown CA '%s' (see 'ucpki ca list')", ref);
		goto fail;
	}
	if ((ca->cert = der_to_x509(ca->rec.cert, ca->rec.cert_len)) == NULL) {
		ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: stored CA certificate is corrupted", ref);
		goto fail;
	}
	if (load_chain(ca, e) != 0)
		goto fail;
	ucpki_pki_rec_clear(&p);
	return ca;
fail:
	ucpki_pki_rec_clear(&p);
	ucpki_ca_free(ca);
	return NULL;
}

X509 *ucpki_ca_cert(const struct ucpki_ca *ca)
{
	return ca->cert;
}

STACK_OF(X509) *ucpki_ca_chain(const struct ucpki_ca *ca)
{
	return ca->chain;
}

const char *ucpki_ca_ref(const struct ucpki_ca *ca)
{
	return ca->ref;
}

int ucpki_ca_unlock(struct ucpki_ca *ca, struct ucpki_err *e)
{
	if (ca->key != NULL)
		return 0;
	ca->key = state_key_decrypt(ca->st, ca->rec.key, ca->rec.key_len, ca->ref, e);
	return ca->key ? 0 : -1;
}

int ucpki_ca_export_pem(const struct ucpki_ca *ca, int with_chain, char **pem, size_t *len,
                        struct ucpki_err *e)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n = with_chain ? sk_X509_num(ca->chain) : 1;
	char *data;
	long dlen;

	if (bio == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < n; i++)
		if (!PEM_write_bio_X509(bio, sk_X509_value(ca->chain, i))) {
			BIO_free(bio);
			return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot write PEM");
		}
	dlen = BIO_get_mem_data(bio, &data);
	if ((*pem = malloc((size_t)dlen + 1)) == NULL) {
		BIO_free(bio);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	memcpy(*pem, data, (size_t)dlen);
	(*pem)[dlen] = '\0';
	*len = (size_t)dlen;
	BIO_free(bio);
	return 0;
}

/* --- creation ------------------------------------------------------------ */

/* Path length the new CA may have under parent's chain: every ancestor at
 * distance d with pathLenConstraint p must allow d more CAs below it. */
static int allowed_pathlen(const struct ucpki_ca *parent, int wanted, int *out,
                           struct ucpki_err *e)
{
	int max = -1;

	for (int i = 0; i < sk_X509_num(parent->chain); i++) {
		X509 *x = sk_X509_value(parent->chain, i);
		long pl = X509_get_pathlen(x);
		int d = i + 1;
		char *subj;

		if (pl < 0)
			continue;
		if (pl < d) {
			subj = ucpki_dn_string(X509_get_subject_name(x));
			ucpki_err_set(e, UCPKI_E_POLICY,
			              "CA '%s' has pathlen %ld: it allows no further CA level below %s",
			              subj ? subj : "?", pl, parent->ref);
			free(subj);
			return -1;
		}
		if (max < 0 || pl - d < max)
			max = (int)(pl - d);
	}
	if (wanted >= 0 && max >= 0 && wanted > max)
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "a path length of %d is more than the parent chain allows (%d)", wanted,
		                     max);
	*out = wanted >= 0 ? wanted : max;
	return 0;
}

static int check_can_sign(const struct ucpki_ca *parent, struct ucpki_err *e)
{
	if (X509_check_ca(parent->cert) < 1)
		return ucpki_err_set(e, UCPKI_E_POLICY, "%s is not a CA certificate", parent->ref);
	if ((X509_get_extension_flags(parent->cert) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(parent->cert) & KU_KEY_CERT_SIGN))
		return ucpki_err_set(e, UCPKI_E_POLICY, "%s has no keyCertSign key usage",
		                     parent->ref);
	return 0;
}


/* Write the CA row and the cert row, in the caller's transaction. */
int store_new_ca(struct ucpki_state *st, const struct new_ca *n, struct ucpki_err *e)
{
	struct ucpki_ca_rec r = {0};
	unsigned char *der = NULL;
	int len, rc = -1;
	time_t na = 0;

	r.pki_id = n->pki_id;
	r.parent_id = n->parent_id;
	r.name = (char *)n->name;
	r.subject = ucpki_dn_string(X509_get_subject_name(n->cert));
	len = i2d_X509(n->cert, &der);
	if (r.subject == NULL || len <= 0) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the CA certificate");
		goto out;
	}
	r.cert = der;
	r.cert_len = (size_t)len;
	if (state_key_encrypt(st, n->key, &r.key, &r.key_len, e) != 0)
		goto out;
	r.chain = (unsigned char *)n->chain;
	r.chain_len = n->chain_len;
	ucpki_asn1_time_to_t(X509_get0_notAfter(n->cert), &na);
	r.not_after = na;
	r.created = (int64_t)time(NULL);
	if (ucpki_store_ca_add(st->store, &r, e) != 0)
		goto out;
	rc = n->signer_id < 0 ? 0
	                      : record_cert(st, n->signer_id ? n->signer_id : r.id, n->cert,
	                                    n->serial, "ca", e);
out:
	free(r.subject);
	OPENSSL_free(der);
	if (r.key)
		ucpki_secure_free(r.key, r.key_len);
	return rc;
}

int lookup_pki(struct ucpki_state *st, const char *pki, int64_t *id, struct ucpki_err *e)
{
	struct ucpki_pki_rec p = {0};

	if (ucpki_store_pki_find(st->store, pki, &p, e) != 0) {
		if (e && e->code == UCPKI_E_NOTFOUND)
			ucpki_err_set(e, UCPKI_E_NOTFOUND,
			              "unknown PKI '%s' (create it with 'ucpki pki create %s')", pki, pki);
		return -1;
	}
	*id = p.id;
	ucpki_pki_rec_clear(&p);
	return 0;
}

int ucpki_ca_create(struct ucpki_state *st, const struct ucpki_ca_opts *o,
                    struct ucpki_warnings *w, struct ucpki_err *e)
{
	char pki[NAME_MAX_LEN + 1], name[NAME_MAX_LEN + 1], hex[2 * UCPKI_SERIAL_LEN + 1];
	unsigned char serial[UCPKI_SERIAL_LEN];
	struct ucpki_certspec_opts so = {0};
	struct ucpki_certspec *spec = NULL;
	struct ucpki_ca *parent = NULL;
	EVP_PKEY *key = NULL, *signer;
	X509 *cert = NULL;
	struct new_ca n = {0};
	int64_t pki_id;
	time_t max = 0;
	int pathlen = o->pathlen, rc = -1;

	if (ca_ref_split(o->ref, pki, sizeof(pki), name, sizeof(name), e) != 0 ||
	    lookup_pki(st, pki, &pki_id, e) != 0)
		return -1;
	if (o->subject == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "a CA needs a subject (--subject DN)");
	if (o->parent) {
		if ((parent = ucpki_ca_open(st, o->parent, e)) == NULL)
			goto out;
		if (parent->rec.pki_id != pki_id) {
			ucpki_err_set(e, UCPKI_E_INPUT, "parent %s is in another PKI than %s", o->parent,
			              o->ref);
			goto out;
		}
		if (check_can_sign(parent, e) != 0 || allowed_pathlen(parent, o->pathlen, &pathlen, e) != 0 ||
		    ucpki_ca_unlock(parent, e) != 0)
			goto out;
		ucpki_asn1_time_to_t(X509_get0_notAfter(parent->cert), &max);
	} else if (ucpki_state_check_passphrase(st, e) != 0) {
		goto out;
	}
	so.base = "ca";
	so.subject = o->subject;
	so.key = o->key;
	so.hash = o->hash;
	so.days = o->days;
	so.pathlen = pathlen;
	so.no_2038 = o->no_2038;
	so.critical = o->critical;
	so.noncritical = o->noncritical;
	if ((spec = ucpki_certspec_new(&so, w, e)) == NULL)
		goto out;
	if ((key = ucpki_key_generate(ucpki_certspec_keyspec(spec), e)) == NULL ||
	    serial_new(serial, hex, e) != 0)
		goto out;
	cert = ucpki_cert_build(spec, key, NULL, parent ? parent->cert : NULL, serial,
	                        sizeof(serial), time(NULL), max, w, e);
	if (cert == NULL)
		goto out;
	signer = parent ? parent->key : key;
	if (X509_sign(cert, signer, sig_md_for(signer, ucpki_certspec_md(spec), w)) <= 0) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot sign the CA certificate");
		goto out;
	}
	n.pki_id = pki_id;
	n.name = name;
	n.cert = cert;
	n.key = key;
	n.parent_id = parent ? parent->rec.id : 0;
	n.signer_id = parent ? parent->rec.id : 0;
	n.serial = hex;
	if (ucpki_store_begin(st->store, e) != 0)
		goto out;
	if (store_new_ca(st, &n, e) != 0 || ucpki_store_commit(st->store, e) != 0) {
		ucpki_store_rollback(st->store);
		if (e && e->code == UCPKI_E_EXISTS)
			ucpki_err_set(e, UCPKI_E_EXISTS, "CA %s already exists", o->ref);
		goto out;
	}
	rc = 0;
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	ucpki_certspec_free(spec);
	ucpki_ca_free(parent);
	return rc;
}
