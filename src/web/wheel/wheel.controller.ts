import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessLogService } from '../../audit/access-log';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { ChecklistService } from '../../occurrences/services/checklist.service';
import { SubtreeSummaryService } from '../../occurrences/services/subtree-summary.service';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { html } from '../html';
import { page, unitYearForm } from '../layout';
import { PageFrame, pageMonth, pageYear } from '../page-frame';
import { printControls } from '../print-controls.page';
import { wheelPage } from './wheel.page';

/** Årshjulet: a unit's year as a wheel, each dot a link to its task, and the chosen month's list beside it. */
@ApiExcludeController()
@Controller()
export class WheelController {
  constructor(
    private readonly checklists: ChecklistService,
    private readonly summaries: SubtreeSummaryService,
    private readonly municipalities: MunicipalitiesService,
    private readonly accessLog: AccessLogService,
    private readonly frame: PageFrame,
  ) {}

  @Get('arshjul')
  @Allow.signedIn()
  async wheel(@CurrentPerson() person: AuthenticatedPerson, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { unit, units } = await this.frame.chooseUnit(person, q.enhet, UNIT_READERS);
    const today = await this.municipalities.today(person.municipalityId);
    // The list beside the wheel follows ?maned= (a month of the year shown); else this month's number in that year.
    const asked = pageMonth(q.maned);
    const year = pageYear(q.ar) ?? (asked ? Number(asked.slice(0, 4)) : Number(today.slice(0, 4)));
    const month = asked?.startsWith(String(year)) ? asked : `${year}-${today.slice(5, 7)}`;
    // A unit with sub-units: one mark per task and month across them (no recipient codes); else a dot per occurrence.
    const marks = (await this.summaries.hasSubunits(person.municipalityId, unit.id)) ? await this.summaries.wheelMarks(person.municipalityId, unit.id, year) : undefined;
    const items = marks ? [] : await this.checklists.between(person.municipalityId, unit.id, `${year}-01-01`, `${year}-12-31`, true);
    if (!marks) await this.accessLog.record(person, 'GET /arshjul', items.map((i) => i.recipientCode));
    const chrome = await this.frame.chrome(person, req);
    res.type('html').send(
      page(
        { title: chrome.t.wheelTitle(year, unit.name), current: 'arshjul', ...chrome },
        html`${unitYearForm('/arshjul', units, unit.id, year, chrome.t)}${wheelPage({ year, month, today, unitId: unit.id, unitName: unit.name, items, marks }, chrome.t)}${printControls(unit.id, year, chrome.t, (marks ?? items).length > 0)}`,
      ),
    );
  }
}
