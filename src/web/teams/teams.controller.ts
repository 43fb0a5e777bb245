import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsJWT, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { Public } from '../../auth/decorators';
import { SESSION_COOKIE, Sessions } from '../../auth/sessions';
import { TeamsSignIn } from '../../auth/teams-sign-in';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { requestLanguage } from '../chrome';
import { Lang, TEXTS } from '../i18n';
import { page } from '../layout';
import { TEAMS_JS_PATH } from './teams-js';
import { teamsTabPage } from './teams.page';

class TeamsTokenBody {
  /** The Entra ID access token Teams single sign-on gave the tab (authentication.getAuthToken()). */
  @IsJWT({ message: 'must be the access token from Teams (a JWT)' })
  @MaxLength(16_000)
  token: string;
}

/** The Teams personal tab (docker/teams-app's contentUrl) and its sign-in. */
@ApiExcludeController()
@Controller()
export class TeamsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly teamsSignIn: TeamsSignIn,
    private readonly sessions: Sessions,
  ) {}

  /** In the language asked for (`?lang=` or the remembered choice), else Teams' own (`?locale={locale}` in the manifest). */
  @Get('teams')
  @Public()
  tab(@Req() req: Request, @Res() res: Response): void {
    const lang = requestLanguage(req) ?? teamsLanguage(req.query.locale) ?? 'nb';
    const t = TEXTS[lang];
    res.type('html').send(page({ title: t.teams.title, t }, teamsTabPage(this.config.teams.frameAncestors, TEAMS_JS_PATH, t.teams, lang)));
  }

  /** The tab's script sends the Teams token; the answer carries the session cookie fit for Teams' frame. */
  @Post('logg-inn/teams')
  @Public()
  @HttpCode(204)
  async signIn(@Body() body: TeamsTokenBody, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    this.teamsSignIn.checkCaller(req.headers.origin, req.is('application/json') === 'application/json');
    res.cookie(SESSION_COOKIE, await this.teamsSignIn.exchange(body.token), this.sessions.framedCookieOptions());
  }
}

/** Teams' locale (`nb-NO`, `nn-NO`, `en-US`, …) as one of the pages' languages; undefined for any other. */
function teamsLanguage(locale: unknown): Lang | undefined {
  if (typeof locale !== 'string') return undefined;
  if (/^nn\b/i.test(locale)) return 'nn';
  if (/^(nb|no)\b/i.test(locale)) return 'nb';
  return /^en\b/i.test(locale) ? 'en' : undefined;
}
