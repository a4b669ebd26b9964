/* Private parts of the solution module. */
#ifndef UCPKI_SOLUTION_INTERNAL_H
#define UCPKI_SOLUTION_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include <openssl/x509.h>

#include "ucpki/formats.h"
#include "ucpki/solution.h"
#include "util/yaml.h"

/* --- memory owned by one inventory ----------------------------------------- */

struct arena {
	struct arena_chunk *head;
};

void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* --- the inventory ------------------------------------------------------ */

enum pw_policy { PW_GENERATE = 0, PW_DEFAULT, PW_FILE };

struct inv_ca {
	const char *name;        /* CA name inside the PKI */
	const char *subject, *key, *hash;
	int days, pathlen;
	int line;
	int present;
};

struct inv_node {
	const char *name;
	int line;
	const struct ucpki_profile **products;
	int n_products;
	const char **fqdn, **ip;
	int n_fqdn, n_ip;
	int version;
	const char *key;         /* canonical key spec, or NULL = the products' default */
	int days;                /* 0 = default */
	int port;                /* TLS endpoint for probes; 0 = the profile's */
	const char *subject;     /* DN or template, or NULL = defaults */
	const char *location;
	enum pw_policy pw;
	const char *password_file; /* resolved path */
	const char *store_password_file; /* existing stores' password (resolved), or NULL */
	int pkcs12;              /* 0 = each profile's, 1 = legacy (3DES/SHA-1), 2 = aes */
	const char *ca;          /* "PKI/CA" override, or NULL */
	const char *hostname, *domain, *user, *email;
	const char **opt_names, **opt_values;
	int n_opts;
};

struct ucpki_inventory {
	struct arena a;
	struct yml *y;
	char *label, *base_dir;
	const char *solution, *pki;
	int version;
	struct inv_ca root, issuing;
	const char *import_p12, *import_pass_file, *import_name;
	int import_line;
	const char *def_subject, *def_key;
	int def_days;
	struct inv_node *nodes;
	int n_nodes;
	const struct ucpki_profile_set *profiles;  /* the set the nodes' products come from */
	STACK_OF(X509) *trust;   /* 'trust:' anchors for profiles taking external CAs */
	int trust_line;
};

/* 1 if the profile accepts the canonical key spec (e.g. "rsa:2048"). */
int profile_key_allowed(const struct ucpki_profile *p, const char *spec);

/* Node option value or NULL. */
const char *node_option(const struct inv_node *n, const char *name);

/* --- a node's certificate, as planned -------------------------------------- */

#define NODE_MAX_PW 8

struct node_pw {
	const char *name;
	char *owned_name;        /* when name is not the profile's ("store-tls") */
	int store;               /* the password of a store on the host, as shipped */
	const struct ucpki_profile *product;  /* whose password (NULL: a store's) */
	const char *pname;       /* the profile's name of it ("store") */
	char *value;             /* secret: wiped on free */
	int generated, product_default;
	int weak;                /* low entropy (a product default or a user's file) */
};

struct node_spec {
	const struct ucpki_inventory *inv;
	const struct inv_node *n;
	enum ucpki_identity identity;
	const char *base;
	char *products;          /* "a,b" */
	char *subject;           /* DN with the CN filled */
	char *cn;
	char *san;               /* "DNS:a,IP:b" or "" */
	char *eku;               /* "serverAuth,clientAuth" or "" */
	const char *ku;
	char key[32];            /* canonical key spec */
	const char *hash;
	int days;
	int clamp_2038;
	int version;
	const char *ca_ref;      /* issuing CA */
	char fingerprint[65];    /* SHA-256 of everything above that shapes the certificate */
	struct node_pw pw[NODE_MAX_PW];
	int n_pw;
	char warnings[512];
};

/* Work out a node's certificate from its products, the inventory and its
 * defaults. Passwords are made (generated / product default / file) only
 * when with_passwords. Free with node_spec_clear(). */
int node_spec_make(const struct ucpki_inventory *inv, const struct inv_node *n,
                   int with_passwords, struct node_spec *s, struct ucpki_err *e);
void node_spec_clear(struct node_spec *s);
/* Password `name` of product p (p may be NULL on a one-product node). */
const struct node_pw *node_spec_pw(const struct node_spec *s, const struct ucpki_profile *p,
                                   const char *name);
const char *node_spec_password(const struct node_spec *s, const struct ucpki_profile *p,
                               const char *name);
/* The product of the node a profile file belongs to. */
const struct ucpki_profile *node_file_product(const struct node_spec *s,
                                             const struct ucpki_profile_file *f);
/* Its secret's file name: secrets/<that>.pass. */
void node_secret_name(const struct inv_node *n, const struct ucpki_profile *p,
                      const char *name, char *buf, size_t len);
/* Whether a PKCS#12 file of product p on this node is 3DES/SHA-1. */
int node_pkcs12_legacy(const struct inv_node *n, const struct ucpki_profile *p);
/* "store-ID": the secret name holding an existing store's password. */
void store_secret_name(const struct ucpki_profile_store *st, char *buf, size_t len);
/* The CA reference a node is issued by (its own, or the inventory's). */
const char *inventory_ca_ref(const struct ucpki_inventory *inv, const struct inv_node *n,
                             char *buf, size_t len);
/* The hash the issuing CA is signed with (R4: SHA-1 for a version 4-6
 * solution), and whether a SHA-1 node needs the "<issuing>-sha1" sibling. */
const char *inventory_issuing_hash(const struct ucpki_inventory *inv);
int inventory_sha1_sibling(const struct ucpki_inventory *inv, const struct inv_node *n);
/* "PKI/CA" of the dls-pki sub-CA of a node. */
const char *node_subca_ref(const struct ucpki_inventory *inv, const struct inv_node *n,
                           char *buf, size_t len);
/* The certificate options for a spec (strings borrowed from s). */
void node_certspec_opts(const struct node_spec *s, struct ucpki_certspec_opts *o);

/* --- bundles ---------------------------------------------------------------- */

struct out_file {
	char *path;              /* relative to OUT: "<node>/server.pem" */
	const struct ucpki_profile *product;
	const struct ucpki_profile_file *spec;  /* NULL for INSTALL.md and secrets */
	unsigned char *data;     /* wiped on free */
	size_t len;
	mode_t mode;
	int secret;
};

struct bundle {
	struct out_file *f;
	int n, cap;
};

void bundle_clear(struct bundle *b);
int bundle_add(struct bundle *b, const char *path, const struct ucpki_profile *product,
               const struct ucpki_profile_file *spec, const void *data, size_t len, mode_t mode,
               int secret, struct ucpki_err *e);

/* What a node's bundle is made of. */
struct material {
	X509 *cert;              /* NULL for CA-only nodes */
	EVP_PKEY *key;
	STACK_OF(X509) *chain;   /* issuing CAs up to, not including, the root */
	X509 *root;              /* may be NULL (an imported CA without its root) */
	const char *root_md5;    /* of the root's RSA modulus (R10), or "" */
	const char *serial;
	time_t not_after;
	STACK_OF(X509) *trust_extra; /* CAs that issued the node's clients elsewhere (the
	                                SHA-1 sibling): into its trust files (borrowed certs) */
	STACK_OF(X509) *trust_ext;   /* inventory 'trust:' anchors (borrowed) */
	const struct inv_node *node; /* whose material (for trust_extras) */
};

/* The CA certificates a trust file (one that holds the root but neither
 * certificate nor key) gets besides its own: m->trust_extra, and
 * m->trust_ext when the file's product takes external CAs. at says where:
 * UCPKI_ITEM_ROOT gets the self-signed ones (all of them when the file has
 * no chain item), UCPKI_ITEM_CHAIN the others, so the file still reads
 * roots, then CAs. NULL when none; free the stack only (borrowed certs). */
STACK_OF(X509) *trust_extras(const struct ucpki_profile_file *f, const struct material *m,
                             enum ucpki_item at);

/* The sub-directory of a product inside the node's directory ("" when the
 * node has one product). */
const char *product_dir(const struct node_spec *s, const struct ucpki_profile *p);

/* Encode every file of every product of the node into b. */
int package_node(const struct node_spec *s, const struct material *m, struct bundle *b,
                 struct ucpki_err *e);
/* Growing text (INSTALL.md, install.sh); failed is set on allocation failure. */
struct md {
	char *s;
	size_t len, cap;
	int failed;
};
void md_add(struct md *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct bundle;
/* Add the text as bundle file path (mode), and free it. */
int md_bundle_add(struct md *out, struct bundle *b, const char *path, mode_t mode,
                  struct ucpki_err *e);

/* A step text with its placeholders filled for this node. */
void install_render_text(struct md *out, const struct node_spec *s, const struct material *m,
                         const struct ucpki_profile *p, const char *text);
/* Whether a step is done for this node (its when: option, its file written). */
int install_step_applies(const struct node_spec *s, const struct ucpki_profile *p,
                         const struct bundle *b, const struct ucpki_profile_step *st);
/* Owner and mode a step installs a bundle file with. */
const char *step_owner(const struct ucpki_profile *p, const char *file);
unsigned step_mode(const struct ucpki_profile *p, const char *file);
/* 1 when a product of the node is installed on a Linux host (install.sh). */
int node_has_linux_host(const struct node_spec *s);
/* DIR/<node>/install.sh for the node's Linux-host products. */
int package_install_script(const struct node_spec *s, const struct material *m,
                           struct bundle *b, struct ucpki_err *e);
/* INSTALL.md and secrets/ of the node. */
int package_install(const struct node_spec *s, const struct material *m, struct bundle *b,
                    struct ucpki_err *e);

/* Lint a node's bundle, product by product, with the node's version and
 * names: counts by severity, each finding to cb (may be NULL). from_disk:
 * read every file as written (PKCS#12/JKS opened with their passwords);
 * otherwise keystores are checked through the material they were made of. */
struct lint_counts {
	int errors, warnings, notices;
};
int lint_node_bundle(const struct node_spec *s, const struct material *m,
                     const struct bundle *b, int from_disk, const char *out_dir,
                     ucpki_solution_finding_cb cb, void *arg, struct lint_counts *c,
                     struct ucpki_err *e);

/* --- manifest ---------------------------------------------------------------- */

struct old_file {
	char *path;
	char sha256[65];
};

struct old_node {
	char *name, *fingerprint, *serial, *ca, *products;
	char *ca_fp;             /* SHA-256 of the issuing CA certificate */
	char *trust_fp;          /* of the extra trust anchors ("" = none) */
	time_t not_after;
	int lint_errors, lint_warnings;
	struct old_file *files;
	int n_files;
};

struct old_manifest {
	struct old_node *v;
	int n;
};

/* Read OUT/manifest.json if there is one (absent: empty manifest). */
int manifest_read(const char *out_dir, struct old_manifest *m, struct ucpki_err *e);
void manifest_clear(struct old_manifest *m);
const struct old_node *manifest_find(const struct old_manifest *m, const char *name);

/* Hex SHA-256 of a buffer. */
void sha256_hex(const void *data, size_t len, char out[65]);
int file_sha256_hex(const char *path, char out[65]);

/* --- time ----------------------------------------------------------------- */
double now_seconds(void);

#endif
