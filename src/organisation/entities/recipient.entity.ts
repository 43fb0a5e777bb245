import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A service recipient (tjenestemottaker), known only by a pseudonymous code: never a name or fødselsnummer. */
@Entity('recipient')
export class Recipient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId: string;

  @Column({ type: 'text' })
  code: string;

  /** The day the recipient came to the unit: no tasks fall due for them before it. */
  @Column({ name: 'active_from', type: 'date' })
  activeFrom: string;

  /** The day the recipient leaves: the last day tasks fall due for them; null: they stay. */
  @Column({ name: 'active_to', type: 'date', nullable: true })
  activeTo: string | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A primary contact (primærkontakt) of a recipient. */
@Entity('recipient_primary_contact')
export class RecipientPrimaryContact {
  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId: string;

  @Column({ name: 'recipient_id', type: 'uuid', primary: true })
  recipientId: string;

  @Column({ name: 'person_id', type: 'uuid', primary: true })
  personId: string;
}
