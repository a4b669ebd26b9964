/* OUT/manifest.json: read the last run's (for reuse and status). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "solution/solution_internal.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	static const char hex[] = "0123456789abcdef";

	EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

int file_sha256_hex(const char *path, char out[65])
{
	unsigned char *data;
	size_t len;

	if (ucpki_file_read(path, 0, &data, &len, NULL) != 0)
		return -1;
	sha256_hex(data, len, out);
	ucpki_secure_free(data, len);
	return 0;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return strdup(s ? s : "");
}

static int read_node(json_t *jn, struct old_node *n)
{
	json_t *files = json_object_get(jn, "files"), *jf, *lint = json_object_get(jn, "lint");
	const char *na = json_string_value(json_object_get(jn, "not_after"));
	size_t i;

	n->name = dup_str(jn, "name");
	n->fingerprint = dup_str(jn, "spec");
	n->serial = dup_str(jn, "serial");
	n->ca = dup_str(jn, "ca");
	n->products = dup_str(jn, "products");
	n->ca_fp = dup_str(jn, "ca_sha256");
	n->trust_fp = dup_str(jn, "trust");
	if (na && *na)
		ucpki_time_parse(na, &n->not_after, NULL);
	n->lint_errors = (int)json_integer_value(json_object_get(lint, "errors"));
	n->lint_warnings = (int)json_integer_value(json_object_get(lint, "warnings"));
	if (!n->name || !n->fingerprint || !n->serial || !n->ca || !n->products || !n->ca_fp ||
	    !n->trust_fp)
		return -1;
	if (!json_is_array(files))
		return 0;
	if ((n->files = calloc(json_array_size(files) + 1, sizeof(*n->files))) == NULL)
		return -1;
	json_array_foreach(files, i, jf) {
		const char *p = json_string_value(json_object_get(jf, "path"));
		const char *h = json_string_value(json_object_get(jf, "sha256"));
		if (p == NULL || h == NULL || strlen(h) != 64)
			continue;
		if ((n->files[n->n_files].path = strdup(p)) == NULL)
			return -1;
		memcpy(n->files[n->n_files].sha256, h, 65);
		n->n_files++;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct old_node *)a)->name, ((const struct old_node *)b)->name);
}

int manifest_read(const char *out_dir, struct old_manifest *m, struct ucpki_err *e)
{
	char path[4096];
	json_error_t je;
	json_t *root, *nodes, *jn;
	size_t i;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/manifest.json", out_dir);
	if ((root = json_load_file(path, 0, &je)) == NULL) {
		FILE *f = fopen(path, "r");
		if (f == NULL)
			return 0; /* no earlier run */
		fclose(f);
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s:%d: not a ucpki manifest: %s", path,
		                     je.line, je.text);
	}
	nodes = json_object_get(root, "nodes");
	if (!json_is_array(nodes)) {
		json_decref(root);
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: not a ucpki manifest (no nodes)", path);
	}
	if ((m->v = calloc(json_array_size(nodes) + 1, sizeof(*m->v))) == NULL) {
		json_decref(root);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	json_array_foreach(nodes, i, jn) {
		if (read_node(jn, &m->v[m->n]) != 0) {
			m->n++;
			manifest_clear(m);
			json_decref(root);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		m->n++;
	}
	json_decref(root);
	if (m->n > 1)
		qsort(m->v, (size_t)m->n, sizeof(*m->v), by_name);
	return 0;
}

void manifest_clear(struct old_manifest *m)
{
	for (int i = 0; i < m->n; i++) {
		struct old_node *n = &m->v[i];
		free(n->name);
		free(n->fingerprint);
		free(n->serial);
		free(n->ca);
		free(n->products);
		free(n->ca_fp);
		free(n->trust_fp);
		for (int j = 0; j < n->n_files; j++)
			free(n->files[j].path);
		free(n->files);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

const struct old_node *manifest_find(const struct old_manifest *m, const char *name)
{
	struct old_node key = {0};

	key.name = (char *)name;
	if (m->n == 0)
		return NULL;
	return bsearch(&key, m->v, (size_t)m->n, sizeof(*m->v), by_name);
}
