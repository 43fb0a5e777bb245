import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

/** The dates a recipient holds, by name: what a task repeating after a date counts from. */
export class RecipientDatesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', format: 'date', nullable: true },
    example: { 'vedtak kap. 9': '2027-01-15' },
    description: 'Named dates, e.g. the date of a kap. 9 decision. In a PUT, a name given null is removed and names not given are kept',
  })
  @IsObject({ message: 'must be an object of names and dates, such as { "vedtak kap. 9": "2027-01-15" }' })
  dates: Record<string, string | null>;
}
