import { Body, CallHandler, Controller, ExecutionContext, HttpCode, Injectable, NestInterceptor, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/decorators';
import { Allow } from '../auth/policy';
import { ImportModeForm, ImportModeQuery, OrganisationImportResultDto } from './dtos/organisation-import.dto';
import { OrganisationImportService } from './organisation-import.service';
import { receiveOrganisationFile } from './upload';

/** Reads the body after the guard: only an administrator ever has a file taken in. */
@Injectable()
export class OrganisationUploadInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return from(receiveOrganisationFile(http.getRequest<Request>(), http.getResponse<Response>())).pipe(switchMap(() => next.handle()));
  }
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('organisation')
export class OrganisationImportController {
  constructor(private readonly imports: OrganisationImportService) {}

  @Post('import')
  @HttpCode(200)
  @Allow.admin()
  @UseInterceptors(OrganisationUploadInterceptor)
  @ApiOperation({ summary: 'Units and people from a CSV as HR and the org chart export them: preview (default), or apply=true in one transaction (administrators)' })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, mode: { type: 'string', enum: ['preview', 'apply'] } } } })
  @ApiOkResponse({ type: OrganisationImportResultDto })
  import(@CurrentPerson() person: AuthenticatedPerson, @Req() request: Request, @Query() query: ImportModeQuery, @Body() form: ImportModeForm): Promise<OrganisationImportResultDto> {
    return this.imports.import(person, request.file, query.apply === 'true' || form?.mode === 'apply');
  }
}
