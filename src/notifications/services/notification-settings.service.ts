import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { ForbiddenProblem } from '../../auth/auth.exceptions';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { NotFoundProblem, ValidationProblem } from '../../common/problem';
import { isLocalDate } from '../../schedule/local-date';
import { Keyset, limitOf } from '../../common/pagination';
import { CreateDeputyDto, DeputyDto, NotificationPageDto, NotificationQuery, PreferencesDto } from '../dtos/notification.dto';

/** The delivery log in the order the messages were made. */
const MESSAGES = new Keyset('notifications', ['timestamp', 'uuid']);

/** Each person's channels and deputies, and the delivery log of the outbox. */
@Injectable()
export class NotificationSettingsService {
  constructor(private readonly dataSource: DataSource, private readonly access: AccessService) {}

  async preferences(personId: string): Promise<PreferencesDto> {
    const [row] = await this.dataSource.query(
      `SELECT email, teams, daily_digest AS "dailyDigest", language FROM notification_preference WHERE person_id = $1`,
      [personId],
    );
    return row ?? { email: true, teams: false, dailyDigest: false, language: 'nb' };
  }

  async setPreferences(personId: string, dto: PreferencesDto): Promise<PreferencesDto> {
    if (!dto.email && !dto.teams) throw new ValidationProblem([{ field: 'email', message: 'choose at least one channel: e-mail or Teams' }]);
    await this.dataSource.query(
      `INSERT INTO notification_preference (person_id, email, teams, daily_digest, language) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (person_id) DO UPDATE SET email = $2, teams = $3, daily_digest = $4, language = $5`,
      [personId, dto.email, dto.teams, dto.dailyDigest, dto.language],
    );
    return this.preferences(personId);
  }

  deputies(person: AuthenticatedPerson): Promise<DeputyDto[]> {
    return this.dataSource.query(
      `SELECT d.id, d.person_id AS "personId", d.deputy_id AS "deputyId", p.display_name AS "deputyName",
              to_char(d.from_date, 'YYYY-MM-DD') AS "from", to_char(d.to_date, 'YYYY-MM-DD') AS "to"
         FROM deputy d JOIN person p ON p.id = d.deputy_id WHERE d.person_id = $1 ORDER BY d.from_date`,
      [person.personId],
    );
  }

  async addDeputy(person: AuthenticatedPerson, dto: CreateDeputyDto): Promise<DeputyDto> {
    if (!isLocalDate(dto.from)) throw new ValidationProblem([{ field: 'from', message: 'is not a date in the calendar' }]);
    if (!isLocalDate(dto.to)) throw new ValidationProblem([{ field: 'to', message: 'is not a date in the calendar' }]);
    if (dto.to < dto.from) throw new ValidationProblem([{ field: 'to', message: 'must not be before from' }]);
    if (dto.deputyId === person.personId) throw new ValidationProblem([{ field: 'deputyId', message: 'must be someone else' }]);
    const [deputy] = await this.dataSource.query(`SELECT id FROM person WHERE id = $1 AND municipality_id = $2 AND archived_at IS NULL`, [
      dto.deputyId,
      person.municipalityId,
    ]);
    if (!deputy) throw new ValidationProblem([{ field: 'deputyId', message: 'is not an active person of your municipality' }]);
    const [row] = await this.dataSource.query(
      `INSERT INTO deputy (municipality_id, person_id, deputy_id, from_date, to_date) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [person.municipalityId, person.personId, dto.deputyId, dto.from, dto.to],
    );
    return (await this.deputies(person)).find((d) => d.id === row.id)!;
  }

  async removeDeputy(person: AuthenticatedPerson, id: string): Promise<void> {
    const [rows] = await this.dataSource.query(`DELETE FROM deputy WHERE id = $1 AND person_id = $2 RETURNING id`, [id, person.personId]);
    if (rows.length === 0) throw new NotFoundProblem('Deputy', id);
  }

  /** The messages of an occurrence (for those who may read its unit), or all with a status (administrators). */
  async list(reader: AuthenticatedPerson, query: NotificationQuery): Promise<NotificationPageDto> {
    if (!query.occurrenceId && !query.status) throw new ValidationProblem([{ field: 'occurrenceId', message: 'give occurrenceId or status' }]);
    if (query.occurrenceId) {
      const unitId = await this.access.unitOf('occurrence', query.occurrenceId, reader.municipalityId);
      if (!unitId) throw new NotFoundProblem('Occurrence', query.occurrenceId);
      if (!(await this.access.hasRoleOver(reader.personId, reader.municipalityId, unitId, ['manager', 'staff', 'primary_contact', 'quality_adviser']))) {
        throw new ForbiddenProblem('You do not work in the unit of this occurrence.');
      }
    } else if (!(await this.access.isAdmin(reader.personId, reader.municipalityId))) {
      throw new ForbiddenProblem('Only administrators may list messages by status.');
    }
    const after = MESSAGES.decode(query.cursor);
    const limit = limitOf(query);
    // A digest names the occurrence in its items: it is one of the occurrence's messages too.
    const matching = `SELECT %s
         FROM notification n LEFT JOIN occurrence o ON o.id = n.occurrence_id LEFT JOIN recipient r ON r.id = o.recipient_id
        WHERE n.municipality_id = $1
          AND ($2::uuid IS NULL OR n.occurrence_id = $2 OR EXISTS (SELECT 1 FROM notification_item ni WHERE ni.notification_id = n.id AND ni.occurrence_id = $2))
          AND ($3::text IS NULL OR n.status = $3)`;
    const parameters = [reader.municipalityId, query.occurrenceId ?? null, query.status ?? null];
    const [rows, [{ count }]]: [Array<Record<string, unknown> & { sort_key: unknown[] }>, Array<{ count: string }>] = await Promise.all([
      this.dataSource.query(
        `${matching.replace(
          '%s',
          `n.id, n.kind, n.channel, n.address, n.subject, n.status, n.attempts, n.last_error, n.sent_at, n.next_attempt_at, n.for_date, n.created_at,
           r.code AS recipient_code, json_build_array(n.created_at, n.id) AS sort_key`,
        )} AND ${MESSAGES.after('n.created_at, n.id', 4)} ORDER BY n.created_at, n.id LIMIT ${limit + 1}`,
        [...parameters, ...after],
      ),
      this.dataSource.query(matching.replace('%s', 'count(*)'), parameters),
    ]);
    return MESSAGES.page(rows, limit, Number(count), (r) => ({
      id: r.id as string,
      kind: r.kind as string,
      channel: r.channel as string,
      recipient: r.address as string,
      subject: r.subject as string,
      recipientCode: r.recipient_code as string | null,
      status: r.status as string,
      attempts: r.attempts as number,
      lastError: r.last_error as string | null,
      sentAt: r.sent_at ? new Date(r.sent_at as string).toISOString() : null,
      nextAttemptAt: new Date(r.next_attempt_at as string).toISOString(),
      forDate: r.for_date as string,
    }));
  }
}
