import type { LocalDate } from '../../schedule/local-date';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const WHEEL_KINDS = ['manager', 'primary_contact', 'competence', 'custom'] as const;
export type WheelKind = (typeof WHEEL_KINDS)[number];
export const WHEEL_STATUSES = ['draft', 'active'] as const;
/** A draft is being shaped (imported, edited) and cannot be assigned; an active wheel is in use. */
export type WheelStatus = (typeof WHEEL_STATUSES)[number];

/** An annual wheel (årshjul): a named template of recurring tasks. */
@Entity('wheel')
export class Wheel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: WheelKind;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The unit that owns the wheel (its managers, and those above, shape it); null: the municipality's. */
  @Column({ name: 'owner_unit_id', type: 'uuid', nullable: true })
  ownerUnitId: string | null;

  @Column({ type: 'text', default: 'active' })
  status: WheelStatus;

  /** A draft made to replace this wheel in use, from a date chosen when it is published. */
  @Column({ name: 'replaces_wheel_id', type: 'uuid', nullable: true })
  replacesWheelId: string | null;

  /** Set when such a draft is published: the first day of deadlines it took over from the wheel it replaced. */
  @Column({ name: 'replaces_from', type: 'date', nullable: true })
  replacesFrom: LocalDate | null;

  /** Published wheels can be read and copied by other municipalities. */
  @Column({ type: 'boolean', default: false })
  published: boolean;

  /** Days before the deadline for the "due soon" reminder; null: the municipality's. */
  @Column({ name: 'due_soon_days', type: 'integer', nullable: true })
  dueSoonDays: number | null;

  /** Days after the deadline before the unit manager is told; null: the municipality's. */
  @Column({ name: 'escalation_days', type: 'integer', nullable: true })
  escalationDays: number | null;

  @Column({ name: 'copied_from_wheel_id', type: 'uuid', nullable: true })
  copiedFromWheelId: string | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
