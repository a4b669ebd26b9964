/*
 * ucpki/convert.h - convert between formats: any input ucpki reads (PEM,
 * DER, PKCS#1, PKCS#8, encrypted keys, PKCS#7, PKCS#12, JKS, JCEKS) to PEM,
 * DER, PKCS#1, PKCS#8, PKCS#12, JKS or P7B, optionally as a bundle of
 * parts in a given order ("cert,key,chain,root").
 *
 * One call does the whole conversion in memory: it reads the input (and
 * the extra key and chain files named in the options), checks that a key
 * belongs to its certificate, and appends the encoded output to a buffer
 * the caller owns. Nothing is written to disk: the caller writes the bytes
 * (atomically, 0600 when the result says it holds a private key, and not
 * over an existing file unless asked; see ucpki_file_write()).
 */
#ifndef UCPKI_CONVERT_H
#define UCPKI_CONVERT_H

#include <stddef.h>

#include "ucpki/err.h"
#include "ucpki/formats.h"

/* What to write. */
enum ucpki_conv_to {
	UCPKI_TO_PEM = 1, /* every object, in input order, keys unencrypted unless a
	                     password is given */
	UCPKI_TO_DER,     /* exactly one object */
	UCPKI_TO_PKCS1,   /* like PEM, the RSA key as PKCS#1 */
	UCPKI_TO_PKCS8,   /* like PEM, the key as PKCS#8 */
	UCPKI_TO_P12,     /* a PKCS#12 keystore */
	UCPKI_TO_JKS,     /* a JKS keystore */
	UCPKI_TO_P7B      /* PKCS#7 certs-only, DER unless p7b_pem */
};

/* "pem", "der", "pkcs1", "pkcs8", "p12" ("pkcs12", "pfx"), "jks", "p7b"
 * ("pkcs7"). Unknown names fail with UCPKI_E_INPUT. */
int ucpki_conv_to_parse(const char *name, enum ucpki_conv_to *to, struct ucpki_err *e);
/* 1 for the keystore targets (PKCS#12, JKS). */
int ucpki_conv_to_is_store(enum ucpki_conv_to to);

/* Zero-initialise, then set what applies. Strings are borrowed for the
 * call only. */
struct ucpki_convert_opts {
	enum ucpki_conv_to to;      /* required */
	const char *password;       /* opens the input and the chain files; NULL = none */
	const char *key_file;       /* a private key to add, or NULL */
	const char *key_password;   /* opens key_file; NULL = password */
	const char *chain_files;    /* CA certificate files to add, comma separated */
	const char *alias;          /* keystore input: the only entry to convert;
	                               keystore output: the entry's alias (several
	                               trusted certificates: ALIAS-1, ALIAS-2, ...) */
	const char *ca_names;       /* PKCS#12 friendly names of the chain CAs */
	const char *out_password;   /* protects the output: required for keystores;
	                               encrypts keys of PEM/DER/PKCS#1/PKCS#8 */
	const char *out_keypass;    /* JKS key password; NULL = out_password */
	const char *cipher;         /* key encryption: "aes256" (default) or "des3" */
	const char *order;          /* bundle parts in order (PEM, DER, P7B); NULL =
	                               every object in input order */
	int legacy;                 /* PKCS#12: the legacy profile (see ucpki_p12_opts) */
	int p7b_pem;                /* P7B: PEM armour instead of DER */
	struct ucpki_warnings *warn;/* findings that do not stop the conversion: keystore
	                               entries left behind; may be NULL */
};

struct ucpki_convert_result {
	int secret;                 /* the output holds a private key (write it 0600) */
	int count;                  /* objects written, or entries of a keystore */
	int store;                  /* 1: a keystore (PKCS#12, JKS); count is its entries */
	const char *store_type;     /* "PKCS12" or "JKS" for stores (static), else NULL */
};

/* Convert the file at path (label in messages: path) or the bytes data/len
 * (label names them). Appends the output to out (the caller frees it with
 * ucpki_buf_free(), which wipes it) and fills r. On failure out may hold
 * part of an output: free it, never write it; e names the input and what
 * is wrong: wrong password (UCPKI_E_PASSWORD), a key that does
 * not match its certificate (UCPKI_E_POLICY), an unknown alias
 * (UCPKI_E_NOTFOUND), a selection the target cannot hold (UCPKI_E_INPUT). */
int ucpki_convert_file(const char *path, const struct ucpki_convert_opts *o,
                       struct ucpki_buf *out, struct ucpki_convert_result *r,
                       struct ucpki_err *e);
int ucpki_convert_mem(const unsigned char *data, size_t len, const char *label,
                      const struct ucpki_convert_opts *o, struct ucpki_buf *out,
                      struct ucpki_convert_result *r, struct ucpki_err *e);

#endif
