#ifndef CW_CONFIG_H
#define CW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The office configuration, parsed from YAML (see core/default-office.yaml
 * for the format). A struct cw_config is plain data, built whole by
 * cw_config_parse and never modified after; swap in a new one to change it. */

enum cw_clock_kind {
	CW_CLOCK_BUSINESS = 0,   /* runs during office hours only */
	CW_CLOCK_ALWAYS = 1,     /* runs round the clock */
};

struct cw_tier {
	char *id;                 /* "emergency" */
	char *label;              /* "Emergency" */
	int rank;                 /* 0 = most urgent; the order in the file */
	int64_t first_response;   /* target, seconds of the tier's clock */
	int64_t resolution;       /* target, seconds of the tier's clock */
	enum cw_clock_kind clock;
	char *ack_template;       /* template id for the acknowledgment, may be NULL */
	double at_risk;           /* fraction of the target, default 0.75 */
	/* How the targets were written, for wording ("2 business days"). */
	char *first_response_text;
	char *resolution_text;
};

struct cw_category {
	char *id;
	char *label;
	char *department;         /* default department id, may be NULL */
	char *tier;               /* default tier id, may be NULL */
};

enum cw_assign_strategy {
	CW_ASSIGN_MANUAL = 0,
	CW_ASSIGN_ROUND_ROBIN,
	CW_ASSIGN_LEAST_LOADED,
};

struct cw_department {
	char *id;
	char *name;
	char *phone;
	char *email;
	enum cw_assign_strategy assign;
	char **members;           /* staff logins */
	size_t n_members;
};

/* Minutes from local midnight, [start, end). */
struct cw_interval {
	int start;
	int end;
};

enum cw_holiday_kind {
	CW_HOLIDAY_DATE = 0,      /* one date: year, month, day */
	CW_HOLIDAY_YEARLY,        /* every year on month/day */
	CW_HOLIDAY_NTH_WEEKDAY,   /* nth (1..5, or -1 = last) weekday of month */
};

struct cw_holiday {
	char *name;
	enum cw_holiday_kind kind;
	int year, month, day;     /* as the kind needs */
	int nth;                  /* for NTH_WEEKDAY: 1..5 or -1 (last) */
	int weekday;              /* for NTH_WEEKDAY: 0 = Sunday */
	int offset;               /* for NTH_WEEKDAY: days after that weekday
	                             ("day after fourth Thursday of November"
	                             = 1); usually 0 */
	bool observed;            /* YEARLY: a Saturday holiday is observed on
	                             Friday, a Sunday one on Monday */
};

struct cw_rule_match {
	char **categories;  size_t n_categories;   /* any of */
	char **channels;    size_t n_channels;     /* any of */
	char **words;       size_t n_words;        /* any of; words or phrases */
	char **tags;        size_t n_tags;         /* constituent tags, any of */
};

struct cw_rule {
	char *name;
	struct cw_rule_match match;
	/* What the rule sets; NULL = leaves alone. */
	char *tier;
	char *category;
	char *department;
	char *assignee;
	char **tags; size_t n_tags;
	bool stop;
	int line;                 /* where it is in the file, for messages */
};

struct cw_config {
	char *name;               /* office name */
	char *timezone;           /* IANA zone, e.g. "America/New_York" */
	char *phone;
	char *email;
	char *address;
	char *language;           /* default language, e.g. "en" */
	char *template_dir;       /* office template directory, may be NULL */
	char *default_tier;       /* tier id when nothing else decides */
	char *default_department; /* department id when nothing else decides */
	int64_t business_day;     /* seconds in one "business day", from hours */
	struct cw_interval *hours[7];   /* per weekday, 0 = Sunday */
	size_t n_hours[7];
	struct cw_holiday *holidays; size_t n_holidays;
	struct cw_tier *tiers;       size_t n_tiers;
	struct cw_category *categories; size_t n_categories;
	struct cw_department *departments; size_t n_departments;
	struct cw_rule *rules;       size_t n_rules;
};

/* Parse an office configuration from YAML text. `filename` is used only in
 * messages. All or nothing: on any problem returns NULL and sets *cause to
 * "FILE:LINE:COLUMN: what is wrong" (1-based line and column). Checks
 * references too: a rule naming an unknown tier, a category naming an
 * unknown department, an unknown time zone, overlapping hours. */
struct cw_config *cw_config_parse(const char *yaml, size_t len, const char *filename, char **cause);

/* Read and parse a file (see cw_config_parse). */
struct cw_config *cw_config_load(const char *path, char **cause);

/* The default office shipped with the program (core/default-office.yaml,
 * compiled in). Never fails. */
const char *cw_config_default_yaml(void);
struct cw_config *cw_config_default(void);

void cw_config_destroy(struct cw_config *c);

/* Look-ups by id; NULL when absent. */
const struct cw_tier *cw_config_tier(const struct cw_config *c, const char *id);
const struct cw_category *cw_config_category(const struct cw_config *c, const char *id);
const struct cw_department *cw_config_department(const struct cw_config *c, const char *id);

#endif
