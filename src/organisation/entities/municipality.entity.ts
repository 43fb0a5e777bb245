import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A municipality (kommune): the tenant. No municipality ever sees another's data. */
@Entity('municipality')
export class Municipality {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Deadlines are local dates in this zone. */
  @Column({ name: 'time_zone', type: 'text', default: 'Europe/Oslo' })
  timeZone: string;

  /** The Entra ID (Azure AD) tenant whose tokens sign people of this municipality in. */
  @Column({ name: 'entra_tenant_id', type: 'text', nullable: true })
  entraTenantId: string | null;

  /** Default days before a deadline for the due-soon reminder; a wheel or task may set its own. */
  @Column({ name: 'due_soon_days', type: 'integer', default: 3 })
  dueSoonDays: number;

  /** Default days after a deadline before the unit manager is told; a wheel or task may set its own. */
  @Column({ name: 'escalation_days', type: 'integer', default: 7 })
  escalationDays: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
