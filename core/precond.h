/*
 * precond.h: "is it already there?" questions asked of the database before a SQL statement is sent.
 *
 * Two kinds. A declared precondition (the profile's `unless:` on a SQL file or on statements of
 * it, struct pcond) makes a re-run skip what is already in the database and say so. A derived
 * check answers, for a statement that was in flight when the engine died (journaled as begun,
 * never as done), whether the server applied it: ALTER TABLE ADD/DROP COLUMN or INDEX and
 * CREATE/DROP TABLE look at information_schema; an UPDATE whose SET values are literals counts
 * the rows it would still change (none: the database already is as the statement leaves it);
 * a DELETE counts the rows it would still delete; a SELECT or `SET @v` changes nothing; ALTER
 * ... MODIFY/CHANGE COLUMN gives the same table when applied twice. Anything else (an INSERT
 * without a declared precondition) is PV_UNKNOWN: the engine must ask, never guess.
 *
 * The statement text is only tokenised, never rewritten, except that a WHERE clause is reused
 * verbatim inside a COUNT(*) probe (its own text, on the same connection, so session variables
 * such as @data_source_type_id mean what they meant).
 */
#ifndef UPWIZ_PRECOND_H
#define UPWIZ_PRECOND_H

#include "core/db.h"
#include "core/profile.h"

enum pv {
	PV_APPLIED,                 /* the server applied it: record it as done, do not send it again */
	PV_NOT_APPLIED,             /* it did not land: send it */
	PV_RESEND,                  /* sending it again gives the same database (a query, an idempotent change) */
	PV_UNKNOWN,                 /* no way to tell from the statement: ask the operator */
};
const char *pv_name(enum pv v);   /* "applied", "not applied", "safe to send again", "unknown" */

/* 1 when the precondition holds (what it names is there), 0 when not, -1 with cause (caller frees).
 * *what (caller frees): what was checked, e.g. "column linkis_x.y exists". */
int precond_holds(struct db *d, const struct pcond *c, char **what, char **cause);

/* For a statement that was in flight: *verdict and *what (caller frees; what was checked and what
 * was found). 0, or -1 with cause when a probe query failed. */
int precond_inflight(struct db *d, const char *sql, enum pv *verdict, char **what, char **cause);

/* The derived check that precond_inflight would run, in words ("column T.C exists"), or NULL when
 * there is none (caller frees). For `upwiz plan`. */
char *precond_describe(const char *sql);

#endif
