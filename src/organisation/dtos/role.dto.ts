import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';

export class AssignRoleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of a person' })
  personId: string;

  @ApiProperty({ example: 'primary_contact', description: 'manager, staff, primary_contact, quality_adviser, admin, or a role the municipality uses' })
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'must be a role name such as manager or primary_contact (lower case, digits and _)' })
  role: string;
}

export class RoleAssignmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty() displayName: string;
  @ApiProperty() email: string;
  @ApiProperty() role: string;
}
