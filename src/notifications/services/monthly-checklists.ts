import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { LocalDate, monthBounds } from '../../schedule/local-date';
import { reminderLink } from '../links';
import { Language, Message, monthlyChecklistMessage, ReminderItem } from '../messages';
import type { PlannedMessage } from './reminder-planner';

interface ManagerRow {
  person_id: string;
  unit_id: string;
  unit_name: string;
  email: string;
  teams_id: string;
  wants_email: boolean;
  wants_teams: boolean;
  language: Language;
  webhook: string | null;
}

/** An occurrence as the monthly checklist lists it. */
export interface ChecklistItemRow {
  occurrence_id: string;
  task_id: string;
  wheel_id: string;
  unit_id: string;
  deadline: LocalDate;
  per_person: boolean;
  title: string;
  unit_name: string;
  recipient_code: string | null;
  /** Owners' display names, alphabetically; empty: nobody holds the task's role ("Ingen ansvarlig"). */
  owners: string[];
}

/** $1 municipality. Every active manager of an active unit, in the order their checklists have always been made. */
const MANAGERS_SQL = `
  SELECT ra.person_id, ra.unit_id, u.name AS unit_name, p.email, COALESCE(p.entra_object_id, p.email) AS teams_id,
         COALESCE(np.email, true) AS wants_email, COALESCE(np.teams, false) AS wants_teams, COALESCE(np.language, 'nb') AS language,
         u.teams_webhook_url AS webhook
    FROM role_assignment ra JOIN unit u ON u.id = ra.unit_id AND u.archived_at IS NULL
    JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
    LEFT JOIN notification_preference np ON np.person_id = p.id
   WHERE ra.municipality_id = $1 AND ra.role = 'manager'
   ORDER BY u.name, p.email`;

/**
 * $1 municipality. For every unit with a manager, the units its checklist covers: itself and every active unit
 * below it, walked as the checklist walks them (unitScope: through active units only; UNION stops at a
 * repeated pair, so a cycle forced into the table ends too).
 */
const SCOPES_SQL = `
  WITH RECURSIVE scope AS (
    SELECT DISTINCT u.id AS root, u.id
      FROM role_assignment ra JOIN unit u ON u.id = ra.unit_id AND u.archived_at IS NULL
      JOIN person p ON p.id = ra.person_id AND p.archived_at IS NULL
     WHERE ra.municipality_id = $1 AND ra.role = 'manager'
    UNION
    SELECT scope.root, u.id FROM unit u JOIN scope ON u.parent_id = scope.id WHERE u.archived_at IS NULL
  )
  SELECT root, id AS unit_id FROM scope`;

/**
 * $1 municipality, $2 and $3 the month's first and last day, $4 today. One pass over the municipality's
 * occurrences of the month and those still open from earlier months (the checklist's rows), in the
 * checklist's order (CHECKLIST_SQL's, with the id last so that equal rows keep one order). Read unit by
 * unit, as the checklist reads them: the month through (unit_id, deadline), the open backlog through the
 * partial index of open occurrences; no index leads with the municipality.
 */
export const MONTHLY_ITEMS_SQL = `
  WITH rows AS (
    SELECT o.* FROM unit mu JOIN occurrence o ON o.unit_id = mu.id AND o.deadline BETWEEN $2 AND $3
     WHERE mu.municipality_id = $1 AND o.municipality_id = $1 AND o.cancelled_at IS NULL
    UNION ALL
    SELECT o.* FROM unit mu JOIN occurrence o ON o.unit_id = mu.id AND o.deadline < $2 AND o.deadline < $4
     WHERE mu.municipality_id = $1 AND o.municipality_id = $1 AND o.cancelled_at IS NULL AND o.standing_outcome IS NULL
  )
  SELECT o.id AS occurrence_id, o.task_id, t.wheel_id, o.unit_id, o.deadline, o.person_id IS NOT NULL AS per_person,
         t.title, u.name AS unit_name, r.code AS recipient_code,
         COALESCE((SELECT json_agg(p.display_name ORDER BY p.display_name)
                     FROM occurrence_owner oo JOIN person p ON p.id = oo.person_id WHERE oo.occurrence_id = o.id), '[]') AS owners
    FROM rows o
    JOIN task_definition t ON t.id = o.task_id
    JOIN wheel w ON w.id = t.wheel_id
    JOIN unit u ON u.id = o.unit_id
    LEFT JOIN recipient r ON r.id = o.recipient_id
    LEFT JOIN person pp ON pp.id = o.person_id
   ORDER BY w.name, o.deadline, t.sort_order, t.title, u.name, r.code, pp.display_name, o.id`;

/**
 * The monthly checklists of a municipality's first working day, planned with three set-based statements
 * (its managers, the units each manager's checklist covers, and the month's occurrences with their owners)
 * instead of one checklist query per manager. Each occurrence is read once and handed to every manager
 * whose checklist holds it, so a municipality of 1,000 units costs one pass, not 1,000 checklists. The
 * messages are the ones the checklist page's rows would make (test/e2e/monthly-checklists.e2e-spec.ts
 * compares them with the old per-manager planning).
 */
@Injectable()
export class MonthlyChecklists {
  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** To each manager, their unit's checklist for the month (sub-units included) with what is still overdue. */
  async plan(municipalityId: string, today: LocalDate): Promise<PlannedMessage[]> {
    const month = today.slice(0, 7);
    const { first, last } = monthBounds(month);
    const managers: ManagerRow[] = await this.dataSource.query(MANAGERS_SQL, [municipalityId]);
    if (managers.length === 0) return [];
    const scopes: Array<{ root: string; unit_id: string }> = await this.dataSource.query(SCOPES_SQL, [municipalityId]);
    const items: ChecklistItemRow[] = await this.dataSource.query(MONTHLY_ITEMS_SQL, [municipalityId, first, last, today]);

    // Which checklists hold a unit's occurrences; then each occurrence, in order, to each of them.
    const holders = new Map<string, string[]>();
    for (const { root, unit_id } of scopes) {
      const list = holders.get(unit_id);
      if (list) list.push(root);
      else holders.set(unit_id, [root]);
    }
    const checklists = new Map<string, ChecklistItemRow[]>();
    for (const item of items) {
      for (const root of holders.get(item.unit_id) ?? []) {
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
        const all = checklistOrder(checklists.get(manager.unit_id) ?? [], first);
        const toReminderItem = (i: ChecklistItemRow): ReminderItem => ({
          occurrenceId: i.occurrence_id,
          title: i.title,
          unitName: i.unit_name,
          recipientCode: i.recipient_code,
          deadline: i.deadline,
          owners: i.owners,
        });
        // Nobody holds the task's role in the unit or above it: the manager is told, apart from the rest.
        const ownerless = all.filter((i) => i.owners.length === 0).map(toReminderItem);
        const owned = all.filter((i) => i.owners.length > 0);
        const overdue = owned.filter((i) => i.deadline < first).map(toReminderItem);
        const current = owned.filter((i) => i.deadline >= first).map(toReminderItem);
        const message = monthlyChecklistMessage(manager.unit_name, month, current, overdue, (id) => this.link(id), manager.language, link, ownerless);
        made.set(madeKey, (content = { message, itemIds: all.map((i) => i.occurrence_id) }));
      }
      const base = { municipalityId, kind: 'monthly_checklist' as const, unitId: manager.unit_id, occurrenceId: null, itemIds: content.itemIds, forDate: today, link, message: content.message };
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

  private link(occurrenceId: string): string {
    return reminderLink(this.config.publicBaseUrl, { kind: 'task', occurrenceId, unitId: null, forDate: '' });
  }
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
    let group = groups.get(row.wheel_id);
    if (!group) groups.set(row.wheel_id, (group = []));
    if (!row.per_person) {
      group.push({ earlier: row.deadline < monthStart, rows: [row] });
      continue;
    }
    const key = `${row.task_id}|${row.unit_id}|${row.deadline}`;
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
