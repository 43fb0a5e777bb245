import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Omittable } from '../../common/omittable';

export class ImportModeQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: apply the file in one transaction; false (default): only preview what it would change' })
  @Omittable()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  apply?: 'true' | 'false';
}

/** The text fields of the multipart form; the file itself is `file`. */
export class ImportModeForm {
  @ApiPropertyOptional({ enum: ['preview', 'apply'], description: 'The same as ?apply=: preview (default) or apply' })
  @Omittable()
  @IsIn(['preview', 'apply'], { message: 'must be preview or apply' })
  mode?: 'preview' | 'apply';
}

export class RoleRefDto {
  @ApiProperty({ nullable: true, type: String, description: 'The unit’s code; null for a unit made by hand without one' }) unitCode: string | null;
  @ApiProperty() unitName: string;
  @ApiProperty({ example: 'manager' }) role: string;
}

export class UnitChangeDto {
  @ApiProperty({ description: 'The row of the file (the heading row is 1)' }) line: number;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, description: 'The unit it will hang under' }) parentName: string | null;
  @ApiPropertyOptional({ description: 'Set when the unit is renamed' }) previousName?: string;
  @ApiPropertyOptional({ description: 'Set when the unit moves' }) moved?: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) previousParentName?: string | null;
  @ApiPropertyOptional({ description: 'A unit made by hand, found by its name, gets the file’s code' }) codeGiven?: boolean;
}

export class PersonChangeDto {
  @ApiProperty() line: number;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiPropertyOptional({ description: 'Set when the name changes' }) previousName?: string;
  @ApiProperty({ type: [RoleRefDto] }) rolesAdded: RoleRefDto[];
  @ApiProperty({ type: [RoleRefDto], description: 'Roles the file no longer gives (a move ends the old one); admin is never taken away' }) rolesRemoved: RoleRefDto[];
}

export class NamedUnitDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class NamedPersonDto {
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
}

export class UnitPlanDto {
  @ApiProperty({ type: [UnitChangeDto] }) create: UnitChangeDto[];
  @ApiProperty({ type: [UnitChangeDto] }) update: UnitChangeDto[];
  @ApiProperty({ type: [NamedUnitDto] }) unchanged: NamedUnitDto[];
}

export class PeoplePlanDto {
  @ApiProperty({ type: [PersonChangeDto] }) create: PersonChangeDto[];
  @ApiProperty({ type: [PersonChangeDto] }) update: PersonChangeDto[];
  @ApiProperty({ type: [NamedPersonDto] }) unchanged: NamedPersonDto[];
  @ApiProperty({ type: [NamedPersonDto], description: 'Active people of the municipality not in the file: listed only, never archived by an import' }) notInFile: NamedPersonDto[];
}

export class ImportFileDto {
  @ApiProperty({ enum: ['utf-8', 'windows-1252', 'utf-16le'] }) encoding: string;
  @ApiProperty({ enum: [';', ',', '\t'] }) delimiter: string;
  @ApiProperty({ description: 'Rows after the heading, blank ones included' }) rows: number;
}

export class OrganisationImportResultDto {
  @ApiProperty({ description: 'false: a preview, nothing stored; true: applied in one transaction' }) applied: boolean;
  @ApiProperty({ description: 'Whether the file changes (preview) or changed (apply) anything' }) changes: boolean;
  @ApiProperty({ example: 'Nothing to change: the units and people already match the file.' }) summary: string;
  @ApiProperty({ example: 'Ingenting å endre: enhetene og personene stemmer allerede med filen.' }) oppsummering: string;
  @ApiProperty({ type: ImportFileDto }) file: ImportFileDto;
  @ApiProperty({ type: UnitPlanDto }) units: UnitPlanDto;
  @ApiProperty({ type: PeoplePlanDto }) people: PeoplePlanDto;
}
