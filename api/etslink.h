/* etslink.h: the stable C API of libetslink for bindings (Python's ctypes, R, Julia, ...).
 *
 * Load a scenario, build linkage designs in code by jurisdiction and pool ids, solve any number
 * of them on threads, and read the results as column-oriented tables whose columns are the
 * fields of results.csv (docs/results-format.md). Everything is reached through opaque handles;
 * the library keeps no global state, so handles may be used from several threads at once as
 * long as each etsl_design is changed by one thread at a time (a loaded scenario is immutable).
 *
 * Conventions:
 * - Every action returns an int status, etslink's exit code (docs/cli.md): ETSL_OK (0),
 *   ETSL_ERR_INPUT (3), ETSL_ERR_NO_EQUILIBRIUM (4), ETSL_ERR_FILE (5), ETSL_ERR_SOLVER (6),
 *   ETSL_ERR_MEMORY (7), ETSL_ERR_INTERNAL (1). On failure the caller's error buffer `err`
 *   (errlen bytes; may be NULL) receives etslink's message, cut to fit and always
 *   NUL-terminated; on success it is set to "".
 * - Accessors (etsl_table_*, etsl_tables_*, etsl_version) return their value directly.
 * - A number that is "not given" is passed as NaN (ETSL_NA): the attribute's default applies,
 *   as when it is left out of the XML.
 * - Who frees what: every handle returned through an `out` argument is owned by the caller and
 *   released by its etsl_*_free function, which accepts NULL. Strings and arrays returned by
 *   accessors are borrowed from their handle and live as long as it does.
 *
 * Units: quantities in Mt (the scenario's unit), prices in currency per tonne, costs and gains
 * in millions of currency (docs/model.md §1). */
#ifndef ETSLINK_H
#define ETSLINK_H

#include <math.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The program version (as `etslink --version`) and the ABI version of this header: the
 * shared library is libetslink.so.ETSL_ABI_MAJOR; a new minor version only adds functions. */
#define ETSL_VERSION   "0.1.0"
#define ETSL_ABI_MAJOR 1
#define ETSL_ABI_MINOR 0

/** A number not given (NaN, as a double). */
#define ETSL_NA ((double)NAN)

/** Status codes: etslink's exit codes. */
#define ETSL_OK                 0
#define ETSL_ERR_INTERNAL       1 /* a bug */
#define ETSL_ERR_INPUT          3 /* invalid input: XML, schema, values, ids, arguments */
#define ETSL_ERR_NO_EQUILIBRIUM 4 /* the autarky baseline has no equilibrium */
#define ETSL_ERR_FILE           5 /* a file could not be read */
#define ETSL_ERR_SOLVER         6 /* the LP backend or the numerics failed */
#define ETSL_ERR_MEMORY         7 /* out of memory */

typedef struct etsl_scenario etsl_scenario;
typedef struct etsl_design etsl_design;
typedef struct etsl_table etsl_table;
typedef struct etsl_tables etsl_tables;

/** The program version, "MAJOR.MINOR.PATCH" (static storage). */
const char *etsl_version(void);

/* ---- Scenarios ---- */

/** Read, validate and finish the scenario file at path (inputs/scenario.xsd, then every value
 * checked; messages name the file, the line and the element). */
int etsl_scenario_load(etsl_scenario **out, const char *path, char *err, size_t errlen);
/** The same for len bytes of XML at xml. name (may be NULL: "<string>") stands for the file
 * in messages, and <csv href> paths are resolved against its folder. */
int etsl_scenario_load_string(
    etsl_scenario **out, const char *xml, size_t len, const char *name, char *err, size_t errlen);
void etsl_scenario_free(etsl_scenario *s);
/** The scenario's name, currency and unit attributes, and the file it came from. */
const char *etsl_scenario_name(const etsl_scenario *s);
const char *etsl_scenario_currency(const etsl_scenario *s);
const char *etsl_scenario_unit(const etsl_scenario *s);
const char *etsl_scenario_path(const etsl_scenario *s);
/** The jurisdictions in file order: id, name, kind ("absolute", "intensity" or "tax"), bau,
 * cap (Mt), ndc_target (NaN: none), auction_share, tax_rate, credit_limit. */
int etsl_scenario_jurisdictions(const etsl_scenario *s, etsl_table **out, char *err, size_t errlen);
/** The designs of the file in file order: id, and the count of each kind of element (links,
 * groups, instruments, accepts, export_caps, import_limits, projects, sets). */
int etsl_scenario_designs(const etsl_scenario *s, etsl_table **out, char *err, size_t errlen);
/** The offset pools: id, host (a jurisdiction id or "ROW"). */
int etsl_scenario_pools(const etsl_scenario *s, etsl_table **out, char *err, size_t errlen);
/** The analyses of the file (sweeps, searches, sequences, coalitions, uncertainty): id, kind,
 * and for coalitions the members ("A B C") and the rules design id ("" if none). */
int etsl_scenario_analyses(const etsl_scenario *s, etsl_table **out, char *err, size_t errlen);

/* ---- Designs built in code ----
 * A design holds its elements by jurisdiction and pool ids; they are resolved, and the design
 * checked (el_design_check: the same rules as a design of a file), against a scenario when it
 * is checked or solved, so one design can be solved against several scenarios. An element's
 * own arguments (words, counts) are checked when it is added. */

/** An empty design called id, or, when base is not NULL, a copy of the scenario's design base
 * (resolved when solved) to which the elements added here are appended; id NULL means base. */
int etsl_design_create(
    etsl_design **out, const char *id, const char *base, char *err, size_t errlen);
void etsl_design_free(etsl_design *d);
const char *etsl_design_id(const etsl_design *d);
/** A full-link group of n >= 2 members. */
int etsl_design_group(etsl_design *d, const char *const *members, int n, char *err, size_t errlen);
/** A link: entities in `to` may surrender units of `from`, one unit counting as rate tonnes
 * (NaN: 1); quota: max tonnes credited (NaN: none); quota_share: max share of to's emissions
 * (NaN: none); rent_to: "buyer" (NULL), "buyer-government" or "seller". */
int etsl_design_link(etsl_design *d,
                     const char *from,
                     const char *to,
                     double rate,
                     double quota,
                     double quota_share,
                     const char *rent_to,
                     char *err,
                     size_t errlen);
/** A price instrument of kind "floor", "ceiling" or "penalty" for jurisdiction jur: price per
 * tonne, volume in Mt (NaN: unlimited). Overrides the scenario's of the same kind. */
int etsl_design_instrument(etsl_design *d,
                           const char *kind,
                           const char *jur,
                           double price,
                           double volume,
                           char *err,
                           size_t errlen);
/** Let jur use credits of pool: limit in tonnes credited (NaN: none), limit_share of its
 * emissions (NaN: none), discount = tonnes credited per credit (NaN: 1). */
int etsl_design_accept(etsl_design *d,
                       const char *pool,
                       const char *jur,
                       double limit,
                       double limit_share,
                       double discount,
                       char *err,
                       size_t errlen);
/** Cap jur's net exports: exactly one of max (Mt) and share_of_cap is a number. */
int etsl_design_export_cap(
    etsl_design *d, const char *jur, double max, double share_of_cap, char *err, size_t errlen);
/** Limit the tonnes jur has credited from outside its cap: exactly one of max (Mt) and share (of
 * its emissions) is a number. sources: space-separated words, each "links", "groups",
 * "offsets", "projects" or a pool id (NULL: "links groups offsets"). */
int etsl_design_import_limit(etsl_design *d,
                             const char *jur,
                             double max,
                             double share,
                             const char *sources,
                             char *err,
                             size_t errlen);
/** A joint project id with n members and their shares (summing to 1): capacity (Mt of credits
 * a year), fixed cost (million a year), variable cost (per credit); NaN: 0. */
int etsl_design_project(etsl_design *d,
                        const char *id,
                        double capacity,
                        double fixed_cost,
                        double variable_cost,
                        const char *const *members,
                        const double *shares,
                        int n,
                        char *err,
                        size_t errlen);
/** A change of data, part of the design's policy (a <set> element): field is an attribute name
 * of <set> ("bau", "output", "cap", "mac-shift", "mac-scale", "floor-price", ...,
 * "offset-limit" with pool), value its new value. */
int etsl_design_set(etsl_design *d,
                    const char *jur,
                    const char *field,
                    const char *pool,
                    double value,
                    char *err,
                    size_t errlen);
/** Resolve d's ids against s and check it as a design of s would be. */
int etsl_design_check(const etsl_scenario *s, const etsl_design *d, char *err, size_t errlen);

/* ---- Solving ---- */

/** Solve the n designs (code-built, or scenario designs through etsl_design_create with a
 * base) against the autarky baseline of s, on `threads` worker threads (<= 0: every online
 * core); the results do not depend on the number of threads. Design ids must be distinct.
 * A design without an equilibrium is a result (outcome "no-equilibrium" and its shortfall),
 * not an error; the baseline without one is ETSL_ERR_NO_EQUILIBRIUM. *out holds the tables
 * "designs", "jurisdictions", "links", "pools", "offsets" and "projects" (rows in the order of
 * designs; columns in docs/python.md). */
int etsl_solve(const etsl_scenario *s,
               const etsl_design *const *designs,
               int n,
               int threads,
               etsl_tables **out,
               char *err,
               size_t errlen);

/** Linking as a cooperative game (docs/model.md §8) among the n members (ids; NULL or n = 0:
 * every jurisdiction that can join a group), each coalition linked in one group plus the
 * elements of rules (may be NULL) whose jurisdictions are all in it. *out holds the tables
 * "summary" (one row), "members", "coalitions" (every coalition), "gains" (each member's gain
 * in each coalition, up to 12 members) and "structures" (the listed coalition structures, up
 * to 12 members). */
int etsl_coalitions(const etsl_scenario *s,
                    const char *const *members,
                    int n,
                    const etsl_design *rules,
                    int threads,
                    etsl_tables **out,
                    char *err,
                    size_t errlen);

/* ---- Tables: named columns of equal length ---- */

/** Column types. Numbers of every numeric type are stored as doubles (etsl_table_doubles);
 * ETSL_COL_INT holds whole numbers, ETSL_COL_BOOL 0 or 1; NaN marks a missing number. */
#define ETSL_COL_DOUBLE 0
#define ETSL_COL_STRING 1
#define ETSL_COL_INT    2
#define ETSL_COL_BOOL   3

long etsl_table_nrows(const etsl_table *t);
int etsl_table_ncols(const etsl_table *t);
/** Column col's name, or NULL when col is out of range. */
const char *etsl_table_column_name(const etsl_table *t, int col);
/** Column col's unit ("Mt", "USD/t", "million USD", or ""), or NULL when out of range. */
const char *etsl_table_column_unit(const etsl_table *t, int col);
/** Column col's type (ETSL_COL_*), or -1 when out of range. */
int etsl_table_column_type(const etsl_table *t, int col);
/** The index of the column called name, or -1. */
int etsl_table_column_index(const etsl_table *t, const char *name);
/** The nrows numbers of a numeric column, or NULL for a string column or out of range. */
const double *etsl_table_doubles(const etsl_table *t, int col);
/** The nrows strings of a string column, or NULL for a numeric column or out of range. */
const char *const *etsl_table_strings(const etsl_table *t, int col);
/** One string of a string column, or NULL. */
const char *etsl_table_string(const etsl_table *t, int col, long row);
void etsl_table_free(etsl_table *t);

/** A set of named tables (the results of a solve). */
int etsl_tables_count(const etsl_tables *ts);
const char *etsl_tables_name(const etsl_tables *ts, int i);
/** Table i, or the table called name; NULL if none. Borrowed from ts. */
const etsl_table *etsl_tables_at(const etsl_tables *ts, int i);
const etsl_table *etsl_tables_get(const etsl_tables *ts, const char *name);
void etsl_tables_free(etsl_tables *ts);

#ifdef __cplusplus
}
#endif

#endif
