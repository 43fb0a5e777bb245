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

/**
 * Whether text holds something that looks like a fødselsnummer: 11 digits in a row (spaces, dots and
 * dashes between them ignored) with valid check digits. Such input is refused wherever a recipient is
 * named, so that national identity numbers never enter Årshjul.
 */
export function containsFodselsnummer(text: string): boolean {
  for (const run of text.match(/\d[\d\s.-]*\d/g) ?? []) {
    const digits = run.replace(/\D/g, '');
    for (let i = 0; i + 11 <= digits.length; i++) if (hasFodselsnummerCheckDigits(digits.slice(i, i + 11))) return true;
  }
  return false;
}
