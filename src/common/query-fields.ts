import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** A number of days within [min, max], or null for "inherit". */
export const DaysField = (min: number, max: number, description: string) =>
  applyDecorators(
    ApiPropertyOptional({ nullable: true, type: Number, description }),
    IsOptional(),
    IsInt({ message: 'must be a whole number of days' }),
    Min(min, { message: `must be ${min} to ${max} days` }),
    Max(max, { message: `must be ${min} to ${max} days` }),
  );

/** The reminder timing a wheel or a task may set for itself. */
export const DueSoonDaysField = () => DaysField(1, 60, 'Days before the deadline for the due-soon reminder; null: inherit (the municipality’s default is 3)');
export const EscalationDaysField = () => DaysField(1, 90, 'Days after the deadline before the manager is told; null: inherit (default 7)');
