import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS, UNIT_READERS } from '../../auth/policy';
import { LogsRecipientAccess } from '../../audit/access-log';
import { Paginated } from '../../common/pagination';
import { ChecklistDto, ChecklistItemDto, ChecklistPageDto, ChecklistQuery, MaterialiseQuery, MyTasksQuery, OccurrenceItemDto } from '../dtos/checklist.dto';
import { MaterialiseResultDto } from '../dtos/materialise-result.dto';
import { ChecklistService } from '../services/checklist.service';
import { MaterialiseService } from '../services/materialise.service';
import { SubtreeSummaryService } from '../services/subtree-summary.service';
import { ChecklistSummaryDto, ChecklistSummaryQuery } from '../dtos/subtree-summary.dto';
import { causedBy } from '../occurrence-change';

/** The rows an answer of the checklist shows, grouped or as a page. */
function rowsOf(answer: ChecklistDto | ChecklistPageDto): ChecklistItemDto[] {
  return 'groups' in answer ? answer.groups.flatMap((g) => g.items) : answer.items;
}

@ApiTags('occurrences')
@ApiBearerAuth()
@Controller()
export class OccurrencesController {
  constructor(
    private readonly materialiser: MaterialiseService,
    private readonly checklists: ChecklistService,
    private readonly summaries: SubtreeSummaryService,
  ) {}

  @Post('units/:id/materialize')
  @HttpCode(200)
  @Allow.unitRole(UNIT_MANAGERS)
  @ApiOperation({ summary: "Create a year's occurrences for the unit and its sub-units (idempotent)" })
  @ApiOkResponse({ type: MaterialiseResultDto })
  materialise(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Query() query: MaterialiseQuery) {
    return this.materialiser.materialise(person.municipalityId, unitId, query.year, causedBy(person, 'materialised'));
  }

  @Get('units/:id/checklist')
  @Allow.unitRole(UNIT_READERS)
  @LogsRecipientAccess((answer) => rowsOf(answer as ChecklistDto | ChecklistPageDto).map((i) => i.recipientCode))
  @Paginated()
  @ApiOperation({
    summary:
      "The month's checklist of a unit, grouped by wheel, with overdue items from earlier months; with subtree=true (or limit or cursor) a page of rows by deadline, with the total",
  })
  @ApiExtraModels(ChecklistDto, ChecklistPageDto)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(ChecklistDto) }, { $ref: getSchemaPath(ChecklistPageDto) }] } })
  checklist(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Query() query: ChecklistQuery) {
    return this.checklists.forRequest(person.municipalityId, unitId, query);
  }

  @Get('units/:id/checklist/summary')
  @Allow.unitRole(UNIT_READERS)
  @ApiOperation({ summary: "The month's checklist of a unit with sub-units summarised: one row per direct sub-unit (its subtree counted), worst first, and the unit's own" })
  @ApiOkResponse({ type: ChecklistSummaryDto })
  checklistSummary(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Query() query: ChecklistSummaryQuery) {
    return this.summaries.checklist(person.municipalityId, unitId, query.month);
  }

  @Get('me/tasks')
  @Allow.signedIn()
  @LogsRecipientAccess((items) => (items as OccurrenceItemDto[]).map((i) => i.recipientCode))
  @ApiOperation({ summary: 'My open and overdue tasks; with upcoming=true also those not open yet due this month or within 30 days' })
  @ApiOkResponse({ type: [OccurrenceItemDto] })
  myTasks(@CurrentPerson() person: AuthenticatedPerson, @Query() query: MyTasksQuery): Promise<OccurrenceItemDto[]> {
    return this.checklists.myTasks(person.municipalityId, person.personId, query.upcoming ?? false);
  }
}
