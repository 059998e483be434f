/*
 * interactive.h: a command on a pseudo-terminal whose questions are answered as they come.
 *
 * Vendor scripts ask y/n on their terminal ("'.../conf/kylin.properties' -> '.../conf/' (y/n) > ").
 * The command runs on a pty; its output streams to the log pane line by line; when the pending
 * prompt text (or a complete line) matches one of the command's declared prompt patterns, the
 * answer is found and written to the terminal with a newline:
 *   - unattended (answers file): the file's answer for the question id, else the profile's
 *     declared answer, else the run stops naming the question;
 *   - attended: the operator is asked (a choice when the prompt lists options, text otherwise),
 *     the declared answer being the default.
 * Question ids are STEP.cmdN.pK (command N, prompt pattern K), the same for every occurrence.
 */
#ifndef UPWIZ_INTERACTIVE_H
#define UPWIZ_INTERACTIVE_H

#include "core/proc.h"
#include "core/run.h"

/* As proc_run (0, or -1 with *cause), answering c's prompts. Honours r->abort_requested. */
int interactive_run(struct run *r, const struct pstep *s, const struct pcommand *c, int idx,
		    const struct proc_opts *o, int timeout_ms, proc_line_fn fn, void *ud, int *exit_code,
		    char **cause);

#endif
