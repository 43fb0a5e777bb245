import { YearPlan, YearPlanFormat } from '../year-plan';
import { yearPlanDocx } from './docx.writer';
import { yearPlanPdf } from './pdf.writer';
import { yearPlanXlsx } from './xlsx.writer';

/** One writer per format; they run in the renderer's worker thread. */
export function writeYearPlan(plan: YearPlan, format: YearPlanFormat): Promise<Buffer> {
  return { pdf: yearPlanPdf, docx: yearPlanDocx, xlsx: yearPlanXlsx }[format](plan);
}
