import type { LocalDate } from '../../schedule/local-date';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A wheel in use by a unit (and, by choice, its sub-units) from a year on. */
@Entity('wheel_assignment')
export class WheelAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId: string;

  @Column({ name: 'wheel_id', type: 'uuid' })
  wheelId: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId: string;

  @Column({ name: 'include_subunits', type: 'boolean', default: true })
  includeSubunits: boolean;

  @Column({ name: 'from_year', type: 'integer' })
  fromYear: number;

  /** The first deadline day the unit follows the wheel, when a replacement began mid-year; null: 1 January of fromYear. */
  @Column({ name: 'starts_on', type: 'date', nullable: true })
  startsOn: LocalDate | null;

  /** The day the wheel was replaced: deadlines from it on belong to the wheel that replaced it; null: open. */
  @Column({ name: 'ends_before', type: 'date', nullable: true })
  endsBefore: LocalDate | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
