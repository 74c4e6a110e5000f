-- The query shape dcx sql wrote before it read the table once (commit 8511148): one
-- GROUP BY per metric x segment set, 9 passes joined by UNION ALL. bench/run.sh times it
-- against today's query for the same options:
--   dcx sql --dialect postgres --table units --metric converted:binary --metric revenue:mean
--           --metric ppv:ratio=pageviews/sessions --segment country --segment device
SELECT 'converted' AS metric, 'binary' AS type, 'all' AS segment, 'all' AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("converted" AS DOUBLE PRECISION)) AS sum, SUM(CAST("converted" AS DOUBLE PRECISION) * CAST("converted" AS DOUBLE PRECISION)) AS sum_sq,
       CAST(NULL AS DOUBLE PRECISION) AS sum2, CAST(NULL AS DOUBLE PRECISION) AS sum2_sq, CAST(NULL AS DOUBLE PRECISION) AS sum_cross
FROM "units"
WHERE ("converted" IS NOT NULL AND CAST("converted" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant"
UNION ALL
SELECT 'converted' AS metric, 'binary' AS type, 'country' AS segment, CASE WHEN "country" IS NULL OR CAST("country" AS TEXT) = '' THEN '(missing)' ELSE CAST("country" AS TEXT) END AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("converted" AS DOUBLE PRECISION)) AS sum, SUM(CAST("converted" AS DOUBLE PRECISION) * CAST("converted" AS DOUBLE PRECISION)) AS sum_sq,
       CAST(NULL AS DOUBLE PRECISION) AS sum2, CAST(NULL AS DOUBLE PRECISION) AS sum2_sq, CAST(NULL AS DOUBLE PRECISION) AS sum_cross
FROM "units"
WHERE ("converted" IS NOT NULL AND CAST("converted" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant", "country"
UNION ALL
SELECT 'converted' AS metric, 'binary' AS type, 'device' AS segment, CASE WHEN "device" IS NULL OR CAST("device" AS TEXT) = '' THEN '(missing)' ELSE CAST("device" AS TEXT) END AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("converted" AS DOUBLE PRECISION)) AS sum, SUM(CAST("converted" AS DOUBLE PRECISION) * CAST("converted" AS DOUBLE PRECISION)) AS sum_sq,
       CAST(NULL AS DOUBLE PRECISION) AS sum2, CAST(NULL AS DOUBLE PRECISION) AS sum2_sq, CAST(NULL AS DOUBLE PRECISION) AS sum_cross
FROM "units"
WHERE ("converted" IS NOT NULL AND CAST("converted" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant", "device"
UNION ALL
SELECT 'revenue' AS metric, 'mean' AS type, 'all' AS segment, 'all' AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("revenue" AS DOUBLE PRECISION)) AS sum, SUM(CAST("revenue" AS DOUBLE PRECISION) * CAST("revenue" AS DOUBLE PRECISION)) AS sum_sq,
       CAST(NULL AS DOUBLE PRECISION) AS sum2, CAST(NULL AS DOUBLE PRECISION) AS sum2_sq, CAST(NULL AS DOUBLE PRECISION) AS sum_cross
FROM "units"
WHERE ("revenue" IS NOT NULL AND CAST("revenue" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant"
UNION ALL
SELECT 'revenue' AS metric, 'mean' AS type, 'country' AS segment, CASE WHEN "country" IS NULL OR CAST("country" AS TEXT) = '' THEN '(missing)' ELSE CAST("country" AS TEXT) END AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("revenue" AS DOUBLE PRECISION)) AS sum, SUM(CAST("revenue" AS DOUBLE PRECISION) * CAST("revenue" AS DOUBLE PRECISION)) AS sum_sq,
       CAST(NULL AS DOUBLE PRECISION) AS sum2, CAST(NULL AS DOUBLE PRECISION) AS sum2_sq, CAST(NULL AS DOUBLE PRECISION) AS sum_cross
FROM "units"
WHERE ("revenue" IS NOT NULL AND CAST("revenue" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant", "country"
UNION ALL
SELECT 'revenue' AS metric, 'mean' AS type, 'device' AS segment, CASE WHEN "device" IS NULL OR CAST("device" AS TEXT) = '' THEN '(missing)' ELSE CAST("device" AS TEXT) END AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("revenue" AS DOUBLE PRECISION)) AS sum, SUM(CAST("revenue" AS DOUBLE PRECISION) * CAST("revenue" AS DOUBLE PRECISION)) AS sum_sq,
       CAST(NULL AS DOUBLE PRECISION) AS sum2, CAST(NULL AS DOUBLE PRECISION) AS sum2_sq, CAST(NULL AS DOUBLE PRECISION) AS sum_cross
FROM "units"
WHERE ("revenue" IS NOT NULL AND CAST("revenue" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant", "device"
UNION ALL
SELECT 'ppv' AS metric, 'ratio' AS type, 'all' AS segment, 'all' AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("pageviews" AS DOUBLE PRECISION)) AS sum, SUM(CAST("pageviews" AS DOUBLE PRECISION) * CAST("pageviews" AS DOUBLE PRECISION)) AS sum_sq,
       SUM(CAST("sessions" AS DOUBLE PRECISION)) AS sum2, SUM(CAST("sessions" AS DOUBLE PRECISION) * CAST("sessions" AS DOUBLE PRECISION)) AS sum2_sq, SUM(CAST("pageviews" AS DOUBLE PRECISION) * CAST("sessions" AS DOUBLE PRECISION)) AS sum_cross
FROM "units"
WHERE ("pageviews" IS NOT NULL AND CAST("pageviews" AS TEXT) <> '') AND ("sessions" IS NOT NULL AND CAST("sessions" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant"
UNION ALL
SELECT 'ppv' AS metric, 'ratio' AS type, 'country' AS segment, CASE WHEN "country" IS NULL OR CAST("country" AS TEXT) = '' THEN '(missing)' ELSE CAST("country" AS TEXT) END AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("pageviews" AS DOUBLE PRECISION)) AS sum, SUM(CAST("pageviews" AS DOUBLE PRECISION) * CAST("pageviews" AS DOUBLE PRECISION)) AS sum_sq,
       SUM(CAST("sessions" AS DOUBLE PRECISION)) AS sum2, SUM(CAST("sessions" AS DOUBLE PRECISION) * CAST("sessions" AS DOUBLE PRECISION)) AS sum2_sq, SUM(CAST("pageviews" AS DOUBLE PRECISION) * CAST("sessions" AS DOUBLE PRECISION)) AS sum_cross
FROM "units"
WHERE ("pageviews" IS NOT NULL AND CAST("pageviews" AS TEXT) <> '') AND ("sessions" IS NOT NULL AND CAST("sessions" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant", "country"
UNION ALL
SELECT 'ppv' AS metric, 'ratio' AS type, 'device' AS segment, CASE WHEN "device" IS NULL OR CAST("device" AS TEXT) = '' THEN '(missing)' ELSE CAST("device" AS TEXT) END AS segment_value,
       CAST("variant" AS TEXT) AS variant, COUNT(*) AS n,
       SUM(CAST("pageviews" AS DOUBLE PRECISION)) AS sum, SUM(CAST("pageviews" AS DOUBLE PRECISION) * CAST("pageviews" AS DOUBLE PRECISION)) AS sum_sq,
       SUM(CAST("sessions" AS DOUBLE PRECISION)) AS sum2, SUM(CAST("sessions" AS DOUBLE PRECISION) * CAST("sessions" AS DOUBLE PRECISION)) AS sum2_sq, SUM(CAST("pageviews" AS DOUBLE PRECISION) * CAST("sessions" AS DOUBLE PRECISION)) AS sum_cross
FROM "units"
WHERE ("pageviews" IS NOT NULL AND CAST("pageviews" AS TEXT) <> '') AND ("sessions" IS NOT NULL AND CAST("sessions" AS TEXT) <> '') AND ("variant" IS NOT NULL AND CAST("variant" AS TEXT) <> '')
GROUP BY "variant", "device"
ORDER BY 1, 3, 4, 5;
