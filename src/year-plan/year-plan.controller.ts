import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/decorators';
import { Allow, UNIT_READERS } from '../auth/policy';
import { YearPlanQuery } from './year-plan.dto';
import { YearPlanService } from './year-plan.service';
import { CONTENT_TYPES } from './year-plan';

@ApiTags('year plan')
@ApiBearerAuth()
@Controller()
export class YearPlanController {
  constructor(private readonly yearPlans: YearPlanService) {}

  /** The recipient codes it prints are access-logged by the service, which knows them before the file is written. */
  @Get('units/:id/year-plan')
  @Allow.unitRole(UNIT_READERS)
  @ApiOperation({ summary: "The unit's year month by month (Oppgave, Frist, Ansvar, Lagres, Utført, Kommentar) as PDF, DOCX or XLSX; blank, or filled=true with the record so far" })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({ description: 'The file, as an attachment' })
  async yearPlan(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) unitId: string, @Query() query: YearPlanQuery): Promise<StreamableFile> {
    const { file, fileName, contentType } = await this.yearPlans.file(person, unitId, query);
    return new StreamableFile(file, { type: contentType, disposition: `attachment; filename="${fileName}"`, length: file.length });
  }
}
