import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { GENESIS_HASH, RecordContent, seal } from '../src/records/canonical';
import { snapshotOf } from '../src/records/services/sign-offs.service';
import { addDays, LocalDate } from '../src/schedule/local-date';
import { deadlinesInYear, opensOn } from '../src/schedule/recurrence';
import { benchDatabase, migrate, withClient, writeDataset } from './lib/bench-db';
import { copyRows } from './lib/copy';
import { INHERITED_WHEELS, MunicipalityPlan, peopleOf, planMunicipalities, seededRandom, unitTree, WHEELS } from './lib/national-data';
import { format } from './lib/report';

/**
 * npm run bench:generate -- [--scale 0.1] [--municipalities 357] [--history-years 3] [--today 2026-11-25]
 *
 * Builds the benchmark data set from an empty cluster in bench-data/: every municipality's organisation,
 * its copy of the seed wheels plus a local wheel, the occurrences of this year and the history years,
 * their owners, and signed records in valid per-unit hash chains (97 % of past occurrences signed).
 * Rows go in with COPY and INSERT … SELECT; the records are sealed here, as the service seals them.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '0.1' },
      municipalities: { type: 'string', default: '357' },
      'history-years': { type: 'string', default: '3' },
      today: { type: 'string', default: '2026-11-25' },
    },
  });
  const scale = Number(values.scale);
  const today = values.today!;
  const year = Number(today.slice(0, 4));
  const firstYear = year - Number(values['history-years']);
  const started = performance.now();
  const step = (label: string) => process.stdout.write(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s  ${label}\n`);

  const db = await benchDatabase({ fresh: true });
  try {
    await migrate(db.url);
    step('schema created');
    const plans = planMunicipalities(scale, Number(values.municipalities));
    const large = plans.find((p) => p.name.startsWith('Storby')) ?? plans[0];
    const dataset = await withClient(db.url, async (client) => {
      // A bulk load by construction consistent: foreign keys are not checked row by row (the generator
      // test checks them once at the end), and nothing waits for the disk until the last commit.
      await client.query(`SET synchronous_commit = off`);
      await client.query(`SET session_replication_role = replica`);
      const org = await insertOrganisations(client, plans, firstYear);
      step(`${plans.length} municipalities, ${format(org.units)} units, ${format(org.people)} people, ${format(org.recipients)} recipients`);
      await insertTaskDates(client, firstYear, year);
      for (let y = firstYear; y <= year; y++) {
        const { rowCount } = await client.query(OCCURRENCES_OF_YEAR, [`${y}-01-01`, `${y}-12-31`]);
        await client.query(`ANALYZE occurrence`); // or the owners' join is planned for last year's row counts
        const owners = await client.query(OWNERS_OF_YEAR, [`${y}-01-01`, `${y}-12-31`]);
        step(`${y}: ${format(rowCount ?? 0)} occurrences, ${format(owners.rowCount ?? 0)} owners`);
      }
      let records = 0;
      for (const plan of plans) records += await signRecords(client, plan, org.namesOf.get(plan.id)!, today, firstYear, year);
      // The trigger that keeps each occurrence's standing outcome is off during the load: set it once here.
      await client.query(`UPDATE occurrence o SET standing_outcome = s.outcome, standing_late = s.late FROM sign_off s WHERE s.occurrence_id = o.id`);
      step(`${format(records)} signed records in hash chains, and what stands on each occurrence`);
      await client.query(`VACUUM (ANALYZE)`);
      step('vacuumed and analysed');
      const counts: Record<string, number> = {};
      for (const table of ['municipality', 'unit', 'person', 'recipient', 'task_definition', 'occurrence', 'occurrence_owner', 'sign_off']) {
        const { rows } = await client.query(`SELECT count(*)::bigint AS n FROM ${table}`);
        counts[table] = Number(rows[0].n);
      }
      const { rows: thisYear } = await client.query(`SELECT count(*)::bigint AS n FROM occurrence WHERE scheduled_on >= $1`, [`${year}-01-01`]);
      counts[`occurrence_${year}`] = Number(thisYear[0].n);
      const { rows: largeYear } = await client.query(
        `SELECT count(*)::bigint AS n FROM occurrence WHERE municipality_id = $1 AND scheduled_on >= $2`,
        [large.id, `${year}-01-01`],
      );
      counts[`occurrence_${year}_large`] = Number(largeYear[0].n);
      const { rows: size } = await client.query(`SELECT pg_database_size(current_database())::bigint AS bytes`);
      return { counts, databaseSizeBytes: Number(size[0].bytes), rootUnitId: org.roots.get(large.id)! };
    });
    const generatedSeconds = (performance.now() - started) / 1000;
    writeDataset({
      scale,
      today,
      year,
      largeMunicipalityId: large.id,
      largeMunicipalityRootUnitId: dataset.rootUnitId,
      counts: dataset.counts,
      generatedSeconds,
      databaseSizeBytes: dataset.databaseSizeBytes,
    });
    process.stdout.write(`\nGenerated in ${generatedSeconds.toFixed(0)} s, ${(dataset.databaseSizeBytes / 2 ** 30).toFixed(2)} GiB:\n`);
    for (const [table, n] of Object.entries(dataset.counts)) process.stdout.write(`  ${table.padEnd(24)} ${format(n).padStart(12)}\n`);
  } finally {
    await db.stop();
  }
}

async function insertOrganisations(client: Client, plans: MunicipalityPlan[], firstYear: number) {
  const random = seededRandom(42);
  const municipalities: unknown[][] = [];
  const units: unknown[][] = [];
  const people: unknown[][] = [];
  const roles: unknown[][] = [];
  const recipients: unknown[][] = [];
  const contacts: unknown[][] = [];
  const wheels: unknown[][] = [];
  const tasks: unknown[][] = [];
  const assignments: unknown[][] = [];
  const benchTasks: unknown[][] = [];
  const roots = new Map<string, string>();
  const namesOf = new Map<string, Map<string, string>>();

  plans.forEach((plan, index) => {
    municipalities.push([plan.id, plan.name]);
    const tree = unitTree(plan.units);
    roots.set(plan.id, tree[0].id);
    for (const u of tree) units.push([u.id, plan.id, u.parentId, u.name]);
    const staff = peopleOf(index + 1, tree);
    const names = new Map<string, string>();
    for (const p of staff) {
      people.push([p.id, plan.id, p.email, p.displayName]);
      names.set(p.id, p.displayName);
      for (const r of p.roles) {
        roles.push([plan.id, p.id, r.unitId, r.role]);
        if (r.role === 'manager') names.set(`manager:${r.unitId}`, p.id);
      }
    }
    namesOf.set(plan.id, names);

    // Recipients in the departments, each with one of the department's primary contacts.
    const leaves = tree.filter((u) => u.leaf);
    const contactsOf = new Map<string, string[]>();
    for (const p of staff) if (p.primaryContact) contactsOf.set(p.roles[0].unitId, [...(contactsOf.get(p.roles[0].unitId) ?? []), p.id]);
    for (let n = 0; n < plan.recipients; n++) {
      const unit = leaves[n % leaves.length];
      const id = randomUUID();
      // Most have been there for years; one in ten came during the period, and has no tasks before.
      const activeFrom = random() < 0.1 ? addDays(`${firstYear}-01-01`, Math.floor(random() * 365 * 3.9)) : '2020-01-01';
      recipients.push([id, plan.id, unit.id, `R${index + 1}-${n + 1}`, activeFrom]);
      const unitContacts = contactsOf.get(unit.id)!;
      contacts.push([plan.id, id, unitContacts[n % unitContacts.length]]);
    }

    for (const wheel of WHEELS) {
      const wheelId = randomUUID();
      // Storby shares its wheels, as the library's own municipality does; the others keep theirs to themselves.
      wheels.push([wheelId, plan.id, wheel.name, wheel.kind, wheel.description, plan.name.startsWith('Storby')]);
      const inherited = INHERITED_WHEELS.has(wheel.key);
      assignments.push([plan.id, wheelId, tree[0].id, inherited, firstYear]);
      wheel.tasks.forEach((task, order) => {
        const taskId = randomUUID();
        tasks.push([
          taskId, plan.id, wheelId, task.title, task.description ?? null, task.rrule, task.startsOn ?? '2020-01-01', task.opensDaysBefore ?? 14,
          task.deadlineShift ?? 'none', task.responsibleRole, task.storedIn ?? null, task.commentRequired ?? false, task.legalBasis ?? null,
          task.scope ?? 'unit', order,
        ]);
        benchTasks.push([taskId, plan.id, `${wheel.key}:${order}`, task.scope ?? 'unit', inherited]);
      });
    }
  });

  await copyRows(client, 'municipality', ['id', 'name'], municipalities);
  await copyRows(client, 'unit', ['id', 'municipality_id', 'parent_id', 'name'], units);
  await copyRows(client, 'person', ['id', 'municipality_id', 'email', 'display_name'], people);
  await copyRows(client, 'role_assignment', ['municipality_id', 'person_id', 'unit_id', 'role'], roles);
  await copyRows(client, 'recipient', ['id', 'municipality_id', 'unit_id', 'code', 'active_from'], recipients);
  await copyRows(client, 'recipient_primary_contact', ['municipality_id', 'recipient_id', 'person_id'], contacts);
  // The trigger that writes each recipient's first stay is off during the load (session_replication_role);
  // recipients already there (the demo data) have theirs.
  await client.query(`INSERT INTO recipient_stay (municipality_id, recipient_id, unit_id, from_date)
                      SELECT municipality_id, id, unit_id, active_from FROM recipient r
                      WHERE NOT EXISTS (SELECT 1 FROM recipient_stay s WHERE s.recipient_id = r.id)`);
  await copyRows(client, 'wheel', ['id', 'municipality_id', 'name', 'kind', 'description', 'published'], wheels);
  await copyRows(
    client,
    'task_definition',
    ['id', 'municipality_id', 'wheel_id', 'title', 'description', 'rrule', 'starts_on', 'opens_days_before', 'deadline_shift', 'responsible_role',
     'stored_in', 'comment_required', 'legal_basis', 'scope', 'sort_order'],
    tasks,
  );
  await copyRows(client, 'wheel_assignment', ['municipality_id', 'wheel_id', 'unit_id', 'include_subunits', 'from_year'], assignments);
  await client.query(`CREATE TEMP TABLE bench_task (task_id uuid, municipality_id uuid, task_key text, scope text, inherited boolean)`);
  await copyRows(client, 'bench_task', ['task_id', 'municipality_id', 'task_key', 'scope', 'inherited'], benchTasks);
  await client.query(`ANALYZE`);
  return { units: units.length, people: people.length, recipients: recipients.length, roots, namesOf };
}

/** Each library task's dates, computed once by the service's own recurrence code, for every year. */
async function insertTaskDates(client: Client, firstYear: number, lastYear: number): Promise<void> {
  const rows: unknown[][] = [];
  for (const wheel of WHEELS) {
    wheel.tasks.forEach((task, order) => {
      for (let y = firstYear; y <= lastYear; y++) {
        for (const d of deadlinesInYear({ rrule: task.rrule, startsOn: task.startsOn ?? '2020-01-01', shift: task.deadlineShift ?? 'none' }, y)) {
          rows.push([`${wheel.key}:${order}`, d.scheduledOn, d.deadline, opensOn(d.deadline, task.opensDaysBefore ?? 14)]);
        }
      }
    });
  }
  await client.query(`CREATE TEMP TABLE bench_task_dates (task_key text, scheduled_on date, deadline date, opens_on date)`);
  await copyRows(client, 'bench_task_dates', ['task_key', 'scheduled_on', 'deadline', 'opens_on'], rows);
}

/**
 * What materialising gives: each unit's tasks from the wheels that reach it, each recipient's, and each
 * duty per employee once for every holder of its role in the unit itself.
 */
const OCCURRENCES_OF_YEAR = `
  INSERT INTO occurrence (municipality_id, task_id, unit_id, recipient_id, person_id, scheduled_on, deadline, opens_on)
  SELECT u.municipality_id, bt.task_id, u.id, NULL::uuid, NULL::uuid, d.scheduled_on, d.deadline, d.opens_on
    FROM unit u
    JOIN bench_task bt ON bt.municipality_id = u.municipality_id AND bt.scope = 'unit' AND (bt.inherited OR u.parent_id IS NULL)
    JOIN bench_task_dates d ON d.task_key = bt.task_key AND d.scheduled_on BETWEEN $1 AND $2
  UNION ALL
  SELECT u.municipality_id, bt.task_id, u.id, NULL::uuid, ra.person_id, d.scheduled_on, d.deadline, d.opens_on
    FROM unit u
    JOIN bench_task bt ON bt.municipality_id = u.municipality_id AND bt.scope = 'person' AND (bt.inherited OR u.parent_id IS NULL)
    JOIN task_definition t ON t.id = bt.task_id
    JOIN role_assignment ra ON ra.unit_id = u.id AND ra.role = t.responsible_role
    JOIN bench_task_dates d ON d.task_key = bt.task_key AND d.scheduled_on BETWEEN $1 AND $2
  UNION ALL
  SELECT r.municipality_id, bt.task_id, r.unit_id, r.id, NULL::uuid, d.scheduled_on, d.deadline, d.opens_on
    FROM recipient r
    JOIN bench_task bt ON bt.municipality_id = r.municipality_id AND bt.scope = 'recipient'
    JOIN bench_task_dates d ON d.task_key = bt.task_key AND d.scheduled_on BETWEEN $1 AND $2
   WHERE d.deadline >= r.active_from`;

/**
 * Owners as OwnersService resolves them: here every role a task names is held in the unit itself
 * (or by nobody anywhere above it), so the nearest holders are the unit's own; a duty per employee is
 * its person's alone.
 */
const OWNERS_OF_YEAR = `
  INSERT INTO occurrence_owner (occurrence_id, person_id)
  SELECT o.id, ra.person_id
    FROM occurrence o JOIN task_definition t ON t.id = o.task_id
    JOIN role_assignment ra ON ra.unit_id = o.unit_id AND ra.role = t.responsible_role
   WHERE o.recipient_id IS NULL AND o.person_id IS NULL AND o.scheduled_on BETWEEN $1 AND $2
  UNION ALL
  SELECT o.id, o.person_id FROM occurrence o WHERE o.person_id IS NOT NULL AND o.scheduled_on BETWEEN $1 AND $2
  UNION ALL
  SELECT o.id, rpc.person_id
    FROM occurrence o JOIN recipient_primary_contact rpc ON rpc.recipient_id = o.recipient_id
   WHERE o.scheduled_on BETWEEN $1 AND $2`;

interface ToSign {
  id: string;
  unit_id: string;
  deadline: LocalDate;
  opens_on: LocalDate;
  task_title: string;
  wheel_name: string;
  unit_name: string;
  recipient_code: string | null;
  stored_in: string | null;
  responsible_role: string;
  owner: string | null;
}

/**
 * Signs 97 % of the municipality's past occurrences (90 % on time, 4 % late, 3 % not applicable; 3 % stay overdue)
 * and some of this month's early, unit by unit in the order they were signed, each record sealed into
 * its unit's chain exactly as the service does. Returns the number of records.
 */
async function signRecords(
  client: Client,
  plan: MunicipalityPlan,
  /** Display names by person id, and the manager's id by `manager:<unit id>`. */
  names: Map<string, string>,
  today: LocalDate,
  firstYear: number,
  lastYear: number,
): Promise<number> {
  const random = seededRandom(plan.units);
  const now = new Date(`${today}T08:00:00Z`);
  const chains = new Map<string, { sequence: number; hash: string }>();
  let count = 0;
  for (let y = firstYear; y <= lastYear; y++) {
    const { rows } = await client.query<ToSign>(
      `SELECT o.id, o.unit_id, o.deadline, o.opens_on, t.title AS task_title, w.name AS wheel_name, u.name AS unit_name, r.code AS recipient_code,
              t.stored_in, t.responsible_role,
              (SELECT min(oo.person_id::text) FROM occurrence_owner oo WHERE oo.occurrence_id = o.id) AS owner
         FROM occurrence o JOIN task_definition t ON t.id = o.task_id JOIN wheel w ON w.id = t.wheel_id JOIN unit u ON u.id = o.unit_id
         LEFT JOIN recipient r ON r.id = o.recipient_id
        WHERE o.municipality_id = $1 AND o.scheduled_on BETWEEN $2 AND $3 AND o.opens_on <= $4`,
      [plan.id, `${y}-01-01`, `${y}-12-31`, today],
    );
    const planned: Array<{ o: ToSign; signedAt: Date; outcome: 'done' | 'not_applicable'; late: boolean }> = [];
    for (const o of rows) {
      const r = random();
      const jitterMs = Math.floor(random() * 6 * 3600_000);
      const atDay = (day: LocalDate) => new Date(new Date(`${day}T07:00:00Z`).getTime() + jitterMs);
      let signedAt: Date;
      let outcome: 'done' | 'not_applicable' = 'done';
      let late = false;
      if (o.deadline >= today) {
        if (r >= 0.3) continue; // most of what is not yet due is done near its deadline
        signedAt = atDay(addDays(today, -Math.floor(random() * 3)));
        if (signedAt < atDay(o.opens_on)) continue;
      } else if (r < 0.9) signedAt = atDay(addDays(o.deadline, -Math.floor(random() * 10)));
      else if (r < 0.94) {
        signedAt = atDay(addDays(o.deadline, 1 + Math.floor(random() * 20)));
        late = true;
      } else if (r < 0.97) {
        signedAt = atDay(addDays(o.deadline, -Math.floor(random() * 10)));
        outcome = 'not_applicable';
      } else continue; // never signed: overdue
      if (signedAt >= now) {
        if (late) continue;
        signedAt = new Date(now.getTime() - 3600_000);
      }
      planned.push({ o, signedAt, outcome, late });
    }
    planned.sort((a, b) => (a.o.unit_id < b.o.unit_id ? -1 : a.o.unit_id > b.o.unit_id ? 1 : a.signedAt.getTime() - b.signedAt.getTime()));

    function* sealed(): Generator<unknown[]> {
      for (const { o, signedAt, outcome, late } of planned) {
        const signer = o.owner ?? names.get(`manager:${o.unit_id}`)!;
        const last = chains.get(o.unit_id);
        const content: RecordContent = {
          v: 1,
          id: randomUUID(),
          municipalityId: plan.id,
          unitId: o.unit_id,
          sequence: last ? last.sequence + 1 : 1,
          occurrenceId: o.id,
          kind: 'sign_off',
          outcome,
          late,
          comment: outcome === 'not_applicable' ? 'Ikke aktuelt denne perioden.' : null,
          storedIn: o.stored_in,
          evidenceUrl: null,
          signedBy: signer,
          signedByName: names.get(signer)!,
          signedAt: signedAt.toISOString(),
          supersedesId: null,
          reason: null,
          snapshot: snapshotOf(o),
          previousHash: last ? last.hash : GENESIS_HASH,
        };
        const { hash } = seal(content);
        chains.set(o.unit_id, { sequence: content.sequence, hash });
        yield [
          content.id, content.municipalityId, content.unitId, content.sequence, content.occurrenceId, content.kind, content.outcome, content.late,
          content.comment, content.storedIn, content.evidenceUrl, content.signedBy, content.signedByName, content.signedAt, content.supersedesId,
          content.reason, content.snapshot, content.previousHash, hash,
        ];
      }
    }
    count += await copyRows(client, 'sign_off', SIGN_OFF_COLUMNS, sealed());
  }
  return count;
}

const SIGN_OFF_COLUMNS = [
  'id', 'municipality_id', 'unit_id', 'sequence', 'occurrence_id', 'kind', 'outcome', 'late', 'comment', 'stored_in', 'evidence_url',
  'signed_by', 'signed_by_name', 'signed_at', 'supersedes_id', 'reason', 'snapshot', 'previous_hash', 'hash',
];

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
