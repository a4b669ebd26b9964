/* Issuing end-entity certificates: from a new key, a given key, or a CSR. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "ca/ca_internal.h"

/* A fresh serial collides with probability 2^-127; still, the database
 * decides, and we retry with a new one. */
#define SERIAL_TRIES 8

void ucpki_issued_clear(struct ucpki_issued *out)
{
	if (out == NULL)
		return;
	X509_free(out->cert);
	EVP_PKEY_free(out->key);
	free(out->csr_sans);
	memset(out, 0, sizeof(*out));
}

int ucpki_ca_batch_begin(struct ucpki_ca *ca, struct ucpki_err *e)
{
	return ucpki_store_begin(ca->st->store, e);
}

int ucpki_ca_batch_commit(struct ucpki_ca *ca, struct ucpki_err *e)
{
	return ucpki_store_commit(ca->st->store, e);
}

void ucpki_ca_batch_abort(struct ucpki_ca *ca)
{
	ucpki_store_rollback(ca->st->store);
}

static int check_issuer(struct ucpki_ca *ca, const struct ucpki_certspec *spec,
                        struct ucpki_err *e)
{
	if (ucpki_certspec_is_ca(spec))
	{
		ucpki_err_set(e, UCPKI_E_INPUT, "%s issues end-entity certificates here; a "
		              "subordinate CA is created as a CA under it", ca->ref);
		return ucpki_err_hint(e, UCPKI_HINT_SUBORDINATE);
	}
	return ucpki_ca_unlock(ca, e);
}

/* Build, sign and record one certificate. */
static int sign_and_record(struct ucpki_ca *ca, const struct ucpki_certspec *spec,
                           EVP_PKEY *pub, const X509_NAME *subject, struct ucpki_issued *out,
                           struct ucpki_warnings *w, struct ucpki_err *e)
{
	unsigned char serial[UCPKI_SERIAL_LEN];
	char hex[2 * UCPKI_SERIAL_LEN + 1];
	const EVP_MD *md = sig_md_for(ca->key, ucpki_certspec_md(spec), w);
	time_t ca_end = 0;

	ucpki_asn1_time_to_t(X509_get0_notAfter(ca->cert), &ca_end);
	for (int attempt = 0; attempt < SERIAL_TRIES; attempt++) {
		X509 *cert;
		int rc;

		if (serial_new(serial, hex, e) != 0)
			return -1;
		cert = ucpki_cert_build(spec, pub, subject, ca->cert, serial, sizeof(serial),
		                        time(NULL), ca_end, w, e);
		if (cert == NULL)
			return -1;
		if (ca_sign_cert(ca, cert, md, e) != 0) {
			X509_free(cert);
			return -1;
		}
		if (ucpki_store_begin(ca->st->store, e) != 0) {
			X509_free(cert);
			return -1;
		}
		rc = record_cert(ca->st, ca->rec.id, cert, hex, ucpki_certspec_profile(spec), e);
		if (rc == 0 && ucpki_store_commit(ca->st->store, e) == 0) {
			out->cert = cert;
			memcpy(out->serial, hex, sizeof(hex));
			return 0;
		}
		ucpki_store_rollback(ca->st->store);
		X509_free(cert);
		if (e == NULL || e->code != UCPKI_E_EXISTS)
			return -1;
	}
	return ucpki_err_set(e, UCPKI_E_INTERNAL, "%s: no unused serial number found", ca->ref);
}

int ucpki_ca_issue(struct ucpki_ca *ca, const struct ucpki_certspec *spec, EVP_PKEY *pubkey,
                   const X509_NAME *subject, struct ucpki_issued *out,
                   struct ucpki_warnings *w, struct ucpki_err *e)
{
	EVP_PKEY *key = NULL;

	memset(out, 0, sizeof(*out));
	if (check_issuer(ca, spec, e) != 0)
		return -1;
	if (subject == NULL && ucpki_certspec_subject(spec) == NULL)
	{
		ucpki_err_set(e, UCPKI_E_INPUT, "no subject given (a DN, or a template and its CN)");
		return ucpki_err_hint(e, UCPKI_HINT_SUBJECT);
	}
	if (pubkey == NULL && (key = ucpki_key_generate(ucpki_certspec_keyspec(spec), e)) == NULL)
		return -1;
	if (sign_and_record(ca, spec, pubkey ? pubkey : key, subject, out, w, e) != 0) {
		EVP_PKEY_free(key);
		return -1;
	}
	out->key = key;
	return 0;
}

/* What of the CSR's request the certificate takes: refuse a CA request;
 * without SANs of its own, the spec gets the requested ones (*own is then
 * a new spec, and out->csr_sans their text). */
static int apply_request(const struct ucpki_certspec *spec, X509_REQ *csr, const char *label,
                         struct ucpki_certspec **own, struct ucpki_issued *out,
                         struct ucpki_err *e)
{
	struct ucpki_csr_request r;
	int rc = -1;

	*own = NULL;
	if (ucpki_csr_request_read(csr, label, &r, e) != 0)
		return -1;
	if (r.ca) {
		ucpki_err_set(e, UCPKI_E_POLICY,
		              "%s: the CSR requests a CA certificate (basicConstraints CA:TRUE); "
		              "sign only end-entity requests (a subordinate CA is created as a CA "
		              "under its parent)", label);
		ucpki_err_hint(e, UCPKI_HINT_SUBORDINATE);
		goto out;
	}
	if (r.sans && sk_GENERAL_NAME_num(r.sans) > 0 && !ucpki_certspec_has_sans(spec)) {
		if ((*own = ucpki_certspec_with_sans(spec, r.sans, e)) == NULL)
			goto out;
		if ((out->csr_sans = ucpki_san_string(r.sans)) == NULL) {
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	ucpki_csr_request_clear(&r);
	return rc;
}

int ucpki_ca_sign_csr(struct ucpki_ca *ca, const struct ucpki_certspec *spec, X509_REQ *csr,
                      const char *label, struct ucpki_issued *out, struct ucpki_warnings *w,
                      struct ucpki_err *e)
{
	EVP_PKEY *pub = X509_REQ_get0_pubkey(csr);
	const X509_NAME *subject = ucpki_certspec_subject(spec);
	struct ucpki_certspec *own = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (pub == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: the CSR has no usable public key", label);
	if (X509_REQ_verify(csr, pub) != 1)
		return ucpki_err_ssl(e, UCPKI_E_INPUT,
		                     "%s: the CSR signature does not verify (altered or corrupted)",
		                     label);
	if (subject == NULL)
		subject = X509_REQ_get_subject_name(csr);
	if (X509_NAME_entry_count(subject) == 0)
	{
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: the CSR has an empty subject: a subject DN is "
		              "needed", label);
		return ucpki_err_hint(e, UCPKI_HINT_SUBJECT);
	}
	if (check_issuer(ca, spec, e) != 0 || apply_request(spec, csr, label, &own, out, e) != 0) {
		ucpki_issued_clear(out);
		return -1;
	}
	rc = sign_and_record(ca, own ? own : spec, pub, subject, out, w, e);
	ucpki_certspec_free(own);
	if (rc != 0)
		ucpki_issued_clear(out);
	return rc;
}

struct ucpki_ca_signer *ucpki_ca_signer_new(void)
{
	return calloc(1, sizeof(struct ucpki_ca_signer));
}

void ucpki_ca_signer_free(struct ucpki_ca_signer *sg)
{
	if (sg == NULL)
		return;
	EVP_MD_CTX_free(sg->tmpl);
	free(sg);
}

/* Sign with a context prepared once per signer, CA and digest, copied for
 * each certificate. */
int signer_sign(struct ucpki_ca_signer *sg, const struct ucpki_ca *ca, X509 *cert,
                const EVP_MD *md, struct ucpki_err *e)
{
	EVP_MD_CTX *ctx = NULL;
	int ok;

	if (sg == NULL)
		goto plain;
	if (sg->tmpl == NULL || sg->ca != ca || sg->md != md) {
		EVP_MD_CTX_free(sg->tmpl);
		sg->ca = ca;
		sg->md = md;
		if ((sg->tmpl = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestSignInit(sg->tmpl, NULL, md, NULL, ca->key) != 1) {
			EVP_MD_CTX_free(sg->tmpl);
			sg->tmpl = NULL;
			ERR_clear_error();
			goto plain;
		}
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL || !EVP_MD_CTX_copy_ex(ctx, sg->tmpl)) {
		EVP_MD_CTX_free(ctx);
		ERR_clear_error();
		goto plain;
	}
	ok = X509_sign_ctx(cert, ctx) > 0;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : ucpki_err_ssl(e, UCPKI_E_INTERNAL, "%s: signing failed", ca->ref);
plain:
	/* X509_sign sets up its own context: safe from several threads */
	if (X509_sign(cert, ca->key, md) <= 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "%s: signing failed", ca->ref);
	return 0;
}

int ucpki_ca_sign_unrecorded(const struct ucpki_ca *ca, struct ucpki_ca_signer *sg,
                             const struct ucpki_certspec *spec, EVP_PKEY *pubkey,
                             const X509_NAME *subject, time_t now, struct ucpki_issued *out,
                             struct ucpki_warnings *w, struct ucpki_err *e)
{
	unsigned char serial[UCPKI_SERIAL_LEN];
	char hex[2 * UCPKI_SERIAL_LEN + 1];
	const EVP_MD *md;
	time_t ca_end = 0;
	X509 *cert;

	memset(out, 0, sizeof(*out));
	if (ca->key == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "%s: unlock the CA before signing", ca->ref);
	if (ucpki_certspec_is_ca(spec))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: subordinate CAs are made with ca create",
		                     ca->ref);
	md = sig_md_for(ca->key, ucpki_certspec_md(spec), w);
	ucpki_asn1_time_to_t(X509_get0_notAfter(ca->cert), &ca_end);
	if (serial_new(serial, hex, e) != 0)
		return -1;
	cert = ucpki_cert_build(spec, pubkey, subject, ca->cert, serial, sizeof(serial),
	                        now ? now : time(NULL), ca_end, w, e);
	if (cert == NULL)
		return -1;
	if (signer_sign(sg, ca, cert, md, e) != 0) {
		X509_free(cert);
		return -1;
	}
	out->cert = cert;
	memcpy(out->serial, hex, sizeof(hex));
	return 0;
}

int ucpki_ca_record(struct ucpki_ca *ca, const struct ucpki_issued *in, const char *profile,
                    struct ucpki_err *e)
{
	return record_cert(ca->st, ca->rec.id, in->cert, in->serial, profile, e);
}

int ucpki_ca_set_delivery(struct ucpki_ca *ca, const char *serial, const char *delivery,
                          struct ucpki_err *e)
{
	return ucpki_store_cert_set_delivery(ca->st->store, ca->rec.id, serial, delivery, e);
}

EVP_PKEY *ucpki_ca_key(struct ucpki_ca *ca, struct ucpki_err *e)
{
	if (ucpki_ca_unlock(ca, e) != 0)
		return NULL;
	return ca->key;
}
