import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const toInt = () => Transform(({ value }) => (/^\d{1,9}$/.test(String(value)) ? Number(value) : value));

/** `page`, from 1. */
export const PageField = () =>
  applyDecorators(
    ApiPropertyOptional({ default: 1 }),
    IsOptional(),
    toInt(),
    IsInt({ message: 'must be a page number from 1' }),
    Min(1, { message: 'must be a page number from 1' }),
  );

/** `pageSize`, 1 to 500. */
export const PageSizeField = () =>
  applyDecorators(
    ApiPropertyOptional({ default: 50, maximum: 500 }),
    IsOptional(),
    toInt(),
    IsInt({ message: 'must be a number from 1 to 500' }),
    Min(1, { message: 'must be a number from 1 to 500' }),
    Max(500, { message: 'must be a number from 1 to 500' }),
  );

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
