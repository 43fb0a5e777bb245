import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { LocalDate } from '../../schedule/local-date';

/** One dated instance (forekomst) of a task for one unit, or for one service recipient in it. */
@Entity('occurrence')
export class Occurrence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId: string;

  @Column({ name: 'recipient_id', type: 'uuid', nullable: true })
  recipientId: string | null;

  /** For a task of scope `person`: whose own duty this occurrence is (one per holder of the role). */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId: string | null;

  /** The date the task's rule gave; with the task, unit and recipient it identifies the occurrence. */
  @Column({ name: 'scheduled_on', type: 'date' })
  scheduledOn: LocalDate;

  /** The scheduled date moved to a working day if the task says so: the end of this day is the deadline. */
  @Column({ type: 'date' })
  deadline: LocalDate;

  @Column({ name: 'opens_on', type: 'date' })
  opensOn: LocalDate;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
