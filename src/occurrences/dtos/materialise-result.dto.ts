import { ApiProperty } from '@nestjs/swagger';

export class MaterialiseResultDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ description: 'Occurrences created by this call; 0 when the year was already materialised' }) created: number;
  @ApiProperty({ description: 'Future, unsigned occurrences moved by a template change' }) updated: number;
  @ApiProperty({ description: 'Future, unsigned occurrences whose task, recipient or assignment is gone' }) cancelled: number;
  @ApiProperty({ description: "The year's occurrences for these units now" }) total: number;
  @ApiProperty({ example: 'Nothing new: 2027 was already materialised for this unit.' }) message: string;
}
