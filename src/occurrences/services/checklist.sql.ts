import { Keyset } from '../../common/pagination';
import { unitScope } from '../../organisation/unit-scope.sql';
import { STANDING_RECORD_JOIN } from '../../records/standing.sql';

/** The columns every list of occurrences shows. */
export const ITEM_COLUMNS = `
  o.id AS occurrence_id, t.id AS task_id, t.title, w.id AS wheel_id, w.name AS wheel_name, w.kind AS wheel_kind,
  u.id AS unit_id, u.name AS unit_name, r.code AS recipient_code, o.deadline, o.opens_on,
  t.stored_in, t.stored_in_url, t.example,
  standing.outcome, standing.late, standing.signed_at, standing.signed_by, standing.signed_by_name,
  standing.comment, standing.stored_in AS recorded_stored_in, o.person_id, pp.display_name AS person_name,
  COALESCE((SELECT json_agg(json_build_object('id', p.id, 'displayName', p.display_name) ORDER BY p.display_name)
              FROM occurrence_owner oo JOIN person p ON p.id = oo.person_id WHERE oo.occurrence_id = o.id), '[]') AS owners`;

export const ITEM_JOINS = `
  JOIN task_definition t ON t.id = o.task_id
  JOIN wheel w ON w.id = t.wheel_id
  JOIN unit u ON u.id = o.unit_id
  LEFT JOIN recipient r ON r.id = o.recipient_id
  LEFT JOIN person pp ON pp.id = o.person_id
  ${STANDING_RECORD_JOIN}`;

/**
 * For a duty per person, the count of all its people at the deadline: an overdue row from an earlier
 * month lists only those not signed, but says how many of how many are. Run only for such rows.
 */
export const PERSON_COUNTS = `CASE WHEN o.person_id IS NOT NULL THEN (
    SELECT json_build_object('total', count(*), 'signed', count(*) FILTER (WHERE s.standing_outcome IS NOT NULL))
      FROM occurrence s
     WHERE s.task_id = o.task_id AND s.unit_id = o.unit_id AND s.deadline = o.deadline AND s.person_id IS NOT NULL AND s.cancelled_at IS NULL
  ) END AS person_counts`;

/**
 * What a row's status filter selects, on the summary the occurrence keeps of its standing record (`b` a row
 * of `base` below, `$6` today). `open` is the API's (not signed, deadline not passed); the page tells
 * `not_open` (its window opens later) from `opened`, as its badges do (shownStatus).
 */
const STATUS_SQL = {
  open: `b.standing_outcome IS NULL AND b.deadline >= $6`,
  opened: `b.standing_outcome IS NULL AND b.deadline >= $6 AND b.opens_on <= $6`,
  not_open: `b.standing_outcome IS NULL AND b.deadline >= $6 AND b.opens_on > $6`,
  overdue: `b.standing_outcome IS NULL AND b.deadline < $6`,
  done: `b.standing_outcome = 'done' AND b.standing_late IS NOT TRUE`,
  done_late: `b.standing_outcome = 'done' AND b.standing_late`,
  not_applicable: `b.standing_outcome = 'not_applicable'`,
} as const;
export type RowStatusFilter = keyof typeof STATUS_SQL;

/**
 * The people and codes to choose from are looked for only in a month of at most this many occurrences: beyond
 * it they are surely more than a list can offer, and finding them would read every row's owners.
 */
const CHOICES_SCAN = 2000;

/** The filters a page of checklist rows may have, each applied in SQL; all of them together. */
export interface ChecklistRowFilters {
  wheelId?: string;
  taskId?: string;
  status?: RowStatusFilter;
  /** One of the row's responsible people (owners). */
  personId?: string;
  /** Part of a responsible person's name, any case (the page's text field when its list of people would be too long). */
  ownerName?: string;
  recipientCode?: string;
}

/**
 * The two orders of a page of rows. `deadline` (the API's): by deadline, so what is overdue from earlier
 * months comes first. `wheel` (the page's): by wheel, then as the grouped checklist orders a wheel's rows
 * (deadline, the task's place in its wheel and title, unit, recipient code). Each ends with the row's key,
 * which is unique: the occurrence, or for a duty per person one id for its task and unit (with the deadline
 * before it); a duty per person is one row, never split over two pages.
 */
export const CHECKLIST_ROWS = new Keyset('checklist', ['date', 'uuid']);
export const CHECKLIST_PAGE_ROWS = new Keyset('sjekkliste', ['text', 'uuid', 'date', 'int', 'text', 'uuid', 'text', 'uuid', 'text', 'uuid']);
const KEY_COLUMNS = {
  deadline: ['deadline', 'row_key'],
  wheel: ['k_wheel_name', 'k_wheel', 'deadline', 'k_sort', 'k_title', 'k_task', 'k_unit_name', 'k_unit', 'k_code', 'row_key'],
} as const;
export type ChecklistRowOrder = keyof typeof KEY_COLUMNS;
export const KEYSET_OF: Record<ChecklistRowOrder, Keyset> = { deadline: CHECKLIST_ROWS, wheel: CHECKLIST_PAGE_ROWS };

export interface ChecklistRowsQuery {
  order: ChecklistRowOrder;
  /** The key of a row, from a cursor: the page is the rows after it, or (`backward`) the rows before it. */
  key: unknown[] | null;
  backward?: boolean;
  limit: number;
  filters: ChecklistRowFilters;
  /** Also each wheel's month (for its heading and the wheel filter's choices: not narrowed by the other filters). */
  wheels?: boolean;
  /** Also the people and recipient codes to choose from, up to `choices` + 1 of each (more: the page asks for text); null in a month of more than CHOICES_SCAN occurrences. */
  choices?: number;
}

/** The columns of KEY_COLUMNS.wheel that name a row's group: its task and deadline (see checklistRowsSql). */
const GROUP_COLUMNS = KEY_COLUMNS.wheel.slice(0, 6);

/**
 * One statement for a page of a month's checklist rows (of a unit, or with `$5` its whole subtree) with every
 * filter in SQL. The occurrences in scope are read from the (unit, deadline) indexes alone, which carry every
 * column a key or a filter needs (migration SubtreeListsFromIndexes): no row's heap page, owners or record is
 * visited until the page's rows are known, and only theirs are then read in full. Answers one row: `total`
 * (the rows matching the filters, a duty per person once), `before` (the rows before the page's start; 0
 * without a cursor), `rows` (JSON, in order), and by choice `wheels`, `people`, `codes`.
 *
 * The page's order (`wheel`) begins with the task and deadline, so the rows are first counted per task and
 * deadline (a few hundred groups in the largest subtree, named by one look-up each); only the groups the page
 * reaches are then read row by row, with their units' names and recipients' codes (issue 19: naming all
 * ~43,000 rows under Storby's top unit to sort them took most of its page). The API's order (`deadline`) needs
 * no names: a top-N sort of all the keys.
 *
 * Parameters: $1 municipality, $2 unit, $3 and $4 the month's first and last day, $5 subtree, $6 today, then
 * those of the cursor and the filters (returned in `params` after the six).
 */
export function checklistRowsSql(q: ChecklistRowsQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${6 + params.length}::${cast}`;
  };
  const keyset = KEYSET_OF[q.order];
  const columns = KEY_COLUMNS[q.order].join(', ');
  const f = q.filters;

  // Narrowing that the wheel's month keeps (its count is the whole month of the task's rows) …
  const baseWhere = [f.taskId ? `o.task_id = ${param(f.taskId, 'uuid')}` : ''];
  // … and the rest, which only the rows listed follow.
  const where = [
    f.wheelId ? `b.task_id IN (SELECT t.id FROM task_definition t WHERE t.wheel_id = ${param(f.wheelId, 'uuid')})` : '',
    f.status ? `(${STATUS_SQL[f.status]})` : '',
    // Through the owners' index by person: the few occurrences of one person, not a look-up per row.
    f.personId ? `b.id IN (SELECT oo.occurrence_id FROM occurrence_owner oo WHERE oo.person_id = ${param(f.personId, 'uuid')})` : '',
    f.ownerName
      ? `b.id IN (SELECT oo.occurrence_id FROM person p JOIN occurrence_owner oo ON oo.person_id = p.id
                   WHERE p.municipality_id = $1 AND p.display_name ILIKE ${param(`%${f.ownerName.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, 'text')})`
      : '',
    f.recipientCode ? `b.recipient_id IN (SELECT r.id FROM recipient r WHERE r.municipality_id = $1 AND r.code = ${param(f.recipientCode, 'text')})` : '',
  ];

  const grouped = q.order === 'wheel';
  const first = 7 + params.length;
  if (q.key) params.push(...q.key);
  const direction = q.backward ? 'DESC' : 'ASC';
  const keyOrder = KEY_COLUMNS[q.order].map((c) => `${c} ${direction}`).join(', ');
  const pageOrder = KEY_COLUMNS[q.order].map((c) => `page.${c}`).join(', ');
  const and = (parts: string[]) => parts.filter(Boolean).map((p) => `AND ${p}`).join(' ');
  const start = q.key ? `WHERE ${keyset.compare(columns, first, q.backward ? '<' : '>')}` : '';

  // The page's groups: from the cursor's group on (or back), as many as hold the page's rows besides those of
  // the cursor's own group, which may lie on either side of the cursor.
  const groupColumns = GROUP_COLUMNS.join(', ');
  const groupCompare = (operator: '<' | '>=' | '<=' | '=') => keyset.compare(groupColumns, first, operator, GROUP_COLUMNS.length);
  const atCursor = q.key ? groupCompare('=') : 'false';
  const fromCursor = q.key ? `WHERE ${groupCompare(q.backward ? '<=' : '>=')}` : '';
  const pageGroups = `
  along AS (
    SELECT k_task, deadline, COALESCE(sum(CASE WHEN ${atCursor} THEN 0 ELSE n END) OVER (ORDER BY ${GROUP_COLUMNS.map((c) => `${c} ${direction}`).join(', ')}
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS ahead
      FROM groups ${fromCursor}
  ),
  -- (Their arrays are not carried through the window's sort.)
  picked AS (SELECT g.* FROM along a JOIN groups g ON g.k_task = a.k_task AND g.deadline = a.deadline WHERE a.ahead <= ${q.limit}),
  -- Their rows, from the groups' own arrays.
  reached AS MATERIALIZED (
    SELECT m.*, g.deadline, g.k_wheel_name, g.k_wheel, g.k_sort, g.k_title, g.k_task,
           CASE WHEN m.person_id IS NULL THEN m.id ELSE md5(g.k_task::text || '/' || m.unit_id::text)::uuid END AS row_key
      FROM picked g CROSS JOIN LATERAL unnest(g.ids, g.units, g.recipients, g.persons) AS m(id, unit_id, recipient_id, person_id)
  ),`;

  // Each key once: an occurrence's own row as it is, a duty per person's people made one (DISTINCT over them only).
  // Each key carries its occurrences' ids, so that only the page's rows are looked up again (by primary key).
  const keyColumns = `m.deadline, m.row_key
           ${grouped ? `, m.k_wheel_name, m.k_wheel, m.k_sort, m.k_title, m.k_task, u.name AS k_unit_name, u.id AS k_unit, COALESCE(r.code, '') AS k_code` : ''}`;
  const keysOf = (distinct: boolean, person: string) => `
    SELECT ${keyColumns}, ${distinct ? 'array_agg(m.id)' : 'ARRAY[m.id]'} AS ids
      FROM ${grouped ? `reached m JOIN unit u ON u.id = m.unit_id LEFT JOIN recipient r ON r.id = m.recipient_id` : 'matching m'}
     WHERE m.person_id ${person}
     ${distinct ? `GROUP BY ${grouped ? 'm.deadline, m.row_key, m.k_wheel_name, m.k_wheel, m.k_sort, m.k_title, m.k_task, u.name, u.id, r.code' : 'm.deadline, m.row_key'}` : ''}`;

  // Rows before the page: with groups, those of the groups before the cursor's and those of its own group up
  // to the cursor; without, the keys up to the cursor.
  const before = !q.key
    ? '0'
    : grouped
      ? `(SELECT COALESCE(sum(n), 0) FROM groups WHERE ${groupCompare('<')}) +
         (SELECT count(*) FROM keys WHERE ${groupCompare('=')} AND ${keyset.compare(columns, first, q.backward ? '<' : '<=')})`
      : `(SELECT count(*) FROM keys WHERE ${keyset.compare(columns, first, q.backward ? '<' : '<=')})`;
  const total = grouped
    ? `(SELECT COALESCE(sum(n), 0) FROM groups)`
    : `(SELECT count(*) FILTER (WHERE person_id IS NULL) + count(DISTINCT (deadline, row_key)) FILTER (WHERE person_id IS NOT NULL) FROM matching)`;
  // Each wheel's month, not narrowed by the filters: without any, added up from the groups already counted.
  const wheelMonths = grouped && !where.some(Boolean)
    ? `SELECT g.k_wheel AS id, w.name, w.kind, COALESCE(sum(g.occurrences) FILTER (WHERE g.deadline >= $3), 0)::int AS total,
              COALESCE(sum(g.signed) FILTER (WHERE g.deadline >= $3), 0)::int AS done
         FROM groups g JOIN wheel w ON w.id = g.k_wheel GROUP BY g.k_wheel, w.name, w.kind`
    : `SELECT w.id, w.name, w.kind, sum(x.total)::int AS total, sum(x.done)::int AS done
         FROM (SELECT b.task_id, count(*) FILTER (WHERE b.deadline >= $3) AS total,
                      count(*) FILTER (WHERE b.deadline >= $3 AND b.standing_outcome IS NOT NULL) AS done
                 FROM base b GROUP BY b.task_id) x
         JOIN task_definition t ON t.id = x.task_id JOIN wheel w ON w.id = t.wheel_id
        GROUP BY w.id, w.name, w.kind`;
  // The columns both parts of the month read, all in both indexes; what is open stands on no record.
  const read = (standing: string) => `o.id, o.deadline, o.opens_on, o.task_id, o.unit_id, o.recipient_id, o.person_id, ${standing}`;

  const sql = `
  WITH ${unitScope('$2', '$1', '$5')},
  base AS MATERIALIZED (
    SELECT o.*, CASE WHEN o.person_id IS NULL THEN o.id ELSE md5(o.task_id::text || '/' || o.unit_id::text)::uuid END AS row_key
      FROM (
        -- The month, and apart from it what is still open from earlier months: each through an index on
        -- (unit, deadline), the backlog through the one of open occurrences, not every unit's years of history.
        SELECT ${read('o.standing_outcome, o.standing_late')} FROM occurrence o
         WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL
           AND o.deadline BETWEEN $3 AND $4 ${and(baseWhere)}
        UNION ALL
        SELECT ${read('NULL::text, NULL::boolean')} FROM occurrence o
         WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL
           AND o.deadline < $3 AND o.deadline < $6 AND o.standing_outcome IS NULL ${and(baseWhere)}
      ) o
  ),
  matching AS NOT MATERIALIZED (SELECT b.* FROM base b WHERE true ${and(where)}),
  ${grouped
    ? `groups AS MATERIALIZED (
    SELECT g.deadline, g.occurrences, g.signed, g.ids, g.units, g.recipients, g.persons,
           -- A duty per person is one row per unit.
           g.own + CASE WHEN g.occurrences > g.own THEN (SELECT count(DISTINCT u) FROM unnest(g.units, g.persons) AS x(u, p) WHERE p IS NOT NULL) ELSE 0 END AS n,
           w.name AS k_wheel_name, w.id AS k_wheel, t.sort_order AS k_sort, t.title AS k_title, t.id AS k_task
      FROM (SELECT m.task_id, m.deadline, count(*) AS occurrences, count(*) FILTER (WHERE m.person_id IS NULL) AS own,
                   count(*) FILTER (WHERE m.standing_outcome IS NOT NULL) AS signed,
                   -- The group's occurrences, kept to be unnested if the page reaches it (no second pass, no join).
                   array_agg(m.id) AS ids, array_agg(m.unit_id) AS units, array_agg(m.recipient_id) AS recipients, array_agg(m.person_id) AS persons
              FROM matching m GROUP BY m.task_id, m.deadline) g
      JOIN task_definition t ON t.id = g.task_id JOIN wheel w ON w.id = t.wheel_id
  ),${pageGroups}`
    : ''}
  -- Not materialized: the page is a top-N sort of the keys (no sort of them all), and only a page after a
  -- cursor counts those before it.
  keys AS NOT MATERIALIZED (${keysOf(false, 'IS NULL')} UNION ALL ${keysOf(true, 'IS NOT NULL')}),
  page AS (SELECT * FROM keys ${start} ORDER BY ${keyOrder} LIMIT ${q.limit + 1}),
  shown AS (
    SELECT ${ITEM_COLUMNS}, ${PERSON_COUNTS}, json_build_array(${pageOrder}) AS sort_key,
           row_number() OVER (ORDER BY ${KEY_COLUMNS[q.order].map((c) => `page.${c} ${direction}`).join(', ')}, pp.display_name) AS place
      FROM page CROSS JOIN LATERAL unnest(page.ids) AS picked(id)
      JOIN occurrence o ON o.id = picked.id ${ITEM_JOINS}
  )
  SELECT ${total}::int AS total,
         (${before})::int AS before,
         (SELECT COALESCE(json_agg(shown ORDER BY place), '[]') FROM shown) AS rows
         ${q.wheels ? `, (SELECT COALESCE(json_agg(m ORDER BY m.name, m.id), '[]') FROM (${wheelMonths}) m) AS wheels` : ''}
         ${q.choices !== undefined ? `, CASE WHEN (SELECT count(*) FROM base) <= ${CHOICES_SCAN} THEN (SELECT COALESCE(json_agg(c ORDER BY c.name, c.id), '[]') FROM (
              SELECT DISTINCT p.id, p.display_name AS name FROM base b JOIN occurrence_owner oo ON oo.occurrence_id = b.id JOIN person p ON p.id = oo.person_id
               ORDER BY p.display_name, p.id LIMIT ${q.choices + 1}) c) END AS people,
            CASE WHEN (SELECT count(*) FROM base) <= ${CHOICES_SCAN} THEN (SELECT COALESCE(json_agg(c.code ORDER BY c.code), '[]') FROM (
              SELECT DISTINCT r.code FROM base b JOIN recipient r ON r.id = b.recipient_id ORDER BY r.code LIMIT ${q.choices + 1}) c) END AS codes` : ''}`;
  return { sql, params };
}
