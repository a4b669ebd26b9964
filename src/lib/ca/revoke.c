/* Revocation and CRLs (RFC 5280 section 5). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>

#include "ca/ca_internal.h"

static const char *const reasons[] = {
	[0] = "unspecified",        [1] = "keyCompromise",
	[2] = "cACompromise",       [3] = "affiliationChanged",
	[4] = "superseded",         [5] = "cessationOfOperation",
	[6] = "certificateHold",    [7] = NULL, /* value 7 is not used */
	[8] = "removeFromCRL",      [9] = "privilegeWithdrawn",
	[10] = "aACompromise",
};

#define N_REASONS ((int)(sizeof(reasons) / sizeof(reasons[0])))

int ucpki_reason_parse(const char *name, int *reason, struct ucpki_err *e)
{
	for (int i = 0; i < N_REASONS; i++)
		if (reasons[i] && strcasecmp(reasons[i], name) == 0) {
			if (i == 8)
				break; /* removeFromCRL only exists in delta CRLs */
			*reason = i;
			return 0;
		}
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "unknown revocation reason '%s' (unspecified, keyCompromise, "
	                     "cACompromise, affiliationChanged, superseded, cessationOfOperation, "
	                     "certificateHold, privilegeWithdrawn, aACompromise)", name);
}

const char *ucpki_reason_name(int reason)
{
	if (reason < 0 || reason >= N_REASONS || reasons[reason] == NULL)
		return "unknown";
	return reasons[reason];
}

int ucpki_serial_normalize(const char *text, char *out, size_t len, struct ucpki_err *e)
{
	char digits[256];
	size_t n = 0, start = 0;

	if (strncasecmp(text, "0x", 2) == 0)
		text += 2;
	else if (strncasecmp(text, "serial=", 7) == 0)
		text += 7;
	for (const char *p = text; *p; p++) {
		if (*p == ':' || *p == ' ')
			continue;
		if (!isxdigit((unsigned char)*p) || n + 2 >= sizeof(digits))
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "serial '%s' is not a hexadecimal number", text);
		digits[n++] = (char)toupper((unsigned char)*p);
	}
	if (n == 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "serial is empty");
	digits[n] = '\0';
	while (start + 1 < n && digits[start] == '0')
		start++; /* the value, without leading zeros */
	if (n - start + 2 > len)
		return ucpki_err_set(e, UCPKI_E_INPUT, "serial is too long");
	/* whole octets, as stored: an odd count gets one leading zero */
	snprintf(out, len, "%s%s", ((n - start) & 1) ? "0" : "", digits + start);
	return 0;
}

int ucpki_ca_revoke(struct ucpki_ca *ca, const char *serial, int reason, time_t when,
                    struct ucpki_err *e)
{
	char norm[128];

	if (ucpki_serial_normalize(serial, norm, sizeof(norm), e) != 0)
		return -1;
	if (ucpki_store_begin(ca->st->store, e) != 0)
		return -1;
	if (ucpki_store_cert_revoke(ca->st->store, ca->rec.id, norm, (int64_t)when, reason, e) !=
	        0 ||
	    ucpki_store_commit(ca->st->store, e) != 0) {
		ucpki_store_rollback(ca->st->store);
		if (e && e->code == UCPKI_E_NOTFOUND)
			ucpki_err_prefix(e, "%s: ", ca->ref);
		return -1;
	}
	return 0;
}

struct crl_build {
	X509_CRL *crl;
	struct ucpki_err *e;
};

static int add_revoked(void *arg, const struct ucpki_cert_rec *r)
{
	struct crl_build *b = arg;
	X509_REVOKED *rev;
	BIGNUM *bn = NULL;
	ASN1_INTEGER *serial = NULL;
	ASN1_TIME *when = NULL;
	ASN1_ENUMERATED *reason = NULL;
	int ok = 0;

	if (r->status != UCPKI_CERT_REVOKED)
		return 0;
	if ((rev = X509_REVOKED_new()) == NULL || !BN_hex2bn(&bn, r->serial) ||
	    (serial = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !X509_REVOKED_set_serialNumber(rev, serial) ||
	    (when = ASN1_TIME_set(NULL, (time_t)r->revoked_at)) == NULL ||
	    !X509_REVOKED_set_revocationDate(rev, when))
		goto out;
	/* RFC 5280 5.3.1: omit the reason code rather than say "unspecified". */
	if (r->reason > 0) {
		if ((reason = ASN1_ENUMERATED_new()) == NULL ||
		    !ASN1_ENUMERATED_set(reason, r->reason) ||
		    !X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, reason, 0, 0))
			goto out;
	}
	if (!X509_CRL_add0_revoked(b->crl, rev))
		goto out;
	rev = NULL;
	ok = 1;
out:
	X509_REVOKED_free(rev);
	BN_free(bn);
	ASN1_INTEGER_free(serial);
	ASN1_TIME_free(when);
	ASN1_ENUMERATED_free(reason);
	if (!ok)
		ucpki_err_ssl(b->e, UCPKI_E_INTERNAL, "cannot add serial %s to the CRL", r->serial);
	return ok ? 0 : -1;
}

static int add_crl_extensions(X509_CRL *crl, X509 *cacert, int64_t number, struct ucpki_err *e)
{
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	AUTHORITY_KEYID *aki = AUTHORITY_KEYID_new();
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(cacert);
	int ok;

	ok = num && aki && ASN1_INTEGER_set_int64(num, number) &&
	     X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0);
	if (ok && ski) {
		aki->keyid = ASN1_OCTET_STRING_dup(ski);
		ok = aki->keyid && X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, aki, 0, 0);
	}
	ASN1_INTEGER_free(num);
	AUTHORITY_KEYID_free(aki);
	return ok ? 0 : ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot add CRL extensions");
}

/* The CRL as signed, in the transaction that allocated its number. */
static int record_crl(struct ucpki_ca *ca, X509_CRL *crl, int64_t number, time_t now, int days,
                      struct ucpki_err *e)
{
	struct ucpki_crl_rec r = {0};
	unsigned char *der = NULL;
	int n = i2d_X509_CRL(crl, &der), rc;

	if (n <= 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "%s: cannot encode the CRL", ca->ref);
	r.ca_id = ca->rec.id;
	r.number = number;
	r.this_update = (int64_t)now;
	r.next_update = (int64_t)now + (int64_t)days * 86400;
	r.der = der;
	r.der_len = (size_t)n;
	r.created = (int64_t)now;
	rc = ucpki_store_crl_add(ca->st->store, &r, e);
	OPENSSL_free(der);
	return rc;
}

X509_CRL *ucpki_ca_crl(struct ucpki_ca *ca, int days, const char *hash,
                       struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_cert_filter f = {0};
	struct crl_build b = {NULL, e};
	const EVP_MD *md = NULL;
	time_t now = time(NULL);
	int64_t number;
	ASN1_TIME *t = NULL;

	if (days <= 0 || days > 3650) {
		ucpki_err_set(e, UCPKI_E_INPUT, "CRL validity %d days is out of range (1..3650)", days);
		return NULL;
	}
	if (hash && ucpki_hash_parse(hash, &md, w, e) != 0)
		return NULL;
	if (ucpki_ca_unlock(ca, e) != 0)
		return NULL;
	if ((b.crl = X509_CRL_new()) == NULL || !X509_CRL_set_version(b.crl, X509_CRL_VERSION_2) ||
	    !X509_CRL_set_issuer_name(b.crl, X509_get_subject_name(ca->cert)) ||
	    (t = ASN1_TIME_set(NULL, now)) == NULL || !X509_CRL_set1_lastUpdate(b.crl, t) ||
	    !ASN1_TIME_set(t, now + (time_t)days * 86400) || !X509_CRL_set1_nextUpdate(b.crl, t)) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot build the CRL");
		goto fail;
	}
	f.ca_id = ca->rec.id;
	if (ucpki_store_begin(ca->st->store, e) != 0)
		goto fail;
	if (ucpki_store_cert_list(ca->st->store, &f, add_revoked, &b, e) != 0 ||
	    ucpki_store_ca_next_crl_number(ca->st->store, ca->rec.id, &number, e) != 0 ||
	    add_crl_extensions(b.crl, ca->cert, number, e) != 0) {
		ucpki_store_rollback(ca->st->store);
		goto fail;
	}
	X509_CRL_sort(b.crl);
	if (X509_CRL_sign(b.crl, ca->key, sig_md_for(ca->key, md, w)) <= 0) {
		ucpki_store_rollback(ca->st->store);
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "%s: cannot sign the CRL", ca->ref);
		goto fail;
	}
	if (record_crl(ca, b.crl, number, now, days, e) != 0 ||
	    ucpki_store_commit(ca->st->store, e) != 0) {
		ucpki_store_rollback(ca->st->store);
		goto fail;
	}
	ASN1_TIME_free(t);
	return b.crl;
fail:
	ASN1_TIME_free(t);
	X509_CRL_free(b.crl);
	return NULL;
}
