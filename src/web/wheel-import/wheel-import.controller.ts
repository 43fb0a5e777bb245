import { Body, Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS } from '../../auth/policy';
import { ProblemException } from '../../common/problem';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { addDays } from '../../schedule/local-date';
import { deadlinesInYear } from '../../schedule/recurrence';
import { TaskDefinition } from '../../wheels/entities/task-definition.entity';
import { ImportResultDto } from '../../wheel-import/dtos/import.dto';
import { roleKeyFor } from '../../wheel-import/interpret/roles';
import { WheelImportService } from '../../wheel-import/wheel-import.service';
import { page } from '../layout';
import { PageFrame } from '../page-frame';
import { PreviewRow, previewPage, uploadPage } from './wheel-import.page';
import { UPLOAD_PROBLEM } from './upload.middleware';

class ImportForm {
  @IsOptional() @IsString() _csrf?: string;
  @IsOptional() @IsString() enhet?: string;
  @IsOptional() @IsString() navn?: string;
  @IsOptional() @IsString() hjul?: string;
}

const ROLE_FIELD = /^rolle_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Importing a wheel in the web app: upload the table, see every row with its deadlines of the coming year
 * and what was not understood, choose a role where Ansvar was not understood, save. The import and its
 * rules are the API's (WheelImportService); this only shows them.
 */
@ApiExcludeController()
@Controller('administrasjon/import')
export class WheelImportPagesController {
  constructor(
    private readonly imports: WheelImportService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly dataSource: DataSource,
    private readonly frame: PageFrame,
  ) {}

  @Get()
  @Allow.anyRole(UNIT_MANAGERS)
  async form(@CurrentPerson() person: AuthenticatedPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderUpload(person, req, res);
  }

  @Post()
  @Allow.anyRole(UNIT_MANAGERS)
  async upload(@CurrentPerson() person: AuthenticatedPerson, @Body() form: ImportForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const stashed = res.locals[UPLOAD_PROBLEM] as ProblemException | undefined;
      if (stashed) throw stashed;
      const result = await this.imports.import(person, req.file, { name: form.navn?.trim() || undefined, unitId: form.enhet || undefined, wheelId: form.hjul || undefined });
      await this.renderPreview(person, req, res, result.wheelId, HttpStatus.CREATED, result);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500) throw error;
      const t = await this.frame.texts(req.person!, req);
      // Who may not import, or into what, is answered as everywhere else; a bad file on the form, in words.
      if (error.getStatus() === 403 || error.getStatus() === 404) throw error;
      const why = t.wheelImport.why[error.slug] ?? (error.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || error.detail);
      await this.renderUpload(person, req, res, why, error.getStatus());
    }
  }

  @Get(':wheelId')
  @Allow.anyRole(UNIT_MANAGERS)
  async preview(@CurrentPerson() person: AuthenticatedPerson, @Param('wheelId') wheelId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderPreview(person, req, res, wheelId, HttpStatus.OK, undefined, req.query.lagret === '1');
  }

  @Post(':wheelId')
  @Allow.anyRole(UNIT_MANAGERS)
  async chooseRoles(@CurrentPerson() person: AuthenticatedPerson, @Param('wheelId') wheelId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    // The fields are named by task (rolle_<task id>), so the form is read as it comes; the service checks every value.
    const body = (req.body ?? {}) as Record<string, unknown>;
    const choices = Object.entries(body).flatMap(([field, value]) => {
      const m = ROLE_FIELD.exec(field);
      return m && typeof value === 'string' && value !== '' ? [{ taskId: m[1], role: value }] : [];
    });
    await this.imports.chooseRoles(person, wheelId, choices);
    res.redirect(303, `/administrasjon/import/${wheelId}?lagret=1`);
  }

  private async renderUpload(person: AuthenticatedPerson, req: Request, res: Response, error?: string, status = 200): Promise<void> {
    const t = await this.frame.texts(req.person!, req);
    const units = (await this.access.readableUnits(person.personId, person.municipalityId, UNIT_MANAGERS)).filter((u) => u.managed);
    const isAdmin = await this.access.isAdmin(person.personId, person.municipalityId);
    const managed = new Set(units.map((u) => u.id));
    const wheels: Array<{ id: string; name: string; status: string; owner_unit_id: string | null }> = await this.dataSource.query(
      `SELECT id, name, status, owner_unit_id FROM wheel WHERE municipality_id = $1 AND archived_at IS NULL ORDER BY status, name`,
      [person.municipalityId],
    );
    const shapeable = wheels.filter((w) => (w.owner_unit_id === null ? isAdmin : managed.has(w.owner_unit_id)));
    res.status(status).type('html').send(page({ title: t.wheelImport.title, ...(await this.frame.chrome(person, req, t)), current: 'administrasjon' }, uploadPage({ t, csrf: req.csrf ?? '', units, isAdmin, wheels: shapeable, error })));
  }

  private async renderPreview(person: AuthenticatedPerson, req: Request, res: Response, wheelId: string, status: number, result?: ImportResultDto, saved = false): Promise<void> {
    const t = await this.frame.texts(req.person!, req);
    const { wheel, tasks } = await this.imports.draft(person, wheelId);
    const today = await this.municipalities.today(person.municipalityId);
    const warnings = new Map((result?.rows ?? []).map((r) => [r.taskId, r.warnings.map((w) => w.message)]));
    const unscheduled = new Set((result?.rows ?? []).filter((r) => r.rrule === null).map((r) => r.taskId));
    const roles = [...(await this.imports.rolesOf(person.municipalityId))].sort();
    const rows: PreviewRow[] = tasks.map((task) => ({
      taskId: task.id,
      line: task.sourceLine,
      month: task.sourceMonth,
      title: task.title,
      deadlines: unscheduled.has(task.id) || task.reviewNote?.includes('ingen fast frist') ? null : comingYear(task, today),
      responsibleText: task.responsibleText,
      responsibleRole: task.responsibleRole,
      scope: task.scope,
      storedIn: task.storedIn,
      reviewNote: task.reviewNote,
      warnings: warnings.get(task.id) ?? [],
      chooseRole: task.reviewNote?.includes('Ansvar:') ?? false,
      suggestedRole: task.responsibleText ? roleKeyFor(task.responsibleText.split(/[/,&+;\n]/)[0].trim()) : null,
    }));
    const replaces = wheel.replacesWheelId
      ? ((await this.dataSource.query(`SELECT name FROM wheel WHERE id = $1 AND municipality_id = $2`, [wheel.replacesWheelId, person.municipalityId]))[0]?.name ?? null)
      : null;
    const body = previewPage({
      t,
      csrf: req.csrf ?? '',
      wheel: { id: wheel.id, name: wheel.name, replaces },
      rows,
      problems: result?.problems ?? [],
      roles,
      message: saved ? t.wheelImport.saved : undefined,
    });
    res.status(status).type('html').send(page({ title: t.wheelImport.previewTitle(wheel.name), ...(await this.frame.chrome(person, req, t)), current: 'administrasjon' }, body));
  }

}

/** The task's deadlines from today for a year, as the draft would give them once published. */
function comingYear(task: TaskDefinition, today: string): string[] {
  const until = addDays(today, 365);
  const year = Number(today.slice(0, 4));
  // A row repeating after its last completion (set later in the editor) shows its first deadline.
  if (task.repeatAfterCompletion !== null) return task.startsOn >= today && task.startsOn < until ? [task.startsOn] : [];
  if (task.rrule === null) return []; // counted from each recipient's stay: no calendar dates of its own
  try {
    const schedule = { rrule: task.rrule, startsOn: task.startsOn, shift: task.deadlineShift };
    return [...deadlinesInYear(schedule, year), ...deadlinesInYear(schedule, year + 1)].map((d) => d.deadline).filter((d) => d >= today && d < until);
  } catch {
    return [];
  }
}
