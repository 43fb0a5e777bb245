import { Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { DocumentRenderer } from '../common/documents/document-renderer';
import { YearPlan, YearPlanFormat } from './year-plan';

/** Writes year plans in a worker thread (see DocumentRenderer): one at a time, never in a request's thread. */
@Injectable()
export class YearPlanRenderer extends DocumentRenderer<YearPlan, YearPlanFormat> {
  constructor() {
    super({
      writers: join(__dirname, 'writers', 'index'),
      write: 'writeYearPlan',
      busy: 'Many year plans are being written right now',
      tooSlow: (seconds) => `Writing the year plan took longer than ${seconds} s: try again later, or print one wheel at a time.`,
    });
  }
}
