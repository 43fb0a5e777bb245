import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Allow } from '../../auth/policy';
import { Public } from '../../auth/decorators';
import { EntraSignIn, SIGN_IN_COOKIE } from '../../auth/entra-sign-in';
import { safeNextPath } from '../../auth/next-path';
import { SESSION_COOKIE, Sessions } from '../../auth/sessions';
import { ProblemException } from '../../common/problem';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { requestLanguage } from '../chrome';
import { CsrfForm } from '../forms';
import { TEXTS } from '../i18n';
import { page } from '../layout';
import { PageFrame } from '../page-frame';
import { signInPage } from './sign-in.page';

class SignInForm {
  @IsEmail({}, { message: 'must be an e-mail address' })
  email: string;

  /** Where to go afterwards; anything but a page of Årshjul goes home (safeNextPath). */
  @IsOptional()
  @IsString()
  neste?: string;
}

/** Signing in (Entra ID, or the development list of people) and out; `/` leads to Mine oppgaver. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: Sessions,
    private readonly dataSource: DataSource,
    private readonly entraSignIn: EntraSignIn,
    private readonly frame: PageFrame,
  ) {}

  @Get()
  @Public()
  home(@Res() res: Response): void {
    res.redirect(303, '/oppgaver');
  }

  @Get('logg-inn')
  @Public()
  async signInForm(@Query('neste') next: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const devSignIn = this.config.authMode === 'development';
    if (this.entraSignIn.enabled) {
      const { url, cookie } = await this.entraSignIn.start(safeNextPath(next));
      res.cookie(SIGN_IN_COOKIE, cookie, { ...this.sessions.cookieOptions(), maxAge: 10 * 60 * 1000 });
      res.redirect(302, url);
      return;
    }
    const people: Array<{ email: string; displayName: string; roles: string[] }> = devSignIn
      ? await this.dataSource.query(
          `SELECT p.email, p.display_name AS "displayName", array_agg(DISTINCT ra.role ORDER BY ra.role) AS roles
             FROM person p JOIN role_assignment ra ON ra.person_id = p.id
            WHERE p.archived_at IS NULL GROUP BY p.id ORDER BY p.display_name`,
        )
      : [];
    // Before sign-in there is no person to ask: the language comes from ?lang= or the remembered choice.
    const t = TEXTS[requestLanguage(req) ?? 'nb'];
    this.frame.rememberLanguage(req);
    res.type('html').send(page({ title: t.signInTitle, t }, signInPage(people, safeNextPath(next), devSignIn, t)));
  }

  @Get('logg-inn/tilbake')
  @Public()
  async signInReturn(@Query('code') code: string | undefined, @Query('state') state: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { session, next } = await this.entraSignIn.finish(code, state, (req.cookies as Record<string, string>)[SIGN_IN_COOKIE]);
    res.clearCookie(SIGN_IN_COOKIE, { path: '/' });
    res.cookie(SESSION_COOKIE, session, this.sessions.cookieOptions());
    // Checked when the sign-in started, and again here, where it becomes a Location.
    res.redirect(303, safeNextPath(next));
  }

  @Post('logg-inn')
  @Public()
  async signIn(@Body() form: SignInForm, @Res() res: Response): Promise<void> {
    if (this.config.authMode !== 'development') throw new ProblemException(403, 'forbidden', 'Ingen tilgang', 'Development sign-in is off.');
    const [person] = await this.dataSource.query(`SELECT id, municipality_id FROM person WHERE lower(email) = lower($1) AND archived_at IS NULL`, [form.email]);
    if (!person) throw new ProblemException(401, 'unauthenticated', 'Ikke innlogget', 'No active person with that e-mail.');
    res.cookie(SESSION_COOKIE, await this.sessions.create(person.id, person.municipality_id), this.sessions.cookieOptions());
    res.redirect(303, safeNextPath(form.neste));
  }

  @Post('logg-ut')
  @Allow.signedIn()
  async signOut(@Body() _form: CsrfForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.sessionId) await this.sessions.end(req.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    // A session begun in Teams has its cookie in Teams' partition: only the same attributes remove it.
    res.clearCookie(SESSION_COOKIE, { ...this.sessions.framedCookieOptions(), maxAge: undefined });
    res.redirect(303, '/logg-inn');
  }
}
