/** A role key as role_assignment.role holds it. */
export const ROLE_KEY = /^[a-z][a-z0-9_]{1,39}$/;

/**
 * The roles by the words an HR file uses (lower case), bokmål, nynorsk and English; the keys themselves
 * are accepted too. A municipality's own roles (e.g. resource_team) are accepted by their key.
 */
const ROLE_WORDS: Record<string, string> = {
  leder: 'manager',
  leiar: 'manager',
  enhetsleder: 'manager',
  einingsleiar: 'manager',
  avdelingsleder: 'manager',
  avdelingsleiar: 'manager',
  manager: 'manager',
  ansatt: 'staff',
  tilsett: 'staff',
  medarbeider: 'staff',
  staff: 'staff',
  employee: 'staff',
  primærkontakt: 'primary_contact',
  'primary contact': 'primary_contact',
  primary_contact: 'primary_contact',
  kvalitetsrådgiver: 'quality_adviser',
  kvalitetsrådgjevar: 'quality_adviser',
  'quality adviser': 'quality_adviser',
  quality_adviser: 'quality_adviser',
  administrator: 'admin',
  admin: 'admin',
};

/** The role a file's word names, or undefined. `own`: the municipality's roles in use, by key. */
export function roleFor(word: string, own: ReadonlySet<string>): string | undefined {
  const w = word.normalize('NFC').toLowerCase().trim().replace(/\s+/g, ' ');
  return ROLE_WORDS[w] ?? (ROLE_KEY.test(w) && own.has(w) ? w : undefined);
}

/** The words of a Rolle cell: "leder, primærkontakt", "Leder / Primærkontakt", "leder og primærkontakt". */
export function roleWords(cell: string): string[] {
  return cell
    .split(/[,;/|+&\n]| og | and /i)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}
