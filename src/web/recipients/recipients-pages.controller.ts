import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { AccessLogService } from '../../audit/access-log';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS } from '../../auth/policy';
import { ProblemException, ValidationProblem } from '../../common/problem';
import { MoveRecipientDto, RecipientDto, UpdateRecipientDto } from '../../organisation/dtos/recipient.dto';
import { RecipientDatesDto } from '../../organisation/dtos/recipient-dates.dto';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { RecipientDatesService } from '../../organisation/services/recipient-dates.service';
import { RecipientsService } from '../../organisation/services/recipients.service';
import { Texts } from '../i18n';
import { validated } from '../forms';
import { PageFrame } from '../page-frame';
import { norwegianDate, page } from '../layout';
import { RecipientForm, recipientListPage, recipientPage, RecipientView } from './recipients.page';
import { RecipientPagesData } from './recipients-pages.data';

/** The forms of the recipient's page: loosely typed here, checked by the API's own DTOs and services. */
class RecipientForms {
  @IsOptional() @IsString() _csrf?: string;
  @IsOptional() @IsString() handling?: string;
  @IsOptional() @IsString() til?: string;
  @IsOptional() @IsString() enhet?: string;
  @IsOptional() @IsString() fra?: string;
  /** Checkboxes and repeated rows: one value or several. */
  @IsOptional() @IsString({ each: true }) primaerkontakt?: string | string[];
  @IsOptional() @IsString({ each: true }) navn?: string | string[];
  @IsOptional() @IsString({ each: true }) dato?: string | string[];
  @IsOptional() @IsString({ each: true }) fjern?: string | string[];
  @IsOptional() @IsString() nytt_navn?: string;
  @IsOptional() @IsString() ny_dato?: string;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Tjenestemottakere under Administrasjon: a manager's view of the unit's recipients (codes only) and, per
 * recipient, the stay: a leaving date, a move to another unit, the named dates tasks count from, and the
 * occurrences that follow. Same services, policies and access log as the API (GET/PATCH /recipients,
 * POST /recipients/:id/move, PUT /recipients/:id/dates).
 */
@ApiExcludeController()
@Controller('administrasjon/tjenestemottakere')
export class RecipientPagesController {
  constructor(
    private readonly access: AccessService,
    private readonly accessLog: AccessLogService,
    private readonly municipalities: MunicipalitiesService,
    private readonly recipients: RecipientsService,
    private readonly dates: RecipientDatesService,
    private readonly data: RecipientPagesData,
    private readonly frame: PageFrame,
  ) {}

  @Get()
  @Allow.anyRole(UNIT_MANAGERS)
  async list(@CurrentPerson() person: AuthenticatedPerson, @Query('enhet') unitId: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const t = await this.frame.texts(person, req);
    const units = await this.managedUnits(person);
    if (units.length === 0) throw new ProblemException(403, 'forbidden', t.errors.forbidden, 'Only managers see the service recipients of a unit here.');
    const unit = unitId ? units.find((u) => u.id === unitId) : units[0];
    if (!unit) throw new ProblemException(404, 'not-found', t.errors.notFound, `Unit ${unitId} was not found.`);
    const recipients = await this.recipients.list(person.municipalityId, unit.id);
    // Showing codes is a read of recipients' data: logged as the API's GET /recipients is.
    await this.accessLog.record(person, 'GET /administrasjon/tjenestemottakere', recipients.map((r) => r.code));
    const view = {
      t,
      units,
      unit,
      recipients,
      personNames: await this.data.personNames(person.municipalityId),
      dates: await this.data.namedDates(person.municipalityId, recipients.map((r) => r.id)),
    };
    res.type('html').send(page({ title: t.recipients.unitTitle(unit.name), current: 'administrasjon', ...(await this.frame.chrome(person, req, t)) }, recipientListPage(view)));
  }

  @Get(':recipientId')
  @Allow.recipientRole(UNIT_MANAGERS, 'recipientId')
  async recipient(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('recipientId', ParseUUIDPipe) recipientId: string,
    @Query('melding') message: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const t = await this.frame.texts(person, req);
    await this.render(person, req, res, recipientId, { message: message === 'lagret' ? t.recipients.saved : message === 'flyttet' ? t.recipients.moved : undefined });
  }

  @Post(':recipientId/utflytting')
  @Allow.recipientRole(UNIT_MANAGERS, 'recipientId')
  async leave(@CurrentPerson() person: AuthenticatedPerson, @Param('recipientId', ParseUUIDPipe) recipientId: string, @Body() form: RecipientForms, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.submit(person, recipientId, 'utflytting', form, req, res, async () => {
      const activeTo = form.handling === 'fjern' ? null : (form.til ?? '').trim();
      await this.recipients.update(person, recipientId, await validated(UpdateRecipientDto, { activeTo }));
      return 'lagret';
    });
  }

  @Post(':recipientId/flytt')
  @Allow.recipientRole(UNIT_MANAGERS, 'recipientId')
  async move(@CurrentPerson() person: AuthenticatedPerson, @Param('recipientId', ParseUUIDPipe) recipientId: string, @Body() form: RecipientForms, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.submit(person, recipientId, 'flytt', form, req, res, async () => {
      const contacts = list(form.primaerkontakt);
      const dto = await validated(MoveRecipientDto, { unitId: form.enhet ?? '', from: (form.fra ?? '').trim(), ...(contacts.length ? { primaryContactIds: contacts } : {}) });
      await this.recipients.move(person, recipientId, dto);
      return 'flyttet';
    });
  }

  @Post(':recipientId/datoer')
  @Allow.recipientRole(UNIT_MANAGERS, 'recipientId')
  async setDates(@CurrentPerson() person: AuthenticatedPerson, @Param('recipientId', ParseUUIDPipe) recipientId: string, @Body() form: RecipientForms, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.submit(person, recipientId, 'datoer', form, req, res, async () => {
      // Each stored date is a row (navn, dato), in the page's order; a ticked «Fjern» removes it (null, as in the API).
      const names = list(form.navn);
      const values = list(form.dato);
      const removed = new Set(list(form.fjern));
      const dates: Record<string, string | null> = {};
      names.forEach((name, i) => (dates[name] = removed.has(name) ? null : (values[i] ?? '').trim()));
      const newName = form.nytt_navn?.trim() ?? '';
      const newDate = form.ny_dato?.trim() ?? '';
      if (newName || newDate) {
        if (!newName || !newDate) throw new ValidationProblem([{ field: 'dates', message: 'name and date must both be given' }]);
        dates[newName] = newDate;
      }
      await this.dates.set(person, recipientId, await validated(RecipientDatesDto, { dates }));
      return 'lagret';
    });
  }

  /**
   * Runs a form's change; then back to the recipient's page with a message. A refusal (4xx) is shown on the
   * page, in words, beside its form, with the status the API would answer; nothing was written (each service
   * changes the recipient in one transaction after checking). 403 and 404 are answered as everywhere else.
   */
  private async submit(
    person: AuthenticatedPerson,
    recipientId: string,
    form: RecipientForm,
    sent: RecipientForms,
    req: Request,
    res: Response,
    change: () => Promise<string>,
  ): Promise<void> {
    try {
      const message = await change();
      res.redirect(303, `/administrasjon/tjenestemottakere/${recipientId}?melding=${message}#${form}`);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500 || error.getStatus() === 403 || error.getStatus() === 404) throw error;
      const t = await this.frame.texts(person, req);
      const before = await this.recipients.get(person.municipalityId, recipientId);
      res.status(error.getStatus());
      const { _csrf, ...shown } = sent;
      await this.render(person, req, res, recipientId, { error: { form, message: refusalText(error, t, before) }, sent: shown as RecipientView['sent'] });
    }
  }

  private async render(person: AuthenticatedPerson, req: Request, res: Response, recipientId: string, parts: Pick<RecipientView, 'message' | 'error' | 'sent'>): Promise<void> {
    const t = await this.frame.texts(person, req);
    const recipient = await this.recipients.get(person.municipalityId, recipientId);
    await this.accessLog.record(person, 'GET /administrasjon/tjenestemottakere/:id', [recipient.code]);
    const today = await this.municipalities.today(person.municipalityId);
    const year = Number(today.slice(0, 4));
    const managed = await this.managedUnits(person);
    const view: RecipientView = {
      t,
      csrf: req.csrf ?? '',
      recipient,
      dates: (await this.dates.get(person.municipalityId, recipientId)).dates as Record<string, string>,
      unitNames: await this.data.unitNames(person.municipalityId),
      personNames: await this.data.personNames(person.municipalityId),
      moveUnits: managed.filter((u) => u.id !== recipient.unitId),
      candidates: await this.data.contactCandidates(person.municipalityId, managed.map((u) => u.id)),
      occurrences: await this.data.occurrences(person.municipalityId, recipientId, `${year}-01-01`, `${year + 1}-12-31`),
      years: [year, year + 1],
      today,
      ...parts,
    };
    res.type('html').send(page({ title: t.recipients.recipientTitle(recipient.code), current: 'administrasjon', ...(await this.frame.chrome(person, req, t)) }, recipientPage(view)));
  }

  /** The units the person manages (or administers): where the API lets them change recipients. */
  private async managedUnits(person: AuthenticatedPerson): Promise<Array<{ id: string; name: string }>> {
    return (await this.access.readableUnits(person.personId, person.municipalityId, UNIT_MANAGERS)).filter((u) => u.managed).map(({ id, name }) => ({ id, name }));
  }

}

/**
 * Why a form was refused, in the page's words. The API's checks say which field and why (in English, for
 * programs); each is told here as a manager would want it.
 */
export function refusalText(error: ProblemException, t: Texts, recipient: RecipientDto): string {
  const e = t.recipients.errors;
  const problem = error.errors?.[0];
  const field = problem?.field ?? '';
  const message = problem?.message ?? '';
  const current = recipient.stays[recipient.stays.length - 1];
  if (field === 'activeTo') return /on or after/.test(message) ? e.leavingBeforeComing(norwegianDate(recipient.activeFrom)) : e.leavingDate;
  if (field === 'unitId') return e.moveUnit;
  if (field === 'from') {
    if (/must be after/.test(message) && current) return e.moveTooEarly(norwegianDate(current.from));
    if (/on or before/.test(message) && recipient.activeTo) return e.moveAfterLeaving(norwegianDate(recipient.activeTo));
    return e.moveFrom;
  }
  if (field === 'primaryContactIds') return e.contacts;
  if (field.startsWith('dates.')) return e.dateValue(field.slice('dates.'.length));
  if (field === 'dates') {
    if (/at most/.test(message) && !/must name/.test(message)) return e.tooManyDates;
    if (/the name/.test(message)) return e.dateName;
    return e.datesMissing;
  }
  return e.checkFields;
}
