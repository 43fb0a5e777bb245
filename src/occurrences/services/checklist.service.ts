import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadDatabase } from '../../database/read-database';
import { groupedRead } from '../../database/grouped-read';
import { prepared } from '../../database/prepared-statements';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { addDays, LocalDate, monthBounds } from '../../schedule/local-date';
import { unitScope } from '../../organisation/unit-scope.sql';
import { limitOf } from '../../common/pagination';
import { ChecklistDto, ChecklistGroupDto, ChecklistItemDto, asksForPage, ChecklistPageDto, ChecklistQuery, OccurrenceItemDto, OccurrenceStatus } from '../dtos/checklist.dto';
import { ChecklistRowFilters, ChecklistRowsQuery, checklistRowsSql, ITEM_COLUMNS, ITEM_JOINS, KEYSET_OF, PERSON_COUNTS } from './checklist.sql';

interface ItemRow {
  occurrence_id: string;
  task_id: string;
  title: string;
  wheel_id: string;
  wheel_name: string;
  wheel_kind: string;
  unit_id: string;
  unit_name: string;
  recipient_code: string | null;
  owners: Array<{ id: string; displayName: string }>;
  deadline: LocalDate;
  opens_on: LocalDate;
  stored_in: string | null;
  stored_in_url: string | null;
  example: boolean;
  outcome: 'done' | 'not_applicable' | null;
  late: boolean | null;
  signed_at: Date | null;
  signed_by: string | null;
  signed_by_name: string | null;
  comment: string | null;
  recorded_stored_in: string | null;
  person_id: string | null;
  person_name: string | null;
  /** A duty per person, in the checklist only: how many people have it at this deadline, and how many signed. */
  person_counts?: { total: number; signed: number } | null;
}

/**
 * A month's checklist: $1 municipality, $2 unit, $3 and $4 the month's first and last day, $5 whether
 * to include the units below, $6 today; with `ofTask`, $7 the one task to list. Open items from earlier
 * months come along: they are overdue.
 */
function checklistSql(ofTask: boolean): string {
  return `
  WITH ${unitScope('$2', '$1', '$5')}
  SELECT ${ITEM_COLUMNS},
         ${PERSON_COUNTS}
    FROM occurrence o ${ITEM_JOINS}
   WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL
     AND (o.deadline BETWEEN $3 AND $4 OR (o.deadline < $3 AND o.deadline < $6 AND o.standing_outcome IS NULL))
     ${ofTask ? 'AND o.task_id = $7' : ''}
   ORDER BY w.name, o.deadline, t.sort_order, t.title, u.name, r.code, pp.display_name`;
}

/** Exported for the checklist benchmark's baseline server, which runs this very query. */
export const CHECKLIST_SQL = prepared(checklistSql(false), { generic: true });
/** The same for one task (the wheel's mark of a task's month across the sub-units opens it). */
const CHECKLIST_OF_TASK_SQL = prepared(checklistSql(true), { generic: true });

/** The month's checklist of a unit, and a person's own tasks. */
@Injectable()
export class ChecklistService {
  constructor(private readonly reads: ReadDatabase, private readonly municipalities: MunicipalitiesService) {}

  /** Checklists read from a standby when one is healthy (ReadDatabase). */
  private get dataSource(): DataSource {
    return this.reads.source();
  }

  /** `today` is the clock's unless given: a replayed reminder pass sees the month as it was on the replayed day. */
  async checklist(municipalityId: string, unitId: string, month: string, subtree: boolean, today?: LocalDate, taskId?: string): Promise<ChecklistDto> {
    today ??= await this.municipalities.today(municipalityId);
    const { first, last } = monthBounds(month);
    const rows: ItemRow[] = taskId
      ? await this.dataSource.query(CHECKLIST_OF_TASK_SQL, [municipalityId, unitId, first, last, subtree, today, taskId])
      : await this.dataSource.query(CHECKLIST_SQL, [municipalityId, unitId, first, last, subtree, today]);

    const groups = new Map<string, ChecklistGroupDto>();
    // A duty per person is one row per task, unit and deadline, opening to each person's own occurrence.
    const perPerson = new Map<string, ChecklistItemDto>();
    for (const row of rows) {
      const item = toItem(row, today, first);
      let group = groups.get(row.wheel_id);
      if (!group) groups.set(row.wheel_id, (group = { wheelId: row.wheel_id, wheelName: row.wheel_name, wheelKind: row.wheel_kind, items: [] }));
      if (!row.person_id) {
        group.items.push(item);
        continue;
      }
      const key = `${row.task_id}|${row.unit_id}|${row.deadline}`;
      let shared = perPerson.get(key);
      if (!shared) {
        const counts = row.person_counts ?? { total: 0, signed: 0 };
        shared = { ...item, occurrenceId: null, person: null, owners: [], signedBy: null, signedAt: null, comment: null, recordedStoredIn: null, people: [], doneCount: counts.signed, total: counts.total };
        perPerson.set(key, shared);
        group.items.push(shared);
      }
      shared.people!.push(item);
      shared.owners.push(...item.owners);
      shared.status = combinedStatus(shared.people!.map((p) => p.status));
    }
    // Overdue items from earlier months first: they are what a manager must chase.
    for (const group of groups.values()) group.items.sort((a, b) => Number(b.fromEarlierMonth) - Number(a.fromEarlierMonth));
    return { unitId, month, subtree, today, groups: [...groups.values()] };
  }

  /**
   * The checklist as the API answers: one unit's month grouped by wheel, as the pages show it; with
   * `subtree`, or when a page is asked for (`limit`, `cursor`) or a filter, a page of rows and the total
   * instead, as a large unit's subtree holds tens of thousands of rows a month.
   */
  async forRequest(municipalityId: string, unitId: string, query: ChecklistQuery): Promise<ChecklistDto | ChecklistPageDto> {
    return asksForPage(query) ? this.page(municipalityId, unitId, query) : this.checklist(municipalityId, unitId, query.month, false);
  }

  /** A page of the month's checklist rows of the unit (and, with subtree, the units below), by deadline. */
  async page(municipalityId: string, unitId: string, query: ChecklistQuery): Promise<ChecklistPageDto> {
    const keyset = KEYSET_OF.deadline;
    const decoded = keyset.decode(query.cursor);
    const key = query.cursor === undefined ? null : decoded;
    const limit = limitOf(query);
    const subtree = query.subtree ?? false;
    const filters: ChecklistRowFilters = {
      wheelId: query.wheelId,
      taskId: query.taskId,
      status: query.status,
      personId: query.personId,
      recipientCode: query.recipientCode,
    };
    const found = await this.rows(municipalityId, unitId, query.month, subtree, { order: 'deadline', key, limit, filters });
    const entries = found.entries.slice(0, limit);
    const nextCursor = found.entries.length > limit ? keyset.encode(entries[entries.length - 1].sortKey) : null;
    return { unitId, month: query.month, subtree, today: found.today, items: entries.map((e) => e.item), total: found.total, limit, nextCursor };
  }

  /**
   * A page of the flat checklist (the page's «med underenheter»): `limit` rows by wheel after the row of
   * `key` (or, `backward`, before it), with every filter in SQL; each wheel's month for its heading, and by
   * choice the people and recipient codes to choose from (up to `choices`; more, and the list is cut off).
   */
  async flatPage(
    municipalityId: string,
    unitId: string,
    month: string,
    subtree: boolean,
    options: { key: unknown[] | null; backward?: boolean; limit: number; filters: ChecklistRowFilters; choices?: number },
  ): Promise<FlatChecklistPage> {
    const found = await this.rows(municipalityId, unitId, month, subtree, { order: 'wheel', wheels: true, ...options });
    const more = found.entries.length > options.limit;
    let entries = found.entries.slice(0, options.limit);
    // Backward, the rows came last first: the page shows them in order, and starts after those before it.
    if (options.backward) entries = entries.reverse();
    const start = options.backward ? Math.max(0, found.before - entries.length) : found.before;
    const cursor = (e: RowEntry | undefined) => (e ? KEYSET_OF.wheel.encode(e.sortKey) : null);
    return {
      today: found.today,
      items: entries.map((e) => e.item),
      total: found.total,
      start,
      nextCursor: options.backward ? (found.total > start + entries.length ? cursor(entries[entries.length - 1]) : null) : more ? cursor(entries[entries.length - 1]) : null,
      previousCursor: start > 0 ? cursor(entries[0]) : null,
      wheels: found.wheels ?? [],
      people: found.people,
      codes: found.codes,
    };
  }

  /** A page of rows as checklistRowsSql reads them, a duty per person's people made one row. */
  private async rows(
    municipalityId: string,
    unitId: string,
    month: string,
    subtree: boolean,
    query: ChecklistRowsQuery,
  ): Promise<{ today: LocalDate; entries: RowEntry[]; total: number; before: number; wheels?: WheelMonth[]; people?: Array<{ id: string; name: string }> | null; codes?: string[] | null }> {
    const today = await this.municipalities.today(municipalityId);
    const { first, last } = monthBounds(month);
    const { sql, params } = checklistRowsSql(query);
    const [answer]: Array<{ total: number; before: number; rows: Array<ItemRow & { sort_key: unknown[] }>; wheels?: WheelMonth[]; people?: Array<{ id: string; name: string }> | null; codes?: string[] | null }> =
      await groupedRead(this.dataSource, sql, [municipalityId, unitId, first, last, subtree, today, ...params]);
    // Rows of one key are adjacent: a duty per person's people become one row.
    const entries: RowEntry[] = [];
    let previousKey = '';
    for (const row of answer.rows) {
      const item = toItem(row, today, first);
      const key = JSON.stringify(row.sort_key);
      const previous = entries[entries.length - 1];
      if (!row.person_id) entries.push({ sortKey: row.sort_key, item });
      else if (previous && previousKey === key) addPerson(previous.item, item);
      else entries.push({ sortKey: row.sort_key, item: addPerson(perPersonRow(item, row.person_counts), item) });
      previousKey = key;
    }
    return { today, entries, total: answer.total, before: answer.before, wheels: answer.wheels, people: answer.people, codes: answer.codes };
  }

  /** Every occurrence of the unit (and, by choice, its sub-units) with a deadline in [first, last]. */
  async between(municipalityId: string, unitId: string, first: LocalDate, last: LocalDate, subtree: boolean, limit?: number): Promise<OccurrenceItemDto[]> {
    const today = await this.municipalities.today(municipalityId);
    const rows: ItemRow[] = await this.dataSource.query(
      `WITH ${unitScope('$2', '$1', '$5')}
       SELECT ${ITEM_COLUMNS}
         FROM occurrence o ${ITEM_JOINS}
        WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4
        ORDER BY o.deadline, w.name, t.sort_order, r.code
        LIMIT $6`,
      [municipalityId, unitId, first, last, subtree, limit ?? null],
    );
    return rows.map((row) => toItem(row, today, first));
  }

  /**
   * The duties per person (task scope `person`) of the unit (and, by choice, its sub-units) with a deadline
   * in [first, last]: one row per task, unit and deadline with each person's occurrence, for Internkontroll.
   */
  async dutiesPerPerson(municipalityId: string, unitId: string, first: LocalDate, last: LocalDate, subtree: boolean): Promise<ChecklistItemDto[]> {
    const today = await this.municipalities.today(municipalityId);
    const rows: ItemRow[] = await this.dataSource.query(
      `WITH ${unitScope('$2', '$1', '$5')}
       SELECT ${ITEM_COLUMNS}
         FROM occurrence o ${ITEM_JOINS}
        WHERE o.municipality_id = $1 AND o.unit_id IN (SELECT id FROM scope) AND o.cancelled_at IS NULL AND o.deadline BETWEEN $3 AND $4
          AND o.person_id IS NOT NULL
        ORDER BY o.deadline, w.name, t.sort_order, t.title, u.name, pp.display_name`,
      [municipalityId, unitId, first, last, subtree],
    );
    const rowsOf = new Map<string, ChecklistItemDto>();
    for (const row of rows) {
      const item = toItem(row, today, first);
      const key = `${row.task_id}|${row.unit_id}|${row.deadline}`;
      let shared = rowsOf.get(key);
      if (!shared) rowsOf.set(key, (shared = { ...item, occurrenceId: null, person: null, owners: [], signedBy: null, signedAt: null, comment: null, recordedStoredIn: null, people: [], doneCount: 0, total: 0 }));
      shared.people!.push(item);
      shared.owners.push(...item.owners);
      shared.total! += 1;
      if (item.signedBy) shared.doneCount! += 1;
      shared.status = combinedStatus(shared.people!.map((p) => p.status));
    }
    return [...rowsOf.values()];
  }

  /** One occurrence as the lists show it, with whether this person owns it. */
  async item(municipalityId: string, occurrenceId: string, personId: string): Promise<(OccurrenceItemDto & TaskTexts & { mine: boolean }) | undefined> {
    const today = await this.municipalities.today(municipalityId);
    const [row]: Array<ItemRow & { mine: boolean; description: string | null; legal_basis: string | null }> = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS}, t.description, t.legal_basis,
              EXISTS (SELECT 1 FROM occurrence_owner m WHERE m.occurrence_id = o.id AND m.person_id = $3) AS mine
         FROM occurrence o ${ITEM_JOINS}
        WHERE o.id = $1 AND o.municipality_id = $2 AND o.cancelled_at IS NULL`,
      [occurrenceId, municipalityId, personId],
    );
    return row ? { ...toItem(row, today, `${today.slice(0, 7)}-01`), description: row.description, legalBasis: row.legal_basis, mine: row.mine } : undefined;
  }

  /** A person's open tasks (their window has opened) and overdue tasks, most urgent first; by choice then those coming. */
  async myTasks(municipalityId: string, personId: string, upcoming = false): Promise<OccurrenceItemDto[]> {
    const open = await this.openTasks(municipalityId, personId);
    return upcoming ? [...open, ...(await this.upcomingTasks(municipalityId, personId))] : open;
  }

  /** A person's open tasks (their window has opened) and overdue tasks, most urgent first. */
  async openTasks(municipalityId: string, personId: string): Promise<OccurrenceItemDto[]> {
    const today = await this.municipalities.today(municipalityId);
    const rows: ItemRow[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS}
         FROM occurrence_owner mine JOIN occurrence o ON o.id = mine.occurrence_id ${ITEM_JOINS}
        WHERE mine.person_id = $1 AND o.municipality_id = $2 AND o.cancelled_at IS NULL AND o.opens_on <= $3
          AND o.standing_outcome IS NULL
        ORDER BY o.deadline, t.sort_order, t.title, r.code`,
      [personId, municipalityId, today],
    );
    return rows.map((row) => toItem(row, today, `${today.slice(0, 7)}-01`));
  }

  /**
   * A person's own occurrences (as Mine oppgaver counts them: the ones they own) with a deadline in
   * [first, last], signed or not, and those still open from before `first` (Mine oppgaver shows them as
   * overdue): what their calendar feed shows. At most `limit`, earliest deadline first.
   */
  async mineBetween(municipalityId: string, personId: string, first: LocalDate, last: LocalDate, limit: number): Promise<OccurrenceItemDto[]> {
    const today = await this.municipalities.today(municipalityId);
    const rows: ItemRow[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS}
         FROM occurrence_owner mine JOIN occurrence o ON o.id = mine.occurrence_id ${ITEM_JOINS}
        WHERE mine.person_id = $1 AND o.municipality_id = $2 AND o.cancelled_at IS NULL
          AND (o.deadline BETWEEN $3 AND $4 OR (o.deadline < $3 AND o.standing_outcome IS NULL))
        ORDER BY o.deadline, t.sort_order, t.title, r.code
        LIMIT $5`,
      [personId, municipalityId, first, last, limit],
    );
    return rows.map((row) => toItem(row, today, `${today.slice(0, 7)}-01`));
  }

  /**
   * A person's tasks not open yet (their window opens later) that fall due this month or within the next
   * 30 days: what is coming, so nobody is told all is done while the month's tasks wait.
   */
  async upcomingTasks(municipalityId: string, personId: string): Promise<OccurrenceItemDto[]> {
    const today = await this.municipalities.today(municipalityId);
    const until = [monthBounds(today.slice(0, 7)).last, addDays(today, UPCOMING_DAYS)].sort()[1];
    const rows: ItemRow[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS}
         FROM occurrence_owner mine JOIN occurrence o ON o.id = mine.occurrence_id ${ITEM_JOINS}
        WHERE mine.person_id = $1 AND o.municipality_id = $2 AND o.cancelled_at IS NULL AND o.opens_on > $3
          AND o.deadline <= $4 AND o.standing_outcome IS NULL
        ORDER BY o.deadline, t.sort_order, t.title, r.code`,
      [personId, municipalityId, today, until],
    );
    return rows.map((row) => toItem(row, today, `${today.slice(0, 7)}-01`));
  }
}

interface RowEntry {
  sortKey: unknown[];
  item: ChecklistItemDto;
}

/** A wheel's month in the flat checklist: the occurrences due in the month itself (each person's own) and how many are signed. */
export interface WheelMonth {
  id: string;
  name: string;
  kind: string;
  total: number;
  done: number;
}

/** A page of the flat checklist, as the page shows it. */
export interface FlatChecklistPage {
  today: LocalDate;
  items: ChecklistItemDto[];
  /** Rows matching the filters, on all pages. */
  total: number;
  /** How many rows come before this page's first. */
  start: number;
  nextCursor: string | null;
  previousCursor: string | null;
  /** Every wheel with rows in the month (the task filter applied, not the others), with its month's progress. */
  wheels: WheelMonth[];
  /** Asked for: up to `choices` + 1 of the people responsible and the recipient codes in the month. */
  people?: Array<{ id: string; name: string }> | null;
  codes?: string[] | null;
}

/** How far ahead «Kommende» looks beyond the end of this month. */
export const UPCOMING_DAYS = 30;

/** What the task page says about the task beyond the lists' columns. */
export interface TaskTexts {
  description: string | null;
  legalBasis: string | null;
}

/** A duty per person's one row, from its first person's occurrence, before the people are added. */
function perPersonRow(item: OccurrenceItemDto, counts: ItemRow['person_counts']): ChecklistItemDto {
  const { total, signed } = counts ?? { total: 0, signed: 0 };
  return { ...item, occurrenceId: null, person: null, owners: [], signedBy: null, signedAt: null, comment: null, recordedStoredIn: null, people: [], doneCount: signed, total };
}

function addPerson(row: ChecklistItemDto, item: OccurrenceItemDto): ChecklistItemDto {
  row.people!.push(item);
  row.owners.push(...item.owners);
  row.status = combinedStatus(row.people!.map((p) => p.status));
  return row;
}

function statusOf(row: ItemRow, today: LocalDate): OccurrenceStatus {
  if (row.outcome === 'done') return row.late ? 'done_late' : 'done';
  if (row.outcome === 'not_applicable') return 'not_applicable';
  return row.deadline < today ? 'overdue' : 'open';
}

/** A duty per person as one row: the worst of its people's, so that one person overdue shows as overdue. */
export function combinedStatus(statuses: OccurrenceStatus[]): OccurrenceStatus {
  for (const s of ['overdue', 'open'] as const) if (statuses.includes(s)) return s;
  if (statuses.every((s) => s === 'not_applicable')) return 'not_applicable';
  return statuses.includes('done_late') ? 'done_late' : 'done';
}

function toItem(row: ItemRow, today: LocalDate, monthStart: LocalDate): OccurrenceItemDto {
  return {
    occurrenceId: row.occurrence_id,
    taskId: row.task_id,
    title: row.title,
    wheelId: row.wheel_id,
    wheelName: row.wheel_name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    recipientCode: row.recipient_code,
    owners: row.owners,
    ownerless: row.owners.length === 0,
    example: row.example,
    deadline: row.deadline,
    opensOn: row.opens_on,
    storedIn: row.stored_in,
    storedInUrl: row.stored_in_url,
    status: statusOf(row, today),
    fromEarlierMonth: row.deadline < monthStart,
    signedBy: row.outcome && row.signed_by ? { id: row.signed_by, displayName: row.signed_by_name! } : null,
    signedAt: row.outcome && row.signed_at ? new Date(row.signed_at).toISOString() : null,
    comment: row.outcome ? row.comment : null,
    recordedStoredIn: row.outcome ? row.recorded_stored_in : null,
    person: row.person_id ? { id: row.person_id, displayName: row.person_name! } : null,
  };
}
