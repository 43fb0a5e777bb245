import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUrl } from 'class-validator';
import { Omittable } from '../../common/omittable';
import { CleanText, FreeText, NormalisedText } from '../../common/text';

export const OUTCOMES = ['done', 'not_applicable'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export class SignOffRequest {
  @ApiProperty({ enum: OUTCOMES, description: 'done, or not_applicable (needs a comment saying why)' })
  @IsIn(OUTCOMES, { message: 'must be done or not_applicable' })
  outcome: Outcome;

  @ApiPropertyOptional({ example: 'Gjennomgått på personalmøtet 24.2.', description: 'Never names, diagnoses or fødselsnummer' })
  @Omittable()
  @FreeText(2000)
  comment?: string;

  @ApiPropertyOptional({ example: 'Compilo', description: 'Where the record is stored (Lagres); default: the task’s' })
  @Omittable()
  @FreeText(300)
  storedIn?: string;

  @ApiPropertyOptional({ example: 'https://kommune.compilo.no/dokument/123' })
  @Omittable()
  @NormalisedText()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be a link starting with https://' })
  @CleanText()
  evidenceUrl?: string;
}

export class CorrectionRequest {
  @ApiProperty({ example: 'Signert på feil forekomst', description: 'Why the record is corrected' })
  @FreeText(1000, { min: 3, lengthMessage: 'must say why, in 3 to 1000 characters' })
  reason: string;

  @ApiPropertyOptional({ enum: OUTCOMES, description: 'The outcome that replaces it; leave out to revoke (the task is open again)' })
  @Omittable()
  @IsIn(OUTCOMES, { message: 'must be done or not_applicable' })
  outcome?: Outcome;

  @ApiPropertyOptional()
  @Omittable()
  @FreeText(2000)
  comment?: string;

  @ApiPropertyOptional()
  @Omittable()
  @FreeText(300)
  storedIn?: string;

  @ApiPropertyOptional()
  @Omittable()
  @NormalisedText()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be a link starting with https://' })
  @CleanText()
  evidenceUrl?: string;
}

export class SignerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

export class SignOffDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) occurrenceId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ description: "Position in the unit's hash chain" }) sequence: number;
  @ApiProperty({ enum: ['sign_off', 'correction'] }) kind: 'sign_off' | 'correction';
  @ApiProperty({ enum: OUTCOMES, nullable: true, description: 'null: a correction that revoked the sign-off' }) outcome: Outcome | null;
  @ApiProperty({ description: "Signed after the end of the deadline day in the municipality's time zone" }) late: boolean;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String }) storedIn: string | null;
  @ApiProperty({ nullable: true, type: String }) evidenceUrl: string | null;
  @ApiProperty({ type: SignerDto }) signedBy: SignerDto;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) supersedesId: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ description: 'What was signed, as it read then: task title, wheel, unit, recipient code, deadline, Lagres' })
  snapshot: Record<string, unknown>;
  @ApiProperty() previousHash: string;
  @ApiProperty() hash: string;
  @ApiProperty({ nullable: true, type: SignerDto, description: 'The absent owner a deputy signed for' }) onBehalfOf: SignerDto | null;
}
