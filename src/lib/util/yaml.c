/* YAML reading with file:line:key messages (see util/yaml.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/yaml.h"

#include <libfyaml.h>

struct yml {
	char *label;
	struct fy_document *doc;
};

const char *yml_label(const struct yml *y)
{
	return y->label;
}

struct fy_node *yml_root(const struct yml *y)
{
	return fy_document_root(y->doc);
}

/* libfyaml keeps marks on tokens: a scalar has its own; a collection is
 * placed at its first key or item (in block style, the line it starts on). */
int yml_line(struct fy_node *n)
{
	void *it = NULL;

	if (n == NULL)
		return 0;
	if (fy_node_is_scalar(n)) {
		struct fy_token *t = fy_node_get_scalar_token(n);
		const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
		return m ? m->line + 1 : 0;
	}
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? yml_line(fy_node_pair_key(p)) : 0;
	}
	if (fy_node_is_sequence(n))
		return yml_line(fy_node_sequence_iterate(n, &it));
	return 0;
}

int yml_fail(const struct yml *y, struct fy_node *at, const char *path, struct ucpki_err *e,
             const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int line = yml_line(at);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s:%d: %s%s%s", y->label, line,
		                     path ? path : "", path ? ": " : "", msg);
	return ucpki_err_set(e, UCPKI_E_INPUT, "%s: %s%s%s", y->label, path ? path : "",
	                     path ? ": " : "", msg);
}

/* The first collected parse error as "LABEL:LINE: message". */
static void parse_error(struct fy_diag *diag, const char *label, struct ucpki_err *e)
{
	void *it = NULL;
	struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;

	if (de == NULL) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: not a valid YAML document", label);
		return;
	}
	ucpki_err_set(e, UCPKI_E_INPUT, "%s:%d: not valid YAML: %s", label, de->line,
	              de->msg ? de->msg : "syntax error");
}

/* Anchors and aliases are refused: they would let a small file expand into
 * a huge document, and profiles/inventories do not need them. */
static struct fy_node *find_alias(struct fy_node *n)
{
	void *it = NULL;
	struct fy_node *c;
	struct fy_node_pair *p;

	if (n == NULL)
		return NULL;
	if (fy_node_is_alias(n) || fy_node_get_anchor(n) != NULL)
		return n;
	if (fy_node_is_sequence(n)) {
		while ((c = fy_node_sequence_iterate(n, &it)) != NULL)
			if ((c = find_alias(c)) != NULL)
				return c;
	} else if (fy_node_is_mapping(n)) {
		while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
			if ((c = find_alias(fy_node_pair_key(p))) != NULL ||
			    (c = find_alias(fy_node_pair_value(p))) != NULL)
				return c;
		}
	}
	return NULL;
}

/* YAML directives (%YAML, %TAG) are refused before parsing: nothing here
 * needs them, and libfyaml 0.7 can loop forever on a stray '%' line. */
static int directive_line(const char *data, size_t len)
{
	int line = 1;

	for (size_t i = 0; i < len; i++) {
		/* a line starts after LF or CR (YAML breaks lines on both) */
		if (data[i] == '%' && (i == 0 || data[i - 1] == '\n' || data[i - 1] == '\r'))
			return line;
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			line++;
	}
	return 0;
}

/* The line of the first run of four quotes (two '' escapes in a row), 0 if
 * none. libfyaml 0.7 leaks while it even tokenises some of them (in a key,
 * or before an error), so they are refused before it sees the text. */
static int quote_run_line(const char *data, size_t len)
{
	int line = 1;

	for (size_t i = 0; i < len; i++) {
		if (i + 4 <= len && memcmp(data + i, "''''", 4) == 0)
			return line;
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
			line++;
	}
	return 0;
}

/* libfyaml 0.7 leaks memory (and can mis-read) when it builds the text of a
 * single-quoted scalar made of many short pieces: runs of '' escapes, or
 * lines folded around blank lines. Nothing in a profile or an inventory
 * needs those, so such a scalar is refused before anything reads its text.
 * The token's marks locate its source in data. */
static struct fy_node *find_odd_quoted(struct fy_node *n, const char *data, size_t len)
{
	void *it = NULL;
	struct fy_node *c;
	struct fy_node_pair *p;

	if (n == NULL)
		return NULL;
	if (fy_node_is_scalar(n)) {
		struct fy_token *t = fy_node_get_scalar_token(n);
		const struct fy_mark *a = t ? fy_token_start_mark(t) : NULL;
		const struct fy_mark *b = t ? fy_token_end_mark(t) : NULL;
		if (fy_node_get_style(n) != FYNS_SINGLE_QUOTED || a == NULL || b == NULL ||
		    a->input_pos >= b->input_pos || b->input_pos > len)
			return NULL;
		/* inside the outer quotes: no line break, no two escapes in a row */
		for (size_t i = a->input_pos + 1; i + 1 < b->input_pos; i++) {
			if (data[i] == '\n' || data[i] == '\r')
				return n;
			if (i + 4 < b->input_pos && memcmp(data + i, "''''", 4) == 0)
				return n;
		}
		return NULL;
	}
	if (fy_node_is_sequence(n)) {
		while ((c = fy_node_sequence_iterate(n, &it)) != NULL)
			if ((c = find_odd_quoted(c, data, len)) != NULL)
				return c;
	} else if (fy_node_is_mapping(n)) {
		while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
			if ((c = find_odd_quoted(fy_node_pair_key(p), data, len)) != NULL ||
			    (c = find_odd_quoted(fy_node_pair_value(p), data, len)) != NULL)
				return c;
		}
	}
	return NULL;
}

/* After the first document: 0 if the stream ends there, else the 1-based
 * line where a second document starts (-1 if that is not known). */
static int second_document_line(struct fy_parser *fyp)
{
	struct fy_event *ev = fy_parser_parse(fyp);
	int line = 0;

	if (ev == NULL)
		return fy_parser_get_stream_error(fyp) ? -1 : 0;
	if (ev->type != FYET_STREAM_END) {
		const struct fy_mark *m = fy_event_start_mark(ev);
		line = m ? m->line + 1 : -1;
	}
	fy_parser_event_free(fyp, ev);
	return line;
}

/* One document from data, or NULL with e filled (syntax error, a second
 * document). */
static struct fy_document *load_one(const char *label, const char *data, size_t len,
                                    struct ucpki_err *e)
{
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg pcfg;
	struct fy_diag *diag;
	struct fy_parser *fyp = NULL;
	struct fy_document *doc = NULL;
	int line;

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	if ((diag = fy_diag_create(&dcfg)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	fy_diag_set_collect_errors(diag, true);
	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG;
	pcfg.diag = diag;
	if ((fyp = fy_parser_create(&pcfg)) == NULL || fy_parser_set_string(fyp, data, len) != 0) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	if ((doc = fy_parse_load_document(fyp)) == NULL) {
		parse_error(diag, label, e);
		goto out;
	}
	if ((line = second_document_line(fyp)) != 0) {
		void *it = NULL;
		if (line > 0)
			ucpki_err_set(e, UCPKI_E_INPUT,
			              "%s:%d: a second YAML document: one document per file", label,
			              line);
		else if (fy_diag_errors_iterate(diag, &it) != NULL)
			parse_error(diag, label, e);
		else
			ucpki_err_set(e, UCPKI_E_INPUT,
			              "%s: more after the first YAML document: one document per file",
			              label);
		fy_parse_document_destroy(fyp, doc);
		doc = NULL;
	}
out:
	fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return doc;
}

struct yml *yml_load(const char *label, const char *data, size_t len, struct ucpki_err *e)
{
	struct yml *y = calloc(1, sizeof(*y));
	struct fy_node *bad;
	int line;

	if (y == NULL || (y->label = strdup(label)) == NULL) {
		free(y);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if ((line = directive_line(data, len)) != 0) {
		ucpki_err_set(e, UCPKI_E_INPUT,
		              "%s:%d: not valid here: YAML directives (a line starting with '%%')",
		              label, line);
		yml_free(y);
		return NULL;
	}
	if ((line = quote_run_line(data, len)) != 0) {
		ucpki_err_set(e, UCPKI_E_INPUT,
		              "%s:%d: a single-quoted value spanning lines or with '' twice in a row "
		              "is not supported: write it on one line, in double quotes if needed",
		              label, line);
		yml_free(y);
		return NULL;
	}
	if ((y->doc = load_one(label, data, len, e)) == NULL) {
		yml_free(y);
		return NULL;
	}
	if ((bad = find_alias(fy_document_root(y->doc))) != NULL) {
		yml_fail(y, bad, NULL, e, "anchors and aliases (&, *) are not supported");
		yml_free(y);
		return NULL;
	}
	if ((bad = find_odd_quoted(fy_document_root(y->doc), data, len)) != NULL) {
		yml_fail(y, bad, NULL, e,
		         "a single-quoted value spanning lines or with '' twice in a row is not "
		         "supported: write it on one line, in double quotes if needed");
		yml_free(y);
		return NULL;
	}
	return y;
}

void yml_free(struct yml *y)
{
	if (y == NULL)
		return;
	if (y->doc)
		fy_document_destroy(y->doc);
	free(y->label);
	free(y);
}

int yml_is_map(struct fy_node *n)
{
	return n && fy_node_is_mapping(n);
}

int yml_is_seq(struct fy_node *n)
{
	return n && fy_node_is_sequence(n);
}

int yml_is_scalar(struct fy_node *n)
{
	return n && fy_node_is_scalar(n) && !fy_node_is_alias(n);
}

const char *yml_text(struct fy_node *n)
{
	if (!yml_is_scalar(n))
		return NULL;
	return fy_node_get_scalar0(n);
}

struct fy_node *yml_get(struct fy_node *map, const char *key)
{
	void *it = NULL;
	struct fy_node_pair *p;

	if (!yml_is_map(map))
		return NULL;
	while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
		const char *k = yml_text(fy_node_pair_key(p));
		if (k && strcmp(k, key) == 0)
			return fy_node_pair_value(p);
	}
	return NULL;
}

int yml_map_next(struct fy_node *map, void **iter, const char **key, struct fy_node **keynode,
                 struct fy_node **value)
{
	struct fy_node_pair *p = fy_node_mapping_iterate(map, iter);

	if (p == NULL)
		return 0;
	*keynode = fy_node_pair_key(p);
	*key = yml_text(*keynode);
	*value = fy_node_pair_value(p);
	return 1;
}

struct fy_node *yml_seq_next(struct fy_node *seq, void **iter)
{
	return fy_node_sequence_iterate(seq, iter);
}

int yml_map_count(struct fy_node *map)
{
	return yml_is_map(map) ? fy_node_mapping_item_count(map) : 0;
}

int yml_seq_count(struct fy_node *seq)
{
	return yml_is_seq(seq) ? fy_node_sequence_item_count(seq) : 0;
}

int yml_check_keys(const struct yml *y, struct fy_node *map, const char *path,
                   const char *const *allowed, struct ucpki_err *e)
{
	void *it = NULL;
	const char *k;
	struct fy_node *kn, *v;

	while (yml_map_next(map, &it, &k, &kn, &v)) {
		int found = 0;
		char list[400] = "";
		size_t used = 0;

		if (k == NULL)
			return yml_fail(y, kn, path, e, "keys must be plain words");
		for (const char *const *a = allowed; *a; a++) {
			if (strcmp(*a, k) == 0)
				found = 1;
			if (used < sizeof(list))
				used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
				                         a == allowed ? "" : ", ", *a);
		}
		if (!found)
			return yml_fail(y, kn, path, e, "unknown key '%s' (expected one of: %s)", k, list);
	}
	return 0;
}

static void join_path(char *buf, size_t len, const char *path, const char *key)
{
	snprintf(buf, len, "%s%s%s", path ? path : "", path && *path ? "." : "", key);
}

int yml_str(const struct yml *y, struct fy_node *map, const char *path, const char *key,
            int required, const char **out, struct ucpki_err *e)
{
	struct fy_node *v = yml_get(map, key);
	char p[256];

	join_path(p, sizeof(p), path, key);
	if (v == NULL) {
		if (required)
			return yml_fail(y, map, p, e, "missing (required)");
		return 0;
	}
	if ((*out = yml_text(v)) == NULL)
		return yml_fail(y, v, p, e, "expected a single value, not a list or mapping");
	if (**out == '\0' && required)
		return yml_fail(y, v, p, e, "must not be empty");
	return 0;
}

int yml_int(const struct yml *y, struct fy_node *map, const char *path, const char *key,
            long lo, long hi, int *out, struct ucpki_err *e)
{
	struct fy_node *v = yml_get(map, key);
	const char *t;
	char p[256], *end;
	long n;

	join_path(p, sizeof(p), path, key);
	if (v == NULL)
		return 0;
	if ((t = yml_text(v)) == NULL)
		return yml_fail(y, v, p, e, "expected a number");
	errno = 0;
	n = strtol(t, &end, 10);
	if (errno || end == t || *end != '\0')
		return yml_fail(y, v, p, e, "'%s' is not a whole number", t);
	if (n < lo || n > hi)
		return yml_fail(y, v, p, e, "%ld is out of range (%ld..%ld)", n, lo, hi);
	*out = (int)n;
	return 0;
}

int yml_bool(const struct yml *y, struct fy_node *map, const char *path, const char *key,
             int *out, struct ucpki_err *e)
{
	static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
	struct fy_node *v = yml_get(map, key);
	const char *t;
	char p[256];

	join_path(p, sizeof(p), path, key);
	if (v == NULL)
		return 0;
	if ((t = yml_text(v)) != NULL) {
		for (size_t i = 0; i < 3; i++) {
			if (strcmp(t, yes[i]) == 0) {
				*out = 1;
				return 0;
			}
			if (strcmp(t, no[i]) == 0) {
				*out = 0;
				return 0;
			}
		}
	}
	return yml_fail(y, v, p, e, "expected true or false");
}

int yml_strlist(const struct yml *y, struct fy_node *map, const char *path, const char *key,
                const char ***out, int *n, struct ucpki_err *e)
{
	struct fy_node *v = yml_get(map, key), *item;
	const char **arr;
	void *it = NULL;
	char p[256];
	int count = 0;

	join_path(p, sizeof(p), path, key);
	*out = NULL;
	if (n)
		*n = 0;
	if (v == NULL)
		return 0;
	if (yml_is_scalar(v)) {
		if ((arr = calloc(2, sizeof(*arr))) == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		arr[0] = yml_text(v);
		*out = arr;
		if (n)
			*n = 1;
		return 0;
	}
	if (!yml_is_seq(v))
		return yml_fail(y, v, p, e, "expected a value or a list of values");
	if ((arr = calloc((size_t)yml_seq_count(v) + 1, sizeof(*arr))) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	while ((item = yml_seq_next(v, &it)) != NULL) {
		if ((arr[count] = yml_text(item)) == NULL) {
			free(arr);
			return yml_fail(y, item, p, e, "list items must be single values");
		}
		count++;
	}
	*out = arr;
	if (n)
		*n = count;
	return 0;
}

