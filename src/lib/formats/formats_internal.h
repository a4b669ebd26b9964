/* Private parts of the formats module. */
#ifndef UCPKI_FORMATS_INTERNAL_H
#define UCPKI_FORMATS_INTERNAL_H

#include "ucpki/formats.h"

struct pack_obj {
	enum ucpki_obj type;
	union {
		void *any;
		X509 *cert;
		EVP_PKEY *key;
		X509_REQ *csr;
		X509_CRL *crl;
	} u;
	enum ucpki_keyenc keyenc;
	char *alias;
	unsigned char *keyid; /* PKCS#12 localKeyId, or NULL */
	size_t keyid_len;
	int trusted;          /* PKCS#12 cert bag with Java's trusted mark */
	unsigned char *bag;   /* PKCS#12 key: its SafeBag as stored (DER), kept
	                         in case the key makes no keystore entry */
	size_t bag_len;
};

/* A PKCS#12 SafeBag no object was made from (secret key, CRL, ...). */
struct pack_raw {
	unsigned char *der;
	size_t len;
	char *alias;          /* friendlyName, or NULL */
	const char *kind;     /* "a secret key" (static) */
	const char *java_type;/* "SecretKeyEntry" (static) */
};

struct ucpki_pack {
	enum ucpki_format format;
	struct pack_obj *v;
	int n, cap;
	struct pack_raw *raw; /* PKCS#12 bags kept as they are */
	int nraw, rawcap;
	struct ucpki_pem_style style;
};

/* Keep a bag as stored (copies der and alias); -1 when out of memory. */
int pack_add_raw(struct ucpki_pack *p, const unsigned char *der, size_t len, const char *alias,
                 const char *kind, const char *java_type);
/* Keep the DER SafeBag of the last object added (a key). */
int pack_set_last_bag(struct ucpki_pack *p, const unsigned char *der, size_t len);
/* Drop raw bags from index n on. */
void pack_truncate_raw(struct ucpki_pack *p, int n);

/* Append an object (ownership moves to the pack on success). */
int pack_add(struct ucpki_pack *p, enum ucpki_obj type, void *obj, enum ucpki_keyenc enc,
             const char *alias);

/* Readers: fill p from data; label names the source in messages. */
int read_pem(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e);
int read_der(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e);
int read_pkcs12(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
                const char *password, struct ucpki_err *e);
int read_pkcs7(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
               struct ucpki_err *e);

/* Set the PKCS#12 attributes of the last object added. */
int pack_set_last_attrs(struct ucpki_pack *p, const unsigned char *keyid, size_t keyid_len,
                        int trusted);

/* OID of Java's trusted-key-usage attribute on PKCS#12 certificate bags. */
#define ORACLE_TRUSTED_KEY_USAGE "2.16.840.1.113894.746875.1.1"

/* Drop objects from index n on (used when a reader fails halfway). */
void pack_truncate(struct ucpki_pack *p, int n);

/* Append en (moved, not copied) to a growable entry array. */
int ksentry_push(struct ucpki_ksentry **v, int *n, int *cap, struct ucpki_ksentry *en);

/* JKS and JCEKS (magic 0xFEEDFEED / 0xCECECECE). */
int read_jks(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e);

#endif
