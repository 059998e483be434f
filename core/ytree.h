/*
 * ytree.h: a YAML document as a small tree of nodes that remember where they came from.
 *
 * libyaml's event API is awkward to validate against: by the time you know a key is wrong the
 * position is gone. So we load the whole document into nodes (map / seq / scalar), each with
 * its 1-based line and column, and the loaders (profile, answers, world) walk the tree with
 * the typed getters below, which produce "FILE:LINE:COL: message" errors. Profiles are small
 * (kilobytes); holding them whole costs nothing. Anchors and aliases are refused: a profile is
 * meant to be read by people.
 */
#ifndef UPWIZ_YTREE_H
#define UPWIZ_YTREE_H

#include <stddef.h>

enum ynode_type { Y_SCALAR, Y_MAP, Y_SEQ };

struct ynode {
	enum ynode_type type;
	int line, col;
	char *value;            /* Y_SCALAR: the text (never NULL) */
	int quoted;             /* Y_SCALAR: written with quotes (so "yes" stays a string) */
	/* Y_MAP: keys[i] -> items[i]; Y_SEQ: items[i] */
	struct ynode **keys;
	struct ynode **items;
	size_t n;
};

struct ydoc {
	char *file;             /* as given, used in messages */
	struct ynode *root;     /* NULL for an empty document */
};

/* Loads FILE. -1 with *cause "FILE:LINE:COL: message" on a syntax error. Caller frees (ydoc_free). */
int ydoc_load(const char *file, struct ydoc *doc, char **cause);
int ydoc_load_buf(const char *name, const char *buf, size_t len, struct ydoc *doc, char **cause);
void ydoc_free(struct ydoc *doc);

/* Map lookup: the value node for key, or NULL. */
struct ynode *ymap_get(const struct ynode *map, const char *key);

/*
 * Errors: every loader collects them in a yerrs so `upwiz check` reports all at once.
 */
struct yerrs {
	const char *file;
	char **msgs;
	size_t n;
};
void yerr(struct yerrs *e, const struct ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void yerrs_free(struct yerrs *e);
char *yerrs_join(const struct yerrs *e);     /* one message per line; caller frees */

/* Typed getters: they record an error (naming the key) when the node is of the wrong type.
 * Strings returned are copies (caller frees) or NULL when absent. */
char *yget_str(struct yerrs *e, const struct ynode *map, const char *key, int required);
int yget_int(struct yerrs *e, const struct ynode *map, const char *key, int def);
int yget_bool(struct yerrs *e, const struct ynode *map, const char *key, int def);
/* A list of text items (or one text taken as a list of one) appended to out; errors name the key. */
struct strvec;
void yget_strlist(struct yerrs *e, const struct ynode *map, const char *key, struct strvec *out);
/* Checks that every key of map is in allowed (NULL-terminated); unknown keys are errors. */
void ycheck_keys(struct yerrs *e, const struct ynode *map, const char *what, const char *const *allowed);
int yscalar_bool(const struct ynode *n, int *out);   /* yes/no/true/false/on/off; 0 ok */

#endif
