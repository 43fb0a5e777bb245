import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { FreeText } from '../../common/text';
import { PeriodQuery } from '../dtos/audit.dto';
import { REPORT_FORMATS, ReportFormat } from './inspection-report';

export class InspectionReportQuery extends PeriodQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this wheel' })
  @Omittable()
  @IsUUID('all', { message: 'must be the id of a wheel' })
  wheelId?: string;

  @ApiPropertyOptional({ example: 'legemiddelhåndteringsforskriften', description: 'Only tasks whose legal basis contains this text (case ignored)' })
  @Omittable()
  @FreeText(200, { min: 2, lengthMessage: 'must be 2 to 200 characters, such as legemiddelhåndteringsforskriften' })
  legalBasis?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'pdf', description: 'zip: the PDF, the period’s records.jsonl with its manifest, and verify.html' })
  @Omittable()
  @IsIn(REPORT_FORMATS, { message: 'must be pdf, xlsx or zip' })
  format?: ReportFormat;
}
