import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundProblem, ValidationProblem } from '../../common/problem';
import { normaliseText, textFault } from '../../common/text';
import { AuditLogService } from '../../audit/audit-log.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { MaterialiseService } from '../../occurrences/services/materialise.service';
import { causedBy } from '../../occurrences/occurrence-change';
import { isLocalDate, LocalDate } from '../../schedule/local-date';
import { FIRST_YEAR, LAST_YEAR } from '../../schedule/recurrence';
import { RecipientDatesDto } from '../dtos/recipient-dates.dto';
import { MunicipalitiesService } from './municipalities.service';

const MAX_DATES = 20;

/**
 * The named dates a recipient holds (e.g. "vedtak kap. 9": the date of a decision that must be renewed
 * within a year). A task with `repeatAfterDate` comes due its duration after the date, or after its last
 * completion if that is later; a renewed (later) date therefore moves the open occurrence.
 * Kept apart from RecipientsService so that a recipient's stay and their dates change independently.
 */
@Injectable()
export class RecipientDatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly materialiser: MaterialiseService,
    private readonly municipalities: MunicipalitiesService,
    private readonly auditLog: AuditLogService,
  ) {}

  async get(municipalityId: string, recipientId: string): Promise<RecipientDatesDto> {
    const [row] = await this.dataSource.query(`SELECT named_dates FROM recipient WHERE id = $1 AND municipality_id = $2`, [recipientId, municipalityId]);
    if (!row) throw new NotFoundProblem('Recipient', recipientId);
    return { dates: row.named_dates };
  }

  /** Sets (or, given null, removes) the named dates; the recipient's repeating tasks follow. */
  async set(actor: AuthenticatedPerson, recipientId: string, dto: RecipientDatesDto): Promise<RecipientDatesDto> {
    const changes = checked(dto.dates);
    const unitId = await this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT unit_id, named_dates FROM recipient WHERE id = $1 AND municipality_id = $2 FOR UPDATE`, [recipientId, actor.municipalityId]);
      if (!row) throw new NotFoundProblem('Recipient', recipientId);
      const after: Record<string, LocalDate> = { ...row.named_dates };
      for (const [name, date] of changes) {
        if (date === null) delete after[name];
        else after[name] = date;
      }
      if (Object.keys(after).length > MAX_DATES) throw new ValidationProblem([{ field: 'dates', message: `a recipient holds at most ${MAX_DATES} named dates` }]);
      await tx.query(`UPDATE recipient SET named_dates = $2 WHERE id = $1`, [recipientId, JSON.stringify(after)]);
      await this.auditLog.record(actor, { action: 'updated', entity: 'recipient', entityId: recipientId, before: { dates: row.named_dates }, after: { dates: after } }, tx);
      return row.unit_id as string;
    });
    // Only the wheels with tasks counting from a named date: the rest does not depend on it. This year's
    // run brings each chain up to date, whatever year its next one falls in.
    const year = Number((await this.municipalities.today(actor.municipalityId)).slice(0, 4));
    const wheels: Array<{ wheel_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT wheel_id FROM task_definition WHERE municipality_id = $1 AND repeat_after_date IS NOT NULL AND archived_at IS NULL`,
      [actor.municipalityId],
    );
    for (const { wheel_id } of wheels) await this.materialiser.materialise(actor.municipalityId, unitId, year, causedBy(actor, 'recipient-date-set'), { wheelId: wheel_id });
    return this.get(actor.municipalityId, recipientId);
  }
}

/** The names (clean text, 1–100 characters) and dates (in the calendar, or null to remove) of a request. */
function checked(dates: Record<string, unknown>): Array<[string, LocalDate | null]> {
  const entries = Object.entries(dates);
  if (entries.length === 0 || entries.length > MAX_DATES) throw new ValidationProblem([{ field: 'dates', message: `must name 1 to ${MAX_DATES} dates` }]);
  return entries.map(([rawName, date]) => {
    const name = normaliseText(rawName);
    const fault = name.length < 1 || name.length > 100 ? 'must be a name of 1 to 100 characters' : textFault(name);
    if (fault) throw new ValidationProblem([{ field: 'dates', message: `the name "${name.slice(0, 40)}" ${fault}` }]);
    if (date !== null && (!isLocalDate(date) || date < `${FIRST_YEAR}-01-01` || date > `${LAST_YEAR}-12-31`)) {
      throw new ValidationProblem([{ field: `dates.${name}`, message: `must be a date in the calendar from ${FIRST_YEAR} to ${LAST_YEAR}, such as 2027-01-15, or null to remove it` }]);
    }
    return [name, date as LocalDate | null];
  });
}
