/* doc_read.c — one reader of result documents, and the tables of their closed sets. */
#include "doc_read.h"
#include "textbuf.h"

#include <math.h>
#include <string.h>

typedef struct {
    const char *const *words; /* NULL-terminated */
    const char *text;         /* the list for messages */
} word_table_t;

static const char *const methods[] = {"frequentist", "bayesian", "sequential", "group-sequential", NULL};
static const char *const corrections[] = {"none", "bonferroni", "holm", "hochberg", "bh", "by", NULL};
static const char *const tests[] = {"z",      "fisher", "welch", "mann-whitney", "beta-binomial",
                                    "normal-posterior", "msprt", "group-sequential", NULL};
static const char *const roles[] = {"goal", "guardrail", "secondary", "success", NULL};
static const char *const directions[] = {"increase", "decrease", NULL};
static const char *const decisions[] = {"ship", "no-ship", "inconclusive", NULL};
static const char *const types[] = {"binary", "mean", "ratio", "nps", "quantile", NULL};
static const char *const dim_directions[] = {"lower", "higher", NULL};
static const char *const spendings[] = {"obrien-fleming", "pocock", NULL};

static const word_table_t tables[DOC_NSETS] = {
    [DOC_METHOD] = {methods, "frequentist, bayesian, sequential or group-sequential"},
    [DOC_CORRECTION] = {corrections, "none, bonferroni, holm, hochberg, bh or by"},
    [DOC_TEST] = {tests, "z, fisher, welch, mann-whitney, beta-binomial, normal-posterior, msprt or group-sequential"},
    [DOC_ROLE] = {roles, "goal, guardrail or secondary (or success, the retired word, in older files)"},
    [DOC_DIRECTION] = {directions, "increase or decrease"},
    [DOC_DECISION] = {decisions, "ship, no-ship or inconclusive"},
    [DOC_TYPE] = {types, "binary, mean, ratio, nps or quantile"},
    [DOC_DIM_DIRECTION] = {dim_directions, "lower or higher"},
    [DOC_SPENDING] = {spendings, "obrien-fleming or pocock"},
};

double doc_get_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *doc_get_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

const char *doc_word(doc_set_t set, const char *s)
{
    if ((unsigned)set >= DOC_NSETS || !s)
        return NULL;
    for (const char *const *w = tables[set].words; *w; w++)
        if (!strcmp(*w, s))
            return *w;
    return NULL;
}

const char *doc_get_word(const cJSON *o, const char *k, doc_set_t set)
{
    const char *w = doc_word(set, doc_get_str(o, k));
    return w ? w : "";
}

const char *doc_words_text(doc_set_t set)
{
    return (unsigned)set < DOC_NSETS ? tables[set].text : "";
}

void doc_metric_label(tbuf_t *b, const cJSON *row)
{
    double q = doc_get_num(row, "quantile");
    tb_puts(b, doc_get_str(row, "metric"));
    if (q > 0 && q < 1)
        tb_printf(b, " (p%.10g)", 100 * q);
}
