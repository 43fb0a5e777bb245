import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { Clock } from '../../common/clock';
import { NotFoundProblem } from '../../common/problem';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CalendarFeedLimitProblem } from '../calendar.exceptions';
import { MAX_FEEDS_PER_PERSON } from '../calendar-feed.limits';
import { CalendarFeedDto, CreatedCalendarFeedDto } from '../dtos/calendar-feed.dto';

/** The secret in a feed's URL: 256 random bits, base64url (43 characters). */
export const FEED_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** What is stored of a secret: its SHA-256. The secret is random and long, so no salt or slow hash is needed. */
export function hashOfSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

interface FeedRow {
  id: string;
  unit_id: string | null;
  unit_name: string | null;
  include_subunits: boolean;
  include_signed: boolean;
  owner_id: string;
  owner_name: string;
  created_at: Date;
}

const FEED_COLUMNS = `
  f.id, f.unit_id, u.name AS unit_name, f.include_subunits, f.include_signed, f.owner_id, p.display_name AS owner_name, f.created_at`;
const FEED_JOINS = `LEFT JOIN unit u ON u.id = f.unit_id JOIN person p ON p.id = f.owner_id`;

/**
 * Calendar feeds: made by a person for their own tasks, or by a manager for a unit; listed without their
 * secrets; revoked by whoever made them (and a unit's feeds by its managers). Every change is in the audit log.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly auditLog: AuditLogService,
  ) {}

  createForPerson(person: AuthenticatedPerson, options: { includeSigned?: boolean }): Promise<CreatedCalendarFeedDto> {
    return this.create(person, null, false, options.includeSigned ?? true);
  }

  /** The policy (managers of the unit or above, administrators) was checked by the route. */
  createForUnit(person: AuthenticatedPerson, unitId: string, options: { includeSigned?: boolean; includeSubunits?: boolean }): Promise<CreatedCalendarFeedDto> {
    return this.create(person, unitId, options.includeSubunits ?? false, options.includeSigned ?? true);
  }

  /** The feeds I made and have not revoked: mine and the units'. */
  async mine(person: AuthenticatedPerson): Promise<CalendarFeedDto[]> {
    const rows: FeedRow[] = await this.dataSource.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feed f ${FEED_JOINS}
        WHERE f.municipality_id = $1 AND f.owner_id = $2 AND f.revoked_at IS NULL ORDER BY f.created_at, f.id`,
      [person.municipalityId, person.personId],
    );
    return rows.map(toDto);
  }

  /** A unit's live feeds, whoever made them: for its managers, who may revoke them. */
  async ofUnit(person: AuthenticatedPerson, unitId: string): Promise<CalendarFeedDto[]> {
    const rows: FeedRow[] = await this.dataSource.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feed f ${FEED_JOINS}
        WHERE f.municipality_id = $1 AND f.unit_id = $2 AND f.revoked_at IS NULL ORDER BY f.created_at, f.id`,
      [person.municipalityId, unitId],
    );
    return rows.map(toDto);
  }

  /** Revokes a feed I made. Anyone else's, or one already revoked, is not found: its existence is not told. */
  async revokeOwn(person: AuthenticatedPerson, feedId: string): Promise<void> {
    await this.revoke(person, feedId, `owner_id = $3`, person.personId);
  }

  /** Revokes a unit's feed; the route checked that the person manages the unit (or is an administrator). */
  async revokeOfUnit(person: AuthenticatedPerson, unitId: string, feedId: string): Promise<void> {
    await this.revoke(person, feedId, `unit_id = $3`, unitId);
  }

  private async revoke(person: AuthenticatedPerson, feedId: string, whose: string, value: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      // TypeORM answers an UPDATE with [rows, affected].
      const [rows] = await tx.query(
        `UPDATE calendar_feed SET revoked_at = $4 WHERE id = $1 AND municipality_id = $2 AND ${whose} AND revoked_at IS NULL RETURNING id`,
        [feedId, person.municipalityId, value, this.clock.now()],
      );
      if (rows.length === 0) throw new NotFoundProblem('Calendar feed', feedId);
      await this.auditLog.record(person, { action: 'revoked', entity: 'calendar_feed', entityId: feedId }, tx);
    });
  }

  private async create(person: AuthenticatedPerson, unitId: string | null, includeSubunits: boolean, includeSigned: boolean): Promise<CreatedCalendarFeedDto> {
    return this.dataSource.transaction(async (tx) => {
      // Two requests at once must not both pass the count: one waits for the other's commit.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`calendar_feed:${person.personId}`]);
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM calendar_feed WHERE municipality_id = $1 AND owner_id = $2 AND revoked_at IS NULL`, [
        person.municipalityId,
        person.personId,
      ]);
      if (n >= MAX_FEEDS_PER_PERSON) throw new CalendarFeedLimitProblem();
      const secret = randomBytes(32).toString('base64url');
      const [{ id }] = await tx.query(
        `INSERT INTO calendar_feed (municipality_id, owner_id, unit_id, include_subunits, include_signed, secret_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [person.municipalityId, person.personId, unitId, includeSubunits, includeSigned, hashOfSecret(secret), this.clock.now()],
      );
      await this.auditLog.record(person, { action: 'created', entity: 'calendar_feed', entityId: id, after: { unitId, includeSubunits, includeSigned } }, tx);
      return { ...(await this.one(tx, id)), url: this.urlOf(secret) };
    });
  }

  /** The address Outlook subscribes to, from the configured public base URL (as the reminders' links). */
  urlOf(secret: string): string {
    return `${this.config.publicBaseUrl}/kalender/${secret}.ics`;
  }

  private async one(tx: EntityManager, id: string): Promise<CalendarFeedDto> {
    const [row]: FeedRow[] = await tx.query(`SELECT ${FEED_COLUMNS} FROM calendar_feed f ${FEED_JOINS} WHERE f.id = $1`, [id]);
    return toDto(row);
  }
}

function toDto(row: FeedRow): CalendarFeedDto {
  return {
    id: row.id,
    kind: row.unit_id ? 'unit' : 'person',
    unitId: row.unit_id,
    unitName: row.unit_name,
    includeSubunits: row.include_subunits,
    includeSigned: row.include_signed,
    createdBy: { id: row.owner_id, displayName: row.owner_name },
    createdAt: new Date(row.created_at).toISOString(),
  };
}
