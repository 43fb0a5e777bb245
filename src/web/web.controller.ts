import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsEmail, IsOptional, IsString, validate } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson, Public } from '../auth/decorators';
import { Allow, UNIT_READERS } from '../auth/policy';
import { SESSION_COOKIE, Sessions } from '../auth/sessions';
import { EntraSignIn, SIGN_IN_COOKIE } from '../auth/entra-sign-in';
import { safeNextPath } from '../auth/next-path';
import { NotFoundProblem, ProblemException, ValidationProblem } from '../common/problem';
import { CreateDeputyDto } from '../notifications/dtos/notification.dto';
import { AccessLogService } from '../audit/access-log';
import { CreateRecipientDto } from '../organisation/dtos/recipient.dto';
import { AssignRoleDto } from '../organisation/dtos/role.dto';
import { RecipientsService } from '../organisation/services/recipients.service';
import { RolesService } from '../organisation/services/roles.service';
import { PeopleService } from '../organisation/services/people.service';
import { CreatePersonDto } from '../organisation/dtos/person.dto';
import { CreateUnitDto } from '../organisation/dtos/create-unit.dto';
import { UnitsService } from '../organisation/services/units.service';
import { AssignWheelDto } from '../wheels/dtos/assignment.dto';
import { CreateTaskDto } from '../wheels/dtos/task.dto';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ChecklistService } from '../occurrences/services/checklist.service';
import { MunicipalitiesService } from '../organisation/services/municipalities.service';
import { SignOffRequest } from '../records/dtos/sign-off.dto';
import { SignOffsService } from '../records/services/sign-offs.service';
import { page, unitYearForm } from './layout';
import { problemWords } from './problem-page';
import { html } from './html';
import { isLang, TEXTS, Texts } from './i18n';
import { LANG_COOKIE, pageChrome, requestLanguage } from './chrome';
import { NotificationSettingsService } from '../notifications/services/notification-settings.service';
import { AssignmentsService } from '../wheels/services/assignments.service';
import { TasksService } from '../wheels/services/tasks.service';
import { WheelsService } from '../wheels/services/wheels.service';
import { adminPage, AdminView } from './pages/admin.page';
import { BuiltRule, buildRrule, Pattern, previewBuilt, RecurrenceForm } from './recurrence-builder';
import { AuditService } from '../audit/services/audit.service';
import { internalControlPage } from './pages/internal-control.page';
import { wheelPage } from './pages/wheel.page';
import { checklistPage, ChecklistFilters, monthName } from './pages/checklist.page';
import { signInPage } from './pages/sign-in.page';
import { printControls } from './pages/print-controls.page';
import { myTasksPage, taskPage } from './pages/tasks.page';
import { subscribeCard } from './calendar/calendar.page';
import { recipientsSignForm } from './bulk-sign/bulk-sign.page';


class SignInForm {
  @IsEmail({}, { message: 'must be an e-mail address' })
  email: string;

  /** Where to go afterwards; anything but a page of Årshjul goes home (safeNextPath). */
  @IsOptional()
  @IsString()
  neste?: string;
}

class SignOffFormBody {
  @IsString() _csrf: string;
  @IsOptional() @IsString() outcome?: string;
  @IsOptional() @IsString() comment?: string;
  @IsOptional() @IsString() storedIn?: string;
  @IsOptional() @IsString() evidenceUrl?: string;
}

/** The administration forms: loosely typed here, checked by the services they feed. */
class AdminForm {
  @IsOptional() @IsString() _csrf?: string;
  @IsOptional() @IsString() hjul?: string;
  @IsOptional() @IsString() over?: string;
  @IsOptional() @IsString() tittel?: string;
  @IsOptional() @IsString() ansvar?: string;
  @IsOptional() @IsString() lagres?: string;
  @IsOptional() @IsString() monster?: string;
  @IsOptional() @IsString() maned?: string;
  @IsOptional() @IsString() dag?: string;
  @IsOptional() @IsString() uke?: string;
  @IsOptional() @IsString() intervall?: string;
  @IsOptional() @IsString() startar?: string;
  @IsOptional() @IsString() rrule?: string;
  @IsOptional() @IsString() visningsar?: string;
  @IsOptional() @IsString() enhet?: string;
  @IsOptional() @IsString() fraar?: string;
  @IsOptional() @IsString() underenheter?: string;
  @IsOptional() @IsString() stedfortreder?: string;
  @IsOptional() @IsString() fra?: string;
  @IsOptional() @IsString() til?: string;
  @IsOptional() @IsString() person?: string;
  @IsOptional() @IsString() rolle?: string;
  @IsOptional() @IsString() kode?: string;
  @IsOptional() @IsString() primaerkontakt?: string;
  @IsOptional() @IsString() navn?: string;
  @IsOptional() @IsString() epost?: string;
}

/** Checks a form's values with the API's own DTO, so a page accepts exactly what the API accepts. */
async function validated<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance);
  if (errors.length) {
    throw new ValidationProblem(errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {})[0] ?? 'is not valid' })));
  }
  return instance;
}

function recurrenceForm(d: Record<string, string>): RecurrenceForm {
  const n = (v: string | undefined) => (v && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined);
  return {
    pattern: (d.monster as Pattern) || 'yearly-date',
    month: n(d.maned),
    day: n(d.dag),
    week: n(d.uke),
    interval: n(d.intervall),
    startYear: n(d.startar),
    rrule: d.rrule,
  };
}

class CsrfForm {
  @IsString() _csrf: string;
}

/**
 * The web app: pages served by the same service, in Norwegian, rendered on the server so they work
 * before (and without) any script. They call the same services and obey the same policies as the API.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: Sessions,
    private readonly dataSource: DataSource,
    private readonly checklists: ChecklistService,
    private readonly signOffs: SignOffsService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly audit: AuditService,
    private readonly wheels: WheelsService,
    private readonly tasks: TasksService,
    private readonly assignments: AssignmentsService,
    private readonly settings: NotificationSettingsService,
    private readonly roles: RolesService,
    private readonly recipients: RecipientsService,
    private readonly accessLog: AccessLogService,
    private readonly entraSignIn: EntraSignIn,
    private readonly people: PeopleService,
    private readonly units: UnitsService,
  ) {}

  @Get()
  @Public()
  home(@Res() res: Response): void {
    res.redirect(303, '/oppgaver');
  }

  @Get('logg-inn')
  @Public()
  async signInForm(@Query('neste') next: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const devSignIn = this.config.authMode === 'development';
    if (this.entraSignIn.enabled) {
      const { url, cookie } = await this.entraSignIn.start(safeNextPath(next));
      res.cookie(SIGN_IN_COOKIE, cookie, { ...this.sessions.cookieOptions(), maxAge: 10 * 60 * 1000 });
      res.redirect(302, url);
      return;
    }
    const people: Array<{ email: string; displayName: string; roles: string[] }> = devSignIn
      ? await this.dataSource.query(
          `SELECT p.email, p.display_name AS "displayName", array_agg(DISTINCT ra.role ORDER BY ra.role) AS roles
             FROM person p JOIN role_assignment ra ON ra.person_id = p.id
            WHERE p.archived_at IS NULL GROUP BY p.id ORDER BY p.display_name`,
        )
      : [];
    // Before sign-in there is no person to ask: the language comes from ?lang= or the remembered choice.
    const t = TEXTS[requestLanguage(req) ?? 'nb'];
    this.rememberLanguage(req);
    res.type('html').send(page({ title: t.signInTitle, t }, signInPage(people, safeNextPath(next), devSignIn, t)));
  }

  @Get('logg-inn/tilbake')
  @Public()
  async signInReturn(@Query('code') code: string | undefined, @Query('state') state: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { session, next } = await this.entraSignIn.finish(code, state, (req.cookies as Record<string, string>)[SIGN_IN_COOKIE]);
    res.clearCookie(SIGN_IN_COOKIE, { path: '/' });
    res.cookie(SESSION_COOKIE, session, this.sessions.cookieOptions());
    // Checked when the sign-in started, and again here, where it becomes a Location.
    res.redirect(303, safeNextPath(next));
  }

  @Post('logg-inn')
  @Public()
  async signIn(@Body() form: SignInForm, @Res() res: Response): Promise<void> {
    if (this.config.authMode !== 'development') throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'Development sign-in is off.');
    const [person] = await this.dataSource.query(`SELECT id, municipality_id FROM person WHERE lower(email) = lower($1) AND archived_at IS NULL`, [form.email]);
    if (!person) throw new ProblemException(401, 'unauthenticated', 'Ikke innlogget', 'No active person with that e-mail.');
    res.cookie(SESSION_COOKIE, await this.sessions.create(person.id, person.municipality_id), this.sessions.cookieOptions());
    res.redirect(303, safeNextPath(form.neste));
  }

  @Post('logg-ut')
  @Allow.signedIn()
  async signOut(@Body() _form: CsrfForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.sessionId) await this.sessions.end(req.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    // A session begun in Teams has its cookie in Teams' partition: only the same attributes remove it.
    res.clearCookie(SESSION_COOKIE, { ...this.sessions.framedCookieOptions(), maxAge: undefined });
    res.redirect(303, '/logg-inn');
  }

  @Get('oppgaver')
  @Allow.signedIn()
  async myTasks(@CurrentPerson() person: AuthenticatedPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const [items, upcoming, today] = await Promise.all([
      this.checklists.openTasks(person.municipalityId, person.personId),
      this.checklists.upcomingTasks(person.municipalityId, person.personId),
      this.municipalities.today(person.municipalityId),
    ]);
    await this.accessLog.record(person, 'GET /oppgaver', [...items, ...upcoming].map((i) => i.recipientCode));
    const chrome = await this.chrome(person, req);
    res
      .type('html')
      .send(
        page(
          { title: chrome.t.myTasksTitle, current: 'oppgaver', ...chrome },
          html`${myTasksPage(items, upcoming, monthName(today.slice(0, 7), chrome.t), req.csrf ?? '', chrome.t)}${subscribeCard(req.csrf ?? '', chrome.t)}`,
        ),
      );
  }

  @Get('oppgaver/:id')
  @Allow.signedIn()
  async task(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('signert') signed: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderTask(person, id, req, res, { signed: signed === '1' });
  }

  @Post('oppgaver/:id/signer')
  @HttpCode(200)
  @Allow.signedIn()
  async signTask(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: SignOffFormBody,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = { outcome: form.outcome ?? 'done', comment: form.comment ?? '', storedIn: form.storedIn ?? '', evidenceUrl: form.evidenceUrl ?? '' };
    const request = plainToInstance(SignOffRequest, {
      outcome: values.outcome,
      comment: values.comment.trim() || undefined,
      storedIn: values.storedIn.trim() || undefined,
      evidenceUrl: values.evidenceUrl.trim() || undefined,
    });
    const errors = await validate(request);
    try {
      if (errors.length) throw new ValidationProblem(errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {})[0] ?? 'is not valid' })));
      await this.signOffs.signOff(person, id, request);
      res.redirect(303, `/oppgaver/${id}?signert=1`);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500) throw error;
      res.status(error.getStatus());
      await this.renderTask(person, id, req, res, { refusal: error, values });
    }
  }

  @Get('sjekkliste')
  @Allow.signedIn()
  async checklist(
    @CurrentPerson() person: AuthenticatedPerson,
    @Query() q: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const units = await this.access.readableUnits(person.personId, person.municipalityId, UNIT_READERS);
    if (units.length === 0) throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'You have no role in any unit.');
    const unit = units.find((u) => u.id === q.enhet) ?? ownUnit(units);
    if (q.enhet && unit.id !== q.enhet) throw new ProblemException(404, 'not-found', 'Finnes ikke', `Unit ${q.enhet} was not found.`);
    const today = await this.municipalities.today(person.municipalityId);
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(q.maned ?? '') && pageYear(q.maned.slice(0, 4)) ? q.maned : today.slice(0, 7);
    const filters: ChecklistFilters = { unitId: unit.id, month, subtree: q.underenheter === '1', wheelId: q.hjul || undefined, status: q.status || undefined, personId: q.person || undefined, code: q.kode || undefined };
    const checklist = await this.checklists.checklist(person.municipalityId, unit.id, month, filters.subtree);
    await this.accessLog.record(person, 'GET /sjekkliste', checklist.groups.flatMap((g) => g.items.map((i) => i.recipientCode)));
    const chrome = await this.chrome(person, req);
    // Rows may be ticked and signed together: any open row by a manager, one's own rows by anyone.
    const signing = { personId: person.personId, manager: await this.access.hasRoleOver(person.personId, person.municipalityId, unit.id, ['manager']), csrf: req.csrf ?? '', back: req.originalUrl };
    res.type('html').send(
      page(
        { title: chrome.t.checklistTitle(unit.name, monthName(month, chrome.t)), current: 'sjekkliste', ...chrome },
        html`${checklistPage(checklist, filters, units, chrome.t, signing)}${printControls(unit.id, Number(month.slice(0, 4)), chrome.t)}`,
      ),
    );
  }

  @Get('arshjul')
  @Allow.signedIn()
  async wheel(@CurrentPerson() person: AuthenticatedPerson, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { unit, units } = await this.chooseUnit(person, q.enhet, UNIT_READERS);
    const today = await this.municipalities.today(person.municipalityId);
    // The list beside the wheel follows ?maned= (a month of the year shown); else this month's number in that year.
    const asked = /^\d{4}-(0[1-9]|1[0-2])$/.test(q.maned ?? '') && pageYear(q.maned.slice(0, 4)) ? q.maned : undefined;
    const year = pageYear(q.ar) ?? (asked ? Number(asked.slice(0, 4)) : Number(today.slice(0, 4)));
    const month = asked?.startsWith(String(year)) ? asked : `${year}-${today.slice(5, 7)}`;
    const items = await this.checklists.between(person.municipalityId, unit.id, `${year}-01-01`, `${year}-12-31`, true);
    await this.accessLog.record(person, 'GET /arshjul', items.map((i) => i.recipientCode));
    const chrome = await this.chrome(person, req);
    res.type('html').send(
      page(
        { title: chrome.t.wheelTitle(year, unit.name), current: 'arshjul', ...chrome },
        html`${unitYearForm('/arshjul', units, unit.id, year, chrome.t)}${wheelPage({ year, month, today, unitId: unit.id, unitName: unit.name, items }, chrome.t)}${printControls(unit.id, year, chrome.t, items.length > 0)}`,
      ),
    );
  }

  @Get('internkontroll')
  @Allow.signedIn()
  async internalControl(@CurrentPerson() person: AuthenticatedPerson, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Quality advisers and managers: the same roles the audit API asks for.
    const { unit, units } = await this.chooseUnit(person, q.enhet, ['manager', 'quality_adviser']);
    const today = await this.municipalities.today(person.municipalityId);
    const year = pageYear(q.ar) ?? Number(today.slice(0, 4));
    const period = { unitId: unit.id, from: `${year}-01-01`, to: `${year}-12-31`, subtree: true };
    const [byMonth, byWheel, records, chain, perPerson] = await Promise.all([
      this.audit.compliance(person.municipalityId, { ...period, groupBy: 'month' }),
      this.audit.compliance(person.municipalityId, { ...period, groupBy: 'wheel' }),
      // By deadline: the year's tasks and their records, also one signed the December before (issue 15).
      this.audit.records(person, { ...period, basis: 'deadline', limit: 100 }),
      this.audit.verify(unit.id),
      this.checklists.dutiesPerPerson(person.municipalityId, unit.id, period.from, period.to, true),
    ]);
    await this.accessLog.record(person, 'GET /internkontroll', records.items.map((r) => r.snapshot.recipientCode as string | null));
    const chrome = await this.chrome(person, req);
    res.type('html').send(
      page(
        { title: chrome.t.controlTitle(year, unit.name), current: 'internkontroll', ...chrome },
        html`${unitYearForm('/internkontroll', units, unit.id, year, chrome.t)}${internalControlPage(unit, year, byMonth, byWheel, records, chain, chrome.t, perPerson)}`,
      ),
    );
  }

  @Get('administrasjon')
  @Allow.signedIn()
  async admin(@CurrentPerson() person: AuthenticatedPerson, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { handling, melding, enhet, ...draft } = q;
    let preview: AdminView['preview'];
    if (handling === 'forhandsvis') preview = this.preview(draft);
    const message = melding === 'lagret' ? 'saved' : melding === 'borte' ? 'roleGone' : undefined;
    await this.renderAdmin(person, req, res, { draft, preview, message }, enhet);
  }

  @Post('administrasjon/oppgaver')
  @Allow.admin()
  async addTask(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { _csrf, ...draft } = form as Record<string, string>;
    const preview = this.preview(draft);
    try {
      if ('error' in preview) throw new ProblemException(422, 'validation', 'Ugyldig', preview.error);
      const built = buildRrule(recurrenceForm(draft)) as BuiltRule;
      if (!/^[0-9a-f-]{36}$/i.test(draft.hjul ?? '')) throw new ValidationProblem([{ field: 'hjul', message: 'velg et årshjul' }]);
      const task = await validated(CreateTaskDto, {
        title: draft.tittel ?? '',
        rrule: built.rrule,
        repeatAfterCompletion: built.repeatAfterCompletion,
        startsOn: built.startsOn,
        responsibleRole: draft.ansvar || 'manager',
        storedIn: draft.lagres || undefined,
        deadlineShift: 'previous',
      });
      await this.tasks.create(person, draft.hjul, task);
      res.redirect(303, '/administrasjon?melding=lagret');
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500) throw error;
      res.status(error.getStatus());
      const why = error.errors?.length ? error.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : error.detail;
      await this.renderAdmin(person, req, res, { draft, preview: { error: `Ikke lagret: ${why}` } });
    }
  }

  @Post('administrasjon/tildelinger')
  @Allow.signedIn()
  async assignWheel(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    const unitId = form.enhet ?? '';
    if (!(await this.access.unitOf('unit', unitId, person.municipalityId))) throw new ProblemException(404, 'not-found', 'Finnes ikke', `Unit ${unitId} was not found.`);
    if (!(await this.access.hasRoleOver(person.personId, person.municipalityId, unitId, ['manager']))) {
      throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'Only managers of the unit may assign wheels to it.');
    }
    const assignment = await validated(AssignWheelDto, { wheelId: form.hjul, fromYear: /^\d+$/.test(form.fraar ?? '') ? Number(form.fraar) : form.fraar, includeSubunits: form.underenheter === '1' });
    await this.assignments.assign(person, unitId, assignment);
    res.redirect(303, '/administrasjon?melding=lagret');
  }

  @Post('administrasjon/stedfortreder')
  @Allow.signedIn()
  async addDeputy(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    await this.settings.addDeputy(person, await validated(CreateDeputyDto, { deputyId: form.stedfortreder, from: form.fra, to: form.til }));
    res.redirect(303, '/administrasjon?melding=lagret');
  }

  @Post('administrasjon/roller')
  @Allow.signedIn()
  async addRole(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    const unitId = await this.managedUnit(person, form.enhet);
    await this.roles.assign(person, unitId, await validated(AssignRoleDto, { personId: form.person, role: form.rolle }));
    res.redirect(303, `/administrasjon?enhet=${unitId}&melding=lagret`);
  }

  @Post('administrasjon/roller/:assignmentId/fjern')
  @Allow.signedIn()
  async removeRole(@CurrentPerson() person: AuthenticatedPerson, @Param('assignmentId', ParseUUIDPipe) assignmentId: string, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    const unitId = await this.managedUnit(person, form.enhet);
    // Already gone (someone else removed it): the page simply shows the unit as it is now.
    const removed = await this.roles.remove(person, unitId, assignmentId).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NotFoundProblem) return false;
        throw error;
      },
    );
    res.redirect(303, `/administrasjon?enhet=${unitId}&melding=${removed ? 'lagret' : 'borte'}`);
  }

  @Post('administrasjon/personer')
  @Allow.admin()
  async addPerson(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    await this.people.create(person, await validated(CreatePersonDto, { displayName: form.navn?.trim(), email: form.epost?.trim() }));
    res.redirect(303, '/administrasjon?melding=lagret');
  }

  /** A unit in the tree: how a new municipality's first administrator starts (README, "First start"). */
  @Post('administrasjon/enheter')
  @Allow.admin()
  async addUnit(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    await this.units.create(person, await validated(CreateUnitDto, { name: form.navn?.trim(), parentId: form.over || undefined }));
    res.redirect(303, '/administrasjon?melding=lagret');
  }

  @Post('administrasjon/personer/:personId/arkiver')
  @Allow.admin()
  async archivePerson(@CurrentPerson() person: AuthenticatedPerson, @Param('personId', ParseUUIDPipe) personId: string, @Body() _form: CsrfForm, @Res() res: Response): Promise<void> {
    await this.people.update(person, personId, { archived: true });
    res.redirect(303, '/administrasjon?melding=lagret');
  }

  @Post('administrasjon/tjenestemottakere')
  @Allow.signedIn()
  async addRecipient(@CurrentPerson() person: AuthenticatedPerson, @Body() form: AdminForm, @Res() res: Response): Promise<void> {
    const unitId = await this.managedUnit(person, form.enhet);
    await this.recipients.create(person, await validated(CreateRecipientDto, { unitId, code: form.kode?.trim(), primaryContactIds: form.primaerkontakt ? [form.primaerkontakt] : [] }));
    res.redirect(303, `/administrasjon?enhet=${unitId}&melding=lagret`);
  }

  /** A unit the person manages (or administers): what the API's managers-only routes require. */
  private async managedUnit(person: AuthenticatedPerson, unitId: string | undefined): Promise<string> {
    if (!(await this.access.unitOf('unit', unitId, person.municipalityId))) throw new ProblemException(404, 'not-found', 'Finnes ikke', `Unit ${unitId} was not found.`);
    if (!(await this.access.hasRoleOver(person.personId, person.municipalityId, unitId!, ['manager']))) {
      throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'Only managers of the unit may change it.');
    }
    return unitId!;
  }

  private preview(draft: Record<string, string>): NonNullable<AdminView['preview']> {
    const built = buildRrule(recurrenceForm(draft));
    if ('error' in built) return built;
    const year = pageYear(draft.visningsar) ?? new Date().getUTCFullYear() + 1;
    try {
      return previewBuilt(built, year);
    } catch (error) {
      if (error instanceof ProblemException) return { error: `Regelen kan ikke brukes: ${error.errors?.[0]?.message ?? error.detail}` };
      throw error;
    }
  }

  private async renderAdmin(person: AuthenticatedPerson, req: Request, res: Response, parts: Pick<AdminView, 'draft' | 'preview'> & { message?: 'saved' | 'roleGone' }, unitId?: string): Promise<void> {
    const isAdmin = await this.access.isAdmin(person.personId, person.municipalityId);
    const managedUnits = (await this.access.readableUnits(person.personId, person.municipalityId, ['manager'])).filter((u) => u.managed);
    const wheels = await Promise.all(
      (await this.wheels.list(person.municipalityId, false)).filter((w) => !w.archived).map(async (w) => ({ ...w, tasks: await this.tasks.list(person.municipalityId, w.id) })),
    );
    const people = (await this.dataSource.query(
      `SELECT id, display_name AS "displayName" FROM person WHERE municipality_id = $1 AND archived_at IS NULL AND id <> $2 ORDER BY display_name`,
      [person.municipalityId, person.personId],
    )) as Array<{ id: string; displayName: string }>;
    const deputies = await this.settings.deputies(person);
    const allPeople = isAdmin ? await this.people.list(person.municipalityId) : [];
    const chosen = managedUnits.find((u) => u.id === unitId) ?? managedUnits[0];
    const unit = chosen
      ? { ...chosen, roles: await this.roles.list(person.municipalityId, chosen.id), recipients: await this.recipients.list(person.municipalityId, chosen.id) }
      : undefined;
    // Showing a unit's recipient codes is a read of recipients' data: it goes in the access log like the API's.
    if (unit) await this.accessLog.record(person, 'GET /administrasjon', unit.recipients.map((r) => r.code));
    // A municipality with only its root unit (as `npm run setup` leaves it) has no tree yet: the administrator starts there.
    const allUnits: Array<{ id: string; name: string }> = isAdmin
      ? await this.dataSource.query(`SELECT id, name FROM unit WHERE municipality_id = $1 AND archived_at IS NULL ORDER BY parent_id NULLS FIRST, name`, [person.municipalityId])
      : [];
    const unitTree = isAdmin && allUnits.length <= 1 ? { units: allUnits } : undefined;
    const chrome = await this.chrome(person, req);
    const view: AdminView = { isAdmin, managedUnits, wheels, people, deputies, allPeople, unit, unitTree, csrf: req.csrf ?? '', t: chrome.t, ...parts, message: parts.message && chrome.t.admin.messages[parts.message] };
    res.type('html').send(page({ title: chrome.t.admin.title, current: 'administrasjon', ...chrome }, adminPage(view)));
  }

  /** The unit asked for, if the person may read it with these roles; else the first they manage or read. */
  private async chooseUnit(person: AuthenticatedPerson, requested: string | undefined, roles: string[]) {
    const units = await this.access.readableUnits(person.personId, person.municipalityId, roles);
    if (units.length === 0) throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'This page needs a role you do not have in any unit.');
    const unit = requested ? units.find((u) => u.id === requested) : ownUnit(units);
    if (!unit) throw new ProblemException(404, 'not-found', 'Finnes ikke', `Unit ${requested} was not found.`);
    return { unit, units };
  }

  private async renderTask(
    person: AuthenticatedPerson,
    id: string,
    req: Request,
    res: Response,
    message: { signed?: boolean; refusal?: ProblemException; values?: Record<string, string> },
  ): Promise<void> {
    const item = await this.checklists.item(person.municipalityId, id, person.personId);
    const canRead = item && (item.mine || (await this.access.hasRoleOver(person.personId, person.municipalityId, item.unitId, UNIT_READERS)));
    if (!item || !canRead) throw new ProblemException(404, 'not-found', 'Finnes ikke', `Occurrence ${id} was not found.`);
    const canSign = item.mine || (await this.access.hasRoleOver(person.personId, person.municipalityId, item.unitId, ['manager']));
    const history = await this.signOffs.history(person.municipalityId, id);
    // The same task open for the person's other recipients, to sign together (bulk-sign/).
    const sameTask = item.recipientCode && item.mine ? (await this.checklists.myTasks(person.municipalityId, person.personId)).filter((o) => o.taskId === item.taskId && o.recipientCode) : [];
    await this.accessLog.record(person, 'GET /oppgaver/:id', [item.recipientCode, ...sameTask.map((o) => o.recipientCode)]);
    const chrome = await this.chrome(person, req);
    const shown = { signed: message.signed, values: message.values, error: message.refusal && refusalText(message.refusal, chrome.t) };
    const today = await this.municipalities.today(person.municipalityId);
    res.type('html').send(
      page(
        { title: item.title, current: 'oppgaver', ...chrome },
        // The form (src/web/pages/tasks.page.ts) shows a refusal beside the fields; where there is no form (not the
        // person's to sign, or signed already) the refusal stands above the task.
        html`${shown.error && (!canSign || (item.signedBy && item.signedAt)) ? html`<p class="error" role="alert">${shown.error}</p>` : ''}${taskPage(item, history, canSign, req.csrf ?? '', shown, chrome.t, today)}${recipientsSignForm(item, sameTask, req.csrf ?? '', chrome.t)}`,
      ),
    );
  }

  /** The page frame: who is signed in, the session's CSRF token, and the person's language. */
  private async chrome(person: AuthenticatedPerson, req: Request) {
    this.rememberLanguage(req);
    return pageChrome(this.dataSource, this.access, person, req);
  }

  /** `?lang=` is remembered in a cookie, so the next page (and an error page) keeps the language. */
  private rememberLanguage(req: Request): void {
    if (isLang(req.query.lang)) req.res!.cookie(LANG_COOKIE, req.query.lang, { httpOnly: true, sameSite: 'lax', secure: this.sessions.secure, path: '/', maxAge: 365 * 24 * 3600 * 1000 });
  }
}

/**
 * The unit a page opens on: the person's own (where they hold their role, the one they manage first),
 * not the first of the tree's names they can read.
 */
function ownUnit<U extends { managed: boolean; own: boolean }>(units: U[]): U {
  return units.find((u) => u.own && u.managed) ?? units.find((u) => u.own) ?? units.find((u) => u.managed) ?? units[0];
}

/** A year asked for in a page's address, if it is one the API also takes (2000–2200); else the page shows its default. */
function pageYear(value: string | undefined): number | undefined {
  const year = /^\d{4}$/.test(value ?? '') ? Number(value) : NaN;
  return year >= 2000 && year <= 2200 ? year : undefined;
}

/** Why a sign-off was refused, in the page's language. */
function refusalText(error: ProblemException, t: Texts): string {
  const field = error.errors?.[0]?.field;
  if (error.slug === 'already-signed') return t.errors.alreadySigned;
  if (error.slug === 'not-your-task') return t.errors.notYours;
  const message = error.errors?.[0]?.message ?? '';
  if (/fødselsnummer/.test(message)) return t.errors.fodselsnummer;
  if (/character/.test(message)) return t.errors.badText;
  if (field === 'comment') return t.errors.commentRequired;
  if (field === 'evidenceUrl') return t.errors.link;
  if (error.slug === 'validation') return t.errors.checkFields;
  // Any other refusal in words from its type, never the API's English detail.
  return problemWords(error.slug, error.getStatus(), t).title + '.';
}
