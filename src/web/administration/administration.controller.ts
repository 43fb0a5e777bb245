import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AccessLogService } from '../../audit/access-log';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { NotFoundProblem, ProblemException, ValidationProblem } from '../../common/problem';
import { CreateDeputyDto } from '../../notifications/dtos/notification.dto';
import { NotificationSettingsService } from '../../notifications/services/notification-settings.service';
import { CreateUnitDto } from '../../organisation/dtos/create-unit.dto';
import { CreatePersonDto } from '../../organisation/dtos/person.dto';
import { CreateRecipientDto } from '../../organisation/dtos/recipient.dto';
import { AssignRoleDto } from '../../organisation/dtos/role.dto';
import { PeopleService } from '../../organisation/services/people.service';
import { RecipientsService } from '../../organisation/services/recipients.service';
import { RolesService } from '../../organisation/services/roles.service';
import { UnitsService } from '../../organisation/services/units.service';
import { AssignWheelDto } from '../../wheels/dtos/assignment.dto';
import { CreateTaskDto } from '../../wheels/dtos/task.dto';
import { AssignmentsService } from '../../wheels/services/assignments.service';
import { TasksService } from '../../wheels/services/tasks.service';
import { WheelsService } from '../../wheels/services/wheels.service';
import { CsrfForm, validated } from '../forms';
import { page } from '../layout';
import { PageFrame, pageYear } from '../page-frame';
import { BuiltRule, buildRrule, Pattern, previewBuilt, RecurrenceForm } from '../recurrence-builder';
import { adminPage, AdminView } from './admin.page';

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

/**
 * Administrasjon: one's deputy, and for managers and administrators the unit's roles, recipients and wheels,
 * a new task with the recurrence builder, people and the unit tree. Each form calls the API's service with
 * the API's DTO; a section the person may not use says why.
 */
@ApiExcludeController()
@Controller()
export class AdministrationController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly wheels: WheelsService,
    private readonly tasks: TasksService,
    private readonly assignments: AssignmentsService,
    private readonly settings: NotificationSettingsService,
    private readonly roles: RolesService,
    private readonly recipients: RecipientsService,
    private readonly accessLog: AccessLogService,
    private readonly people: PeopleService,
    private readonly units: UnitsService,
    private readonly frame: PageFrame,
  ) {}

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
    const chrome = await this.frame.chrome(person, req);
    const view: AdminView = { isAdmin, managedUnits, wheels, people, deputies, allPeople, unit, unitTree, csrf: req.csrf ?? '', t: chrome.t, ...parts, message: parts.message && chrome.t.admin.messages[parts.message] };
    res.type('html').send(page({ title: chrome.t.admin.title, current: 'administrasjon', ...chrome }, adminPage(view)));
  }
}
