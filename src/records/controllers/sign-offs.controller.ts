import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_READERS } from '../../auth/policy';
import { LogsRecipientAccess } from '../../audit/access-log';
import { CorrectionRequest, SignOffDto, SignOffRequest } from '../dtos/sign-off.dto';
import { SignOffBatchRequest, SignOffBatchResponse } from '../dtos/sign-off-batch.dto';
import { SignOffBatchService } from '../services/sign-off-batch.service';
import { SignOffsService } from '../services/sign-offs.service';

@ApiTags('records')
@ApiBearerAuth()
@Controller()
export class SignOffsController {
  constructor(private readonly signOffs: SignOffsService, private readonly batches: SignOffBatchService) {}

  // Who may sign depends on the occurrence (its owners, or managers of its unit): the service decides,
  // and answers 404 for an occurrence of another municipality.
  @Post('occurrences/:id/sign-offs')
  @Allow.signedIn()
  @ApiOperation({ summary: 'Sign off an occurrence (done or not applicable); a second sign-off gets 409' })
  @ApiCreatedResponse({ type: SignOffDto })
  signOff(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() body: SignOffRequest): Promise<SignOffDto> {
    return this.signOffs.signOff(person, id, body);
  }

  // Each item is checked as the single sign-off is (owners, managers, deputies): the route lets anyone in.
  @Post('sign-offs/batch')
  @HttpCode(200)
  @Allow.signedIn()
  @ApiOperation({ summary: 'Sign off up to 100 occurrences, each its own record; answers each item on its own, in order (201 or its problem)' })
  @ApiOkResponse({ type: SignOffBatchResponse })
  // Up to a hundred recipients' codes come back in the records' snapshots: those reads are logged.
  @LogsRecipientAccess((answer) => (answer as SignOffBatchResponse).results.map((r) => r.signOff?.snapshot.recipientCode as string | null | undefined))
  signOffBatch(@CurrentPerson() person: AuthenticatedPerson, @Body() body: SignOffBatchRequest, @Req() req: Request): Promise<SignOffBatchResponse> {
    return this.batches.signAll(person, body.items, String(req.id ?? ''));
  }

  @Get('occurrences/:id/sign-offs')
  @Allow.occurrenceRole(UNIT_READERS)
  @LogsRecipientAccess((records) => (records as SignOffDto[]).map((r) => r.snapshot.recipientCode as string | null))
  @ApiOperation({ summary: 'The records of an occurrence, oldest first, corrections included' })
  @ApiOkResponse({ type: [SignOffDto] })
  history(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string): Promise<SignOffDto[]> {
    return this.signOffs.history(person.municipalityId, id);
  }

  @Post('sign-offs/:id/corrections')
  @Allow.signedIn()
  @ApiOperation({ summary: 'Correct a record with a new one that revokes (and optionally replaces) it; both stay' })
  @ApiCreatedResponse({ type: SignOffDto })
  correct(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() body: CorrectionRequest): Promise<SignOffDto> {
    return this.signOffs.correct(person, id, body);
  }
}
