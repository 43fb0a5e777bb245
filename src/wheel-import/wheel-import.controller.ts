import { Body, CallHandler, Controller, ExecutionContext, Injectable, NestInterceptor, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { CurrentPerson } from '../auth/decorators';
import { Allow, UNIT_MANAGERS } from '../auth/policy';
import { ImportResultDto, ImportWheelDto } from './dtos/import.dto';
import { receiveUpload } from './upload';
import { WheelImportService } from './wheel-import.service';

/** Reads the multipart body after the guard: a caller who manages no unit never has a file taken in. */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return from(receiveUpload(http.getRequest<Request>(), http.getResponse<Response>())).pipe(switchMap(() => next.handle()));
  }
}

@ApiTags('wheels')
@ApiBearerAuth()
@Controller('wheels')
export class WheelImportController {
  constructor(private readonly imports: WheelImportService) {}

  @Post('import')
  // Managers of the unit named (or above it) and administrators: the service checks the unit, the body is not read yet.
  @Allow.anyRole(UNIT_MANAGERS)
  @UseInterceptors(UploadInterceptor)
  @ApiOperation({ summary: "Import a wheel from the table a unit keeps (.xlsx, .docx, or .csv/.txt as pasted) into a draft" })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' }, unitId: { type: 'string', format: 'uuid' }, wheelId: { type: 'string', format: 'uuid' } },
    },
  })
  @ApiCreatedResponse({ type: ImportResultDto })
  import(@CurrentPerson() person: AuthenticatedPerson, @Req() request: Request, @Body() dto: ImportWheelDto): Promise<ImportResultDto> {
    return this.imports.import(person, request.file, dto);
  }
}
