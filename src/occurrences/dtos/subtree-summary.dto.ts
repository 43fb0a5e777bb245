import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarMonth } from '../../common/date-fields';

export class ChecklistSummaryQuery {
  @ApiProperty({ example: '2027-02', description: 'The month, YYYY-MM' })
  @IsCalendarMonth()
  month: string;
}

/** Compliance figures of a set of occurrences, counted as the compliance report counts them. */
export class SummaryCountsDto {
  @ApiProperty({ description: 'Occurrences with a deadline in the period' }) planned: number;
  @ApiProperty() doneOnTime: number;
  @ApiProperty() doneLate: number;
  @ApiProperty() notApplicable: number;
  @ApiProperty({ description: 'Deadline in the period and passed, not signed' }) overdue: number;
  @ApiProperty({ description: 'Deadline in the period not yet passed, not signed' }) open: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Done on time ÷ (done on time + done late + overdue); null when nothing has fallen due' })
  shareOnTime: number | null;
  @ApiProperty({ description: 'Not signed, with a deadline before the period and before today: what the checklist carries over as overdue (0 where not asked for)' })
  overdueEarlier: number;
}

/** One direct sub-unit with its whole subtree counted. No recipient codes: a summary names units only. */
export class SubunitSummaryDto extends SummaryCountsDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ description: 'How many units the row counts: the sub-unit and every active unit below it' }) units: number;
}

export class ChecklistSummaryDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: '2027-02' }) month: string;
  @ApiProperty({ example: '2027-02-10', description: "Today's date in the municipality's time zone" }) today: string;
  @ApiProperty({ type: SummaryCountsDto, description: "The unit's own occurrences (not those of its sub-units)" }) own: SummaryCountsDto;
  @ApiProperty({
    type: [SubunitSummaryDto],
    description: 'One row per direct sub-unit, its subtree counted; worst first (lowest share on time, what is carried over counted as overdue; then most overdue). The rows and `own` add up to the flat checklist with subtree=true.',
  })
  subunits: SubunitSummaryDto[];
}

/** The wheel of a unit with sub-units: one mark per task and month, not one dot per occurrence. */
export interface WheelMark {
  taskId: string;
  title: string;
  example: boolean;
  wheelId: string;
  wheelName: string;
  /** YYYY-MM */
  month: string;
  firstDeadline: string;
  /** Units with an occurrence of the task in the month ("av 100 enheter"). */
  units: number;
  /** Units where every occurrence of the task in the month is signed (done, late or not applicable). */
  doneUnits: number;
  /** Units with at least one of them past its deadline and not signed. */
  overdueUnits: number;
  occurrences: number;
}
