import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { containsFodselsnummer } from '../../common/fodselsnummer';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '../../common/problem';
import { isSigned } from '../../records/standing.sql';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy, OccurrenceChangeCause } from '../../occurrences/occurrence-change';
import { OwnersService } from '../../occurrences/services/owners.service';
import { CreateRecipientDto, RecipientDto, UpdateRecipientDto } from '../dtos/recipient.dto';
import { MunicipalitiesService } from './municipalities.service';

/**
 * Service recipients (tjenestemottakere), known only by a pseudonymous code. Anything that looks like a
 * fødselsnummer is refused, so national identity numbers never enter Årshjul.
 */
@Injectable()
export class RecipientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly owners: OwnersService,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(municipalityId: string, unitId: string): Promise<RecipientDto[]> {
    return this.query(this.dataSource, `r.unit_id = $2 AND r.municipality_id = $1`, [municipalityId, unitId]);
  }

  async get(municipalityId: string, id: string): Promise<RecipientDto> {
    const [recipient] = await this.query(this.dataSource, `r.id = $2 AND r.municipality_id = $1`, [municipalityId, id]);
    if (!recipient) throw new NotFoundProblem('Recipient', id);
    return recipient;
  }

  async create(actor: AuthenticatedPerson, dto: CreateRecipientDto): Promise<RecipientDto> {
    const municipalityId = actor.municipalityId;
    refuseFodselsnummer(dto.code);
    const activeFrom = dto.activeFrom ?? (await this.municipalities.today(municipalityId));
    const id = await this.dataSource.transaction(async (tx) => {
      const [row] = await tx
        .query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from) VALUES ($1, $2, $3, $4) RETURNING id`, [
          municipalityId,
          dto.unitId,
          dto.code,
          activeFrom,
        ])
        .catch(duplicateCode);
      await this.setPrimaryContacts(tx, municipalityId, row.id, dto.primaryContactIds ?? []);
      await this.auditLog.record(actor, { action: 'created', entity: 'recipient', entityId: row.id, after: { ...dto, activeFrom } }, tx);
      return row.id as string;
    });
    await this.followTemplates(municipalityId, dto.unitId, causedBy(actor, 'recipient-added'));
    return this.get(municipalityId, id);
  }

  async update(actor: AuthenticatedPerson, id: string, dto: UpdateRecipientDto): Promise<RecipientDto> {
    const municipalityId = actor.municipalityId;
    if (dto.code !== undefined) refuseFodselsnummer(dto.code);
    const before = await this.get(municipalityId, id);
    await this.dataSource.transaction(async (tx) => {
      if (dto.code !== undefined) await tx.query(`UPDATE recipient SET code = $2 WHERE id = $1`, [id, dto.code]).catch(duplicateCode);
      if (dto.archived !== undefined) {
        await tx.query(`UPDATE recipient SET archived_at = CASE WHEN $2 THEN COALESCE(archived_at, now()) END WHERE id = $1`, [id, dto.archived]);
      }
      if (dto.primaryContactIds !== undefined) {
        await this.setPrimaryContacts(tx, municipalityId, id, dto.primaryContactIds);
        const open: Array<{ id: string }> = await tx.query(
          `SELECT o.id FROM occurrence o WHERE o.recipient_id = $1 AND o.cancelled_at IS NULL AND NOT ${isSigned('o')}`,
          [id],
        );
        await this.owners.refresh(tx, open.map((o) => o.id));
      }
      const after = (await this.query(tx, `r.id = $2 AND r.municipality_id = $1`, [municipalityId, id]))[0];
      await this.auditLog.record(actor, { action: dto.archived ? 'archived' : 'updated', entity: 'recipient', entityId: id, before, after }, tx);
    });
    if (dto.archived !== undefined && dto.archived !== before.archived) await this.followTemplates(municipalityId, before.unitId, causedBy(actor, 'recipient-changed'));
    return this.get(municipalityId, id);
  }

  /** A recipient who comes or goes changes the occurrences of the years already materialised. */
  private async followTemplates(municipalityId: string, unitId: string, cause: OccurrenceChangeCause): Promise<void> {
    const thisYear = Number((await this.municipalities.today(municipalityId)).slice(0, 4));
    for (const year of await this.materialiser.materialisedYears(this.dataSource, unitId, thisYear)) {
      await this.materialiser.materialise(municipalityId, unitId, year, cause);
    }
  }

  private async setPrimaryContacts(tx: EntityManager, municipalityId: string, recipientId: string, personIds: string[]): Promise<void> {
    const unique = [...new Set(personIds)];
    const found: Array<{ id: string }> = await tx.query(
      `SELECT id FROM person WHERE id = ANY($1::uuid[]) AND municipality_id = $2 AND archived_at IS NULL`,
      [unique, municipalityId],
    );
    if (found.length !== unique.length) {
      throw new ValidationProblem([{ field: 'primaryContactIds', message: 'must hold only active people of your municipality' }]);
    }
    await tx.query(`DELETE FROM recipient_primary_contact WHERE recipient_id = $1`, [recipientId]);
    await tx.query(
      `INSERT INTO recipient_primary_contact (municipality_id, recipient_id, person_id) SELECT $1, $2, unnest($3::uuid[])`,
      [municipalityId, recipientId, unique],
    );
  }

  private query(runner: DataSource | EntityManager, where: string, parameters: unknown[]): Promise<RecipientDto[]> {
    return runner.query(
      `SELECT r.id, r.unit_id AS "unitId", r.code, r.active_from AS "activeFrom", r.archived_at IS NOT NULL AS archived,
              COALESCE(array_agg(rpc.person_id ORDER BY rpc.person_id) FILTER (WHERE rpc.person_id IS NOT NULL), '{}') AS "primaryContactIds"
         FROM recipient r LEFT JOIN recipient_primary_contact rpc ON rpc.recipient_id = r.id
        WHERE ${where}
        GROUP BY r.id ORDER BY r.code`,
      parameters,
    );
  }
}

function refuseFodselsnummer(code: string): void {
  if (containsFodselsnummer(code)) {
    throw new ValidationProblem([
      { field: 'code', message: 'looks like a fødselsnummer; use a pseudonymous code instead (no names or national identity numbers)' },
    ]);
  }
}

function duplicateCode(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
    throw new ConflictProblem('duplicate-code', 'Another service recipient in your municipality already has this code.');
  }
  throw error;
}
