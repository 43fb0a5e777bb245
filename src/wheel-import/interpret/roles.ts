import type { TaskScope } from '../../wheels/entities/task-definition.entity';

/** A role key as task_definition.responsible_role holds it. */
export const ROLE_KEY = /^[a-z][a-z0-9_]{1,39}$/;

/** The roles every municipality has, by the names wheels give them (lower case). */
const BUILT_IN: Record<string, string> = {
  avdelingsleder: 'manager',
  'avd.leder': 'manager',
  'avd. leder': 'manager',
  'avd leder': 'manager',
  leder: 'manager',
  ledere: 'manager',
  enhetsleder: 'manager',
  'ass. enhetsleder': 'manager',
  'ass.enhetsleder': 'manager',
  'assisterende enhetsleder': 'manager',
  primærkontakt: 'primary_contact',
  primærkontakter: 'primary_contact',
  ansatt: 'staff',
  ansatte: 'staff',
  'alle ansatte': 'staff',
  'hver ansatt': 'staff',
  'hver enkelt ansatt': 'staff',
  'den enkelte ansatt': 'staff',
  'enhver ansatt': 'staff',
  medarbeider: 'staff',
  medarbeidere: 'staff',
  'alle medarbeidere': 'staff',
  'hver medarbeider': 'staff',
  'hver enkelt medarbeider': 'staff',
  'den enkelte medarbeider': 'staff',
  kvalitetsrådgiver: 'quality_adviser',
};
/**
 * Ansvar that names the employees one by one ("Alle ansatte", "Hver ansatt", "Den enkelte ansatt"): a duty each
 * of them does and signs for themselves, so scope person (one occurrence per employee), not one shared task.
 */
const EACH_EMPLOYEE = new Set([
  'alle ansatte', 'hver ansatt', 'hver enkelt ansatt', 'den enkelte ansatt', 'enhver ansatt',
  'alle medarbeidere', 'hver medarbeider', 'hver enkelt medarbeider', 'den enkelte medarbeider',
]);

/**
 * A task text that says it concerns each employee, for a row whose Ansvar is only "Ansatte": it names them one
 * by one ("alle ansatte", "hver ansatt", "den enkelte", …), or makes the employees the ones who do it
 * ("Ansatte registrerer ferieønsker i VFR"). Otherwise "Ansatte" stays one task for the unit, shared, as before.
 */
const TEXT_SAYS_EACH = /(?<![\p{L}])(alle ansatte|alle medarbeidere|hver(?: enkelt)? (?:ansatt|medarbeider)|den enkelte|hver enkelt|enhver ansatt)(?![\p{L}])|^(ansatte|medarbeidere)\s/iu;

/** Roles a municipality adds itself, by their Norwegian names, where the role has an English key already in use. */
const KNOWN_OWN_ROLES: Record<string, string> = {
  ressursfordelingsteam: 'resource_team',
  ressursteam: 'resource_team',
  ressursfordelingsteamet: 'resource_team',
};

export interface ReadResponsibility {
  /** The role the task gets: the one understood, else the best guess ('manager'). */
  role: string;
  scope: TaskScope;
  /** Why the Ansvar must be chosen by hand before the wheel is published, or null. */
  unclear: string | null;
  /** Names that are no role of the municipality, with the key a new role of that name would get. */
  unknown: Array<{ name: string; suggestedKey: string | null }>;
  /** "Enhetsleder" was read as the manager role: the task goes to the manager where it is assigned. */
  enhetsleder: boolean;
}

/** Scope person for a staff row that concerns each employee, by its Ansvar or by its task text; else as read. */
export function eachEmployee(read: ReadResponsibility, ansvar: string, title: string): ReadResponsibility {
  if (read.role !== 'staff' || read.unclear) return read;
  const names = ansvar.toLowerCase().split(/\s*(?:\/|,|&|\+|;|\n)\s*/).map((n) => n.replace(/[.:]+$/, '').replace(/\s+/g, ' ').trim());
  return names.some((n) => EACH_EMPLOYEE.has(n)) || TEXT_SAYS_EACH.test(title) ? { ...read, scope: 'person' } : read;
}

/** The key a new role named `name` gets: "Fagkoordinator" → fagkoordinator, "Fag- og kvalitetsleder" → fag_og_kvalitetsleder. */
export function roleKeyFor(name: string): string | null {
  const key = name
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return ROLE_KEY.test(key) ? key : null;
}

/**
 * Ansvar as written to a role. Several names ("Avdelingsleder/primærkontakt") that mean one role are that
 * role; names meaning different roles must be chosen between. A name that is no role of the municipality
 * (`municipalityRoles`: the roles held or used in its wheels) is flagged, with 'manager' as the guess.
 */
export function readResponsibility(text: string, municipalityRoles: ReadonlySet<string>): ReadResponsibility {
  const written = text
    .split(/\s*(?:\/|,|&|\+|;|\n|(?<![\p{L}])og(?![\p{L}]))\s*/u)
    .map((n) => n.replace(/[.:]+$/, '').replace(/\s+/g, ' ').trim())
    .filter((n) => n !== '');
  const roles: string[] = [];
  const unknown: ReadResponsibility['unknown'] = [];
  let enhetsleder = false;
  for (const original of written) {
    const name = original.toLowerCase();
    const builtIn = BUILT_IN[name];
    if (builtIn) {
      roles.push(builtIn);
      if (name.includes('enhetsleder')) enhetsleder = true;
      continue;
    }
    const own = [KNOWN_OWN_ROLES[name], roleKeyFor(name)].find((key) => key && municipalityRoles.has(key));
    if (own) roles.push(own);
    else unknown.push({ name: original, suggestedKey: roleKeyFor(name) });
  }
  const distinct = [...new Set(roles)];
  const role = distinct[0] ?? 'manager';
  let unclear: string | null = null;
  if (unknown.length > 0) {
    unclear = unknown
      .map((u) => `«${u.name}» er ingen rolle i kommunen: velg en rolle${u.suggestedKey ? `, eller opprett rollen «${u.suggestedKey}»` : ''}`)
      .join('; ');
  } else if (distinct.length > 1) {
    unclear = `Ansvar nevner flere roller (${distinct.join(', ')}): velg én`;
  }
  return { role, scope: role === 'primary_contact' ? 'recipient' : 'unit', unclear, unknown, enhetsleder };
}
