/** What a column of the file holds. */
export type ColumnKey = 'code' | 'unitName' | 'parentCode' | 'name' | 'firstName' | 'lastName' | 'email' | 'roles';

/** How the README and the problems name each column: the Norwegian heading first. */
export const COLUMN_LABEL: Record<ColumnKey, string> = {
  code: 'Enhetskode',
  unitName: 'Enhet',
  parentCode: 'Overordnet enhet',
  name: 'Navn',
  firstName: 'Fornavn',
  lastName: 'Etternavn',
  email: 'E-post',
  roles: 'Rolle',
};

/**
 * Headings as HR systems, the org chart and people write them, Norwegian and English, compared after
 * lower-casing and dropping everything but letters and digits ("E-post", "e post" and "EPost" are one).
 */
const HEADINGS: Record<ColumnKey, string[]> = {
  code: ['enhetskode', 'enhetkode', 'enhetsnummer', 'enhetsnr', 'enhetnr', 'kode', 'unitcode', 'code', 'orgkode', 'organisasjonskode'],
  unitName: ['enhet', 'enhetsnavn', 'enhetnavn', 'unit', 'unitname', 'avdeling', 'organisasjonsenhet'],
  parentCode: ['overordnetenhet', 'overordnetkode', 'overordnetenhetskode', 'overordnet', 'morenhet', 'parent', 'parentcode', 'parentunit', 'parentunitcode'],
  name: ['navn', 'name', 'fulltnavn', 'fullname', 'ansattnavn', 'displayname', 'visningsnavn'],
  firstName: ['fornavn', 'firstname', 'givenname'],
  lastName: ['etternavn', 'lastname', 'surname', 'familyname'],
  email: ['epost', 'epostadresse', 'epostadr', 'email', 'emailaddress', 'mail', 'eMail'.toLowerCase()],
  roles: ['rolle', 'roller', 'role', 'roles'],
};

const BY_HEADING = new Map<string, ColumnKey>(Object.entries(HEADINGS).flatMap(([key, names]) => names.map((n) => [n, key as ColumnKey])));

export function headingKey(heading: string): ColumnKey | undefined {
  return BY_HEADING.get(heading.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''));
}
