/*
 * Reading YAML documents (profiles, inventories) with messages that name
 * the file, the line and the key: "FILE:LINE: KEY: problem".
 *
 * Internal to libucpki; built on libfyaml. Aliases and anchors are refused
 * (no expansion, so no "billion laughs"); duplicate keys are a parse error.
 */
#ifndef UCPKI_UTIL_YAML_H
#define UCPKI_UTIL_YAML_H

#include <stddef.h>

#include "ucpki/err.h"

struct yml;
struct fy_node;

/* Parse data (len bytes, need not be NUL-terminated); label names the
 * source in messages. Free with yml_free(). */
struct yml *yml_load(const char *label, const char *data, size_t len, struct ucpki_err *e);
void yml_free(struct yml *y);

const char *yml_label(const struct yml *y);
/* The document's root node, or NULL for an empty document. */
struct fy_node *yml_root(const struct yml *y);
/* 1-based line of a node (0 when unknown). */
int yml_line(struct fy_node *n);

/* Fill e with "LABEL:LINE: PATH: message" (path may be NULL) and return -1. */
int yml_fail(const struct yml *y, struct fy_node *at, const char *path, struct ucpki_err *e,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

int yml_is_map(struct fy_node *n);
int yml_is_seq(struct fy_node *n);
int yml_is_scalar(struct fy_node *n);

/* Scalar text of n (borrowed from the document), or NULL if n is not a
 * plain scalar. */
const char *yml_text(struct fy_node *n);

/* The value of key in map, or NULL. */
struct fy_node *yml_get(struct fy_node *map, const char *key);

/* Fail on any key of map not in allowed (NULL-terminated). */
int yml_check_keys(const struct yml *y, struct fy_node *map, const char *path,
                   const char *const *allowed, struct ucpki_err *e);

/* Iterate: mapping pairs (key text, value node) and sequence items. */
struct fy_node *yml_seq_next(struct fy_node *seq, void **iter);
int yml_map_next(struct fy_node *map, void **iter, const char **key, struct fy_node **keynode,
                 struct fy_node **value);
int yml_seq_count(struct fy_node *seq);
int yml_map_count(struct fy_node *map);

/* Typed getters: absent keys leave *out untouched and return 0 unless
 * required; a wrong type fails with the line and path.key. */
int yml_str(const struct yml *y, struct fy_node *map, const char *path, const char *key,
            int required, const char **out, struct ucpki_err *e);
int yml_int(const struct yml *y, struct fy_node *map, const char *path, const char *key,
            long lo, long hi, int *out, struct ucpki_err *e);
int yml_bool(const struct yml *y, struct fy_node *map, const char *path, const char *key,
             int *out, struct ucpki_err *e);

/* A scalar or a sequence of scalars, as a NULL-terminated array of
 * borrowed strings in a new array (free the array with free()). *n may be
 * NULL. Absent keys give *out = NULL. */
int yml_strlist(const struct yml *y, struct fy_node *map, const char *path, const char *key,
                const char ***out, int *n, struct ucpki_err *e);

#endif
