import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/app-config';
import { isSigned } from '../../records/standing.sql';
import { firstWorkingDay } from '../../schedule/holidays';
import { LocalDate, localDateAt } from '../../schedule/local-date';
import { MailAttachment } from '../channels/channel';
import { reminderLink } from '../links';
import { digestMessage, Language, Message, ReminderItem, ReminderKind, reminderMessage } from '../messages';
import { morningBatches, MonthlyChecklists } from './monthly-checklists';
import { UNIT_TREE_MAX_DEPTH } from '../../organisation/unit-scope.sql';

/** Reminders go out from 07:00 local time: after the night, and far from the 02:00–03:00 that DST skips or repeats. */
export const SEND_FROM_HOUR = 7;

export interface PlannedMessage {
  dedupeKey: string;
  municipalityId: string;
  kind: ReminderKind | 'monthly_checklist' | 'daily_digest' | 'chain_imprint';
  channel: 'email' | 'teams' | 'teams_channel';
  personId: string | null;
  unitId: string | null;
  occurrenceId: string | null;
  itemIds: string[];
  forDate: LocalDate;
  address: string;
  link: string;
  message: Message;
  /** Sent with an e-mail only (kept in the outbox row). */
  attachments?: MailAttachment[];
}

interface Candidate {
  occurrence_id: string;
  kind: ReminderKind;
  person_id: string;
  deputy_for: string | null;
  email: string;
  teams_id: string;
  wants_email: boolean;
  wants_teams: boolean;
  digest: boolean;
  language: Language;
  title: string;
  unit_name: string;
  recipient_code: string | null;
  deadline: LocalDate;
}

/**
 * Decides which reminders are due at an instant: the monthly checklist on the first working day of the
 * month, and opens / due soon / due today / overdue / escalation for each unsigned occurrence. An
 * escalation goes to the nearest manager, from the occurrence's unit up, who is not one of its owners. An
 * occurrence nobody owns is never silent: each manager's monthly checklist lists it under "Ingen ansvarlig".
 * It only plans; the outbox makes each planned message unique and the dispatcher sends it.
 */
@Injectable()
export class ReminderPlanner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly monthlyChecklists: MonthlyChecklists,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `at` decides only what is due; when a planned message may be sent is the outbox's (the real clock's) affair.
   * With `monthlyChecklists: false` the first working day's checklists are left out: a reminder pass has
   * them planned municipality by municipality, divided between replicas (ReminderMornings).
   */
  async plan(at: Date, options: { monthlyChecklists?: boolean; municipalities?: MunicipalityDay[] } = {}): Promise<PlannedMessage[]> {
    const { monthlyChecklists = true, municipalities = await this.municipalitiesAt(at) } = options;
    const planned: PlannedMessage[] = [];
    for (const m of municipalities) planned.push(...(await this.occurrenceReminders(m.municipalityId, m.today)));
    if (monthlyChecklists) {
      for (const batch of morningBatches(await this.monthlyChecklists.sized(mornings(municipalities)))) planned.push(...(await this.monthlyChecklists.planMornings(batch)));
    }
    return planned;
  }

  /**
   * The municipalities where reminders may go out at `at` (from 07:00 local time), with their local date,
   * largest first: planning the long mornings early spreads a morning evenly over replicas.
   */
  async municipalitiesAt(at: Date): Promise<MunicipalityDay[]> {
    const municipalities: Array<{ id: string; time_zone: string }> = await this.dataSource.query(
      `SELECT m.id, m.time_zone FROM municipality m ORDER BY (SELECT count(*) FROM unit u WHERE u.municipality_id = m.id) DESC, m.id`,
    );
    return municipalities
      .filter((m) => localHour(at, m.time_zone) >= SEND_FROM_HOUR)
      .map((m) => ({ municipalityId: m.id, today: localDateAt(at, m.time_zone) }));
  }

  private link(occurrenceId: string): string {
    return reminderLink(this.config.publicBaseUrl, { kind: 'task', occurrenceId, unitId: null, forDate: '' });
  }

  private async occurrenceReminders(municipalityId: string, today: LocalDate): Promise<PlannedMessage[]> {
    const rows: Candidate[] = await this.dataSource.query(
      `WITH RECURSIVE occ AS (
         SELECT o.id, o.unit_id, o.deadline, o.opens_on, t.title, u.name AS unit_name, r.code AS recipient_code,
                COALESCE(t.due_soon_days, w.due_soon_days, m.due_soon_days) AS due_soon,
                COALESCE(t.escalation_days, w.escalation_days, m.escalation_days) AS escalation
           FROM occurrence o
           JOIN task_definition t ON t.id = o.task_id
           JOIN wheel w ON w.id = t.wheel_id
           JOIN unit u ON u.id = o.unit_id
           JOIN municipality m ON m.id = o.municipality_id
           LEFT JOIN recipient r ON r.id = o.recipient_id
          WHERE o.municipality_id = $1 AND o.cancelled_at IS NULL
            AND o.deadline BETWEEN $2::date - 100 AND $2::date + 70
            AND NOT ${isSigned('o')}
       ),
       due AS (
         SELECT id, 'opens' AS kind FROM occ WHERE opens_on = $2 AND opens_on < deadline
         UNION ALL SELECT id, 'due_soon' FROM occ WHERE deadline = $2::date + due_soon
         UNION ALL SELECT id, 'due_today' FROM occ WHERE deadline = $2
         UNION ALL SELECT id, 'overdue' FROM occ WHERE deadline = $2::date - 1
         UNION ALL SELECT id, 'escalation' FROM occ WHERE deadline = $2::date - escalation
       ),
       line AS (   -- for escalations: the unit and every unit above it
         SELECT occ.id AS occurrence_id, occ.unit_id, 0 AS depth FROM occ JOIN due ON due.id = occ.id AND due.kind = 'escalation'
         UNION ALL
         SELECT line.occurrence_id, u.parent_id, line.depth + 1 FROM line JOIN unit u ON u.id = line.unit_id
          WHERE u.parent_id IS NOT NULL AND line.depth < ${UNIT_TREE_MAX_DEPTH}
       ),
       managers AS (   -- not the owners: a manager's own overdue task goes one level up, not back to her
         SELECT line.occurrence_id, ra.person_id, line.depth FROM line JOIN role_assignment ra ON ra.unit_id = line.unit_id AND ra.role = 'manager'
          WHERE NOT EXISTS (SELECT 1 FROM occurrence_owner oo WHERE oo.occurrence_id = line.occurrence_id AND oo.person_id = ra.person_id)
       ),
       addressed AS (
         SELECT due.id AS occurrence_id, due.kind, oo.person_id FROM due JOIN occurrence_owner oo ON oo.occurrence_id = due.id WHERE due.kind <> 'escalation'
         UNION
         SELECT mg.occurrence_id, 'escalation', mg.person_id FROM managers mg
          WHERE mg.depth = (SELECT min(depth) FROM managers m2 WHERE m2.occurrence_id = mg.occurrence_id)
       ),
       with_deputies AS (
         SELECT occurrence_id, kind, person_id, NULL::text AS deputy_for FROM addressed
         UNION
         SELECT a.occurrence_id, a.kind, d.deputy_id, absent.display_name
           FROM addressed a JOIN deputy d ON d.person_id = a.person_id AND $2 BETWEEN d.from_date AND d.to_date
           JOIN person absent ON absent.id = a.person_id
       )
       SELECT wd.occurrence_id, wd.kind, wd.person_id, wd.deputy_for, p.email, COALESCE(p.entra_object_id, p.email) AS teams_id,
              COALESCE(np.email, true) AS wants_email, COALESCE(np.teams, false) AS wants_teams,
              COALESCE(np.daily_digest, false) AS digest, COALESCE(np.language, 'nb') AS language,
              occ.title, occ.unit_name, occ.recipient_code, occ.deadline
         FROM with_deputies wd
         JOIN occ ON occ.id = wd.occurrence_id
         JOIN person p ON p.id = wd.person_id AND p.archived_at IS NULL
         LEFT JOIN notification_preference np ON np.person_id = p.id
        ORDER BY wd.person_id, occ.deadline, occ.title`,
      [municipalityId, today],
    );

    const planned: PlannedMessage[] = [];
    const digests = new Map<string, Candidate[]>();
    for (const row of rows) {
      if (row.digest) {
        digests.set(row.person_id, [...(digests.get(row.person_id) ?? []), row]);
        continue;
      }
      const item = toItem(row);
      const message = reminderMessage(row.kind, item, this.link(row.occurrence_id), row.language, row.deputy_for ?? undefined);
      for (const channel of channelsOf(row)) {
        planned.push({
          dedupeKey: `${row.kind}:${row.occurrence_id}:${row.person_id}:${channel}:${today}`,
          municipalityId,
          kind: row.kind,
          channel,
          personId: row.person_id,
          unitId: null,
          occurrenceId: row.occurrence_id,
          itemIds: [row.occurrence_id],
          forDate: today,
          address: channel === 'email' ? row.email : row.teams_id,
          link: this.link(row.occurrence_id),
          message,
        });
      }
    }
    for (const [personId, items] of digests) {
      const first = items[0];
      const message = digestMessage(items.map((i) => ({ ...toItem(i), kind: i.kind })), (id) => this.link(id), first.language, today);
      for (const channel of channelsOf(first)) {
        planned.push({
          dedupeKey: `daily_digest:${personId}:${channel}:${today}`,
          municipalityId,
          kind: 'daily_digest',
          channel,
          personId,
          unitId: null,
          occurrenceId: null,
          itemIds: [...new Set(items.map((i) => i.occurrence_id))],
          forDate: today,
          address: channel === 'email' ? first.email : first.teams_id,
          link: reminderLink(this.config.publicBaseUrl, { kind: 'daily_digest', occurrenceId: null, unitId: null, forDate: today }),
          message,
        });
      }
    }
    return planned;
  }
}

/**
 * The unique key of the same message on another channel. Every key ends with `:{channel}:{date or month}`,
 * so a Teams message's e-mail twin has the very key the planner gives the e-mail it plans itself: whichever
 * is queued first, the other is not queued at all.
 */
export function dedupeKeyOnChannel(dedupeKey: string, channel: PlannedMessage['channel']): string {
  const parts = dedupeKey.split(':');
  parts[parts.length - 2] = channel;
  return parts.join(':');
}

export interface MunicipalityDay {
  municipalityId: string;
  today: LocalDate;
}

/** Of those, the ones whose monthly checklists are due: it is the first working day of their month. */
export function mornings(municipalities: MunicipalityDay[]): MunicipalityDay[] {
  return municipalities.filter((m) => m.today === firstWorkingDay(m.today.slice(0, 7)));
}

function localHour(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

function channelsOf(p: { wants_email: boolean; wants_teams: boolean }): Array<'email' | 'teams'> {
  return [...(p.wants_email ? ['email' as const] : []), ...(p.wants_teams ? ['teams' as const] : [])];
}

function toItem(row: Candidate): ReminderItem {
  return { occurrenceId: row.occurrence_id, title: row.title, unitName: row.unit_name, recipientCode: row.recipient_code, deadline: row.deadline };
}
