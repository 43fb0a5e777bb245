import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS } from '../../auth/policy';
import { ProblemException, ValidationProblem } from '../../common/problem';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { CreateTaskOptOutDto, EndTaskOptOutDto } from '../../wheels/dtos/task-opt-out.dto';
import { CreateTaskDto, UpdateTaskDto } from '../../wheels/dtos/task.dto';
import { CopyWheelDto, CreateWheelDto, PublishWheelDto, UpdateWheelDto } from '../../wheels/dtos/wheel.dto';
import { PublishingService } from '../../wheels/services/publishing.service';
import { TaskOptOutsService } from '../../wheels/services/task-opt-outs.service';
import { TasksService } from '../../wheels/services/tasks.service';
import { WheelsService } from '../../wheels/services/wheels.service';
import { WheelInUseProblem } from '../../wheels/exceptions/wheel.exceptions';
import { html } from '../html';
import { Texts } from '../i18n';
import { validated } from '../forms';
import { PageFrame } from '../page-frame';
import { page } from '../layout';
import { deadlinesOf, fieldsOfTask, monthOfRow, RowFields, ruleOf } from './row-form';
import { previewBuilt } from '../recurrence-builder';
import { EditorView, optOutsPage, wheelEditorPage, wheelListPage } from './wheel-editor.page';

/** The editor's forms: loosely typed here, checked by the API's own DTOs in the services they feed. */
class EditorForm {
  @IsOptional() @IsString() _csrf?: string;
  @IsOptional() @IsString() handling?: string;
  @IsOptional() @IsString() navn?: string;
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() ownerUnitId?: string;
  @IsOptional() @IsString() kilde?: string;
  @IsOptional() @IsString() kopinavn?: string;
  @IsOptional() @IsString() tittel?: string;
  @IsOptional() @IsString() beskrivelse?: string;
  @IsOptional() @IsString() hjemmel?: string;
  @IsOptional() @IsString() ansvar?: string;
  @IsOptional() @IsString() omfang?: string;
  @IsOptional() @IsString() lagres?: string;
  @IsOptional() @IsString() monster?: string;
  @IsOptional() @IsString() maned?: string;
  @IsOptional() @IsString() dag?: string;
  @IsOptional() @IsString() uke?: string;
  @IsOptional() @IsString() intervall?: string;
  @IsOptional() @IsString() startar?: string;
  @IsOptional() @IsString() rrule?: string;
  @IsOptional() @IsString() tidsenhet?: string;
  @IsOptional() @IsString() retning?: string;
  @IsOptional() @IsString() anker?: string;
  @IsOptional() @IsString() datonavn?: string;
  @IsOptional() @IsString() gjennomgatt?: string;
  @IsOptional() @IsString() fra?: string;
  @IsOptional() @IsString() enhet?: string;
  @IsOptional() @IsString() oppgave?: string;
  @IsOptional() @IsString() begrunnelse?: string;
}

/** Why something was refused, as one line for the page. */
function refusal(error: unknown): string {
  if (!(error instanceof ProblemException) || error.getStatus() >= 500 || error.getStatus() === 403 || error.getStatus() === 404) throw error;
  return error.errors?.length ? `${error.detail} ${error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` : error.detail;
}

/** The refusal's words for the page, answered with its status; anything else (403, 404, 5xx) goes to the error filter. */
function refused(res: Response, error: unknown): string {
  const message = refusal(error);
  res.status((error as ProblemException).getStatus());
  return message;
}

const orNull = (v: string | undefined) => (v?.trim() ? v : null);

/**
 * Why a row was refused, in the page's words: the builder's own messages are already the form's; the API's
 * checks (the same DTO and schedule validation as POST /wheels/:id/tasks) name a field, told here as a
 * manager would want it.
 */
function rowRefusal(error: ProblemException, t: Texts): string {
  const r = t.wheelEditor.rowErrors;
  const problem = error.errors?.[0];
  const field = problem?.field ?? '';
  const message = problem?.message ?? '';
  if (field === 'title') return r.title;
  if (field === 'scope' || (field === 'repeatAfterDate' && /recipient/.test(message))) return r.recipientScope;
  if (field === 'repeatAfterDate') return r.dateName;
  if (field === 'offset') return r.offset;
  if (field === 'repeatAfterCompletion') return r.repeat;
  // The builder's refusals are thrown as the rule's field in Norwegian already; a rule the checks refuse says why.
  if (field === 'rrule') return /[æøå]|Velg|Skriv/.test(message) ? message : r.rule(message);
  return r.other(refusal(error));
}

/**
 * The wheel editor for managers (and administrators): the wheels they may shape, a wheel's rows by month
 * with next year's deadlines, changing rows with the recurrence builder and a preview, publishing (from a
 * date when the draft replaces a wheel in use), and switching a task off for a unit. Same services and
 * policies as the API; every form carries the session's CSRF token.
 */
@ApiExcludeController()
@Controller('administrasjon')
export class WheelEditorController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly wheels: WheelsService,
    private readonly tasks: TasksService,
    private readonly publishing: PublishingService,
    private readonly optOuts: TaskOptOutsService,
    private readonly frame: PageFrame,
  ) {}

  @Get('arshjul')
  @Allow.signedIn()
  async list(@CurrentPerson() person: AuthenticatedPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderList(person, req, res);
  }

  @Post('arshjul')
  @Allow.wheelShaperOfOwner()
  async create(@CurrentPerson() person: AuthenticatedPerson, @Body() form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const dto = await validated(CreateWheelDto, { name: form.navn ?? '', kind: form.type, ownerUnitId: orNull(form.ownerUnitId) ?? undefined, status: 'draft' });
      const wheel = await this.wheels.create(person, dto);
      res.redirect(303, `/administrasjon/arshjul/${wheel.id}?rad=ny#rad-skjema`);
    } catch (error) {
      await this.renderList(person, req, res, refused(res, error));
    }
  }

  @Post('arshjul/kopier')
  @Allow.wheelShaperOfOwner()
  async copy(@CurrentPerson() person: AuthenticatedPerson, @Body() form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      if (!/^[0-9a-f-]{36}$/i.test(form.kilde ?? '')) throw new ValidationProblem([{ field: 'kilde', message: 'velg et årshjul å kopiere' }]);
      const dto = await validated(CopyWheelDto, { ownerUnitId: orNull(form.ownerUnitId) ?? undefined, name: orNull(form.kopinavn) ?? undefined });
      const wheel = await this.wheels.copy(person, form.kilde!, dto);
      res.redirect(303, `/administrasjon/arshjul/${wheel.id}`);
    } catch (error) {
      await this.renderList(person, req, res, refused(res, error));
    }
  }

  @Get('arshjul/:wheelId')
  @Allow.wheelShaper('wheelId')
  async editor(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('wheelId', ParseUUIDPipe) wheelId: string,
    @Query() q: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const t = await this.frame.texts(person, req);
    const message = q.melding === 'lagret' ? t.wheelEditor.saved : q.melding === 'publisert' ? t.wheelEditor.published : undefined;
    await this.renderEditor(person, req, res, wheelId, { editing: q.rad, message });
  }

  @Post('arshjul/:wheelId/rader')
  @Allow.wheelShaper('wheelId')
  async addRow(@CurrentPerson() person: AuthenticatedPerson, @Param('wheelId', ParseUUIDPipe) wheelId: string, @Body() form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.saveRow(person, wheelId, undefined, form, req, res);
  }

  @Post('arshjul/:wheelId/rader/:taskId')
  @Allow.wheelShaper('wheelId')
  async changeRow(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('wheelId', ParseUUIDPipe) wheelId: string,
    @Param('taskId', ParseUUIDPipe) taskId: string,
    @Body() form: EditorForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.saveRow(person, wheelId, taskId, form, req, res);
  }

  @Post('arshjul/:wheelId/rader/:taskId/fjern')
  @Allow.wheelShaper('wheelId')
  async removeRow(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('wheelId', ParseUUIDPipe) wheelId: string,
    @Param('taskId', ParseUUIDPipe) taskId: string,
    @Body() _form: EditorForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.draftOnly(person, wheelId);
      await this.tasks.update(person, wheelId, taskId, { archived: true });
      res.redirect(303, `/administrasjon/arshjul/${wheelId}?melding=lagret`);
    } catch (error) {
      await this.renderEditor(person, req, res, wheelId, { error: refused(res, error) });
    }
  }

  @Post('arshjul/:wheelId/navn')
  @Allow.wheelShaper('wheelId')
  async rename(@CurrentPerson() person: AuthenticatedPerson, @Param('wheelId', ParseUUIDPipe) wheelId: string, @Body() form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      await this.wheels.update(person, wheelId, await validated(UpdateWheelDto, { name: form.navn ?? '', description: orNull(form.beskrivelse) }));
      res.redirect(303, `/administrasjon/arshjul/${wheelId}?melding=lagret`);
    } catch (error) {
      await this.renderEditor(person, req, res, wheelId, { error: refused(res, error) });
    }
  }

  @Post('arshjul/:wheelId/publiser')
  @Allow.wheelShaper('wheelId')
  async publish(@CurrentPerson() person: AuthenticatedPerson, @Param('wheelId', ParseUUIDPipe) wheelId: string, @Body() form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      await this.publishing.publish(person, wheelId, await validated(PublishWheelDto, { replacesFrom: orNull(form.fra) ?? undefined }));
      res.redirect(303, `/administrasjon/arshjul/${wheelId}?melding=publisert`);
    } catch (error) {
      await this.renderEditor(person, req, res, wheelId, { error: refused(res, error), publishFrom: form.fra });
    }
  }

  @Post('arshjul/:wheelId/utkast')
  @Allow.wheelShaper('wheelId')
  async startDraft(@CurrentPerson() person: AuthenticatedPerson, @Param('wheelId', ParseUUIDPipe) wheelId: string, @Body() _form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const draft = await this.wheels.startDraft(person, wheelId);
      res.redirect(303, `/administrasjon/arshjul/${draft.id}`);
    } catch (error) {
      await this.renderEditor(person, req, res, wheelId, { error: refused(res, error) });
    }
  }

  @Get('fravalg')
  @Allow.signedIn()
  async optOutPage(@CurrentPerson() person: AuthenticatedPerson, @Query('enhet') unitId: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderOptOuts(person, req, res, unitId);
  }

  @Post('fravalg')
  @Allow.unitRoleFromBody(UNIT_MANAGERS, 'enhet')
  async optOut(@CurrentPerson() person: AuthenticatedPerson, @Body() form: EditorForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const unitId = form.enhet!;
    try {
      const dto = await validated(CreateTaskOptOutDto, { taskId: form.oppgave, reason: form.begrunnelse ?? '', from: form.fra });
      await this.optOuts.create(person, unitId, dto);
      res.redirect(303, `/administrasjon/fravalg?enhet=${unitId}`);
    } catch (error) {
      await this.renderOptOuts(person, req, res, unitId, refused(res, error));
    }
  }

  @Post('fravalg/:optOutId/avslutt')
  @Allow.unitRoleFromBody(UNIT_MANAGERS, 'enhet')
  async endOptOut(
    @CurrentPerson() person: AuthenticatedPerson,
    @Param('optOutId', ParseUUIDPipe) optOutId: string,
    @Body() form: EditorForm,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const unitId = form.enhet!;
    try {
      await this.optOuts.end(person, unitId, optOutId, await validated(EndTaskOptOutDto, { from: orNull(form.fra) ?? undefined }));
      res.redirect(303, `/administrasjon/fravalg?enhet=${unitId}`);
    } catch (error) {
      // Gone already (ended and removed by someone else, or never there): the page shows the unit as it is now.
      if (error instanceof ProblemException && error.getStatus() === 404) return res.redirect(303, `/administrasjon/fravalg?enhet=${unitId}`);
      await this.renderOptOuts(person, req, res, unitId, refused(res, error));
    }
  }

  /** Saves a row — or, with "preview", shows its deadlines next year and changes nothing. */
  private async saveRow(person: AuthenticatedPerson, wheelId: string, taskId: string | undefined, form: EditorForm, req: Request, res: Response): Promise<void> {
    const { _csrf, handling, ...fields } = form as RowFields & { _csrf?: string; handling?: string };
    const today = await this.municipalities.today(person.municipalityId);
    const year = Number(today.slice(0, 4)) + 1;
    const built = ruleOf(fields, year - 1);
    const editing = taskId ?? 'ny';
    if (handling === 'forhandsvis') {
      let preview: EditorView['preview'];
      try {
        preview = 'error' in built ? built : previewBuilt(built, year);
      } catch (error) {
        preview = { error: refusal(error) };
      }
      await this.renderEditor(person, req, res, wheelId, { editing, form: fields, preview });
      return;
    }
    try {
      await this.draftOnly(person, wheelId);
      if ('error' in built) throw new ValidationProblem([{ field: 'rrule', message: built.error }]);
      const values = {
        title: fields.tittel ?? '',
        description: orNull(fields.beskrivelse),
        legalBasis: orNull(fields.hjemmel),
        responsibleRole: fields.ansvar || 'manager',
        scope: fields.omfang || 'unit',
        storedIn: orNull(fields.lagres),
        // One way of recurring; the others null, so that a row can change from one way to another.
        rrule: built.rrule,
        repeatAfterCompletion: built.repeatAfterCompletion ?? null,
        repeatAfterDate: built.repeatAfterDate ?? null,
        relativeTo: built.relativeTo ?? null,
        offset: built.offset ?? null,
        startsOn: built.startsOn ?? `${year - 1}-01-01`,
      };
      if (taskId) {
        await this.tasks.update(person, wheelId, taskId, await validated(UpdateTaskDto, { ...values, ...(fields.gjennomgatt === '1' ? { reviewNote: null } : {}) }));
      } else {
        await this.tasks.create(person, wheelId, await validated(CreateTaskDto, { ...values, deadlineShift: 'previous' }));
      }
      res.redirect(303, `/administrasjon/arshjul/${wheelId}?melding=lagret${taskId ? `#rad-${taskId}` : ''}`);
    } catch (error) {
      refused(res, error);
      await this.renderEditor(person, req, res, wheelId, { editing, form: fields, preview: { error: rowRefusal(error as ProblemException, await this.frame.texts(person, req)) } });
    }
  }

  /** The editor changes drafts only; a wheel in use is changed through a draft that replaces it. */
  private async draftOnly(person: AuthenticatedPerson, wheelId: string): Promise<void> {
    const wheel = await this.wheels.own(person.municipalityId, wheelId);
    if (wheel.status !== 'draft') throw new WheelInUseProblem(wheel.name);
  }

  private async renderList(person: AuthenticatedPerson, req: Request, res: Response, error?: string): Promise<void> {
    const t = await this.frame.texts(person, req);
    const scope = await this.wheels.shapingScope(person);
    const all = (await this.wheels.listFor(person, { editable: true })).filter((w) => !w.archived);
    const counts = await this.rowCounts(all.map((w) => w.id));
    const unitNames = await this.unitNames(person);
    const wheels = all.map((wheel) => ({ wheel, ownerName: wheel.ownerUnitId ? (unitNames.get(wheel.ownerUnitId) ?? '') : t.wheelEditor.municipality, ...(counts.get(wheel.id) ?? { rows: 0, flagged: 0 }) }));
    const own = (await this.wheels.list(person.municipalityId, false)).filter((w) => !w.archived);
    const library = (await this.wheels.list(person.municipalityId, true)).filter((w) => w.municipalityId !== person.municipalityId);
    const view = {
      t,
      csrf: req.csrf ?? '',
      wheels,
      owners: [...scope.units].map((id) => ({ id, name: unitNames.get(id) ?? id })).sort((a, b) => a.name.localeCompare(b.name, 'nb')),
      isAdmin: scope.municipality,
      sources: [...own.map((w) => ({ id: w.id, name: w.name, library: false })), ...library.map((w) => ({ id: w.id, name: w.name, library: true }))],
      error,
    };
    res.type('html').send(page({ title: t.wheelEditor.title, current: 'administrasjon', ...(await this.frame.chrome(person, req, t)) }, wheelListPage(view)));
  }

  private async renderEditor(
    person: AuthenticatedPerson,
    req: Request,
    res: Response,
    wheelId: string,
    parts: Pick<EditorView, 'editing' | 'preview' | 'message' | 'error' | 'publishFrom'> & { form?: RowFields },
  ): Promise<void> {
    const t = await this.frame.texts(person, req);
    const wheel = await this.wheels.get(person.municipalityId, wheelId);
    const today = await this.municipalities.today(person.municipalityId);
    const year = Number(today.slice(0, 4)) + 1;
    const tasks = (await this.tasks.list(person.municipalityId, wheelId)).filter((task) => !task.archived);
    const rows = tasks.map((task) => {
      // A rule's dates; a task repeating after completion shows its first deadline; one counted from the stay has none of its own.
      const deadlines = task.relativeTo !== null || task.repeatAfterDate !== null ? [] : deadlinesOf(task.rrule, task.startsOn, task.deadlineShift, year);
      return { task, deadlines, month: monthOfRow(deadlines, task.sourceMonth) };
    });
    const unitNames = await this.unitNames(person);
    const replaced = wheel.replacesWheelId ? await this.wheels.get(person.municipalityId, wheel.replacesWheelId) : undefined;
    const [successor] = await this.dataSource.query(
      `SELECT id, name, status FROM wheel WHERE replaces_wheel_id = $1 AND archived_at IS NULL ORDER BY status = 'active' DESC, created_at DESC LIMIT 1`,
      [wheelId],
    );
    // The open row form holds what was sent, or else the row as stored.
    const task = tasks.find((x) => x.id === parts.editing);
    const form: RowFields = parts.form ?? (task
      ? { tittel: task.title, beskrivelse: task.description ?? '', hjemmel: task.legalBasis ?? '', ansvar: task.responsibleRole, omfang: task.scope, lagres: task.storedIn ?? '', ...fieldsOfTask(task) }
      : { monster: 'yearly-date', ansvar: 'manager', omfang: 'unit' });
    const view: EditorView = {
      t,
      csrf: req.csrf ?? '',
      wheel,
      ownerName: wheel.ownerUnitId ? (unitNames.get(wheel.ownerUnitId) ?? '') : t.wheelEditor.municipality,
      replaces: replaced ? { id: replaced.id, name: replaced.name } : undefined,
      successor,
      year,
      today,
      rows,
      ...parts,
      editing: parts.editing === 'ny' || task ? parts.editing : undefined,
      form,
    };
    res.type('html').send(page({ title: wheel.name, current: 'administrasjon', ...(await this.frame.chrome(person, req, t)) }, wheelEditorPage(view)));
  }

  private async renderOptOuts(person: AuthenticatedPerson, req: Request, res: Response, unitId: string | undefined, error?: string): Promise<void> {
    const t = await this.frame.texts(person, req);
    const units = (await this.access.readableUnits(person.personId, person.municipalityId, UNIT_MANAGERS)).filter((u) => u.managed);
    if (units.length === 0) throw new ProblemException(403, 'forbidden', t.errors.forbidden, 'Only managers switch tasks off for a unit.');
    const unit = unitId ? units.find((u) => u.id === unitId) : units[0];
    if (!unit) throw new ProblemException(404, 'not-found', t.errors.notFound, `Unit ${unitId} was not found.`);
    const view = {
      t,
      csrf: req.csrf ?? '',
      units,
      unit,
      today: await this.municipalities.today(person.municipalityId),
      wheels: await this.optOuts.followedTasks(person.municipalityId, unit.id),
      optOuts: await this.optOuts.list(person.municipalityId, unit.id, { subtree: true }),
      error,
    };
    res.type('html').send(page({ title: t.wheelEditor.optOutTitle, current: 'administrasjon', ...(await this.frame.chrome(person, req, t)) }, html`${optOutsPage(view)}`));
  }

  private async rowCounts(wheelIds: string[]): Promise<Map<string, { rows: number; flagged: number }>> {
    const rows: Array<{ wheel_id: string; rows: number; flagged: number }> = wheelIds.length
      ? await this.dataSource.query(
          `SELECT wheel_id, count(*)::int AS rows, count(review_note)::int AS flagged FROM task_definition
            WHERE wheel_id = ANY($1::uuid[]) AND archived_at IS NULL GROUP BY wheel_id`,
          [wheelIds],
        )
      : [];
    return new Map(rows.map((r) => [r.wheel_id, { rows: r.rows, flagged: r.flagged }]));
  }

  private async unitNames(person: AuthenticatedPerson): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM unit WHERE municipality_id = $1`, [person.municipalityId]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

}
