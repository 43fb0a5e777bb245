import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type { AccessService } from '../auth/access.service';
import type { AuthenticatedPerson } from '../auth/authenticated-person';
import { UNIT_READERS } from '../auth/policy';
import { isLang, Lang, TEXTS, Texts } from './i18n';
import type { MenuKey } from './layout';

/** The remembered choice of language (set by `?lang=`). */
export const LANG_COOKIE = 'arshjul_lang';

/** The language a request asks for, by `?lang=` or the remembered cookie; undefined if neither names one. */
export function requestLanguage(req: Request): Lang | undefined {
  if (isLang(req.query?.lang)) return req.query.lang;
  const remembered = (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE];
  return isLang(remembered) ? remembered : undefined;
}

/** The page's language: `?lang=`, the remembered choice, the person's notification setting, else bokmål. */
export async function pageTexts(dataSource: DataSource, person: AuthenticatedPerson, req: Request): Promise<Texts> {
  const chosen = requestLanguage(req);
  if (chosen) return TEXTS[chosen];
  const [row] = await dataSource.query(`SELECT language FROM notification_preference WHERE person_id = $1`, [person.personId]);
  const preferred: unknown = row?.language;
  return TEXTS[isLang(preferred) ? preferred : 'nb'];
}

/**
 * The menu entries the person may open, by the same rules as the routes behind them: the checklist and the
 * wheel need a reading role in some unit, Internkontroll a manager or quality adviser (administrators all).
 * Mine oppgaver and Administrasjon (one's deputy, at least) are everyone's.
 */
export async function visibleMenu(access: AccessService, person: AuthenticatedPerson): Promise<MenuKey[]> {
  const [reads, controls] = await Promise.all([
    access.readsAnyUnit(person.personId, person.municipalityId, UNIT_READERS),
    access.readsAnyUnit(person.personId, person.municipalityId, ['manager', 'quality_adviser']),
  ]);
  const menu: MenuKey[] = ['oppgaver'];
  if (reads) menu.push('sjekkliste', 'arshjul');
  if (controls) menu.push('internkontroll');
  menu.push('administrasjon');
  return menu;
}

/** The page frame for a signed-in person: name, CSRF token, language and the menu they may use. */
export async function pageChrome(dataSource: DataSource, access: AccessService, person: AuthenticatedPerson, req: Request, t?: Texts) {
  const [[row], menu, texts] = await Promise.all([
    dataSource.query(`SELECT display_name FROM person WHERE id = $1`, [person.personId]),
    visibleMenu(access, person),
    t ?? pageTexts(dataSource, person, req),
  ]);
  return { person: { displayName: row?.display_name as string }, csrf: req.csrf, t: texts, menu };
}
