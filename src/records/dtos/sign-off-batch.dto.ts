import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { FieldProblem } from '../../common/problem';
import { SignOffDto, SignOffRequest } from './sign-off.dto';

/** A batch is one request: small enough to answer in moments, large enough for a month's checklist. */
export const MAX_BATCH_ITEMS = 100;

/** One sign-off of a batch: the single sign-off's fields, and the occurrence it signs. */
export class SignOffBatchItem extends SignOffRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of an occurrence' })
  occurrenceId: string;
}

export class SignOffBatchRequest {
  @ApiProperty({ type: [SignOffBatchItem], minItems: 1, maxItems: MAX_BATCH_ITEMS, description: 'Each occurrence at most once; answered in this order' })
  @IsArray({ message: 'must be a list of sign-offs' })
  @ArrayMinSize(1, { message: 'must hold at least one sign-off' })
  @ArrayMaxSize(MAX_BATCH_ITEMS, { message: `must hold at most ${MAX_BATCH_ITEMS} sign-offs; send the rest in another request` })
  @ValidateNested({ each: true })
  @Type(() => SignOffBatchItem)
  items: SignOffBatchItem[];
}

/** Why one item was not signed: the problem the single sign-off would have answered. */
export class ItemProblemDto {
  @ApiProperty({ example: '/problems/already-signed' }) type: string;
  @ApiProperty({ example: 'Konflikt' }) title: string;
  @ApiProperty() detail: string;
  @ApiPropertyOptional({ description: 'The wrong fields, as in a 422' }) errors?: FieldProblem[];
}

export class SignOffBatchResultDto {
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ example: 201, description: '201: signed (see signOff); otherwise the status the single sign-off would have had (see problem)' })
  status: number;
  @ApiPropertyOptional({ type: SignOffDto }) signOff?: SignOffDto;
  @ApiPropertyOptional({ type: ItemProblemDto }) problem?: ItemProblemDto;
}

export class SignOffBatchResponse {
  @ApiProperty({ type: [SignOffBatchResultDto], description: 'One per item, in the order sent' })
  results: SignOffBatchResultDto[];
}
