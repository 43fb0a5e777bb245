import { Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { DocumentRenderer } from '../../common/documents/document-renderer';
import { InspectionReport, RenderedReportFormat } from './inspection-report';

/** Writes reports in a worker thread (see DocumentRenderer). */
@Injectable()
export class InspectionReportRenderer extends DocumentRenderer<InspectionReport, RenderedReportFormat> {
  constructor() {
    super({
      writers: join(__dirname, 'writers', 'index'),
      write: 'writeInspectionReport',
      busy: 'Many reports are being written right now',
      tooSlow: (seconds) => `Writing the report took longer than ${seconds} s: try again later, or choose a shorter period or one wheel.`,
    });
  }
}
