// DuckDB peer of `chitieu compute` for bench/national-plan.yaml, in SQL.
//
//   node bench/duckdb/compute.mjs DATA_DIR OUT.csv [--threads N]
//
// Reads DATA_DIR/units.csv and DATA_DIR/observations.csv and writes every
// indicator of the plan at every unit at or above its base level and every
// year and half-year of the data, with the columns of `chitieu compute`
// (plan,indicator,unit,level,period,value,numerator,denominator,reported,
// expected), the same semantics as bench/pandas_compute.py (which documents
// them). The plan is hardcoded below, like the pandas script's; keep the two in
// step with bench/national-plan.yaml. Checks what the engine checks on this
// data: unknown units and metrics, conflicting duplicate observations.
// Scope: years and half-years, a four-level hierarchy, no valid_from/valid_to.
import { DuckDBInstance } from '@duckdb/node-api';

const PLAN_ID = 'bench-national';
const LEVELS = ['national', 'province', 'district', 'commune'];

// name: [level, over_time] -- as in bench/national-plan.yaml
const METRICS = {
    is_clean: ['commune', 'last'], has_propaganda: ['commune', 'max'], has_hotspot: ['commune', 'max'],
    has_social_team: ['commune', 'last'], media_sessions: ['commune', 'sum'],
    establishments_at_risk: ['commune', 'last'], establishments_inspected: ['commune', 'sum'],
    establishments_violating: ['commune', 'sum'], cases_detected: ['commune', 'sum'],
    cases_handled: ['commune', 'sum'], people_supported: ['commune', 'sum'],
    people_reintegrated: ['commune', 'sum'],
    staff_trained: ['district', 'last'], staff_total: ['district', 'last'],
    violators_detected: ['district', 'sum'], violators_handled: ['district', 'sum'],
    has_plan: ['district', 'last'],
};

// Conditions as SQL over the base units' wide rows: known (every name has a value) and met.
const known = (...names) => names.map((n) => `${n} IS NOT NULL`).join(' AND ');
const INDICATORS = [
    { id: 'clean_communes_pct', kind: 'share', of: 'commune', known: known('is_clean'), met: 'is_clean = 1' },
    { id: 'clean_high_risk_communes_pct', kind: 'share', of: 'commune', known: known('is_clean'), met: 'is_clean = 1',
      among: 'coalesce(high_risk = 1, false)' },
    { id: 'active_propaganda_communes_pct', kind: 'share', of: 'commune', known: known('has_propaganda', 'media_sessions'),
      met: 'has_propaganda = 1 AND media_sessions >= 2' },
    { id: 'hotspot_communes', kind: 'count', of: 'commune', known: known('has_hotspot'), met: 'has_hotspot = 1' },
    { id: 'clean_transition_rate', kind: 'transition', of: 'commune', from_known: known('p_is_clean'),
      from_met: 'p_is_clean = 0', known: known('is_clean'), met: 'is_clean = 1' },
    { id: 'establishments_inspected_pct', kind: 'ratio', num: 'establishments_inspected', den: 'establishments_at_risk' },
    { id: 'cases_detected_total', kind: 'sum', num: 'cases_detected' },
    { id: 'staff_trained_pct', kind: 'ratio', num: 'staff_trained', den: 'staff_total' },
    { id: 'violators_handled_pct', kind: 'ratio', num: 'violators_handled', den: 'violators_detected' },
    { id: 'districts_with_plan_pct', kind: 'share', of: 'district', known: known('has_plan'), met: 'has_plan = 1' },
];

function fail(msg) {
    process.stderr.write(`duckdb_compute: error: ${msg}\n`);
    process.exit(1);
}

const b = (x) => `CAST((${x}) AS INTEGER)`;

// Per base unit and period: the columns summed up the hierarchy.
function baseColumns(ind) {
    const counted = ind.among ? `(${ind.among})` : 'true';
    switch (ind.kind) {
    case 'share': case 'count':
        return `${b(counted)} AS expected, ${b(`${counted} AND ${ind.known}`)} AS reported,
                ${b(`${counted} AND coalesce(${ind.known} AND ${ind.met}, false)`)} AS numerator, 0 AS n`;
    case 'transition': {
        const rep = `${counted} AND ${ind.from_known} AND ${ind.known}`;
        const den = `${rep} AND coalesce(${ind.from_met}, false)`;
        return `${b(counted)} AS expected, ${b(rep)} AS reported, ${b(den)} AS denominator,
                ${b(`${den} AND coalesce(${ind.met}, false)`)} AS numerator, 0 AS n`;
    }
    case 'ratio':
        return `CASE WHEN ${known(ind.num, ind.den)} THEN ${ind.num} ELSE 0 END AS numerator,
                CASE WHEN ${known(ind.num, ind.den)} THEN ${ind.den} ELSE 0 END AS denominator,
                ${b(known(ind.num, ind.den))} AS n`;
    case 'sum':
        return `CASE WHEN ${known(ind.num)} THEN ${ind.num} ELSE 0 END AS numerator, ${b(known(ind.num))} AS n`;
    }
    return fail(`kind ${ind.kind}`);
}

// The printed columns from the rolled-up sums.
function outColumns(ind) {
    switch (ind.kind) {
    case 'share':
        return `round(100.0 * numerator / nullif(reported, 0), 6) AS value, numerator, reported AS denominator, reported, expected`;
    case 'count':
        return `CASE WHEN reported > 0 THEN numerator END AS value, numerator, NULL AS denominator, reported, expected`;
    case 'transition':
        return `round(100.0 * numerator / nullif(denominator, 0), 6) AS value, numerator, denominator, reported, expected`;
    case 'ratio':
        return `CASE WHEN n > 0 THEN round(100.0 * numerator / nullif(denominator, 0), 6) END AS value,
                CASE WHEN n > 0 THEN numerator END AS numerator, CASE WHEN n > 0 THEN denominator END AS denominator,
                NULL AS reported, NULL AS expected`;
    case 'sum':
        return `CASE WHEN n > 0 THEN numerator END AS value, CASE WHEN n > 0 THEN numerator END AS numerator,
                NULL AS denominator, NULL AS reported, NULL AS expected`;
    }
    return fail(`kind ${ind.kind}`);
}

async function main() {
    const args = process.argv.slice(2);
    let threads = null;
    const ti = args.indexOf('--threads');
    if (ti >= 0) { threads = args[ti + 1]; args.splice(ti, 2); }
    if (args.length !== 2) fail('usage: node bench/duckdb/compute.mjs DATA_DIR OUT.csv [--threads N]');
    const [data, out] = args;
    const q = (s) => `'${s.replace(/'/g, "''")}'`;
    const t0 = Date.now();
    const db = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
    const c = await db.connect();
    const run = (sql) => c.run(sql);
    const one = async (sql) => (await c.runAndReadAll(sql)).getRows()[0];

    // units: an implicit national root when there is none; every unit's ancestors (itself included)
    await run(`CREATE TABLE u0 AS SELECT * FROM read_csv(${q(data + '/units.csv')}, header = true, all_varchar = true)`);
    await run(`CREATE TABLE units AS
        SELECT code, level, coalesce(parent, CASE WHEN level <> 'national' THEN 'VN' END) AS parent,
               TRY_CAST(high_risk AS INTEGER) AS high_risk FROM u0
        UNION ALL SELECT 'VN', 'national', NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM u0 WHERE level = 'national')`);
    await run(`CREATE TABLE anc AS WITH RECURSIVE a(code, anc) AS (
            SELECT code, code FROM units
            UNION ALL SELECT a.code, u.parent FROM a JOIN units u ON u.code = a.anc WHERE u.parent IS NOT NULL)
        SELECT a.code, a.anc, u.level AS anc_level FROM a JOIN units u ON u.code = a.anc`);

    // observations, checked
    await run(`CREATE TABLE obs AS SELECT unit, period, metric, CAST(value AS DOUBLE) AS v
        FROM read_csv(${q(data + '/observations.csv')}, header = true,
                      columns = {'unit': 'VARCHAR', 'period': 'VARCHAR', 'metric': 'VARCHAR', 'value': 'VARCHAR'})`);
    let r = await one(`SELECT any_value(unit) FROM obs WHERE unit NOT IN (SELECT code FROM units)`);
    if (r[0] !== null) fail(`unknown unit ${r[0]}`);
    const names = Object.keys(METRICS);
    r = await one(`SELECT any_value(metric) FROM obs WHERE metric NOT IN (${names.map(q).join(',')})`);
    if (r[0] !== null) fail(`metric ${r[0]} is not declared by the plan`);
    r = await one(`SELECT any_value(unit || ' ' || period || ' ' || metric) FROM
        (SELECT unit, period, metric FROM obs GROUP BY ALL HAVING count(DISTINCT coalesce(v, 'NaN'::DOUBLE)) > 1)`);
    if (r[0] !== null) fail(`conflicting values for ${r[0]}`);

    // half-year values, and years rolled up with each metric's over_time rule
    await run(`CREATE TABLE half AS SELECT DISTINCT unit, period, metric, v,
            CAST(period[1:4] AS INTEGER) AS year, CAST(period[6] AS INTEGER) AS h
        FROM obs WHERE v IS NOT NULL AND length(period) = 6`);
    const rule = Object.entries(METRICS).map(([m, [, o]]) => `(${q(m)}, ${q(o)})`).join(',');
    await run(`CREATE TABLE rules(metric VARCHAR, over_time VARCHAR); INSERT INTO rules VALUES ${rule}`);
    await run(`CREATE TABLE vals AS
        SELECT unit, period, metric, v FROM half
        UNION ALL
        SELECT h.unit, CAST(h.year AS VARCHAR), h.metric,
               CASE any_value(r.over_time) WHEN 'sum' THEN sum(v) WHEN 'max' THEN max(v) ELSE arg_max(v, h) END
        FROM half h JOIN rules r USING (metric) GROUP BY h.unit, h.year, h.metric
        UNION ALL
        SELECT unit, period, metric, v FROM obs WHERE v IS NOT NULL AND length(period) = 4`);
    const span = await one(`SELECT min(year), max(year) FROM half`);
    await run(`CREATE TABLE periods AS
        SELECT CAST(y AS VARCHAR) AS period, CAST(y - 1 AS VARCHAR) AS prev FROM range(${span[0]}, ${span[1] + 1}) t(y)
        UNION ALL SELECT y || 'S' || h, CASE h WHEN 1 THEN (y - 1) || 'S2' ELSE y || 'S1' END
        FROM range(${span[0]}, ${span[1] + 1}) t(y), (VALUES (1), (2)) s(h)`);

    // one wide row per base unit and period of each level (the full grid), with the
    // previous period's is_clean for the transition
    for (const lv of ['commune', 'district']) {
        const ms = names.filter((m) => METRICS[m][0] === lv);
        await run(`CREATE TABLE wide_${lv} AS
            SELECT unit, period, ${ms.map((m) => `any_value(v) FILTER (WHERE metric = ${q(m)}) AS ${m}`).join(', ')}
            FROM vals WHERE metric IN (${ms.map(q).join(',')}) GROUP BY unit, period`);
        await run(`CREATE TABLE w_${lv} AS
            SELECT u.code AS unit, p.period, u.high_risk, ${ms.map((m) => `w.${m}`).join(', ')}
                   ${lv === 'commune' ? ', pw.is_clean AS p_is_clean' : ''}
            FROM units u CROSS JOIN periods p
            LEFT JOIN wide_${lv} w ON w.unit = u.code AND w.period = p.period
            ${lv === 'commune' ? 'LEFT JOIN wide_commune pw ON pw.unit = u.code AND pw.period = p.prev' : ''}
            WHERE u.level = ${q(lv)}`);
    }
    const t1 = Date.now();

    // every indicator: base columns, summed to every unit at or above the base level
    const parts = [];
    for (const ind of INDICATORS) {
        const base = ind.of || METRICS[ind.num][0];
        const levels = LEVELS.slice(0, LEVELS.indexOf(base) + 1).map(q).join(',');
        const cols = ['expected', 'reported', 'numerator', 'denominator', 'n'];
        await run(`CREATE TABLE b_${ind.id} AS SELECT unit, period, ${baseColumns(ind)} FROM w_${base}`);
        const have = (await c.runAndReadAll(`DESCRIBE b_${ind.id}`)).getRows().map((row) => row[0]);
        const sums = cols.filter((k) => have.includes(k));
        await run(`CREATE TABLE r_${ind.id} AS
            SELECT g.code AS unit, g.level, p.period, ${sums.map((k) => `coalesce(s.${k}, 0) AS ${k}`).join(', ')}
            FROM (SELECT code, level FROM units WHERE level IN (${levels})) g CROSS JOIN periods p
            LEFT JOIN (SELECT a.anc, x.period, ${sums.map((k) => `sum(x.${k}) AS ${k}`).join(', ')}
                       FROM b_${ind.id} x JOIN anc a ON a.code = x.unit GROUP BY a.anc, x.period) s
              ON s.anc = g.code AND s.period = p.period`);
        parts.push(`SELECT ${q(PLAN_ID)} AS plan, ${q(ind.id)} AS indicator, unit, level, period, ${outColumns(ind)}
                    FROM r_${ind.id}`);
    }
    await run(`COPY (${parts.join(' UNION ALL ')}) TO ${q(out + '.tmp')} (HEADER, DELIMITER ',')`);
    const fs = await import('node:fs');
    fs.renameSync(out + '.tmp', out);
    const t2 = Date.now();
    process.stderr.write(`duckdb_compute: load+reshape ${((t1 - t0) / 1000).toFixed(1)} s, ` +
                         `compute+write ${((t2 - t1) / 1000).toFixed(1)} s\n`);
}

main().catch((e) => fail(e.message));
