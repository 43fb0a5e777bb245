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
import { checklistPage, ChecklistFilters, monthName } from './checklist.page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    const filters: ChecklistFilters = {
      unitId: unit.id,
      month,
      subtree: q.underenheter === '1',
      wheelId: q.hjul || undefined,
      status: q.status || undefined,
      personId: q.person || undefined,
      code: q.kode || undefined,
      taskId: UUID.test(q.oppgave ?? '') ? q.oppgave : undefined,
      page: /^\d{1,6}$/.test(q.side ?? '') ? Number(q.side) : undefined,
    };
    // A unit with sub-units opens on one row per sub-unit and its own tasks; everything below in one list
    // (in pages) is the choice «med underenheter», never the default: its cost grows with the tree.
    const summary = !filters.subtree && (await this.summaries.hasSubunits(person.municipalityId, unit.id)) ? await this.summaries.checklist(person.municipalityId, unit.id, month) : undefined;
    const checklist = await this.checklists.checklist(person.municipalityId, unit.id, month, filters.subtree, undefined, filters.taskId);
    await this.accessLog.record(person, 'GET /sjekkliste', checklist.groups.flatMap((g) => g.items.map((i) => i.recipientCode)));
    const chrome = await this.frame.chrome(person, req);
    // Rows may be ticked and signed together: any open row by a manager, one's own rows by anyone.
    const signing = { personId: person.personId, manager: await this.access.hasRoleOver(person.personId, person.municipalityId, unit.id, ['manager']), csrf: req.csrf ?? '', back: req.originalUrl };
    res.type('html').send(
      page(
        { title: chrome.t.checklistTitle(unit.name, monthName(month, chrome.t)), current: 'sjekkliste', ...chrome },
        html`${checklistPage(checklist, filters, units, chrome.t, signing, summary)}${printControls(unit.id, Number(month.slice(0, 4)), chrome.t)}`,
      ),
    );
  }
}
