import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DeadlineShift } from '../../schedule/holidays';
import type { LocalDate } from '../../schedule/local-date';

/** One shared occurrence for the unit, one per service recipient, or one per holder of the role. */
export type TaskScope = 'unit' | 'recipient' | 'person';
export type StayAnchor = 'activeFrom' | 'activeTo';
export const STAY_ANCHORS: StayAnchor[] = ['activeFrom', 'activeTo'];

/** One row of a wheel (oppgave): what to do, when (an RRULE of deadlines), who (Ansvar), where stored (Lagres). */
@Entity('task_definition')
export class TaskDefinition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId: string;

  @Column({ name: 'wheel_id', type: 'uuid' })
  wheelId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** RFC 5545 RRULE whose dates are the deadlines; null when the task repeats after its last completion or counts from a recipient's stay. */
  @Column({ type: 'text', nullable: true })
  rrule: string | null;

  /** A task counted from a recipient's stay: from the day they came (activeFrom) or leave (activeTo). */
  @Column({ name: 'relative_to', type: 'text', nullable: true })
  relativeTo: StayAnchor | null;

  /** How long after (or, negative, before) the anchor the deadline is: ISO 8601, e.g. P4W, -P1W. */
  @Column({ name: 'relative_offset', type: 'text', nullable: true })
  relativeOffset: string | null;

  /**
   * Instead of an RRULE: due this ISO 8601 duration (P6M) after the last completion, counted from the
   * signing day; the first deadline is `startsOn` (or the duration after `repeatAfterDate`).
   */
  @Column({ name: 'repeat_after_completion', type: 'text', nullable: true })
  repeatAfterCompletion: string | null;

  /** With repeatAfterCompletion on a recipient task: the first deadline counts from this named date of the recipient. */
  @Column({ name: 'repeat_after_date', type: 'text', nullable: true })
  repeatAfterDate: string | null;

  /** DTSTART of the rule: anchors INTERVAL ("every 4 years from 2027"); for a task repeating after completion, its first deadline. */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn: LocalDate;

  @Column({ name: 'opens_days_before', type: 'integer', default: 14 })
  opensDaysBefore: number;

  @Column({ name: 'deadline_shift', type: 'text', default: 'none' })
  deadlineShift: DeadlineShift;

  @Column({ name: 'responsible_role', type: 'text' })
  responsibleRole: string;

  @Column({ name: 'stored_in', type: 'text', nullable: true })
  storedIn: string | null;

  @Column({ name: 'stored_in_url', type: 'text', nullable: true })
  storedInUrl: string | null;

  @Column({ name: 'comment_required', type: 'boolean', default: false })
  commentRequired: boolean;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis: string | null;

  @Column({ type: 'text', default: 'unit' })
  scope: TaskScope;

  /** Days before the deadline for the "due soon" reminder; null: the wheel's or the municipality's. */
  @Column({ name: 'due_soon_days', type: 'integer', nullable: true })
  dueSoonDays: number | null;

  /** Days after the deadline before the unit manager is told; null: the wheel's or the municipality's. */
  @Column({ name: 'escalation_days', type: 'integer', nullable: true })
  escalationDays: number | null;

  /** The month block an imported row stood under (1–12): with the title, what a second import matches on. */
  @Column({ name: 'source_month', type: 'smallint', nullable: true })
  sourceMonth: number | null;

  /** The line of the imported file the row came from. */
  @Column({ name: 'source_line', type: 'integer', nullable: true })
  sourceLine: number | null;

  /** The Ansvar text as the imported table wrote it. */
  @Column({ name: 'responsible_text', type: 'text', nullable: true })
  responsibleText: string | null;

  /** Why the row must be looked at before its draft is published (an Ansvar or a date not understood); null: fine. */
  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;

  /** An invented row offered as an example (not the seed's own words): every page and print says «Eksempel». */
  @Column({ type: 'boolean', default: false })
  example: boolean;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder: number;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
