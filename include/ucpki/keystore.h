/*
 * ucpki/keystore.h - keytool-style keystores, JKS and PKCS#12 alike.
 *
 * A keystore is an ordered list of entries (struct ucpki_ksentry, see
 * formats.h): PrivateKeyEntry (key + chain) or TrustedCertEntry (one
 * certificate), each with an alias and a creation date. Aliases are
 * compared without regard to case; in JKS stores they are lower-cased as
 * keytool does. Loading detects JKS, JCEKS (read-only) and PKCS#12 from the
 * bytes. Saving is atomic and can keep the replaced file as STORE.bak.
 *
 * Passwords: a store password is needed to check integrity (JKS) or to open
 * the file at all (PKCS#12), and always to save. JKS keys have their own
 * password, which defaults to the store password. There are no built-in
 * default passwords: keytool's "changeit" is used only when a caller passes
 * it.
 */
#ifndef UCPKI_KEYSTORE_H
#define UCPKI_KEYSTORE_H

#include "ucpki/err.h"
#include "ucpki/formats.h"

struct ucpki_certinfo; /* ucpki/x509.h */

enum ucpki_kstype {
	UCPKI_KS_JKS = 1,
	UCPKI_KS_PKCS12,
	UCPKI_KS_JCEKS      /* read only */
};

struct ucpki_keystore;

/* An empty keystore of the given type. Free with ucpki_keystore_free(). */
struct ucpki_keystore *ucpki_keystore_new(enum ucpki_kstype type);

/* Load a keystore. storepass NULL is accepted for JKS/JCEKS (integrity not
 * checked, see ucpki_keystore_verified; keys stay sealed). keypass opens the
 * JKS private keys; NULL means "try the store password", and keys it does
 * not open stay sealed (listing still works, exporting them does not). A
 * keypass that is given and wrong is an error. Wrong store password:
 * UCPKI_E_PASSWORD, "wrong password or corrupted keystore". */
struct ucpki_keystore *ucpki_keystore_load(const char *path, const char *storepass,
                                           const char *keypass, struct ucpki_err *e);
struct ucpki_keystore *ucpki_keystore_load_mem(const unsigned char *data, size_t len,
                                               const char *label, const char *storepass,
                                               const char *keypass, struct ucpki_err *e);
void ucpki_keystore_free(struct ucpki_keystore *ks);

enum ucpki_kstype ucpki_keystore_type(const struct ucpki_keystore *ks);
/* Change the type the store will be saved as (JKS lower-cases aliases and
 * fails with UCPKI_E_EXISTS when two then collide). JCEKS is not writable. */
int ucpki_keystore_set_type(struct ucpki_keystore *ks, enum ucpki_kstype type,
                            struct ucpki_err *e);
/* 1 when the store's integrity was checked with its password on load. */
int ucpki_keystore_verified(const struct ucpki_keystore *ks);
/* Findings of the load that did not stop it (bytes after a JKS digest);
 * borrowed, valid while ks lives. */
const struct ucpki_warnings *ucpki_keystore_warnings(const struct ucpki_keystore *ks);

/* "JKS", "PKCS12", "JCEKS". */
const char *ucpki_kstype_name(enum ucpki_kstype t);
/* "jks", "p12", "pkcs12", "pfx" (any case). */
int ucpki_kstype_parse(const char *text, enum ucpki_kstype *t, struct ucpki_err *e);
/* The type a new file should get from its name: .p12/.pfx/.pkcs12 give
 * PKCS#12, anything else JKS (the guide's truststores and cacerts). */
enum ucpki_kstype ucpki_kstype_for_path(const char *path);

/* Entries in store order; the pointer is borrowed and valid until the
 * store changes. */
int ucpki_keystore_count(const struct ucpki_keystore *ks);
const struct ucpki_ksentry *ucpki_keystore_entry(const struct ucpki_keystore *ks, int i);
/* Index of alias (case-insensitive), or -1. */
int ucpki_keystore_find(const struct ucpki_keystore *ks, const char *alias);

/* Open entry i's sealed key with keypass (NULL = the store password given
 * at load). A no-op when the key is already open. */
int ucpki_keystore_unlock(struct ucpki_keystore *ks, int i, const char *keypass,
                          struct ucpki_err *e);

/* Add a trusted certificate (the store takes its own reference). A taken
 * alias fails with UCPKI_E_EXISTS. */
int ucpki_keystore_add_trusted(struct ucpki_keystore *ks, const char *alias, X509 *cert,
                               struct ucpki_err *e);
/* Add every certificate of certs as a trusted entry: alias names the one
 * certificate, or is the base of ALIAS-1, ALIAS-2, ... for several; NULL =
 * each one's free CN alias (ucpki_keystore_free_alias). A taken alias fails
 * with UCPKI_E_EXISTS; entries added before the failure stay. */
int ucpki_keystore_add_trusted_certs(struct ucpki_keystore *ks, STACK_OF(X509) *certs,
                                     const char *alias, struct ucpki_err *e);
/* Add a key entry: chain[0] must be the key's certificate (else
 * UCPKI_E_POLICY). References are taken, nothing is consumed. */
int ucpki_keystore_add_key(struct ucpki_keystore *ks, const char *alias, EVP_PKEY *key,
                           STACK_OF(X509) *chain, struct ucpki_err *e);
/* Copy an entry of another store under alias (NULL = its own alias). Its key
 * must be open. */
int ucpki_keystore_add_copy(struct ucpki_keystore *ks, const struct ucpki_ksentry *en,
                            const char *alias, struct ucpki_err *e);
/* Remove an entry; an unknown alias fails with UCPKI_E_NOTFOUND. */
int ucpki_keystore_delete(struct ucpki_keystore *ks, const char *alias, struct ucpki_err *e);

/* An alias for cert that is free in ks: the lower-cased CN (or "cert"),
 * with "-2", "-3", ... appended when taken. Free with free(). */
char *ucpki_keystore_free_alias(const struct ucpki_keystore *ks, X509 *cert);

/* Serialise in the store's type. keypass: JKS key password (NULL = storepass).
 * p12: PKCS#12 options (NULL = modern profile). */
int ucpki_keystore_encode(const struct ucpki_keystore *ks, struct ucpki_buf *b,
                          const char *storepass, const char *keypass,
                          const struct ucpki_p12_opts *p12, struct ucpki_err *e);
/* Encode and write atomically with the given mode; flags as for
 * ucpki_file_write (UCPKI_WRITE_BACKUP keeps PATH.bak). Nothing is written
 * when encoding fails. */
int ucpki_keystore_save(const struct ucpki_keystore *ks, const char *path,
                        const char *storepass, const char *keypass,
                        const struct ucpki_p12_opts *p12, unsigned mode, int flags,
                        struct ucpki_err *e);

/* --- Editing a store file ------------------------------------------------
 *
 * Each function below is one whole read-modify-write of a store file: it
 * takes the writer's lock beside the file (STORE.lock, see
 * ucpki_lock_acquire), removes temporaries a killed writer left, loads the
 * store (or makes it when absent and create is set), changes it and saves
 * it atomically, keeping the replaced file as STORE.bak, then drops the
 * lock. A second writer of the same file waits up to lock_timeout_ms and
 * then fails with UCPKI_E_BUSY "STORE is locked by pid N (waited S s)".
 * On any failure the file and its STORE.bak are left as they were.
 * Entries ucpki does not model (UCPKI_KSE_OPAQUE) are written back as
 * stored; an edit that cannot do so (a new password over a sealed secret
 * key) is refused naming the entry. */
struct ucpki_ksedit_opts {
	const char *storepass;     /* required */
	const char *keypass;       /* JKS key password; NULL = storepass */
	int create;                /* make the store when the file is absent */
	enum ucpki_kstype type;    /* 0: any existing type, a new store's from
	                              its name; else the type it must be */
	int lock_timeout_ms;       /* wait for another writer (0 = not at all) */
	int legacy;                /* PKCS#12: the legacy profile */
	struct ucpki_warnings *warn; /* findings of the load (may be NULL) */
};

struct ucpki_ksedit_result {
	int created;               /* the store did not exist before */
	int changed;               /* entries added or removed */
	int entries;               /* entries in the store afterwards */
	enum ucpki_kstype type;    /* the store's type */
};

/* Add certs as trusted entries. alias: the alias for one certificate, or
 * the base of ALIAS-1, ALIAS-2, ... for several; NULL = each one's CN (see
 * ucpki_keystore_free_alias). A taken alias fails with UCPKI_E_EXISTS. */
int ucpki_keystore_edit_import_ca(const char *store, const struct ucpki_ksedit_opts *o,
                                  STACK_OF(X509) *certs, const char *alias,
                                  struct ucpki_ksedit_result *r, struct ucpki_err *e);
/* Copy every entry of src (or only src_alias, renamed to dest_alias when
 * given) into store. src_keypass opens src's sealed keys (NULL = its store
 * password). */
int ucpki_keystore_edit_import(const char *store, const struct ucpki_ksedit_opts *o,
                               struct ucpki_keystore *src, const char *src_label,
                               const char *src_alias, const char *dest_alias,
                               const char *src_keypass, struct ucpki_ksedit_result *r,
                               struct ucpki_err *e);
/* Remove one entry; an unknown alias fails with UCPKI_E_NOTFOUND. */
int ucpki_keystore_edit_delete(const char *store, const struct ucpki_ksedit_opts *o,
                               const char *alias, struct ucpki_ksedit_result *r,
                               struct ucpki_err *e);
/* Save under a new store password (and new JKS key password, NULL = the
 * new store password). Every key must open with o->keypass. */
int ucpki_keystore_edit_passwd(const char *store, const struct ucpki_ksedit_opts *o,
                               const char *new_storepass, const char *new_keypass,
                               struct ucpki_ksedit_result *r, struct ucpki_err *e);

/* --- Describing and exporting ------------------------------------------- */

/* One entry as keytool -list -v shows it. */
struct ucpki_ksentry_info {
	char *alias;
	enum ucpki_kse_type type;
	const char *type_name;       /* keytool's: "PrivateKeyEntry", "trustedCertEntry",
	                                "SecretKeyEntry", ... (static) */
	int64_t date_ms;             /* creation, ms since the epoch; 0 = unknown */
	char created[40];            /* RFC 3339 UTC, "-" when unknown */
	int key_unlocked;            /* KEY: the private key is open */
	const char *kind;            /* OPAQUE: what it is ("a secret key"); NULL when
	                                not known or not OPAQUE (static) */
	int n_certs;                 /* KEY: the chain, leaf first; TRUSTED: 1 */
	struct ucpki_certinfo **certs;
};

/* A whole store. */
struct ucpki_ksinfo {
	enum ucpki_kstype type;
	const char *type_name;       /* "JKS", "PKCS12", "JCEKS" (static) */
	int verified;                /* integrity checked with the store password */
	int n;
	struct ucpki_ksentry_info *entries;
};

/* Describe every entry of ks (plain data, nothing borrowed). Free with
 * ucpki_ksinfo_free(). */
struct ucpki_ksinfo *ucpki_ksinfo_new(const struct ucpki_keystore *ks, struct ucpki_err *e);
void ucpki_ksinfo_free(struct ucpki_ksinfo *ki);

/* What to write of one entry. Zero-initialise. */
struct ucpki_ksexport_opts {
	const char *order;           /* parts in order: "cert" (NULL, the default),
	                                "key", "chain", "root", e.g. "cert,key,chain" */
	int der;                     /* the certificate as DER (the order must be cert) */
	int pkcs1;                   /* an RSA key as PKCS#1 instead of PKCS#8 */
	const char *password;        /* encrypt an exported key; NULL = unencrypted */
	const char *keypass;         /* opens a sealed JKS key; NULL = the store password */
};

/* Append entry alias of ks (label: the store in messages) to out as
 * ordered PEM parts, or its certificate as DER. *secret is set to 1 when
 * the output holds the private key. Unknown alias: UCPKI_E_NOTFOUND; a key
 * asked of a trusted entry or an entry ucpki cannot write: UCPKI_E_INPUT;
 * a key that does not open: UCPKI_E_PASSWORD. */
int ucpki_keystore_export(struct ucpki_keystore *ks, const char *label, const char *alias,
                          const struct ucpki_ksexport_opts *o, struct ucpki_buf *out,
                          int *secret, struct ucpki_err *e);

/* ucpki_keystore_edit_import_ca() with the certificates of a file (PEM,
 * DER or P7B); r->changed is how many were imported. A file without a
 * certificate fails with UCPKI_E_INPUT naming it. */
int ucpki_keystore_edit_import_ca_file(const char *store, const struct ucpki_ksedit_opts *o,
                                       const char *cert_file, const char *alias,
                                       struct ucpki_ksedit_result *r, struct ucpki_err *e);

#endif
