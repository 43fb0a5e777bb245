import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { AccessLogService } from '../../audit/access-log';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { ProblemException } from '../../common/problem';
import { ChecklistService } from '../../occurrences/services/checklist.service';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { SignOffRequest } from '../../records/dtos/sign-off.dto';
import { SignOffsService } from '../../records/services/sign-offs.service';
import { recipientsSignForm } from '../bulk-sign/bulk-sign.page';
import { subscribeCard } from '../calendar/calendar.page';
import { monthName } from '../checklist/checklist.page';
import { validated } from '../forms';
import { html } from '../html';
import { Texts } from '../i18n';
import { page } from '../layout';
import { PageFrame } from '../page-frame';
import { problemWords } from '../problem-page';
import { myTasksPage, taskPage } from './tasks.page';

class SignOffFormBody {
  @IsString() _csrf: string;
  @IsOptional() @IsString() outcome?: string;
  @IsOptional() @IsString() comment?: string;
  @IsOptional() @IsString() storedIn?: string;
  @IsOptional() @IsString() evidenceUrl?: string;
}

/** Mine oppgaver, a task's page (where reminders link to), and its one-step sign-off form. */
@ApiExcludeController()
@Controller()
export class TasksController {
  constructor(
    private readonly checklists: ChecklistService,
    private readonly signOffs: SignOffsService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly accessLog: AccessLogService,
    private readonly frame: PageFrame,
  ) {}

  @Get('oppgaver')
  @Allow.signedIn()
  async myTasks(@CurrentPerson() person: AuthenticatedPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const [items, upcoming, today] = await Promise.all([
      this.checklists.openTasks(person.municipalityId, person.personId),
      this.checklists.upcomingTasks(person.municipalityId, person.personId),
      this.municipalities.today(person.municipalityId),
    ]);
    await this.accessLog.record(person, 'GET /oppgaver', [...items, ...upcoming].map((i) => i.recipientCode));
    const chrome = await this.frame.chrome(person, req);
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
    try {
      const request = await validated(SignOffRequest, {
        outcome: values.outcome,
        comment: values.comment.trim() || undefined,
        storedIn: values.storedIn.trim() || undefined,
        evidenceUrl: values.evidenceUrl.trim() || undefined,
      });
      await this.signOffs.signOff(person, id, request);
      res.redirect(303, `/oppgaver/${id}?signert=1`);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500) throw error;
      res.status(error.getStatus());
      await this.renderTask(person, id, req, res, { refusal: error, values });
    }
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
    const chrome = await this.frame.chrome(person, req);
    const shown = { signed: message.signed, values: message.values, error: message.refusal && refusalText(message.refusal, chrome.t) };
    const today = await this.municipalities.today(person.municipalityId);
    res.type('html').send(
      page(
        { title: item.title, current: 'oppgaver', ...chrome },
        // The form (tasks.page.ts) shows a refusal beside the fields; where there is no form (not the
        // person's to sign, or signed already) the refusal stands above the task.
        html`${shown.error && (!canSign || (item.signedBy && item.signedAt)) ? html`<p class="error" role="alert">${shown.error}</p>` : ''}${taskPage(item, history, canSign, req.csrf ?? '', shown, chrome.t, today)}${recipientsSignForm(item, sameTask, req.csrf ?? '', chrome.t)}`,
      ),
    );
  }
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
