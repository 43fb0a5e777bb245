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
import { AccessService } from '../../auth/access.service';
import { ForbiddenProblem } from '../../auth/auth.exceptions';
import { UNIT_MANAGERS } from '../../auth/policy';
import { CreateRecipientDto, MoveRecipientDto, RecipientDto, RecipientListQuery, RecipientPageDto, UpdateRecipientDto } from '../dtos/recipient.dto';
import { Keyset, limitOf } from '../../common/pagination';
import { MunicipalitiesService } from './municipalities.service';

/**
 * Service recipients (tjenestemottakere), known only by a pseudonymous code. Anything that looks like a
 * fødselsnummer is refused, so national identity numbers never enter Årshjul.
 *
 * Their occurrences follow the stay (issue 14): nothing falls due before `activeFrom` or after `activeTo`,
 * and a move keeps each occurrence in the unit the recipient lived in on its deadline (recipient_stay).
 * Archiving is the leaving made visible: archiving without a leaving date leaves today; reinstating
 * (archived: false) without one clears it.
 */
/** Recipients by code; the id breaks no tie (codes are unique in a municipality) but keeps the key total. */
const RECIPIENTS = new Keyset('recipients', ['text', 'uuid']);

@Injectable()
export class RecipientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly owners: OwnersService,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
    private readonly access: AccessService,
  ) {}

  async list(municipalityId: string, unitId: string): Promise<RecipientDto[]> {
    return this.query(this.dataSource, `r.unit_id = $2 AND r.municipality_id = $1`, [municipalityId, unitId]);
  }

  /** A page of the unit's recipients, by code. */
  async page(municipalityId: string, query: RecipientListQuery): Promise<RecipientPageDto> {
    const after = RECIPIENTS.decode(query.cursor);
    const limit = limitOf(query);
    const [rows, [{ count }]] = await Promise.all([
      this.query(this.dataSource, `r.unit_id = $2 AND r.municipality_id = $1 AND ${RECIPIENTS.after('r.code, r.id', 3)}`, [municipalityId, query.unitId, ...after], limit + 1),
      this.dataSource.query(`SELECT count(*) FROM recipient r WHERE r.unit_id = $2 AND r.municipality_id = $1`, [municipalityId, query.unitId]),
    ]);
    return RECIPIENTS.page(rows as Array<RecipientDto & { sort_key: unknown[] }>, limit, Number(count), ({ sort_key: _, ...recipient }) => recipient);
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
    refuseLeavingBeforeComing(activeFrom, dto.activeTo ?? null);
    const id = await this.dataSource.transaction(async (tx) => {
      // The first stay (in dto.unitId from activeFrom) is written by the trigger recipient_first_stay.
      const [row] = await tx
        .query(`INSERT INTO recipient (municipality_id, unit_id, code, active_from, active_to) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
          municipalityId,
          dto.unitId,
          dto.code,
          activeFrom,
          dto.activeTo ?? null,
        ])
        .catch(duplicateCode);
      await this.setPrimaryContacts(tx, municipalityId, row.id, dto.primaryContactIds ?? []);
      await this.auditLog.record(actor, { action: 'created', entity: 'recipient', entityId: row.id, after: { ...dto, activeFrom } }, tx);
      return row.id as string;
    });
    await this.followTemplates(municipalityId, [dto.unitId], causedBy(actor, 'recipient-added'));
    return this.get(municipalityId, id);
  }

  async update(actor: AuthenticatedPerson, id: string, dto: UpdateRecipientDto): Promise<RecipientDto> {
    const municipalityId = actor.municipalityId;
    if (dto.code !== undefined) refuseFodselsnummer(dto.code);
    const before = await this.get(municipalityId, id);
    const activeTo = await this.leavingDate(municipalityId, before, dto);
    refuseLeavingBeforeComing(before.activeFrom, activeTo);
    await this.dataSource.transaction(async (tx) => {
      if (dto.code !== undefined) await tx.query(`UPDATE recipient SET code = $2 WHERE id = $1`, [id, dto.code]).catch(duplicateCode);
      if (dto.archived !== undefined) {
        await tx.query(`UPDATE recipient SET archived_at = CASE WHEN $2 THEN COALESCE(archived_at, now()) END WHERE id = $1`, [id, dto.archived]);
      }
      if (activeTo !== before.activeTo) await tx.query(`UPDATE recipient SET active_to = $2 WHERE id = $1`, [id, activeTo]);
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
    if (activeTo !== before.activeTo) {
      // Leaving (or leaving earlier) cancels what falls due after the day; staying on brings it back.
      const leaves = activeTo !== null && (before.activeTo === null || activeTo < before.activeTo);
      const units = [...new Set(before.stays.map((s) => s.unitId))];
      await this.followTemplates(municipalityId, units, causedBy(actor, leaves ? 'recipient-left' : 'recipient-reinstated'));
    }
    return this.get(municipalityId, id);
  }

  /**
   * The leaving date after a change: the one given; else archiving leaves today (or keeps an earlier
   * date), and reinstating (archived: false) stays on.
   */
  private async leavingDate(municipalityId: string, before: RecipientDto, dto: UpdateRecipientDto): Promise<string | null> {
    if (dto.activeTo !== undefined) return dto.activeTo;
    if (dto.archived === true && !before.archived) {
      const today = await this.municipalities.today(municipalityId);
      return before.activeTo !== null && before.activeTo < today ? before.activeTo : today;
    }
    if (dto.archived === false && before.archived) return null;
    return before.activeTo;
  }

  /**
   * Moves a recipient to another unit from a day (issue 14). The history stays: occurrences due before
   * `from` stay in the old unit with their records; later ones nobody has signed are cancelled there and
   * made in the new unit, from its wheels, for the recipient's primary contacts (new ones if given).
   * The route lets managers over the recipient's unit in; they must be managers over the new unit too
   * (a manager of a unit above both is).
   */
  async move(actor: AuthenticatedPerson, id: string, dto: MoveRecipientDto): Promise<RecipientDto> {
    const municipalityId = actor.municipalityId;
    const before = await this.get(municipalityId, id);
    const [unit] = await this.dataSource.query(`SELECT id FROM unit WHERE id = $1 AND municipality_id = $2 AND archived_at IS NULL`, [dto.unitId, municipalityId]);
    if (!unit) throw new NotFoundProblem('Unit', dto.unitId);
    if (!(await this.access.hasRoleOver(actor.personId, municipalityId, dto.unitId, UNIT_MANAGERS))) {
      throw new ForbiddenProblem('Moving a recipient needs the role manager over both units (or a unit above both).');
    }
    const current = before.stays[before.stays.length - 1];
    const problems = [];
    if (dto.unitId === before.unitId) problems.push({ field: 'unitId', message: 'is the unit the recipient already belongs to' });
    if (dto.from <= current.from) problems.push({ field: 'from', message: `must be after ${current.from}, the first day of the current stay` });
    if (before.activeTo !== null && dto.from > before.activeTo) problems.push({ field: 'from', message: `must be on or before ${before.activeTo}, the day the recipient leaves` });
    if (problems.length) throw new ValidationProblem(problems);

    await this.dataSource.transaction(async (tx) => {
      if (dto.primaryContactIds !== undefined) await this.setPrimaryContacts(tx, municipalityId, id, dto.primaryContactIds);
      await tx.query(`UPDATE recipient_stay SET before_date = $2 WHERE recipient_id = $1 AND before_date IS NULL`, [id, dto.from]);
      await tx.query(
        `INSERT INTO recipient_stay (municipality_id, recipient_id, unit_id, from_date, created_by) VALUES ($1, $2, $3, $4, $5)`,
        [municipalityId, id, dto.unitId, dto.from, actor.personId],
      );
      await tx.query(`UPDATE recipient SET unit_id = $2 WHERE id = $1`, [id, dto.unitId]);
      const after = (await this.query(tx, `r.id = $2 AND r.municipality_id = $1`, [municipalityId, id]))[0];
      await this.auditLog.record(actor, { action: 'moved', entity: 'recipient', entityId: id, before, after }, tx);
    });
    await this.followTemplates(municipalityId, [before.unitId, dto.unitId], causedBy(actor, 'recipient-moved'));
    return this.get(municipalityId, id);
  }

  /**
   * A recipient who comes, goes or moves changes the occurrences of the years already materialised in
   * any of the units (a unit that has never been materialised gets the recipient's years with the move).
   */
  private async followTemplates(municipalityId: string, unitIds: string[], cause: OccurrenceChangeCause): Promise<void> {
    const thisYear = Number((await this.municipalities.today(municipalityId)).slice(0, 4));
    const years = new Set<number>();
    for (const unitId of unitIds) for (const year of await this.materialiser.materialisedYears(this.dataSource, unitId, thisYear)) years.add(year);
    for (const year of [...years].sort()) {
      for (const unitId of unitIds) await this.materialiser.materialise(municipalityId, unitId, year, cause);
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

  /** `limit`: a page, each row with its `sort_key` (see RECIPIENTS). */
  private query(runner: DataSource | EntityManager, where: string, parameters: unknown[], limit?: number): Promise<RecipientDto[]> {
    return runner.query(
      `SELECT ${limit ? 'json_build_array(r.code, r.id) AS sort_key,' : ''} r.id, r.unit_id AS "unitId", r.code, r.active_from AS "activeFrom", r.active_to AS "activeTo", r.archived_at IS NOT NULL AS archived,
              COALESCE(array_agg(rpc.person_id ORDER BY rpc.person_id) FILTER (WHERE rpc.person_id IS NOT NULL), '{}') AS "primaryContactIds",
              (SELECT COALESCE(json_agg(json_build_object('unitId', s.unit_id, 'from', s.from_date, 'before', s.before_date) ORDER BY s.from_date), '[]')
                 FROM recipient_stay s WHERE s.recipient_id = r.id) AS stays
         FROM recipient r LEFT JOIN recipient_primary_contact rpc ON rpc.recipient_id = r.id
        WHERE ${where}
        GROUP BY r.id ORDER BY r.code, r.id ${limit ? `LIMIT ${limit}` : ''}`,
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

function refuseLeavingBeforeComing(activeFrom: string, activeTo: string | null): void {
  if (activeTo !== null && activeTo < activeFrom) {
    throw new ValidationProblem([{ field: 'activeTo', message: `must be on or after ${activeFrom}, the day the recipient came` }]);
  }
}

function duplicateCode(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
    throw new ConflictProblem('duplicate-code', 'Another service recipient in your municipality already has this code.');
  }
  throw error;
}
