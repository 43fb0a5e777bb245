import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { LocalDate, monthBounds } from '../../schedule/local-date';
import { reminderLink } from '../links';
import { ChecklistRow, ChecklistSection, Language, monthlyChecklistFromRows, monthlyChecklistRow, MONTHLY_ITEMS_LISTED } from '../messages';
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

/** An occurrence as MONTHLY_ITEMS_SQL gives it. */
interface OccurrenceRow {
  occurrence_id: string;
  task_id: string;
  unit_id: string;
  recipient_id: string | null;
  person_id: string | null;
  deadline: LocalDate;
  /** The owners' ids, comma-separated, in no order; '' for none. */
  owner_ids: string;
}

/** An occurrence as the monthly checklists list it, with what it is sorted by and its printed rows. */
class ChecklistItem {
  /** Its printed row in each language, made when a checklist first prints it. */
  nb: ChecklistRow | undefined = undefined;
  en: ChecklistRow | undefined = undefined;
  constructor(
    readonly occurrenceId: string,
    readonly taskId: string,
    readonly unitId: string,
    /** A duty per person: whose. */
    readonly personId: string | null,
    readonly deadline: LocalDate,
    /** The owners' ids as the statement gives them (OccurrenceRow.owner_ids): split when the row is printed. */
    readonly ownerIds: string,
    readonly wheelId: string,
    /** Due before the month: listed as overdue from earlier months. */
    readonly earlier: boolean,
    // The checklist's ORDER BY, as numbers (ranks in PostgreSQL's order; DETAILS_SQL).
    readonly wheelRank: number,
    readonly day: number,
    readonly sortOrder: number,
    readonly taskRank: number,
    readonly unitRank: number,
    readonly recipientRank: number,
    readonly personRank: number,
    // What the row shows.
    readonly title: string,
    readonly unitName: string,
    readonly recipientCode: string | null,
  ) {}

  get perPerson(): boolean {
    return this.personId !== null;
  }
}

/** A manager's checklist as its occurrences are handed to it in order: every id, and the rows each section prints. */
class Checklist {
  readonly itemIds: string[] = [];
  /** Nobody holds the task's role in the unit or above it: the manager is told, apart from the rest. */
  readonly ownerless = { listed: [] as ChecklistItem[], total: 0 };
  readonly overdue = { listed: [] as ChecklistItem[], total: 0 };
  readonly current = { listed: [] as ChecklistItem[], total: 0 };

  add(item: ChecklistItem): void {
    this.itemIds.push(item.occurrenceId);
    const part = item.ownerIds === '' ? this.ownerless : item.earlier ? this.overdue : this.current;
    if (part.total++ < MONTHLY_ITEMS_LISTED) part.listed.push(item);
  }
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
 * probe, as one comma-separated text (pg's parser of a uuid[] showed in the profile; most items' owners are
 * never printed). Nothing is joined per row: under row-level security PostgreSQL expects a handful of rows
 * here and joined tasks, wheels, recipients and people by one index probe per occurrence each, then sorted
 * tens of thousands of wide rows (bench/README.md); their details are read once per batch instead (DETAILS_SQL).
 */
export const MONTHLY_ITEMS_SQL = `
  WITH rows AS (
    SELECT o.* FROM unit mu JOIN occurrence o ON o.unit_id = mu.id AND o.deadline BETWEEN $2 AND $3
     WHERE mu.municipality_id = ANY($1) AND o.municipality_id = mu.municipality_id AND o.cancelled_at IS NULL
    UNION ALL
    SELECT o.* FROM unit mu JOIN occurrence o ON o.unit_id = mu.id AND o.deadline < $2 AND o.deadline < $4
     WHERE mu.municipality_id = ANY($1) AND o.municipality_id = mu.municipality_id AND o.cancelled_at IS NULL AND o.standing_outcome IS NULL
  )
  SELECT o.id AS occurrence_id, o.task_id, o.unit_id, o.recipient_id, o.person_id, o.deadline,
         array_to_string(ARRAY(SELECT oo.person_id FROM occurrence_owner oo WHERE oo.occurrence_id = o.id), ',') AS owner_ids
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
    // The units and the occurrences are read at once, on two connections.
    const [unitRows, occurrences] = await Promise.all([
      this.dataSource.query(UNITS_SQL, [municipalityIds]) as Promise<UnitRow[]>,
      this.dataSource.query(MONTHLY_ITEMS_SQL, [municipalityIds, first, last, today]) as Promise<OccurrenceRow[]>,
    ]);
    const managers = unitRows.filter((r): r is ManagerRow => r.person_id !== null);
    if (managers.length === 0) return [];
    const { items, wheelsNamedApart, personOf } = await this.describe(occurrences, unitRows, first);

    // Each checklist is the batch's rows of its units, in checklistOrder. Where no municipality has two
    // wheels of one name, ordering the batch once and handing the rows out in that order gives each
    // checklist its order (a wheel's rows, an overdue part, a duty's people all stay whole and in order).
    const checklists = new Map<string, Checklist>();
    for (const manager of managers) if (!checklists.has(manager.unit_id)) checklists.set(manager.unit_id, new Checklist());
    const holders = checklistsHolding(unitRows, checklists);
    if (wheelsNamedApart) {
      for (const item of checklistOrder(items)) for (const checklist of holders(item.unitId)) checklist.add(item);
    } else {
      const held = new Map<Checklist, ChecklistItem[]>();
      for (const item of items) {
        for (const checklist of holders(item.unitId)) {
          const list = held.get(checklist);
          if (list) list.push(item);
          else held.set(checklist, [item]);
        }
      }
      for (const [checklist, list] of held) for (const item of checklistOrder(list)) checklist.add(item);
    }

    // A row is printed by its unit's checklist and often by those above: rendered once per language.
    const rowOf = (item: ChecklistItem, language: Language): ChecklistRow => {
      let row = item[language];
      if (!row) {
        const owners = item.ownerIds === '' ? [] : item.ownerIds.split(',').map((id) => personOf.get(id)!);
        if (owners.length > 1) owners.sort((a, b) => a.rank - b.rank);
        const { occurrenceId, title, unitName, recipientCode, deadline } = item;
        const shown = { occurrenceId, title, unitName, recipientCode, deadline, owners: owners.map((o) => o.text) };
        item[language] = row = monthlyChecklistRow(shown, this.link(item.occurrenceId), language);
      }
      return row;
    };
    const section = ({ listed, total }: Checklist['current'], language: Language): ChecklistSection => ({
      listed: listed.map((item) => rowOf(item, language)),
      total,
    });

    const planned: PlannedMessage[] = [];
    const webhooksDone = new Set<string>();
    // Managers of one unit in one language get the same message: it is made once.
    const made = new Map<string, PlannedMessage['message']>();
    for (const manager of managers) {
      const link = reminderLink(this.config.publicBaseUrl, { kind: 'monthly_checklist', occurrenceId: null, unitId: manager.unit_id, forDate: today });
      const checklist = checklists.get(manager.unit_id)!;
      const madeKey = `${manager.unit_id}|${manager.language}`;
      let message = made.get(madeKey);
      if (!message) {
        const language = manager.language;
        const parts = { current: section(checklist.current, language), overdue: section(checklist.overdue, language), ownerless: section(checklist.ownerless, language) };
        made.set(madeKey, (message = monthlyChecklistFromRows(manager.unit_name, month, parts, language, link)));
      }
      const base = { municipalityId: manager.municipality_id, kind: 'monthly_checklist' as const, unitId: manager.unit_id, occurrenceId: null, itemIds: checklist.itemIds, forDate: today, link, message };
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
   * The occurrences as checklist items, with what they show (task title, unit name, recipient code; the
   * owners' names when printed) from the details read once, in the checklist's ORDER BY. Tells whether
   * every municipality's wheels have names of their own.
   */
  private async describe(
    occurrences: OccurrenceRow[],
    units: UnitRow[],
    monthStart: LocalDate,
  ): Promise<{ items: ChecklistItem[]; wheelsNamedApart: boolean; personOf: Map<string, DetailRow> }> {
    const tasks = new Set<string>();
    const recipients = new Set<string>();
    const people = new Set<string>();
    for (const o of occurrences) {
      tasks.add(o.task_id);
      if (o.recipient_id) recipients.add(o.recipient_id);
      if (o.person_id) people.add(o.person_id);
      // uuids, comma-separated
      for (let at = 0; at < o.owner_ids.length; at += 37) people.add(o.owner_ids.slice(at, at + 36));
    }
    const details: DetailRow[] = occurrences.length === 0 ? [] : await this.dataSource.query(DETAILS_SQL, [[...tasks], [...recipients], [...people]]);
    const of = { task: new Map<string, DetailRow>(), wheel: new Map<string, DetailRow>(), recipient: new Map<string, DetailRow>(), person: new Map<string, DetailRow>() };
    for (const d of details) of[d.kind].set(d.id, d);
    const unitOf = new Map(units.map((u) => [u.unit_id, u]));
    const days = new Map<LocalDate, number>();

    const items: ChecklistItem[] = [];
    const wheelNamed = new Map<string, string>();
    let wheelsNamedApart = true;
    for (const o of occurrences) {
      const task = of.task.get(o.task_id)!;
      const unit = unitOf.get(o.unit_id)!;
      const recipient = o.recipient_id ? of.recipient.get(o.recipient_id)! : null;
      const person = o.person_id ? of.person.get(o.person_id)! : null;
      const wheelId = task.wheel_id!;
      const wheelRank = of.wheel.get(wheelId)!.rank;
      const named = `${unit.municipality_id}|${wheelRank}`;
      if ((wheelNamed.get(named) ?? wheelId) !== wheelId) wheelsNamedApart = false;
      wheelNamed.set(named, wheelId);
      let day = days.get(o.deadline);
      if (day === undefined) days.set(o.deadline, (day = Number(o.deadline.replace(/-/g, ''))));
      items.push(
        new ChecklistItem(
          o.occurrence_id, o.task_id, o.unit_id, o.person_id, o.deadline, o.owner_ids, wheelId, o.deadline < monthStart,
          // ORDER BY w.name, o.deadline, t.sort_order, t.title, u.name, r.code, pp.display_name (NULLs last), o.id
          wheelRank, day, task.sort_order!, task.rank, unit.name_rank, recipient?.rank ?? Infinity, person?.rank ?? Infinity,
          task.text, unit.unit_name, recipient?.text ?? null,
        ),
      );
    }
    items.sort(
      (a, b) =>
        a.wheelRank - b.wheelRank ||
        a.day - b.day ||
        a.sortOrder - b.sortOrder ||
        a.taskRank - b.taskRank ||
        a.unitRank - b.unitRank ||
        compareRanks(a.recipientRank, b.recipientRank) ||
        compareRanks(a.personRank, b.personRank) ||
        (a.occurrenceId < b.occurrenceId ? -1 : a.occurrenceId > b.occurrenceId ? 1 : 0),
    );
    return { items, wheelsNamedApart, personOf: of.person };
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
function checklistsHolding(units: UnitRow[], checklists: Map<string, Checklist>): (unitId: string) => Checklist[] {
  const tree = new Map<string, { parent: string | null; active: boolean }>();
  for (const u of units) if (!tree.has(u.unit_id)) tree.set(u.unit_id, { parent: u.parent_id, active: u.active });
  const holders = new Map<string, Checklist[]>();
  return (unitId) => {
    let list = holders.get(unitId);
    if (list) return list;
    list = [];
    const seen = new Set<string>();
    for (let id: string | null = unitId; id !== null && !seen.has(id) && seen.size < UNIT_TREE_MAX_DEPTH; ) {
      const unit = tree.get(id);
      if (!unit?.active) break;
      seen.add(id);
      const checklist = checklists.get(id);
      if (checklist) list.push(checklist);
      id = unit.parent;
    }
    holders.set(unitId, list);
    return list;
  };
}

/** Two ranks, Infinity (NULL, last) equal to itself. */
function compareRanks(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * A checklist's rows in the order the checklist shows them (ChecklistService.checklist): grouped by wheel in
 * order of first appearance, a duty per person gathered at its first person's place (task, unit, deadline)
 * and listed person by person, and in each wheel the overdue rows from earlier months first.
 */
function checklistOrder(rows: ChecklistItem[]): ChecklistItem[] {
  // Per wheel its parts in order of first appearance, each a row or a duty's people.
  const groups = new Map<string, { earlier: Array<ChecklistItem | ChecklistItem[]>; later: Array<ChecklistItem | ChecklistItem[]> }>();
  const perPerson = new Map<string, ChecklistItem[]>();
  for (const row of rows) {
    let group = groups.get(row.wheelId);
    if (!group) groups.set(row.wheelId, (group = { earlier: [], later: [] }));
    const part = row.earlier ? group.earlier : group.later;
    if (!row.perPerson) {
      part.push(row);
      continue;
    }
    const key = `${row.taskId}|${row.unitId}|${row.deadline}`;
    let people = perPerson.get(key);
    if (!people) {
      perPerson.set(key, (people = []));
      part.push(people);
    }
    people.push(row);
  }
  const ordered: ChecklistItem[] = [];
  for (const { earlier, later } of groups.values()) {
    for (const part of [earlier, later]) {
      for (const entry of part) {
        if (Array.isArray(entry)) ordered.push(...entry);
        else ordered.push(entry);
      }
    }
  }
  return ordered;
}
