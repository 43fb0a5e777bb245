import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { PageInfoDto } from '../../common/pagination';
import { CleanText, FreeText } from '../../common/text';
import { Person } from '../entities/person.entity';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreatePersonDto {
  @ApiProperty({ example: 'kari.nordmann@kommune.no' })
  @trim()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @CleanText()
  email: string;

  @ApiProperty({ example: 'Kari Nordmann' })
  @FreeText(200, { min: 1 })
  displayName: string;
}

export class UpdatePersonDto {
  @ApiPropertyOptional()
  @Omittable()
  @trim()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @CleanText()
  email?: string;

  @ApiPropertyOptional()
  @Omittable()
  @FreeText(200, { min: 1 })
  displayName?: string;

  @ApiPropertyOptional({ description: 'Archive (true): the person can no longer sign in, and their open tasks pass to others' })
  @Omittable()
  @IsBoolean({ message: 'must be true or false' })
  archived?: boolean;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty() archived: boolean;

  static from(p: Person): PersonDto {
    return { id: p.id, email: p.email, displayName: p.displayName, archived: p.archivedAt !== null };
  }
}

export class PersonPageDto extends PageInfoDto {
  @ApiProperty({ type: [PersonDto], description: 'By name' }) items: PersonDto[];
}
