#!/bin/sh
# dcx sql: queries for every dialect, identifiers quoted safely, and real round trips
# through SQLite and PostgreSQL: load the example units, run the query, analyse the
# summary, and get what --input gives.
. "$(dirname "$0")/tap.sh"
D=$T_DIR
cd "$DCX_ROOT" || exit 1
CK=examples/checkout_test.csv
METRICS="--metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions"

"$DCX" analyze --input "$CK" $METRICS --segment device --format csv >"$D/want.csv"

for dialect in postgres sqlite duckdb bigquery snowflake spark; do
    t_run 0 "$DCX" sql --dialect "$dialect" --table analytics.units $METRICS --segment device --cuped revenue=sessions
    t_has "UNION ALL" "$dialect: one query over every cell"
done
t_run 0 "$DCX" sql --dialect bigquery --table units --metric converted:binary
t_has '`converted`' "bigquery quotes identifiers with backticks"
t_run 0 "$DCX" sql --dialect postgres --table 'my schema.units' --metric 'we"ird:mean' --segment "it's"
t_has '"we""ird"' "a quote in a column name is doubled"
t_has '"my schema"."units"' "schema-qualified table names quoted part by part"
t_has "'it''s'" "a quote in a literal is doubled"
t_run 2 "$DCX" sql --dialect oracle --table t --metric x:mean
t_err "one of postgres, sqlite, duckdb, bigquery, snowflake, spark" "unknown dialect"
t_run 2 "$DCX" sql --dialect sqlite --table t --metric x
t_err "give a type" "a metric needs a type in SQL"

# capped metrics: thresholds from the pooled values, computed in the warehouse
CAPS="--cap revenue=p1:p99 --cap ppv=p95"
"$DCX" analyze --input "$CK" $METRICS --segment device $CAPS --format csv >"$D/want_cap.csv"
# revenue is mostly 0: its percentiles over the purchases only, zeros left at 0 (below p1 too)
CAPZ="--cap revenue=p1:p99 --cap-ignore-zeros revenue --cap ppv=p95"
"$DCX" analyze --input "$CK" $METRICS --segment device $CAPZ --format csv >"$D/want_capz.csv" 2>/dev/null
for dialect in postgres sqlite duckdb bigquery snowflake spark; do
    t_run 0 "$DCX" sql --dialect "$dialect" --table units $METRICS --segment device $CAPS
done
t_run 0 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=p99
t_has "percentile_cont(0.99) WITHIN GROUP (ORDER BY" "postgres: percentile_cont"
t_run 0 "$DCX" sql --dialect duckdb --table units --metric revenue:mean --cap revenue=p99
t_has "quantile_cont(" "duckdb: quantile_cont"
t_run 0 "$DCX" sql --dialect bigquery --table units --metric revenue:mean --cap revenue=p99
t_has "PERCENTILE_CONT(" "bigquery: PERCENTILE_CONT"
t_run 0 "$DCX" sql --dialect spark --table units --metric revenue:mean --cap revenue=p99
t_has "percentile(" "spark: percentile"
t_run 0 "$DCX" sql --dialect snowflake --table units --metric revenue:mean --cap revenue=500
t_has "LEAST(CAST" "an absolute cap needs no percentile"
t_run 0 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=p99 --cap-ignore-zeros revenue
t_has "<> 0)" "--cap-ignore-zeros: the percentile is taken over the non-zero values"
t_has "CASE WHEN CAST(\"revenue\" AS DOUBLE PRECISION) = 0 THEN 0.0 ELSE LEAST(" "and zeros stay 0"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=500 --cap-ignore-zeros revenue
t_err "--cap-ignore-zeros 'revenue': the metric has no percentile --cap (pQ or pL:pU)" "ignoring zeros needs a percentile"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=p99 --cap-ignore-zeros rev
t_err "--cap-ignore-zeros 'rev': no --metric of that name" "of a metric that exists"
t_run 2 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=0.99
t_err "--cap 'revenue=0.99' is ambiguous: write revenue=p99" "a bare 0.99 is refused as dcx analyze refuses it"
t_run 0 "$DCX" sql --dialect postgres --table units --metric revenue:mean --cap revenue=0.99abs
t_has "LEAST(CAST(\"revenue\" AS DOUBLE PRECISION), 0.99)" "0.99abs caps at the value"
t_run 2 "$DCX" sql --dialect postgres --table units --metric converted:binary --cap converted=p99
t_err "capping applies to mean metrics" "no cap on a binary metric"
t_run 1 "$DCX" sql --dialect postgres --table units --metric load:quantile=0.9
t_err "a quantile cannot be computed from the summary's sums" "dcx sql refuses quantile metrics"

# SQLite, for real
if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 "$D/u.db" ".import --csv $CK units"
    "$DCX" sql --dialect sqlite --table units $METRICS --segment device >"$D/q.sql"
    sqlite3 -csv -header "$D/u.db" <"$D/q.sql" >"$D/s.csv"
    t_ok "head -1 '$D/s.csv' | grep -qx 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross'" "sqlite: the summary CSV's columns"
    t_run 0 "$DCX" analyze --summary "$D/s.csv" $METRICS --segment device --format csv
    t_ok "same_numbers '$D/want.csv' '$OUT'" "sqlite round trip: the same results as --input"
    "$DCX" sql --dialect sqlite --table units $METRICS --segment device $CAPS >"$D/qc.sql"
    sqlite3 -csv -header "$D/u.db" <"$D/qc.sql" >"$D/sc.csv"
    t_run 0 "$DCX" analyze --summary "$D/sc.csv" $METRICS --segment device --format csv
    t_ok "same_numbers '$D/want_cap.csv' '$OUT'" "sqlite --cap: the warehouse's capping equals dcx's own"
    "$DCX" sql --dialect sqlite --table units $METRICS --segment device $CAPZ >"$D/qz.sql"
    sqlite3 -csv -header "$D/u.db" <"$D/qz.sql" >"$D/sz.csv"
    t_run 0 "$DCX" analyze --summary "$D/sz.csv" $METRICS --segment device --format csv
    t_ok "same_numbers '$D/want_capz.csv' '$OUT' && ! cmp -s '$D/want_capz.csv' '$D/want_cap.csv'" \
        "sqlite --cap-ignore-zeros: the non-zero percentiles and capped sums equal dcx's own"
else
    t_report 1 "sqlite round trip # SKIP sqlite3 not installed (apt-get install sqlite3)"
fi

# PostgreSQL, for real: a private server on a private socket, stopped afterwards
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
    PGD=$(mktemp -d /tmp/dcx-pg-XXXXXX)
    AS=""
    if [ "$(id -u)" = 0 ]; then
        # as root the server runs as postgres, from $PGD: that user may not enter the
        # repository (a clone under /root), and initdb and pg_ctl complain of the directory
        chown postgres "$PGD" && AS="runuser -u postgres -- env -C $PGD"
        chmod 755 "$D"; chmod 644 "$CK" 2>/dev/null
    fi
    if $AS "$PGBIN/initdb" -D "$PGD/data" -A trust -U dcx >"$PGD/init.log" 2>&1 &&
       $AS "$PGBIN/pg_ctl" -D "$PGD/data" -o "-k $PGD -c listen_addresses= -p 54329" -l "$PGD/server.log" -w start >/dev/null 2>&1; then
        cp "$CK" "$PGD/units.csv"; chmod 644 "$PGD/units.csv"
        PSQL="$AS $PGBIN/psql -h $PGD -p 54329 -U dcx -d postgres -v ON_ERROR_STOP=1 -q"
        $PSQL -c 'CREATE TABLE units (user_id text, variant text, country text, device text, day text, converted integer, revenue double precision, sessions integer, pageviews integer)' >/dev/null
        $PSQL -c "\\copy units FROM '$PGD/units.csv' WITH (FORMAT csv, HEADER true)" >/dev/null
        "$DCX" sql --dialect postgres --table units $METRICS --segment device >"$PGD/q.sql"
        chmod 644 "$PGD/q.sql"
        $PSQL --csv -f "$PGD/q.sql" >"$D/pg.csv" 2>"$D/pg.err"
        t_ok "head -1 '$D/pg.csv' | grep -qx 'metric,type,segment,segment_value,variant,n,sum,sum_sq,sum2,sum2_sq,sum_cross'" "postgres: the summary CSV's columns"
        t_run 0 "$DCX" analyze --summary "$D/pg.csv" $METRICS --segment device --format csv
        t_ok "same_numbers '$D/want.csv' '$OUT'" "postgres round trip: the same results as --input"
        "$DCX" sql --dialect postgres --table units $METRICS --segment device $CAPS >"$PGD/qc.sql"
        chmod 644 "$PGD/qc.sql"
        $PSQL --csv -f "$PGD/qc.sql" >"$D/pgc.csv" 2>"$D/pgc.err"
        t_run 0 "$DCX" analyze --summary "$D/pgc.csv" $METRICS --segment device --format csv
        t_ok "same_numbers '$D/want_cap.csv' '$OUT'" "postgres --cap: percentile_cont and capped sums equal dcx's own"
        "$DCX" sql --dialect postgres --table units $METRICS --segment device $CAPZ >"$PGD/qz.sql"
        chmod 644 "$PGD/qz.sql"
        $PSQL --csv -f "$PGD/qz.sql" >"$D/pgz.csv" 2>"$D/pgz.err"
        t_run 0 "$DCX" analyze --summary "$D/pgz.csv" $METRICS --segment device --format csv
        t_ok "same_numbers '$D/want_capz.csv' '$OUT'" "postgres --cap-ignore-zeros equals dcx's own"
        $AS "$PGBIN/pg_ctl" -D "$PGD/data" -m fast -w stop >/dev/null 2>&1
    else
        t_report 0 "postgres server could not start" "$(tail -5 "$PGD/init.log" "$PGD/server.log" 2>/dev/null)"
    fi
    rm -rf "$PGD"
else
    t_report 1 "postgres round trip # SKIP PostgreSQL is not installed (apt-get install postgresql)"
fi

# DuckDB, for real, through its Node.js engine (@duckdb/node-api from the npm registry)
NM=$DCX_BUILD/duckdb-node
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    if [ ! -d "$NM/node_modules/@duckdb/node-api" ]; then
        mkdir -p "$NM" && (cd "$NM" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null 2>&1)
    fi
fi
if [ -d "$NM/node_modules/@duckdb/node-api" ]; then
    cp tests/cli/duckdb_run.mjs "$NM/run.mjs"
    "$DCX" sql --dialect duckdb --table units $METRICS --segment device >"$D/qd.sql"
    node "$NM/run.mjs" "$CK" "$D/qd.sql" >"$D/dd.csv" 2>"$D/dd.err"
    t_run 0 "$DCX" analyze --summary "$D/dd.csv" $METRICS --segment device --format csv
    t_ok "same_numbers '$D/want.csv' '$OUT'" "duckdb round trip: the same results as --input"
    "$DCX" sql --dialect duckdb --table units $METRICS --segment device $CAPS >"$D/qdc.sql"
    node "$NM/run.mjs" "$CK" "$D/qdc.sql" >"$D/ddc.csv" 2>"$D/ddc.err"
    t_run 0 "$DCX" analyze --summary "$D/ddc.csv" $METRICS --segment device --format csv
    t_ok "same_numbers '$D/want_cap.csv' '$OUT'" "duckdb --cap: quantile_cont and capped sums equal dcx's own"
    "$DCX" sql --dialect duckdb --table units $METRICS --segment device $CAPZ >"$D/qdz.sql"
    node "$NM/run.mjs" "$CK" "$D/qdz.sql" >"$D/ddz.csv" 2>"$D/ddz.err"
    t_run 0 "$DCX" analyze --summary "$D/ddz.csv" $METRICS --segment device --format csv
    t_ok "same_numbers '$D/want_capz.csv' '$OUT'" "duckdb --cap-ignore-zeros equals dcx's own"
else
    t_report 1 "duckdb round trips # SKIP node/npm or @duckdb/node-api not available (npm install @duckdb/node-api)"
fi
t_done
