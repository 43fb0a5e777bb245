import { InspectionReport, RenderedReportFormat } from '../inspection-report';
import { inspectionReportPdf } from './pdf.writer';
import { inspectionReportXlsx } from './xlsx.writer';

/** One writer per format; they run in the renderer's worker thread. */
export function writeInspectionReport(report: InspectionReport, format: RenderedReportFormat): Promise<Buffer> {
  return { pdf: inspectionReportPdf, xlsx: inspectionReportXlsx }[format](report);
}
