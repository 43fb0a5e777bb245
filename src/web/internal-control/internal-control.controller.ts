import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessLogService } from '../../audit/access-log';
import { AuditService } from '../../audit/services/audit.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { ChecklistService } from '../../occurrences/services/checklist.service';
import { SubtreeSummaryService } from '../../occurrences/services/subtree-summary.service';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { html } from '../html';
import { page, unitYearForm } from '../layout';
import { PageFrame, pageYear } from '../page-frame';
import { internalControlPage } from './internal-control.page';

/** Internkontroll: a unit's year of compliance, records and the chain's verification, for managers and quality advisers. */
@ApiExcludeController()
@Controller()
export class InternalControlController {
  constructor(
    private readonly audit: AuditService,
    private readonly checklists: ChecklistService,
    private readonly summaries: SubtreeSummaryService,
    private readonly municipalities: MunicipalitiesService,
    private readonly accessLog: AccessLogService,
    private readonly frame: PageFrame,
  ) {}

  @Get('internkontroll')
  @Allow.signedIn()
  async internalControl(@CurrentPerson() person: AuthenticatedPerson, @Query() q: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Quality advisers and managers: the same roles the audit API asks for.
    const { unit, units } = await this.frame.chooseUnit(person, q.enhet, ['manager', 'quality_adviser']);
    const today = await this.municipalities.today(person.municipalityId);
    const year = pageYear(q.ar) ?? Number(today.slice(0, 4));
    const period = { unitId: unit.id, from: `${year}-01-01`, to: `${year}-12-31`, subtree: true };
    // A unit with sub-units: one row per sub-unit, each opening that unit's own page, and its compliance by
    // month and wheel in one pass over the subtree; the duties per person are listed for the unit's own (every
    // person below would make the page grow with the tree), the records without counting the whole year's.
    const withSubunits = await this.summaries.hasSubunits(person.municipalityId, unit.id);
    const recordsPage = { ...period, basis: 'deadline' as const, limit: 100 };
    const [figures, records, chain, perPerson] = await Promise.all([
      withSubunits
        ? this.summaries.internalControl(person.municipalityId, unit.id, period.from, period.to)
        : Promise.all([
            this.audit.compliance(person.municipalityId, { ...period, groupBy: 'month' }),
            this.audit.compliance(person.municipalityId, { ...period, groupBy: 'wheel' }),
          ]).then(([byMonth, byWheel]) => ({ byMonth, byWheel, subunits: undefined })),
      // By deadline: the year's tasks and their records, also one signed the December before (issue 15).
      withSubunits ? this.audit.records(person, recordsPage, { total: false }) : this.audit.records(person, recordsPage),
      this.audit.verify(unit.id),
      this.checklists.dutiesPerPerson(person.municipalityId, unit.id, period.from, period.to, !withSubunits),
    ]);
    const { byMonth, byWheel, subunits } = figures;
    await this.accessLog.record(person, 'GET /internkontroll', records.items.map((r) => r.snapshot.recipientCode as string | null));
    const chrome = await this.frame.chrome(person, req);
    res.type('html').send(
      page(
        { title: chrome.t.controlTitle(year, unit.name), current: 'internkontroll', ...chrome },
        html`${unitYearForm('/internkontroll', units, unit.id, year, chrome.t)}${internalControlPage(unit, year, byMonth, byWheel, records, chain, chrome.t, perPerson, subunits)}`,
      ),
    );
  }
}
