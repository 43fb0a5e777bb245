import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { LocalDate, monthBounds } from '../../schedule/local-date';
import { reminderLink } from '../links';
import { Language, Message, monthlyChecklistMessage, ReminderItem } from '../messages';
import { UNIT_TREE_MAX_DEPTH } from '../../organisation/unit-scope.sql';
import type { PlannedMessage } from './reminder-planner';

/** A unit of the municipalities planned, with one of its active managers (or none: person_id null). */
interface UnitRow {
  municipality_id: string;
  unit_id: string;
  parent_id: string | null;
  active: boolean;
  unit_name: string;
  name_rank: number;
  webhook: string | null;
  person_id: string | null;
  email: string;
  teams_id: string;
  wants_email: boolean;
  wants_teams: boolean;
  language: Language;
}

type ManagerRow = UnitRow & { person_id: string };

/** An occurrence as the monthly checklist lists it (named as a ReminderItem, so a printed row is one as it is). */
export interface ChecklistItemRow extends ReminderItem {
  taskId: string;
  unitId: string;
  recipientId: string | null;
  /** A duty per person: whose. */
  personId: string | null;
  deadline: LocalDate;
  /** The owners as the statement gives them: ids, in no order. */
  ownerIds: string[];
  // Set from the details read once per batch (DETAILS_SQL):
  wheelId: string;
  perPerson: boolean;
  /** Owners' display names, alphabetically; empty: nobody holds the task's role ("Ingen ansvarlig"). */
  owners: string[];
}

/**
 * $1 municipalities. Their units (the tree the checklists' scopes are walked in, and the units' names with
 * their rank in PostgreSQL's order), each with its active managers if it is active: one row per (unit,
 * manager), in the order the checklists have always been made.
 */
const UNITS_SQL = `
  SELECT u.municipality_id, u.id AS unit_id, u.parent_id, u.archived_at IS NULL AS active, u.name AS unit_name,
         dense_rank() OVER (ORDER BY u.name)::int AS name_rank, u.teams_webhook_url AS webhook,
         ra.person_id, p.email, COALESCE(p.entra_object_id, p.email) AS teams_id,
         COALESCE(np.email, true) AS wants_email, COALESCE(np.teams, false) AS wants_teams, COALESCE(np.language, 'nb') AS language
    FROM unit u
    LEFT JOIN (role_assignment ra
               JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
               LEFT JOIN notification_preference np ON np.person_id = p.id)
           ON ra.unit_id = u.id AND ra.municipality_id = u.municipality_id AND ra.role = 'manager' AND u.archived_at IS NULL
   WHERE u.municipality_id = ANY($1)
   ORDER BY u.name, p.email`;

/**
 * $1 municipalities, $2 and $3 the month's first and last day, $4 today. One pass over their occurrences of
 * the month and those still open from earlier months (the checklist's rows), read unit by unit as the
 * checklist reads them: the month through (unit_id, deadline), the open backlog through the partial index of
 * open occurrences (no index leads with the municipality); with each occurrence's owners, one index-only
 * probe. Nothing is joined per row: under row-level security PostgreSQL expects a handful of rows here and
 * joined tasks, wheels, recipients and people by one index probe per occurrence each, then sorted tens of
 * thousands of wide rows (bench/README.md); their details are read once per batch instead (DETAILS_SQL).
 */
export const MONTHLY_ITEMS_SQL = `
  WITH rows AS (
    SELECT o.* FROM unit mu JOIN occurrence o ON o.unit_id = mu.id AND o.deadline BETWEEN $2 AND $3
     WHERE mu.municipality_id = ANY($1) AND o.municipality_id = mu.municipality_id AND o.cancelled_at IS NULL
    UNION ALL
    SELECT o.* FROM unit mu JOIN occurrence o ON o.unit_id = mu.id AND o.deadline < $2 AND o.deadline < $4
     WHERE mu.municipality_id = ANY($1) AND o.municipality_id = mu.municipality_id AND o.cancelled_at IS NULL AND o.standing_outcome IS NULL
  )
  SELECT o.id AS "occurrenceId", o.task_id AS "taskId", o.unit_id AS "unitId", o.recipient_id AS "recipientId", o.person_id AS "personId", o.deadline,
         ARRAY(SELECT oo.person_id FROM occurrence_owner oo WHERE oo.occurrence_id = o.id) AS "ownerIds"
    FROM rows o`;

/**
 * $1 tasks, $2 recipients, $3 people: what the items of a batch show and are sorted by, each read once,
 * with each text's rank in PostgreSQL's order (dense: equal texts, equal ranks), so that Node sorts the
 * items exactly as the checklist's ORDER BY does (CHECKLIST_SQL: wheel name, deadline, task order and
 * title, unit name, recipient code, person's name) and lists owners as its `ORDER BY display_name` does.
 */
const DETAILS_SQL = `
  SELECT 'task' AS kind, t.id, t.wheel_id AS wheel_id, t.title AS text, dense_rank() OVER (ORDER BY t.title)::int AS rank, t.sort_order
    FROM task_definition t WHERE t.id = ANY($1)
  UNION ALL
  SELECT 'wheel', w.id, NULL, w.name, dense_rank() OVER (ORDER BY w.name)::int, NULL
    FROM wheel w WHERE w.id IN (SELECT t.wheel_id FROM task_definition t WHERE t.id = ANY($1))
  UNION ALL
  SELECT 'recipient', r.id, NULL, r.code, dense_rank() OVER (ORDER BY r.code)::int, NULL FROM recipient r WHERE r.id = ANY($2)
  UNION ALL
  SELECT 'person', p.id, NULL, p.display_name, dense_rank() OVER (ORDER BY p.display_name)::int, NULL FROM person p WHERE p.id = ANY($3)`;

interface DetailRow {
  kind: 'task' | 'wheel' | 'recipient' | 'person';
  id: string;
  wheel_id: string | null;
  text: string;
  rank: number;
  sort_order: number | null;
}

export interface Morning {
  municipalityId: string;
  today: LocalDate;
}

/**
 * The monthly checklists of the first working day, planned for several municipalities at once with three
 * set-based statements (their units with their managers, the month's occurrences with their owners, and
 * the tasks, recipients and people those show) instead of one checklist query per manager, or three
 * statements per municipality: a replica claims the
 * small municipalities in batches (ReminderMornings), so a morning of 357 municipalities costs some tens
 * of statements. Each occurrence is read once and handed to every manager whose checklist holds it, so a
 * municipality of 1,000 units costs one pass, not 1,000 checklists. The messages are the ones the checklist
 * page's rows would make (test/e2e/monthly-checklists.e2e-spec.ts compares them with the old per-manager
 * planning).
 */
@Injectable()
export class MonthlyChecklists {
  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** To each manager, their unit's checklist for the month (sub-units included) with what is still overdue. */
  async plan(municipalityId: string, today: LocalDate): Promise<PlannedMessage[]> {
    return this.planMornings([{ municipalityId, today }]);
  }

  /** The same for several municipalities' mornings: their messages municipality by municipality, in the order given. */
  async planMornings(mornings: Morning[]): Promise<PlannedMessage[]> {
    const byMunicipality = new Map<string, PlannedMessage[]>();
    // A batch shares its day unless the municipalities' time zones differ.
    const days = new Map<LocalDate, string[]>();
    for (const { municipalityId, today } of mornings) {
      const ids = days.get(today);
      if (ids) ids.push(municipalityId);
      else days.set(today, [municipalityId]);
    }
    for (const [today, ids] of days) {
      for (const message of await this.planDay(ids, today)) {
        const list = byMunicipality.get(message.municipalityId);
        if (list) list.push(message);
        else byMunicipality.set(message.municipalityId, [message]);
      }
    }
    return mornings.flatMap((m) => byMunicipality.get(m.municipalityId) ?? []);
  }

  /** The mornings with their municipalities' numbers of units, for morningBatches. */
  async sized<T extends Morning>(mornings: T[]): Promise<Array<T & { units: number }>> {
    if (mornings.length === 0) return [];
    const rows: Array<{ municipality_id: string; units: number }> = await this.dataSource.query(
      `SELECT municipality_id, count(*)::int AS units FROM unit WHERE municipality_id = ANY($1::uuid[]) GROUP BY municipality_id`,
      [mornings.map((m) => m.municipalityId)],
    );
    const units = new Map(rows.map((r) => [r.municipality_id, r.units]));
    return mornings.map((m) => ({ ...m, units: units.get(m.municipalityId) ?? 0 }));
  }

  private async planDay(municipalityIds: string[], today: LocalDate): Promise<PlannedMessage[]> {
    const month = today.slice(0, 7);
    const { first, last } = monthBounds(month);
    const unitRows: UnitRow[] = await this.dataSource.query(UNITS_SQL, [municipalityIds]);
    const managers = unitRows.filter((r): r is ManagerRow => r.person_id !== null);
    if (managers.length === 0) return [];
    const items: ChecklistItemRow[] = await this.dataSource.query(MONTHLY_ITEMS_SQL, [municipalityIds, first, last, today]);
    const wheelsNamedApart = await this.describe(items, unitRows);
    // Each checklist is the batch's rows of its units, in checklistOrder. Where no municipality has two
    // wheels of one name, ordering the batch once and handing the rows out in that order gives each
    // checklist its order (a wheel's rows, an overdue part, a duty's people all stay whole and in order).
    const ordered = wheelsNamedApart ? checklistOrder(items, first) : items;

    // Which checklists hold a unit's occurrences; then each occurrence, in order, to each of them.
    const holders = checklistsHolding(unitRows);
    const checklists = new Map<string, ChecklistItemRow[]>();
    for (const item of ordered) {
      for (const root of holders(item.unitId)) {
        const list = checklists.get(root);
        if (list) list.push(item);
        else checklists.set(root, [item]);
      }
    }

    const planned: PlannedMessage[] = [];
    const webhooksDone = new Set<string>();
    // Managers of one unit in one language get the same message: it is made once.
    const made = new Map<string, { message: Message; itemIds: string[] }>();
    for (const manager of managers) {
      const link = reminderLink(this.config.publicBaseUrl, { kind: 'monthly_checklist', occurrenceId: null, unitId: manager.unit_id, forDate: today });
      const madeKey = `${manager.unit_id}|${manager.language}`;
      let content = made.get(madeKey);
      if (!content) {
        const held = checklists.get(manager.unit_id) ?? [];
        const all = wheelsNamedApart ? held : checklistOrder(held, first);
        // Nobody holds the task's role in the unit or above it: the manager is told, apart from the rest.
        const ownerless: ChecklistItemRow[] = [];
        const overdue: ChecklistItemRow[] = [];
        const current: ChecklistItemRow[] = [];
        for (const i of all) (i.owners.length === 0 ? ownerless : i.deadline < first ? overdue : current).push(i);
        const message = monthlyChecklistMessage(manager.unit_name, month, current, overdue, (id) => this.link(id), manager.language, link, ownerless);
        made.set(madeKey, (content = { message, itemIds: all.map((i) => i.occurrenceId) }));
      }
      const base = { municipalityId: manager.municipality_id, kind: 'monthly_checklist' as const, unitId: manager.unit_id, occurrenceId: null, itemIds: content.itemIds, forDate: today, link, message: content.message };
      for (const channel of [...(manager.wants_email ? ['email' as const] : []), ...(manager.wants_teams ? ['teams' as const] : [])]) {
        planned.push({
          ...base,
          dedupeKey: `monthly_checklist:${manager.unit_id}:${manager.person_id}:${channel}:${month}`,
          channel,
          personId: manager.person_id,
          address: channel === 'email' ? manager.email : manager.teams_id,
        });
      }
      if (manager.webhook && !webhooksDone.has(manager.unit_id)) {
        webhooksDone.add(manager.unit_id);
        planned.push({ ...base, dedupeKey: `monthly_checklist:${manager.unit_id}:channel:teams_channel:${month}`, channel: 'teams_channel', personId: null, address: manager.webhook });
      }
    }
    return planned;
  }

  /**
   * Gives each item what it shows (task title, unit name, recipient code, owners' names) from the details
   * read once, and puts the items in the checklist's ORDER BY. Tells whether every municipality's wheels
   * have names of their own.
   */
  private async describe(items: ChecklistItemRow[], units: UnitRow[]): Promise<boolean> {
    const tasks = new Set<string>();
    const recipients = new Set<string>();
    const people = new Set<string>();
    for (const i of items) {
      tasks.add(i.taskId);
      if (i.recipientId) recipients.add(i.recipientId);
      if (i.personId) people.add(i.personId);
      for (const id of i.ownerIds) people.add(id);
    }
    const details: DetailRow[] = items.length === 0 ? [] : await this.dataSource.query(DETAILS_SQL, [[...tasks], [...recipients], [...people]]);
    const of = { task: new Map<string, DetailRow>(), wheel: new Map<string, DetailRow>(), recipient: new Map<string, DetailRow>(), person: new Map<string, DetailRow>() };
    for (const d of details) of[d.kind].set(d.id, d);
    const unitOf = new Map(units.map((u) => [u.unit_id, u]));

    const keyed: Array<{ item: ChecklistItemRow; key: number[] }> = [];
    const wheelNamed = new Map<string, string>();
    let wheelsNamedApart = true;
    for (const i of items) {
      const task = of.task.get(i.taskId)!;
      const unit = unitOf.get(i.unitId)!;
      const recipient = i.recipientId ? of.recipient.get(i.recipientId)! : null;
      const person = i.personId ? of.person.get(i.personId)! : null;
      i.wheelId = task.wheel_id!;
      i.perPerson = i.personId !== null;
      i.title = task.text;
      i.unitName = unit.unit_name;
      i.recipientCode = recipient?.text ?? null;
      const owners = i.ownerIds.map((id) => of.person.get(id)!);
      if (owners.length > 1) owners.sort((a, b) => a.rank - b.rank);
      i.owners = owners.map((o) => o.text);
      // ORDER BY w.name, o.deadline, t.sort_order, t.title, u.name, r.code, pp.display_name (NULLs last), o.id
      const wheelRank = of.wheel.get(i.wheelId)!.rank;
      const named = `${unit.municipality_id}|${wheelRank}`;
      if ((wheelNamed.get(named) ?? i.wheelId) !== i.wheelId) wheelsNamedApart = false;
      wheelNamed.set(named, i.wheelId);
      keyed.push({ item: i, key: [wheelRank, 0, task.sort_order!, task.rank, unit.name_rank, recipient?.rank ?? Infinity, person?.rank ?? Infinity] });
    }
    keyed.sort(({ item: a, key: ka }, { item: b, key: kb }) => {
      if (ka[0] !== kb[0]) return ka[0] - kb[0];
      if (a.deadline !== b.deadline) return a.deadline < b.deadline ? -1 : 1;
      for (let k = 2; k < ka.length; k++) if (ka[k] !== kb[k]) return ka[k] < kb[k] ? -1 : 1;
      return a.occurrenceId < b.occurrenceId ? -1 : a.occurrenceId > b.occurrenceId ? 1 : 0;
    });
    keyed.forEach(({ item }, n) => (items[n] = item));
    return wheelsNamedApart;
  }

  private link(occurrenceId: string): string {
    return reminderLink(this.config.publicBaseUrl, { kind: 'task', occurrenceId, unitId: null, forDate: '' });
  }
}

/**
 * About as many units as a replica plans per claim. Small municipalities are claimed and planned together
 * (each statement's planning and round trip cost as much for 5 units as for 500), a large one alone; the
 * batches stay small enough for the morning to divide well between replicas.
 */
export const MORNING_BATCH_UNITS = 300;

/** The mornings in batches of about MORNING_BATCH_UNITS units, in the order given (largest first): a batch holds one municipality at least. */
export function morningBatches<T extends Morning & { units: number }>(due: T[], budget = MORNING_BATCH_UNITS): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let units = 0;
  for (const m of due) {
    if (batch.length > 0 && units + m.units > budget) {
      batches.push(batch);
      batch = [];
      units = 0;
    }
    batch.push(m);
    units += m.units;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * For a unit, the units with a manager whose checklist holds its occurrences: the checklist of a unit covers
 * itself and every active unit below it through active units (unitScope), so a unit's holders are itself and
 * the units above it, walking up while they are active. A cycle forced into the table ends the walk too.
 */
function checklistsHolding(units: UnitRow[]): (unitId: string) => string[] {
  const tree = new Map<string, { parent: string | null; active: boolean; managed: boolean }>();
  for (const u of units) {
    const known = tree.get(u.unit_id);
    if (known) known.managed ||= u.person_id !== null;
    else tree.set(u.unit_id, { parent: u.parent_id, active: u.active, managed: u.person_id !== null });
  }
  const holders = new Map<string, string[]>();
  return (unitId) => {
    let list = holders.get(unitId);
    if (list) return list;
    list = [];
    const seen = new Set<string>();
    for (let id: string | null = unitId; id !== null && !seen.has(id) && seen.size < UNIT_TREE_MAX_DEPTH; ) {
      const unit = tree.get(id);
      if (!unit?.active) break;
      seen.add(id);
      if (unit.managed) list.push(id);
      id = unit.parent;
    }
    holders.set(unitId, list);
    return list;
  };
}

/**
 * A checklist's rows in the order the checklist shows them (ChecklistService.checklist): grouped by wheel in
 * order of first appearance, a duty per person gathered at its first person's place (task, unit, deadline)
 * and listed person by person, and in each wheel the overdue rows from earlier months first.
 */
export function checklistOrder(rows: ChecklistItemRow[], monthStart: LocalDate): ChecklistItemRow[] {
  const groups = new Map<string, Array<{ earlier: boolean; rows: ChecklistItemRow[] }>>();
  const perPerson = new Map<string, ChecklistItemRow[]>();
  for (const row of rows) {
    let group = groups.get(row.wheelId);
    if (!group) groups.set(row.wheelId, (group = []));
    if (!row.perPerson) {
      group.push({ earlier: row.deadline < monthStart, rows: [row] });
      continue;
    }
    const key = `${row.taskId}|${row.unitId}|${row.deadline}`;
    let people = perPerson.get(key);
    if (!people) {
      perPerson.set(key, (people = []));
      group.push({ earlier: row.deadline < monthStart, rows: people });
    }
    people.push(row);
  }
  const ordered: ChecklistItemRow[] = [];
  for (const group of groups.values()) {
    // Array.prototype.sort is stable: within each part the rows keep the query's order.
    group.sort((a, b) => Number(b.earlier) - Number(a.earlier));
    for (const entry of group) ordered.push(...entry.rows);
  }
  return ordered;
}
