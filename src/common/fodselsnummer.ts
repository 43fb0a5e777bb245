const WEIGHTS_1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const WEIGHTS_2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** Whether 11 digits carry the two mod-11 check digits of a Norwegian fødselsnummer (or D-/H-number). */
export function hasFodselsnummerCheckDigits(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  const check = (weights: number[]) => {
    const rest = weights.reduce((sum, w, i) => sum + w * d[i], 0) % 11;
    return rest === 0 ? 0 : 11 - rest;
  };
  return check(WEIGHTS_1) === d[9] && check(WEIGHTS_2) === d[10];
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the first six digits are a birth date DDMMYY as a fødselsnummer writes it: a D-number adds 4
 * to the first digit (day + 40), an H-number to the third (month + 40). Requiring a date keeps case
 * numbers and the like that happen to pass the check digits out of the refusals.
 */
function hasBirthDate(digits: string): boolean {
  let day = Number(digits.slice(0, 2));
  let month = Number(digits.slice(2, 4));
  if (day > 40) day -= 40;
  if (month > 40) month -= 40;
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}

/** A fødselsnummer, D-number or H-number: a plausible birth date and valid check digits. */
export function isFodselsnummer(digits: string): boolean {
  return hasFodselsnummerCheckDigits(digits) && hasBirthDate(digits);
}

/**
 * What may stand between the digits of a number someone writes down: spaces of every width, invisible
 * format characters (zero-width space, soft hyphen), dashes of every kind (Word turns - into –), and
 * punctuation such as . / _ : ,. Brackets, letters and symbols end a number.
 */
const SEPARATOR = /[\s\p{Z}\p{Cf}\p{Pd}\p{Pc}\p{Po}]/u;
const DIGIT = /\p{Nd}/u;

/** The digit a decimal digit of any script stands for (after NFKC most are ASCII already). */
function digitValue(char: string): number {
  const code = char.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  // Unicode encodes each script's digits as one run 0–9; walk back to that run's zero.
  let steps = 0;
  while (DIGIT.test(String.fromCodePoint(code - steps - 1))) steps++;
  return steps % 10;
}

/**
 * Whether text holds something that looks like a fødselsnummer (or D-/H-number): after NFKC
 * normalisation (full-width digits become ASCII), any 11 digits in a row, separators between them
 * ignored, with a birth date and valid check digits. Such input is refused in every free-text field, so
 * that national identity numbers never enter Årshjul, its signed records or its messages.
 */
export function containsFodselsnummer(text: string): boolean {
  let digits = '';
  const found = () => {
    for (let i = 0; i + 11 <= digits.length; i++) if (isFodselsnummer(digits.slice(i, i + 11))) return true;
    return false;
  };
  for (const char of text.normalize('NFKC')) {
    if (DIGIT.test(char)) digits += digitValue(char);
    else if (!SEPARATOR.test(char)) {
      if (found()) return true;
      digits = '';
    }
  }
  return found();
}
