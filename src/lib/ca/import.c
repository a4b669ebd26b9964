/* Importing a customer's CA (certificate, key, chain) from PKCS#12, as the
 * guide does for the device-management server (3.12.1.1 step 4). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "ca/ca_internal.h"
#include "ucpki/formats.h"

/* PEM of the chain above cert, ordered issuer first, from the bag's certs. */
static int order_chain(X509 *cert, STACK_OF(X509) *bag, BIO *out)
{
	X509 *cur = cert;
	int guard = 0;

	while (X509_self_signed(cur, 0) != 1 && guard++ < 16) {
		X509 *next = NULL;
		for (int i = 0; i < sk_X509_num(bag); i++) {
			X509 *c = sk_X509_value(bag, i);
			if (X509_cmp(c, cur) != 0 && X509_check_issued(c, cur) == X509_V_OK) {
				next = c;
				break;
			}
		}
		if (next == NULL)
			break;
		if (!PEM_write_bio_X509(out, next))
			return -1;
		cur = next;
	}
	ERR_clear_error();
	return 0;
}

static int check_ca_cert(X509 *cert, EVP_PKEY *key, const char *label, struct ucpki_err *e)
{
	if (cert == NULL || key == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: the PKCS#12 file needs both a certificate and its key", label);
	if (X509_check_ca(cert) < 1)
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "%s: the certificate is not a CA (basicConstraints CA:TRUE missing)",
		                     label);
	if ((X509_get_extension_flags(cert) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(cert) & KU_KEY_CERT_SIGN))
		return ucpki_err_set(e, UCPKI_E_POLICY, "%s: the CA certificate lacks keyCertSign",
		                     label);
	if (!ucpki_key_matches_cert(cert, key))
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "%s: the private key does not belong to the certificate", label);
	return 0;
}

/* The certificate in the file that belongs to key. */
static X509 *cert_for_key(const struct ucpki_pack *pk, EVP_PKEY *key)
{
	for (int i = 0; i < ucpki_pack_count(pk); i++) {
		X509 *x = ucpki_pack_cert_at(pk, i);
		if (x && ucpki_key_matches_cert(x, key))
			return x;
	}
	return NULL;
}

int ucpki_ca_import_p12(struct ucpki_state *st, const char *ref, const unsigned char *data,
                        size_t len, const char *password, const char *label,
                        struct ucpki_warnings *w, struct ucpki_err *e)
{
	char pki[NAME_MAX_LEN + 1], name[NAME_MAX_LEN + 1], serial[128];
	struct ucpki_pack *pk = NULL;
	STACK_OF(X509) *bag = NULL;
	EVP_PKEY *key;
	X509 *cert;
	BIO *chain = NULL;
	struct new_ca n = {0};
	int64_t pki_id;
	char *cdata;
	long clen;
	time_t na = 0;
	int rc = -1;

	if (ca_ref_split(ref, pki, sizeof(pki), name, sizeof(name), e) != 0 ||
	    lookup_pki(st, pki, &pki_id, e) != 0 || ucpki_state_check_passphrase(st, e) != 0)
		return -1;
	if ((pk = ucpki_pack_load_mem(data, len, label, password ? password : "", e)) == NULL)
		return -1;
	if (ucpki_pack_format(pk) != UCPKI_FMT_PKCS12) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: not a PKCS#12 file (found %s)", label,
		              ucpki_format_name(ucpki_pack_format(pk)));
		goto out;
	}
	key = ucpki_pack_first_key(pk);
	cert = key ? cert_for_key(pk, key) : NULL;
	if (key && cert == NULL && ucpki_pack_first_cert(pk)) {
		ucpki_err_set(e, UCPKI_E_POLICY,
		              "%s: the private key does not belong to any certificate in the file", label);
		goto out;
	}
	if (check_ca_cert(cert, key, label, e) != 0)
		goto out;
	ucpki_asn1_time_to_t(X509_get0_notAfter(cert), &na);
	if (na <= time(NULL))
		ucpki_warn(w, "%s: the imported CA certificate has expired", label);
	if ((bag = ucpki_pack_certs(pk)) == NULL || (chain = BIO_new(BIO_s_mem())) == NULL ||
	    order_chain(cert, bag, chain) != 0) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	clen = BIO_get_mem_data(chain, &cdata);
	serial_hex_of(cert, serial, sizeof(serial));
	n.pki_id = pki_id;
	n.name = name;
	n.cert = cert;
	n.key = key;
	n.chain = (const unsigned char *)cdata;
	n.chain_len = (size_t)clen;
	n.signer_id = -1;
	n.serial = serial;
	if (ucpki_store_begin(st->store, e) != 0)
		goto out;
	if (store_new_ca(st, &n, e) != 0 || ucpki_store_commit(st->store, e) != 0) {
		ucpki_store_rollback(st->store);
		if (e && e->code == UCPKI_E_EXISTS)
			ucpki_err_set(e, UCPKI_E_EXISTS, "CA %s already exists", ref);
		goto out;
	}
	rc = 0;
out:
	BIO_free(chain);
	sk_X509_free(bag);
	ucpki_pack_free(pk);
	return rc;
}
