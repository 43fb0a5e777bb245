import { ValidateIf } from 'class-validator';

/**
 * A field that may be left out, but when given must be valid: unlike @IsOptional(), `null` is not let
 * through to a column that cannot hold it.
 */
export const Omittable = () => ValidateIf((_, value) => value !== undefined);
