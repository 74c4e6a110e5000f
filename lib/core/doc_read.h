/* doc_read.h — internal: reading result documents (cJSON trees) that may come from a
 * stranger's file. One naming rule for every reader: a number that is absent or not a
 * number reads as NaN, text that is absent or not a string as "". A value with a closed
 * set of meanings (a method, a correction, a role) is read through its table: the reader
 * gets the table's own string, never the document's, so nothing the document holds can
 * reach a gnuplot script, an HTML page or a terminal by that path. */
#ifndef DCX_DOC_READ_H
#define DCX_DOC_READ_H

#include <cjson/cJSON.h>

/* The closed sets of result documents. */
typedef enum {
    DOC_METHOD,      /* frequentist bayesian sequential group-sequential */
    DOC_CORRECTION,  /* none bonferroni holm hochberg bh by */
    DOC_TEST,        /* z fisher welch mann-whitney beta-binomial normal-posterior msprt group-sequential */
    DOC_ROLE,        /* goal guardrail secondary; success (retired: a goal of older files) */
    DOC_DIRECTION,   /* increase decrease */
    DOC_DECISION,    /* ship no-ship inconclusive */
    DOC_TYPE,        /* binary mean ratio nps quantile */
    DOC_DIM_DIRECTION, /* a maturity dimension: lower higher */
    DOC_SPENDING,    /* obrien-fleming pocock */
    DOC_NSETS
} doc_set_t;

/* o[k] as a number; NaN when absent, null or not a number. */
double doc_get_num(const cJSON *o, const char *k);
/* o[k] as text; "" when absent or not a string (never NULL). */
const char *doc_get_str(const cJSON *o, const char *k);
/* The table's own spelling of s in `set`, or NULL when s is not one of its words. */
const char *doc_word(doc_set_t set, const char *s);
/* o[k] read through the table of `set`: the table's string, or "" when o[k] is absent,
 * not a string or not a word of the set. */
const char *doc_get_word(const cJSON *o, const char *k, doc_set_t set);
/* The words of a set for messages: "none, bonferroni, holm, hochberg, bh or by". */
const char *doc_words_text(doc_set_t set);

/* The metric of a result row as people read it, appended to b: its name, and for a
 * quantile metric the quantile as a percentile ("load_ms (p90)", from the row's
 * "quantile"). Text from the document: the caller escapes it for where it goes. */
struct tbuf_s;
void doc_metric_label(struct tbuf_s *b, const cJSON *row);

#endif
