/**
 * "Avdeling Fjellvegen" → "avdeling-fjellvegen": a unit's name as ASCII for a file name in Content-Disposition
 * (æ, ø, å spelt out, other accents dropped, at most 60 characters); "enhet" when nothing is left.
 */
export function asciiSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'enhet';
}
