import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { AuthenticatedPerson } from '../auth/authenticated-person';
import { Sessions } from '../auth/sessions';
import { ProblemException } from '../common/problem';
import { LANG_COOKIE, pageChrome, pageTexts } from './chrome';
import { isLang, Texts } from './i18n';

/**
 * What every page area's controller shares: the page's language, its frame (name, CSRF token, menu), and the
 * unit a page opens on. One place, so that `?lang=` is remembered on every page, not only on some.
 */
@Injectable()
export class PageFrame {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly sessions: Sessions,
  ) {}

  /** The page's language, as every page chooses it (src/web/chrome.ts). */
  texts(person: AuthenticatedPerson, req: Request): Promise<Texts> {
    return pageTexts(this.dataSource, person, req);
  }

  /** The page frame: who is signed in, the session's CSRF token, the menu, and the person's language. */
  chrome(person: AuthenticatedPerson, req: Request, t?: Texts) {
    this.rememberLanguage(req);
    return pageChrome(this.dataSource, this.access, person, req, t);
  }

  /** `?lang=` is remembered in a cookie, so the next page (and an error page) keeps the language. */
  rememberLanguage(req: Request): void {
    if (isLang(req.query.lang)) req.res!.cookie(LANG_COOKIE, req.query.lang, { httpOnly: true, sameSite: 'lax', secure: this.sessions.secure, path: '/', maxAge: 365 * 24 * 3600 * 1000 });
  }

  /** The unit asked for, if the person may read it with these roles; else the one they work in. */
  async chooseUnit(person: AuthenticatedPerson, requested: string | undefined, roles: string[]) {
    const units = await this.access.readableUnits(person.personId, person.municipalityId, roles);
    if (units.length === 0) throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'This page needs a role you do not have in any unit.');
    const unit = requested ? units.find((u) => u.id === requested) : ownUnit(units);
    if (!unit) throw new ProblemException(404, 'not-found', 'Finnes ikke', `Unit ${requested} was not found.`);
    return { unit, units };
  }
}

/**
 * The unit a page opens on: the person's own (where they hold their role, the one they manage first),
 * not the first of the tree's names they can read.
 */
export function ownUnit<U extends { managed: boolean; own: boolean }>(units: U[]): U {
  return units.find((u) => u.own && u.managed) ?? units.find((u) => u.own) ?? units.find((u) => u.managed) ?? units[0];
}

/** A year asked for in a page's address, if it is one the API also takes (2000–2200); else the page shows its default. */
export function pageYear(value: string | undefined): number | undefined {
  const year = /^\d{4}$/.test(value ?? '') ? Number(value) : NaN;
  return year >= 2000 && year <= 2200 ? year : undefined;
}

/** A month asked for in a page's address (`2026-12`, in a year pageYear takes); else undefined. */
export function pageMonth(value: string | undefined): string | undefined {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value ?? '') && pageYear(value!.slice(0, 4)) ? value : undefined;
}
