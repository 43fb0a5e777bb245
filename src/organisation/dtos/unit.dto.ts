import { ApiProperty } from '@nestjs/swagger';
import { Unit } from '../entities/unit.entity';

export class UnitDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Avdeling Fjellvegen' })
  name: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The unit above this one; null for the top of the tree.' })
  parentId: string | null;

  static from(unit: Unit): UnitDto {
    return { id: unit.id, name: unit.name, parentId: unit.parentId };
  }
}
