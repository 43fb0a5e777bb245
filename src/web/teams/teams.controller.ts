import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsJWT, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { Public } from '../../auth/decorators';
import { SESSION_COOKIE, Sessions } from '../../auth/sessions';
import { TeamsSignIn } from '../../auth/teams-sign-in';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
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

  @Get('teams')
  @Public()
  tab(@Res() res: Response): void {
    res.type('html').send(page({ title: 'Årshjul i Teams' }, teamsTabPage(this.config.teams.frameAncestors, TEAMS_JS_PATH)));
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
