/* maturity_cmd.c — options of `dcx maturity score|validate|template|compare`. */
#include <stddef.h>

#include "dcx/command.h"
#include "dcx/plot.h"
#include "dcx/view.h"
#include "dcx/maturity.h"

#define OPT(field) offsetof(dcx_maturity_opts_t, field)
#define ASSESSMENT                                                                             \
    {"assessment", DCX_OPT_STRING, OPT(assessment), NULL, "A.json", NULL,                      \
     "assessment definition: a file, or the name of an installed one (dcx-maturity)",           \
     DCX_OPTF_INPUT | DCX_OPTF_SHIPPED}
#define FORMAT                                                                                 \
    {"format", DCX_OPT_CHOICE, OPT(common.format), NULL, "FMT", "table|json|csv|markdown",     \
     "output format: table, json, csv or markdown", DCX_OPTF_FORMAT}
#define FORMAT_XLSX                                                                            \
    {"format", DCX_OPT_CHOICE, OPT(common.format), NULL, "FMT", "table|json|csv|markdown|xlsx", \
     "output format: table, json, csv, markdown or xlsx (an Excel workbook; needs --output)", DCX_OPTF_FORMAT}
#define RESPONDENT                                                                             \
    {"respondent-column", DCX_OPT_STRING, OPT(respondent_column), "respondent", "COL", NULL,   \
     "the column holding the respondent's id", 0}
#define OUTPUT                                                                                 \
    {"output", DCX_OPT_STRING, OPT(common.output), NULL, "FILE", NULL,                         \
     "write to FILE (replaced only on success) instead of standard output", DCX_OPTF_OUTPUT}
#define TARGETS                                                                                \
    {"target", DCX_OPT_NUMBER, OPT(target), NULL, "SCORE", NULL,                               \
     "target score for every dimension", 0},                                                      \
        {"targets", DCX_OPT_STRING, OPT(targets), NULL, "T.json", NULL,                        \
         "per-dimension targets: {\"dimension_id\": score, ...}", DCX_OPTF_INPUT}
#define DELIMITER                                                                              \
    {"delimiter", DCX_OPT_STRING, OPT(delimiter), ",", "C", NULL,                              \
     "field separator of the responses: ',', ';', '\\t' (tab) or '|'", 0},                      \
        {"max-field-mb", DCX_OPT_NUMBER, OPT(common.max_field_mb), NULL, "MB", NULL,           \
         "refuse a CSV field longer than MB mebibytes [default: 64]", 0}
#define COMMON_SCORING                                                                         \
    DELIMITER,                                                                                 \
    {"min-answered", DCX_OPT_NUMBER, OPT(min_answered), "0.5", "SHARE", NULL,                 \
     "a respondent's dimension score needs this share of its item weight answered", 0},           \
        {"lenient", DCX_OPT_FLAG, OPT(lenient), NULL, NULL, NULL,                              \
         "skip bad answers, unknown questions and duplicates with a warning each", 0}
#define MIN_GROUP                                                                              \
    {"min-group-size", DCX_OPT_INT, OPT(min_group_size), "5", "N", NULL,                      \
     "a group with fewer respondents (in either round) keeps its n, its scores withheld "       \
     "(shown as \"n < N\")", 0}
/* how survey exports are read: docs/formats.md has a recipe per survey tool */
#define READING                                                                                \
    {"attributes", DCX_OPT_STRING, OPT(attributes), NULL, "COLS", NULL,                        \
     "respondent attribute columns, comma-separated: never taken for misspelt questions", 0},  \
        {"map", DCX_OPT_STRING, OPT(map), NULL, "CODEBOOK.csv", NULL,                          \
         "rename export columns to question ids (a CSV with header column,question)",          \
         DCX_OPTF_INPUT},                                                                      \
        {"skip-rows", DCX_OPT_INT, OPT(skip_rows), "0", "N", NULL,                            \
         "skip N rows after the header (Qualtrics writes 2)", 0},                              \
        {"header-rows", DCX_OPT_INT, OPT(header_rows), "1", "N", NULL,                        \
         "2: a second header row names the statements (SurveyMonkey)", 0},                     \
        {"na", DCX_OPT_STRING, OPT(na), NULL, "CODES", NULL,                                   \
         "more missing-answer codes, comma-separated (e.g. 99,Don't know)", 0},               \
        {"encoding", DCX_OPT_CHOICE, OPT(encoding), "utf-8", "ENC", "utf-8|latin1|windows-1252", \
         "text encoding of the responses: utf-8, latin1 or windows-1252", 0}
#define END {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}

const dcx_option_t dcx_maturity_score_options[] = {
    ASSESSMENT,
    {"responses", DCX_OPT_STRING, OPT(responses), NULL, "R.csv", NULL,
     "responses, wide (respondent,<attributes>,<question ids>) or long "
     "(respondent,question,answer)", DCX_OPTF_INPUT},
    TARGETS,
    {"group-by", DCX_OPT_LIST, OPT(group_by), NULL, "COL", NULL,
     "also score each group of respondents (e.g. role); repeat for several breakdowns", 0},
    {"weight-column", DCX_OPT_STRING, OPT(weight_column), NULL, "COL", NULL,
     "respondent weights (e.g. to headcount): weighted scores and survey standard errors", 0},
    {"norms", DCX_OPT_STRING, OPT(norms), NULL, "NORMS.csv", NULL,
     "earlier clients' scores (CSV dimension,score): each dimension's percentile among them",
     DCX_OPTF_INPUT},
    {"items", DCX_OPT_FLAG, OPT(items), NULL, NULL, NULL,
     "table and markdown views: the statements table too", 0},
    MIN_GROUP,
    RESPONDENT, COMMON_SCORING, READING,
    {"plot", DCX_OPT_STRING, OPT(plot), NULL, "FILE", NULL,
     "also write a radar plot to FILE (.png, .svg or .pdf)", DCX_OPTF_PLOT | DCX_OPTF_WRITES},
    OUTPUT, FORMAT_XLSX, END};

const dcx_option_t dcx_maturity_validate_options[] = {
    ASSESSMENT,
    {"responses", DCX_OPT_STRING, OPT(responses), NULL, "R.csv", NULL,
     "also check these responses against the assessment", DCX_OPTF_INPUT},
    RESPONDENT, DELIMITER, READING, OUTPUT, FORMAT, END};

const dcx_option_t dcx_maturity_template_options[] = {
    ASSESSMENT,
    {"respondents", DCX_OPT_INT, OPT(respondents), "1", "N", NULL,
     "rows for N respondents (numbered r001, r002, ... when N > 1)", 0},
    {"attributes", DCX_OPT_STRING, OPT(attributes), NULL, "COLS", NULL,
     "respondent attribute columns to fill in, comma-separated (e.g. role,team)", 0},
    {"wide", DCX_OPT_FLAG, OPT(wide), NULL, NULL, NULL,
     "one row per respondent and a column per statement (default: a row per answer)", 0},
    RESPONDENT, OUTPUT,
    {"format", DCX_OPT_CHOICE, OPT(common.format), "csv", "FMT", "csv|markdown",
     "csv (a response file to fill in) or markdown (a questionnaire)", DCX_OPTF_FORMAT},
    END};

const dcx_option_t dcx_maturity_compare_options[] = {
    ASSESSMENT,
    {"before", DCX_OPT_STRING, OPT(before), NULL, "R1.csv", NULL, "responses of the first round", DCX_OPTF_INPUT},
    {"after", DCX_OPT_STRING, OPT(after), NULL, "R2.csv", NULL, "responses of the second round", DCX_OPTF_INPUT},
    TARGETS,
    {"group-by", DCX_OPT_LIST, OPT(group_by), NULL, "COL", NULL,
     "also compare each group of respondents (e.g. role); repeat for several breakdowns", 0},
    {"paired", DCX_OPT_FLAG, OPT(paired), NULL, NULL, NULL,
     "the same respondents in both rounds (matched by the respondent column): paired t tests", 0},
    MIN_GROUP,
    RESPONDENT, COMMON_SCORING, READING,
    {"plot", DCX_OPT_STRING, OPT(plot), NULL, "FILE", NULL,
     "also write a radar plot of both rounds to FILE (.png, .svg or .pdf)", DCX_OPTF_PLOT | DCX_OPTF_WRITES},
    OUTPUT, FORMAT_XLSX, END};

static dcx_status_t run_score(const void *o, struct cJSON **doc, dcx_error_t *err)
{
    return dcx_doc_add_settings(dcx_maturity_score(o, doc, err), doc, dcx_maturity_score_options,
                                o, err);
}

static dcx_status_t run_validate(const void *o, struct cJSON **doc, dcx_error_t *err)
{
    return dcx_maturity_validate(o, doc, err);
}

static dcx_status_t run_compare(const void *o, struct cJSON **doc, dcx_error_t *err)
{
    return dcx_doc_add_settings(dcx_maturity_compare(o, doc, err), doc,
                                dcx_maturity_compare_options, o, err);
}

static dcx_status_t stream_template(const void *o, FILE *out, dcx_strlist_t *w, dcx_error_t *err)
{
    (void)w;
    return dcx_maturity_template(o, out, err);
}

const dcx_command_t dcx_cmd_maturity_score = {
    "maturity score", "score DCX maturity responses: levels, gaps, priorities, recommendations",
    "dcx maturity score --assessment A.json --responses R.csv [--target SCORE | --targets T.json]\n"
    "                          [--group-by COL] [--min-answered 0.5] [--lenient] [--format FMT]",
    dcx_maturity_score_options, sizeof(dcx_maturity_opts_t), "dimensions", run_score, NULL,
    dcx_maturity_view, NULL, NULL, DCX_CMD_XLSX, DCX_PLOT_RADAR, NULL, NULL};

const dcx_command_t dcx_cmd_maturity_validate = {
    "maturity validate", "check an assessment (and responses), listing every problem",
    "dcx maturity validate --assessment A.json [--responses R.csv] [--format FMT]",
    dcx_maturity_validate_options, sizeof(dcx_maturity_opts_t), "problems", run_validate, NULL,
    NULL, NULL, NULL, 0, 0, NULL, NULL};

const dcx_command_t dcx_cmd_maturity_template = {
    "maturity template", "a blank worksheet for an assessment",
    "dcx maturity template --assessment A.json [--respondents N] [--attributes role,team]\n"
    "                             [--wide] [--format csv|markdown]",
    dcx_maturity_template_options, sizeof(dcx_maturity_opts_t), NULL, NULL, stream_template, NULL,
    NULL, NULL, 0, 0, NULL, NULL};

const dcx_command_t dcx_cmd_maturity_compare = {
    "maturity compare", "progress between two rounds of responses",
    "dcx maturity compare --assessment A.json --before R1.csv --after R2.csv [--target SCORE]\n"
    "                            [--group-by COL] [--plot FILE] [--format FMT]",
    dcx_maturity_compare_options, sizeof(dcx_maturity_opts_t), "dimensions", run_compare, NULL,
    dcx_compare_view, NULL, NULL, DCX_CMD_XLSX, DCX_PLOT_RADAR, NULL, NULL};
