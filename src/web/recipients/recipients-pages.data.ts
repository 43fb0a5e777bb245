import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LocalDate } from '../../schedule/local-date';

/** One of a recipient's occurrences as the recipient's page lists it: cancelled ones too, so a leaving or a move shows. */
export interface RecipientOccurrence {
  id: string;
  title: string;
  unitName: string;
  deadline: LocalDate;
  cancelled: boolean;
  outcome: 'done' | 'not_applicable' | null;
  late: boolean | null;
}

/**
 * What the recipients' pages read besides the services: names of units and people, a recipient's
 * occurrences, who may become a primary contact. Read-only, kept with the pages (STYLE.md point 9).
 */
@Injectable()
export class RecipientPagesData {
  constructor(private readonly dataSource: DataSource) {}

  async unitNames(municipalityId: string): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM unit WHERE municipality_id = $1`, [municipalityId]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async personNames(municipalityId: string): Promise<Map<string, string>> {
    const rows: Array<{ id: string; display_name: string }> = await this.dataSource.query(`SELECT id, display_name FROM person WHERE municipality_id = $1`, [municipalityId]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** The named dates of each recipient of a list, by id. */
  async namedDates(municipalityId: string, recipientIds: string[]): Promise<Map<string, Record<string, string>>> {
    if (!recipientIds.length) return new Map();
    const rows: Array<{ id: string; named_dates: Record<string, string> }> = await this.dataSource.query(
      `SELECT id, named_dates FROM recipient WHERE municipality_id = $1 AND id = ANY($2::uuid[])`,
      [municipalityId, recipientIds],
    );
    return new Map(rows.map((r) => [r.id, r.named_dates ?? {}]));
  }

  /**
   * The recipient's occurrences with a deadline in the two years, wherever they fell (a move leaves the
   * earlier ones in the old unit). Bounded: a recipient has a few dozen a year.
   */
  async occurrences(municipalityId: string, recipientId: string, from: LocalDate, to: LocalDate): Promise<RecipientOccurrence[]> {
    return this.dataSource.query(
      `SELECT o.id, t.title, u.name AS "unitName", o.deadline, o.cancelled_at IS NOT NULL AS cancelled,
              o.standing_outcome AS outcome, s.late
         FROM occurrence o
         JOIN task_definition t ON t.id = o.task_id
         JOIN unit u ON u.id = o.unit_id
         LEFT JOIN LATERAL (
           SELECT so.late FROM sign_off so
            WHERE so.occurrence_id = o.id AND NOT EXISTS (SELECT 1 FROM sign_off n WHERE n.supersedes_id = so.id)
         ) s ON true
        WHERE o.municipality_id = $1 AND o.recipient_id = $2 AND o.deadline BETWEEN $3 AND $4
        ORDER BY o.deadline, t.title, u.name
        LIMIT 500`,
      [municipalityId, recipientId, from, to],
    );
  }

  /**
   * Who may become primary contact after a move: people with a role (staff or primary contact) in a unit the
   * manager manages, named with their units, so that the form needs no script to narrow the list.
   */
  async contactCandidates(municipalityId: string, unitIds: string[]): Promise<Array<{ id: string; displayName: string; units: string }>> {
    if (!unitIds.length) return [];
    return this.dataSource.query(
      `SELECT p.id, p.display_name AS "displayName", string_agg(DISTINCT u.name, ', ' ORDER BY u.name) AS units
         FROM role_assignment ra JOIN person p ON p.id = ra.person_id JOIN unit u ON u.id = ra.unit_id
        WHERE ra.municipality_id = $1 AND ra.unit_id = ANY($2::uuid[]) AND ra.role IN ('primary_contact', 'staff') AND p.archived_at IS NULL
        GROUP BY p.id, p.display_name ORDER BY p.display_name`,
      [municipalityId, unitIds],
    );
  }
}
