import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validate } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AccessLogService } from '../../audit/access-log';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { safeNextPath } from '../../auth/next-path';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { FieldProblem } from '../../common/problem';
import { fieldProblems } from '../../common/validation.pipe';
import { MAX_BATCH_ITEMS, SignOffBatchRequest, SignOffBatchResultDto } from '../../records/dtos/sign-off-batch.dto';
import { SignOffBatchService } from '../../records/services/sign-off-batch.service';
import { Texts } from '../i18n';
import { PageFrame } from '../page-frame';
import { page } from '../layout';
import { BULK_SIGN_ACTION, bulkSignResults, OccurrenceLabel } from './bulk-sign.page';

/** The bulk signing form, from the checklist or a task's page: loosely typed here, checked by the API's DTO. */
class BulkSignForm {
  @IsString() _csrf: string;
  /** One value per ticked row (a single one arrives as a string). */
  @IsOptional() @IsString({ each: true }) forekomst?: string | string[];
  @IsOptional() @IsString() kommentar?: string;
  @IsOptional() @IsString() tilbake?: string;
}

/**
 * Signing many rows at once in the web app: a manager's ticked checklist rows, or a primary contact's
 * recipients of one task. The rows go through the API's batch sign-off, so each is checked and sealed as a
 * single sign-off is, and the page answers each row on its own.
 */
@ApiExcludeController()
@Controller()
export class BulkSignController {
  constructor(
    private readonly batches: SignOffBatchService,
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly accessLog: AccessLogService,
    private readonly frame: PageFrame,
  ) {}

  @Post('oppgaver/signer-flere') // BULK_SIGN_ACTION
  @HttpCode(200)
  @Allow.signedIn()
  async signChosen(@CurrentPerson() person: AuthenticatedPerson, @Body() form: BulkSignForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const t = await this.frame.texts(person, req);
    const back = safeNextPath(form.tilbake);
    // A row ticked twice (a form sent twice over) is the same row: signed once.
    const ids = [...new Set(typeof form.forekomst === 'string' ? [form.forekomst] : (form.forekomst ?? []))];
    const comment = form.kommentar?.trim() || undefined;
    const request = plainToInstance(SignOffBatchRequest, { items: ids.map((occurrenceId) => ({ occurrenceId, outcome: 'done', comment })) });
    const problems = fieldProblems(await validate(request, { whitelist: true, forbidNonWhitelisted: true }));
    let results: SignOffBatchResultDto[] = [];
    let formError: string | undefined;
    if (problems.length) {
      formError = formRefusal(problems, ids.length, t);
      res.status(422);
    } else {
      results = (await this.batches.signAll(person, request.items, String(req.id ?? ''))).results;
    }
    const labels = await this.labels(person, results.map((r) => r.occurrenceId));
    await this.accessLog.record(person, `POST ${BULK_SIGN_ACTION}`, [...labels.values()].map((l) => l.recipientCode));
    const chrome = await this.frame.chrome(person, req, t);
    res.type('html').send(page({ title: t.bulkSign.resultsTitle, current: back.startsWith('/sjekkliste') ? 'sjekkliste' : 'oppgaver', ...chrome }, bulkSignResults(results, labels, back, t, formError)));
  }

  /** The title, recipient code or person, and deadline of each occurrence the person may read: the others stay unnamed. */
  private async labels(person: AuthenticatedPerson, ids: string[]): Promise<Map<string, OccurrenceLabel>> {
    if (ids.length === 0) return new Map();
    const readable = new Set((await this.access.readableUnits(person.personId, person.municipalityId, UNIT_READERS)).map((u) => u.id));
    const rows: Array<OccurrenceLabel & { id: string; unitId: string; mine: boolean }> = await this.dataSource.query(
      `SELECT o.id, o.unit_id AS "unitId", t.title, r.code AS "recipientCode", p.display_name AS "personName", o.deadline,
              EXISTS (SELECT 1 FROM occurrence_owner oo WHERE oo.occurrence_id = o.id AND oo.person_id = $3) AS mine
         FROM occurrence o JOIN task_definition t ON t.id = o.task_id
         LEFT JOIN recipient r ON r.id = o.recipient_id LEFT JOIN person p ON p.id = o.person_id
        WHERE o.id = ANY($1::uuid[]) AND o.municipality_id = $2`,
      [ids, person.municipalityId, person.personId],
    );
    return new Map(rows.filter((r) => r.mine || readable.has(r.unitId)).map((r) => [r.id, r]));
  }
}

/** Why the form as a whole was not taken, in the page's language. */
function formRefusal(problems: FieldProblem[], count: number, t: Texts): string {
  const f = t.bulkSign.form;
  if (count === 0) return f.noneChosen;
  if (count > MAX_BATCH_ITEMS) return f.tooMany(MAX_BATCH_ITEMS);
  const comment = problems.find((p) => p.field.endsWith('.comment'));
  if (comment && /fødselsnummer/.test(comment.message)) return t.errors.fodselsnummer;
  if (comment && /character/.test(comment.message)) return t.errors.badText;
  if (comment) return f.commentTooLong;
  return f.unreadable;
}
