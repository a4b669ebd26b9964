/* The verifier's rules as data: each has an id, the check it belongs to,
 * the levels it applies at, its source and what it rejects. Every
 * rejection names one of these ids; docs/verify.md lists them all (a test
 * compares the two). */
#include <stddef.h>
#include <string.h>

#include "verify/verify_internal.h"

#define T (1u << UCPKI_LEVEL_TRUSTED)
#define F (1u << UCPKI_LEVEL_FULL)
#define W (1u << UCPKI_LEVEL_WEBPKI)
#define TFW (T | F | W)
#define FW (F | W)

#define CH UCPKI_CHECK_CHAIN
#define VA UCPKI_CHECK_VALIDITY
#define RE UCPKI_CHECK_REVOCATION
#define ID UCPKI_CHECK_IDENTITY
#define EX UCPKI_CHECK_EXTENSIONS
#define PU UCPKI_CHECK_PURPOSE
#define PR UCPKI_CHECK_PROFILE

static const struct ucpki_verify_rule rules[R_COUNT] = {
	[R_CHAIN_ISSUER_MISSING] = {"chain.issuer-missing", CH, TFW, "RFC 5280 6.1",
		"an issuer is neither among the certificates offered nor a trusted CA"},
	[R_CHAIN_SELF_SIGNED] = {"chain.self-signed-untrusted", CH, TFW, "RFC 5280 6.1",
		"a self-signed certificate that is not among the trusted CAs"},
	[R_CHAIN_UNTRUSTED] = {"chain.untrusted", CH, TFW, "RFC 5280 6.1",
		"a trust anchor marked as not trusted (or rejected) for this use"},
	[R_CHAIN_SIGNATURE] = {"chain.signature", CH, TFW, "RFC 5280 6.1.3 (a)(1)",
		"a signature does not verify with its issuer's key"},
	[R_CHAIN_ISSUER_KEY] = {"chain.issuer-key", CH, TFW, "RFC 5280 6.1.3 (a)(1)",
		"an issuer's public key cannot be decoded"},
	[R_CHAIN_NOT_CA] = {"chain.not-ca", CH, TFW, "RFC 5280 4.2.1.9, 6.1.4 (k)",
		"an issuer that is not a CA (basicConstraints cA missing)"},
	[R_CHAIN_KEYCERTSIGN] = {"chain.keycertsign", CH, TFW, "RFC 5280 4.2.1.3, 6.1.4 (n)",
		"an issuer whose keyUsage does not allow keyCertSign"},
	[R_CHAIN_PATHLEN] = {"chain.pathlen", CH, TFW, "RFC 5280 4.2.1.9, 6.1.4 (m)",
		"more CAs below a CA than its pathLenConstraint allows"},
	[R_CHAIN_MAX_DEPTH] = {"chain.max-depth", CH, TFW, "device limit",
		"more intermediate CAs than the maximum depth asked for"},
	[R_CHAIN_POLICY] = {"chain.policy", CH, TFW, "RFC 5280 6.1.3 (d)-(f), 6.1.5",
		"invalid or unacceptable certificate policies"},
	[R_CHAIN_NC_PERMITTED] = {"chain.nc-permitted", CH, TFW, "RFC 5280 4.2.1.10, 6.1.3 (b)",
		"a name outside a CA's permitted subtrees"},
	[R_CHAIN_NC_EXCLUDED] = {"chain.nc-excluded", CH, TFW, "RFC 5280 4.2.1.10, 6.1.3 (c)",
		"a name inside a CA's excluded subtrees"},
	[R_CHAIN_NC_MALFORMED] = {"chain.nc-malformed", CH, FW, "RFC 5280 4.2.1.10",
		"a name constraint of a malformed form (DNS with '*' or a leading dot, "
		"iPAddress not address+contiguous mask, bad mailbox, minimum/maximum)"},
	[R_CHAIN_NO_ANCHOR] = {"chain.no-anchor", CH, TFW, "RFC 5280 6.1",
		"the path does not end at a trusted CA"},
	[R_CHAIN_OTHER] = {"chain.other", CH, TFW, "RFC 5280 6.1",
		"any other path validation failure reported by the path builder"},
	[R_VALIDITY_EXPIRED] = {"validity.expired", VA, TFW, "RFC 5280 4.1.2.5, 6.1.3 (a)(2)",
		"a certificate of the path has expired"},
	[R_VALIDITY_NOT_YET] = {"validity.not-yet-valid", VA, TFW, "RFC 5280 4.1.2.5, 6.1.3 (a)(2)",
		"a certificate of the path is not valid yet"},
	[R_VALIDITY_MALFORMED] = {"validity.malformed", VA, TFW, "RFC 5280 4.1.2.5",
		"a malformed notBefore or notAfter"},
	[R_REV_REVOKED] = {"revocation.revoked", RE, TFW, "RFC 5280 6.3.3 (i)",
		"a certificate is listed on its issuer's CRL"},
	[R_REV_CRL_MISSING] = {"revocation.crl-missing", RE, TFW, "RFC 5280 6.3.3",
		"CRLs were given but none is from the leaf's issuer"},
	[R_REV_CRL_SIGNATURE] = {"revocation.crl-signature", RE, TFW, "RFC 5280 6.3.3 (f), (g)",
		"a CRL naming the issuer whose signature does not verify with its key"},
	[R_REV_CRL_ISSUER_USAGE] = {"revocation.crl-issuer-usage", RE, TFW, "RFC 5280 4.2.1.3, 6.3.3 (f)",
		"the CRL issuer's keyUsage does not allow cRLSign"},
	[R_REV_CRL_CRITICAL] = {"revocation.crl-critical-extension", RE, TFW, "RFC 5280 5.2, 5.2.3, 5.3",
		"a CRL (or one of its entries) with a critical extension that is unknown or must be "
		"non-critical (CRL number)"},
	[R_REV_CRL_NUMBER] = {"revocation.crl-number", RE, TFW, "RFC 5280 5.2.3",
		"a CRL without a CRL number"},
	[R_REV_CRL_EXPIRED] = {"revocation.crl-expired", RE, TFW, "RFC 5280 5.1.2.5, 6.3.3 (a)",
		"a CRL whose nextUpdate has passed"},
	[R_REV_CRL_NOT_YET] = {"revocation.crl-not-yet-valid", RE, TFW, "RFC 5280 5.1.2.4",
		"a CRL whose thisUpdate is in the future"},
	[R_REV_CRL_NEXT_UPDATE] = {"revocation.crl-next-update", RE, TFW, "RFC 5280 5.1.2.5",
		"a CRL without nextUpdate (its freshness cannot be judged)"},
	[R_REV_CRL_VERSION] = {"revocation.crl-version", RE, TFW, "RFC 5280 5.1.2.1",
		"a CRL with extensions that is not v2, or of an unknown version"},
	[R_REV_CRL_SCOPE] = {"revocation.crl-scope", RE, TFW, "RFC 5280 5.2.5, 6.3.3 (b)",
		"the CRL's issuingDistributionPoint says it does not cover this certificate"},
	[R_REV_CRL_DUPLICATE] = {"revocation.crl-duplicate-serial", RE, TFW, "RFC 5280 5.1.2.6; CA/B BR 7.2",
		"a CRL listing the same serial number twice"},
	[R_REV_OCSP_REVOKED] = {"revocation.ocsp-revoked", RE, TFW, "RFC 6960 2.2",
		"the OCSP responder says revoked"},
	[R_REV_OCSP_UNKNOWN] = {"revocation.ocsp-unknown", RE, TFW, "RFC 6960 2.2",
		"the OCSP responder does not know the certificate"},
	[R_REV_OCSP_INVALID] = {"revocation.ocsp-invalid", RE, TFW, "RFC 6960 3.2, 4.2.2.2",
		"an OCSP answer that is unsigned by an authorised responder, stale, "
		"for another certificate, with a foreign nonce or an error status"},
	[R_ID_MISMATCH] = {"identity.mismatch", ID, FW, "RFC 6125 6.4; guide 3.12.2.3",
		"the host or address is not named by the SAN (or the CN when the SAN names "
		"no DNS name or address); wildcards only as the whole left-most label, "
		"never over a public suffix"},
	[R_ID_NAME_CONSTRAINTS] = {"identity.name-constraints", ID, FW, "RFC 5280 4.2.1.10; RFC 6125 6.4",
		"the name used as identity (a CN, or the host a wildcard stood for) violates a "
		"name constraint on the path"},
	[R_EXT_UNKNOWN_CRITICAL] = {"extensions.unknown-critical", EX, FW, "RFC 5280 4.2",
		"a critical extension the device does not know"},
	[R_EXT_INVALID] = {"extensions.invalid", EX, FW, "RFC 5280 4.2",
		"a malformed or duplicated extension, or a malformed SAN entry"},
	[R_EXT_KEY_USAGE] = {"extensions.key-usage", EX, FW, "RFC 5280 4.2.1.3",
		"a critical keyUsage of the leaf that allows no TLS use"},
	[R_EXT_EKU] = {"extensions.eku", EX, FW, "RFC 5280 4.2.1.12",
		"a critical extendedKeyUsage of the leaf without serverAuth or clientAuth"},
	[R_EXT_CRITICAL] = {"extensions.critical", EX, FW, "RFC 5280 4.2.1.1, 4.2.1.2, 4.2.2.1",
		"an extension marked critical that must be non-critical (AKI, SKI, AIA)"},
	[R_EXT_NOT_CRITICAL] = {"extensions.not-critical", EX, FW, "RFC 5280 4.2.1.9",
		"a CA's basicConstraints not marked critical"},
	[R_EXT_NC_NOT_CRITICAL] = {"extensions.nc-not-critical", EX, F, "RFC 5280 4.2.1.10",
		"nameConstraints not marked critical (allowed at webpki: CA/B BR 7.1.2.10.8)"},
	[R_PUR_EKU] = {"purpose.eku", PU, TFW, "RFC 5280 4.2.1.12",
		"the leaf's extendedKeyUsage does not allow the purpose asked"},
	[R_PUR_CA_EKU] = {"purpose.ca-eku", PU, TFW, "CA/B BR 7.1.2.10.6; RFC 5280 4.2.1.12",
		"an intermediate's extendedKeyUsage excludes the purpose asked"},
	[R_PUR_KEY_USAGE] = {"purpose.key-usage", PU, TFW, "RFC 5280 4.2.1.3",
		"the leaf's keyUsage does not allow a usage asked for"},
	[R_PRO_LEAF_CA] = {"profile.leaf-ca", PR, FW, "RFC 5280 4.2.1.9; CA/B BR 7.1.2.7.8",
		"a leaf with cA=TRUE or keyCertSign used as TLS server or client "
		"(a leaf trusted directly is exempt)"},
	[R_PRO_CA_BC] = {"profile.ca-basic-constraints", PR, FW, "RFC 5280 4.2.1.9",
		"a CA certificate, the trust anchor included, without basicConstraints"},
	[R_PRO_V1_CA] = {"profile.v1-ca", PR, FW, "RFC 5280 6.1.4 (k)",
		"a version 1 certificate acting as a CA"},
	[R_PRO_CA_KU] = {"profile.ca-key-usage", PR, FW, "RFC 5280 4.2.1.3",
		"a CA without keyUsage, or with keyUsage lacking keyCertSign"},
	[R_PRO_PATHLEN_NON_CA] = {"profile.pathlen-non-ca", PR, FW, "RFC 5280 4.2.1.9",
		"a pathLenConstraint without cA=TRUE and keyCertSign"},
	[R_PRO_AKI] = {"profile.aki", PR, FW, "RFC 5280 4.2.1.1",
		"a certificate not self-issued without authorityKeyIdentifier, or one whose key "
		"identifier is not its issuer's subjectKeyIdentifier"},
	[R_PRO_SKI] = {"profile.ski", PR, FW, "RFC 5280 4.2.1.2",
		"a CA certificate without subjectKeyIdentifier"},
	[R_PRO_SERIAL] = {"profile.serial", PR, FW, "RFC 5280 4.1.2.2",
		"a serial number that is zero, negative or longer than 20 octets"},
	[R_PRO_EMPTY_NAME] = {"profile.empty-name", PR, FW, "RFC 5280 4.1.2.4, 4.1.2.6",
		"an empty issuer, an empty CA subject, or an empty subject with a non-critical SAN"},
	[R_PRO_SAN_EMPTY] = {"profile.san-empty", PR, FW, "RFC 5280 4.2.1.6",
		"a subjectAltName extension without names"},
	[R_PRO_SIGALG] = {"profile.signature-algorithm", PR, FW, "RFC 5280 4.1.1.2",
		"the outer signatureAlgorithm differs from the TBS signature field"},
	[R_PRO_VERSION] = {"profile.version", PR, FW, "RFC 5280 4.1.2.1",
		"extensions in a certificate that is not version 3"},
	[R_PRO_NC_ON_LEAF] = {"profile.nc-on-leaf", PR, FW, "RFC 5280 4.2.1.10",
		"nameConstraints on a leaf (only CA certificates may carry them)"},
	[R_PRO_NC_EMPTY] = {"profile.nc-empty", PR, FW, "RFC 5280 4.2.1.10",
		"nameConstraints with neither permitted nor excluded subtrees, or unreadable"},
	[R_PRO_WEAK_KEY] = {"profile.weak-key", PR, FW, "NIST SP 800-131A; CA/B BR 6.1.5",
		"an RSA key under 2048 bits, an elliptic curve under 256 bits, or a DSA key"},
	[R_PRO_EXPLICIT_CURVE] = {"profile.explicit-curve", PR, FW, "RFC 5480 2.1.1",
		"an EC key with explicit curve parameters instead of a named curve"},
	[R_PRO_WEAK_SIG] = {"profile.weak-signature", PR, FW, "RFC 6194; CA/B BR 7.1.3.2",
		"an MD5 or SHA-1 signature on a certificate below the trust anchor"},
	[R_WEB_SAN] = {"profile.webpki-san", PR, W, "CA/B BR 7.1.2.7.12",
		"a leaf without a DNS name or address in its SAN (the CN is never used)"},
	[R_WEB_EKU] = {"profile.webpki-eku", PR, W, "CA/B BR 7.1.2.1.2, 7.1.2.7.10",
		"a leaf without extendedKeyUsage, without serverAuth (unless judged as a client), with "
		"it critical or with a forbidden purpose (any, code or e-mail signing, time stamping, "
		"OCSP signing, CT precertificate); a root with extendedKeyUsage"},
	[R_WEB_KEY] = {"profile.webpki-key", PR, W, "CA/B BR 6.1.5",
		"an RSA modulus that is not a multiple of 8 bits, or a curve other than "
		"P-256, P-384 or P-521"},
	[R_WEB_SAN_CRITICAL] = {"profile.webpki-san-critical", PR, W, "CA/B BR 7.1.2.7.12",
		"a critical subjectAltName while the subject is not empty"},
	[R_WEB_AKI] = {"profile.webpki-aki", PR, W, "CA/B BR 7.1.2.11.1",
		"an authorityKeyIdentifier without keyIdentifier"},
};

const struct ucpki_verify_rule *ucpki_verify_rule_at(int i)
{
	return i >= 0 && i < R_COUNT ? &rules[i] : NULL;
}

const struct ucpki_verify_rule *rule_get(enum vrule r)
{
	return &rules[(unsigned)r < R_COUNT ? r : R_CHAIN_OTHER];
}

int rule_applies(enum vrule r, enum ucpki_level level)
{
	return (rule_get(r)->levels & (1u << level)) != 0;
}

enum vrule rule_by_id(const char *id)
{
	for (int i = 0; id && i < R_COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return (enum vrule)i;
	return R_CHAIN_OTHER;
}
