import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, ValidateBy } from 'class-validator';
import { containsFodselsnummer } from './fodselsnummer';

// C0 and C1 control characters and DEL, but for line feed and tab.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /\p{Cs}/u;

export const FODSELSNUMMER_MESSAGE = 'looks like it holds a fødselsnummer; write no national identity numbers, names or health details';

/**
 * Why text cannot be stored as it stands, or undefined. PostgreSQL refuses NUL and stores half a
 * surrogate pair as U+FFFD, so a record sealed over such text would no longer match its hash.
 */
export function unstorableText(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'holds a broken character (half of a surrogate pair)';
  if (text.includes('\u0000')) return 'holds a NUL character';
  return undefined;
}

/** Why text may not enter Årshjul, or undefined: broken or control characters, or a fødselsnummer. */
export function textFault(text: string): string | undefined {
  const unstorable = unstorableText(text);
  if (unstorable) return unstorable;
  if (CONTROL.test(text)) return 'holds a control character; only line breaks and tabs are allowed';
  if (containsFodselsnummer(text)) return FODSELSNUMMER_MESSAGE;
  return undefined;
}

/** Text as it is stored and sealed: Unicode NFC, line breaks as LF (forms send CRLF), trimmed. */
export function normaliseText(text: string): string {
  return text.replace(/\r\n/g, '\n').normalize('NFC').trim();
}

/** Normalises a string field (see normaliseText); other values are left for the type check to refuse. */
export const NormalisedText = () => Transform(({ value }) => (typeof value === 'string' ? normaliseText(value) : value));

/**
 * Refuses text that is not valid Unicode text (lone surrogates, NUL, other control characters than line
 * feed and tab) or that holds a fødselsnummer, D- or H-number. For every field whose text is kept.
 */
export const CleanText = () =>
  ValidateBy({
    name: 'cleanText',
    validator: {
      validate: (value) => typeof value !== 'string' || textFault(value) === undefined,
      defaultMessage: (args) => textFault(String(args?.value)) ?? 'is not valid text',
    },
  });

/**
 * A free-text field: normalised, of `min` to `max` characters, clean (see CleanText). Combine with
 * Omittable() or IsOptional() as the field needs.
 */
export const FreeText = (max: number, options: { min?: number; lengthMessage?: string } = {}) => {
  const min = options.min ?? 0;
  const lengthMessage = options.lengthMessage ?? (min === 0 ? `must be at most ${max} characters` : `must be ${min} to ${max} characters`);
  return applyDecorators(NormalisedText(), IsString({ message: 'must be text' }), Length(min, max, { message: lengthMessage }), CleanText());
};
