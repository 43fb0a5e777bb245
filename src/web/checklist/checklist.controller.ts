import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessLogService } from '../../audit/access-log';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { ProblemException } from '../../common/problem';
import { ChecklistService } from '../../occurrences/services/checklist.service';
import { SubtreeSummaryService } from '../../occurrences/services/subtree-summary.service';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { html } from '../html';
import { page } from '../layout';
import { ownUnit, PageFrame, pageMonth } from '../page-frame';
import { printControls } from '../print-controls.page';
import { checklistPage, FLAT_PAGE_ROWS, flatChecklistPage, MAX_CHOICES, monthName } from './checklist.page';
import { checklistFilters, PAGE_CURSOR } from './checklist.filters';
import { RowStatusFilter } from '../../occurrences/services/checklist.sql';

/** Månedens sjekkliste: a unit's month as the paper table, with filters, printing and signing ticked rows. */
@ApiExcludeController()
@Controller()
export class ChecklistController {
  constructor(
    private readonly checklists: ChecklistService,
    private readonly summaries: SubtreeSummaryService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly accessLog: AccessLogService,
    private readonly frame: PageFrame,
  ) {}

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
    const month = pageMonth(q.maned) ?? today.slice(0, 7);
    const filters = checklistFilters(unit.id, month, q);
    const chrome = await this.frame.chrome(person, req);
    // Rows may be ticked and signed together: any open row by a manager, one's own rows by anyone.
    const signing = { personId: person.personId, manager: await this.access.hasRoleOver(person.personId, person.municipalityId, unit.id, ['manager']), csrf: req.csrf ?? '', back: req.originalUrl };
    const title = chrome.t.checklistTitle(unit.name, monthName(month, chrome.t));
    if (filters.subtree) {
      // Everything below in one list, a page at a time, read and filtered in SQL: its cost follows the page.
      const cursor = filters.after ?? filters.before;
      const flat = await this.checklists.flatPage(person.municipalityId, unit.id, month, true, {
        key: cursor ? PAGE_CURSOR.decodeField(filters.after ? 'etter' : 'forrige', cursor) : null,
        backward: !filters.after && !!filters.before,
        limit: FLAT_PAGE_ROWS,
        filters: {
          wheelId: filters.wheelId,
          taskId: filters.taskId,
          // The page's «Åpen» is open and opened; «Ikke åpnet ennå» is apart (shownStatus).
          status: filters.status === 'open' ? 'opened' : (filters.status as RowStatusFilter | undefined),
          personId: filters.personId,
          ownerName: filters.ownerName,
          recipientCode: filters.code,
        },
        choices: MAX_CHOICES,
      });
      // The codes the page shows: its rows' and, when listed, the filter's.
      const listed = flat.codes && flat.codes.length <= MAX_CHOICES ? flat.codes : [];
      await this.accessLog.record(person, 'GET /sjekkliste', [...flat.items.flatMap((i) => [i.recipientCode, ...(i.people ?? []).map((p) => p.recipientCode)]), ...listed]);
      res.type('html').send(page({ title, current: 'sjekkliste', ...chrome }, html`${flatChecklistPage(flat, filters, units, chrome.t, signing)}${printControls(unit.id, Number(month.slice(0, 4)), chrome.t)}`));
      return;
    }
    // A unit with sub-units opens on one row per sub-unit and its own tasks; everything below in one list
    // (in pages) is the choice «med underenheter», never the default: its cost grows with the tree.
    const summary = (await this.summaries.hasSubunits(person.municipalityId, unit.id)) ? await this.summaries.checklist(person.municipalityId, unit.id, month) : undefined;
    const checklist = await this.checklists.checklist(person.municipalityId, unit.id, month, false, undefined, filters.taskId);
    await this.accessLog.record(person, 'GET /sjekkliste', checklist.groups.flatMap((g) => g.items.map((i) => i.recipientCode)));
    res.type('html').send(
      page(
        { title, current: 'sjekkliste', ...chrome },
        html`${checklistPage(checklist, filters, units, chrome.t, signing, summary)}${printControls(unit.id, Number(month.slice(0, 4)), chrome.t)}`,
      ),
    );
  }
}
