/*
 * ucpki/profiles.h - product profiles: what each product of the solution
 * loads (files, containers, order, key encoding, alias, passwords), what its
 * certificate must look like, which versions it supports and how it is
 * installed. Profiles are data (profiles/<id>.yaml, schema in
 * docs/profiles.md), loaded at run time, so a user adds a product with
 * `--profiles DIR` and no recompilation.
 *
 * A profile set is opaque and owns everything reachable from it: the
 * struct ucpki_profile pointers it hands out are read-only and valid until
 * ucpki_profiles_free().
 */
#ifndef UCPKI_PROFILES_H
#define UCPKI_PROFILES_H

#include <stddef.h>
#include <sys/types.h>

#include "ucpki/err.h"

/* How a file is encoded. */
enum ucpki_container {
	UCPKI_CONT_PEM = 0,
	UCPKI_CONT_DER,
	UCPKI_CONT_PKCS12,
	UCPKI_CONT_JKS,
	UCPKI_CONT_P7B
};

/* What a file holds, in the declared order. */
enum ucpki_item {
	UCPKI_ITEM_CERT = 0, /* the node's certificate */
	UCPKI_ITEM_KEY,      /* its private key */
	UCPKI_ITEM_CHAIN,    /* issuing CAs up to, not including, the root (R1) */
	UCPKI_ITEM_ROOT      /* the root CA */
};

/* Private key encoding of a PEM file. */
enum ucpki_key_form {
	UCPKI_KEYFORM_PKCS8 = 0,  /* BEGIN PRIVATE KEY */
	UCPKI_KEYFORM_PKCS1       /* BEGIN RSA PRIVATE KEY (EC keys: BEGIN EC PRIVATE KEY) */
};

/* Who the certificate names. */
enum ucpki_identity {
	UCPKI_IDENT_HOST = 0, /* a device: CN and SANs from its FQDNs / IPs (R2) */
	UCPKI_IDENT_USER,     /* a person or client: CN from the node's user or name */
	UCPKI_IDENT_CA,       /* a subordinate CA handed to the product (DLS PKI) */
	UCPKI_IDENT_NONE      /* no certificate: the product only receives CA certificates */
};

#define UCPKI_PROFILE_MAX_ITEMS 8

struct ucpki_profile_file {
	const char *name;           /* file name in the node's bundle ("server.pem") */
	enum ucpki_container container;
	enum ucpki_item content[UCPKI_PROFILE_MAX_ITEMS];
	int n_content;
	enum ucpki_key_form key_form;
	int key_form_required;      /* the guide demands that encoding (lint error) */
	int encrypted;              /* key encrypted with the file's password */
	const char *alias;          /* PKCS#12 friendly name / JKS alias of the key entry */
	const char *ca_alias;       /* JKS trusted entries: alias template ("{cn}") */
	const char *password;       /* name of a password of the profile, or NULL */
	int legacy;                 /* PKCS#12 with legacy algorithms (RC2/3DES, SHA-1 MAC) */
	const char *copy_of;        /* identical to another file of the bundle */
	const char *when;           /* only when the node sets this option */
	const char *install_path;   /* where the product reads it (for INSTALL.md) */
	const char *owner;          /* "sym:sym" or NULL (the profile's default) */
	mode_t mode;                /* mode on the product host; 0 = profile default */
	const char *purpose;        /* one line for INSTALL.md */
	int line;                   /* line in the profile file */
};

/* A password the product uses for one or more files. */
struct ucpki_profile_password {
	const char *name;           /* "store" */
	const char *product_default;/* the product's default (guide), or NULL */
	int optional;               /* the product accepts no password at all */
	int always_generate;        /* only ucpki's transfer files use it: always generated */
	const char *purpose;
};

/* Signature hash and warnings by solution version (rule R4). */
struct ucpki_version_rule {
	int lo, hi;                 /* inclusive; hi = 0 means no upper bound */
	const char *hash;           /* "sha1", "sha256", ... or NULL (keep) */
	const char *warning;        /* shown by plan / lint for these versions */
};

enum ucpki_step_kind {
	UCPKI_STEP_BACKUP = 0,      /* cp -p PATH PATH.bak */
	UCPKI_STEP_COPY,            /* install a bundle file at PATH with owner/mode */
	UCPKI_STEP_APPEND,          /* cat FILE >> PATH */
	UCPKI_STEP_RUN,             /* a command to run on the host */
	UCPKI_STEP_EDIT,            /* set a line in a configuration file */
	UCPKI_STEP_UI,              /* a step in the product's administration UI */
	UCPKI_STEP_IMPORT_KEY,      /* import a PKCS#12 key entry into an existing store */
	UCPKI_STEP_IMPORT_CA,       /* import every CA of a PEM file as trusted entries */
	UCPKI_STEP_FETCH_CA         /* fetch a peer's CA over TLS, check it, import it */
};

/* A keystore the product has on its host, as shipped. Steps either import
 * into it (other entries stay) or replace it with a bundle file. */
struct ucpki_profile_store {
	const char *id;             /* "tls" */
	const char *path;           /* absolute; may hold one '*' (ibm-java-*) */
	const char *type;           /* "jks" or "pkcs12" */
	const char *default_password; /* the product's own password of the shipped store */
	int replace;                /* 1: replaced by the bundle file `file` */
	const char *file;           /* replace: the bundle file */
	const char *purpose;
	int line;
};

/* How an edit step changes its file when it can be done by a script. */
enum ucpki_edit_kind {
	UCPKI_EDIT_MANUAL = 0,      /* prose only */
	UCPKI_EDIT_PROPERTY,        /* KEY=VALUE line of a properties file */
	UCPKI_EDIT_XML_ATTR,        /* attribute of the element holding a marker */
	UCPKI_EDIT_FILE             /* the whole file's content */
};

struct ucpki_profile_step {
	enum ucpki_step_kind kind;
	const char *text;           /* command, UI instruction, or config line */
	const char *file;           /* bundle file (copy, append) */
	const char *path;           /* target path (backup, copy, append, edit) */
	const char *when;           /* only when the node sets this option */
	const struct ucpki_profile_store *store; /* import-key, import-ca, fetch-ca */
	const char *alias;          /* import-key / fetch-ca: the entry's alias */
	const char *from;           /* fetch-ca: "HOST:PORT" template */
	const char *tool;           /* run: the product tool a script calls (absolute) */
	const char *input;          /* run: bundle file handed to the tool (a copy) */
	/* edit steps a script can do: */
	enum ucpki_edit_kind edit;
	const char *key;            /* property name, or the attribute */
	const char *match;          /* xml-attr: text inside the element ('name="CMP_https"') */
	const char *value;          /* template of the new value */
	const char *unless_default; /* skip when this password is the product's default */
};

struct ucpki_profile_endpoint {
	int port;
	const char *protocol;       /* "https", "sips", "tls", ... */
	const char *name;
	const char *source;         /* "guide 3.3.3" or "convention" */
};

struct ucpki_profile {
	const char *id, *name, *guide, *summary;
	const char *path;           /* the file it was loaded from */
	const char *const *notes;   /* disagreements with PRODUCTS.md, safe readings */
	int n_notes;

	/* Versions (R4, R5). */
	int *ver_lo, *ver_hi;       /* supported ranges (hi 0 = open) */
	int n_ver;
	const struct ucpki_version_rule *vrules;
	int n_vrules;
	int clamp_2038;

	/* The certificate. */
	enum ucpki_identity identity;
	const char *base;           /* "server" or "client" template (x509.h) */
	const char *eku;            /* comma list put into the certificate ("" = none) */
	const char *ku;             /* comma list, or NULL for the template's default */
	const char *const *require_eku;   int n_require_eku;
	const char *const *forbid_eku;    int n_forbid_eku;
	const char *const *keys;          int n_keys;      /* allowed key specs; [0] default */
	const char *const *forbid_ext;    int n_forbid_ext;/* short names: "nsCertType" */
	const char *const *critical_ok;   int n_critical_ok; /* -1 = any criticality allowed */
	int critical_whole_chain;   /* critical_ok applies to every certificate presented */
	const char *const *san_extra;     int n_san_extra;   /* "DNS:conference.{domain}" */
	const char *const *san_require;   int n_san_require; /* "{hostname}" */
	const char *cn;             /* "name" (first FQDN, else IP), "hostname", "user" */
	int org_distinct_from_root; /* rule R12 */
	int same_ca_as_osv;         /* rule R3 */
	int one_server_cert;        /* the product holds one server certificate */
	int rsa_min;                /* smallest RSA modulus accepted (default 2048) */
	int default_days;           /* 0 = inventory default */

	/* Verification by the product's peers (for live probes). */
	const char *verify_level;   /* "none", "trusted", "full" */
	int browser_clients;        /* rule R11 applies */
	const char *const *clients; int n_clients;       /* products that connect to it */
	int external_cas;           /* its trust stores take CAs from outside the PKI */

	const struct ucpki_profile_file *files;          int n_files;
	const struct ucpki_profile_password *passwords;  int n_passwords;

	/* Installation (R8). */
	const char *owner;          /* default owner of installed files */
	mode_t mode;                /* default mode */
	const char *host_os;        /* "linux", "windows", "appliance" */
	const struct ucpki_profile_step *steps;          int n_steps;
	const char *restart;        /* once per host, after all replacements (a command) */
	const char *restart_note;   /* a remark shown beside it */
	const struct ucpki_profile_store *stores;        int n_stores;
	const char *keytool;        /* where the product's keytool is (glob), or NULL */
	const char *encoder;        /* the product's password encoder ({encoded:NAME}) */
	int pkcs12_legacy;          /* its runtime reads only 3DES/SHA-1 PKCS#12 (else AES/PBKDF2) */
	const char *pkcs12_reason;  /* why (pkcs12.reason) */
	const char *const *options; int n_options;       /* node options the profile reads */

	const struct ucpki_profile_endpoint *endpoints;  int n_endpoints;
};

struct ucpki_profile_set;

/* Load every *.yaml of shipped_dir (the profiles installed with ucpki,
 * see ucpki_profiles_shipped_dir()) and then of user_dir (may be NULL); a user
 * profile with the id of a shipped one replaces it (and warns). A schema
 * error fails the whole load with "FILE:LINE: KEY: problem". Free with
 * ucpki_profiles_free(). */
struct ucpki_profile_set *ucpki_profiles_load(const char *shipped_dir, const char *user_dir,
                                              struct ucpki_warnings *w, struct ucpki_err *e);
/* The directory of the profiles shipped with ucpki, written into buf:
 *   $UCPKI_PROFILES when set (taken as given: a load names it if missing);
 *   else ../share/ucpki/profiles relative to the directory of the running
 *     program (/proc/self/exe), when it exists: an installed prefix, also
 *     after it was moved elsewhere;
 *   else the profiles/ of the source tree ucpki was built from, when it
 *     exists (running from the build tree);
 *   else the installed directory (PREFIX/share/ucpki/profiles), when it
 *     exists (a program elsewhere linked with an installed libucpki).
 * Returns 0, or -1 with e naming the directories looked for. */
int ucpki_profiles_shipped_dir(char *buf, size_t len, struct ucpki_err *e);
/* ucpki_profiles_load() of that directory and user_dir (may be NULL). */
struct ucpki_profile_set *ucpki_profiles_load_shipped(const char *user_dir,
                                                      struct ucpki_warnings *w,
                                                      struct ucpki_err *e);
/* Parse one profile document; label names it in messages and id_hint (the
 * file name without .yaml, or NULL) must equal its id. Used by the loader
 * and the fuzzer. */
struct ucpki_profile_set *ucpki_profiles_parse(const char *label, const char *id_hint,
                                               const char *data, size_t len,
                                               struct ucpki_err *e);
void ucpki_profiles_free(struct ucpki_profile_set *set);

/* Profiles sorted by id. */
int ucpki_profiles_count(const struct ucpki_profile_set *set);
const struct ucpki_profile *ucpki_profiles_at(const struct ucpki_profile_set *set, int i);
/* NULL (and e filled naming the known ids' source) when unknown. */
const struct ucpki_profile *ucpki_profiles_find(const struct ucpki_profile_set *set,
                                                const char *id, struct ucpki_err *e);

/* Version rules. supported: 1 if the profile supports version v. */
int ucpki_profile_supports(const struct ucpki_profile *p, int version);
/* The signature hash for version v ("sha256" when no rule says). */
const char *ucpki_profile_hash(const struct ucpki_profile *p, int version);
/* The warning for version v, or NULL. */
const char *ucpki_profile_version_warning(const struct ucpki_profile *p, int version);
/* "4-7, 9-" style text of the supported versions into buf. */
const char *ucpki_profile_versions_string(const struct ucpki_profile *p, char *buf, size_t len);

/* The file of the profile named name (exact match), or NULL. */
const struct ucpki_profile_file *ucpki_profile_file_find(const struct ucpki_profile *p,
                                                         const char *name);
const struct ucpki_profile_password *ucpki_profile_password_find(const struct ucpki_profile *p,
                                                                 const char *name);
const struct ucpki_profile_store *ucpki_profile_store_find(const struct ucpki_profile *p,
                                                           const char *id);

/* Names of enum values as the YAML spells them. */
const char *ucpki_container_name(enum ucpki_container c);
const char *ucpki_item_name(enum ucpki_item i);
const char *ucpki_key_form_name(enum ucpki_key_form f);
const char *ucpki_identity_name(enum ucpki_identity i);
const char *ucpki_step_kind_name(enum ucpki_step_kind k);

#endif
