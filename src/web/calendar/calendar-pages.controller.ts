import { Body, Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow, UNIT_MANAGERS } from '../../auth/policy';
import { CalendarFeedLimitProblem } from '../../calendar/calendar.exceptions';
import { CreatedCalendarFeedDto } from '../../calendar/dtos/calendar-feed.dto';
import { CalendarFeedsService } from '../../calendar/services/calendar-feeds.service';
import { NotFoundProblem, ProblemException } from '../../common/problem';
import { Texts } from '../i18n';
import { PageFrame } from '../page-frame';
import { page } from '../layout';
import { calendarPage } from './calendar.page';
import { calendarTexts } from './calendar.texts';

/** The form's fields: `utforte` (checkbox: show signed ones), `enhet` (a unit's feed), `underenheter`. */
class CalendarForm {
  @IsOptional() @IsString() _csrf?: string;
  @IsOptional() @IsString() utforte?: string;
  @IsOptional() @IsString() enhet?: string;
  @IsOptional() @IsString() underenheter?: string;
}

/**
 * «Abonner i Outlook»: make a feed (of my tasks, or of a unit I manage), see its address once with how to
 * subscribe, and revoke my feeds. The rules are the API's (CalendarFeedsService); this only shows them.
 */
@ApiExcludeController()
@Controller('kalender')
export class CalendarPagesController {
  constructor(
    private readonly feeds: CalendarFeedsService,
    private readonly access: AccessService,
    private readonly frame: PageFrame,
  ) {}

  @Get()
  @Allow.signedIn()
  async show(@CurrentPerson() person: AuthenticatedPerson, @Query('melding') message: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const t = await this.frame.texts(person, req);
    await this.render(person, req, res, t, HttpStatus.OK, { message: message === 'trukket' ? calendarTexts(t.lang).revoked : undefined });
  }

  @Post()
  @Allow.signedIn()
  async create(@CurrentPerson() person: AuthenticatedPerson, @Body() form: CalendarForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const t = await this.frame.texts(person, req);
    const includeSigned = form.utforte === '1';
    let created: CreatedCalendarFeedDto;
    try {
      if (form.enhet) {
        if (!(await this.managesUnit(person, form.enhet))) throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Ingen tilgang', calendarTexts(t.lang).notManager);
        created = await this.feeds.createForUnit(person, form.enhet, { includeSigned, includeSubunits: form.underenheter === '1' });
      } else {
        created = await this.feeds.createForPerson(person, { includeSigned });
      }
    } catch (error) {
      if (!(error instanceof CalendarFeedLimitProblem)) throw error;
      await this.render(person, req, res, t, HttpStatus.CONFLICT, { error: calendarTexts(t.lang).limit });
      return;
    }
    // The address is shown in this answer only: it is not put in a redirect's URL, where logs would keep it.
    await this.render(person, req, res, t, HttpStatus.CREATED, { created });
  }

  @Post(':id/trekk-tilbake')
  @Allow.signedIn()
  async revoke(@CurrentPerson() person: AuthenticatedPerson, @Param('id', ParseUUIDPipe) id: string, @Body() _form: CalendarForm, @Res() res: Response): Promise<void> {
    // Revoked already (a second click), or not mine: the list simply shows what is left.
    await this.feeds.revokeOwn(person, id).catch((error: unknown) => {
      if (!(error instanceof NotFoundProblem)) throw error;
    });
    res.redirect(303, '/kalender?melding=trukket');
  }

  private async managesUnit(person: AuthenticatedPerson, unitId: string): Promise<boolean> {
    if (!(await this.access.unitOf('unit', unitId, person.municipalityId))) return false;
    return this.access.hasRoleOver(person.personId, person.municipalityId, unitId, UNIT_MANAGERS);
  }

  private async render(
    person: AuthenticatedPerson,
    req: Request,
    res: Response,
    t: Texts,
    status: number,
    parts: { created?: CreatedCalendarFeedDto; message?: string; error?: string },
  ): Promise<void> {
    const feeds = await this.feeds.mine(person);
    const units = (await this.access.readableUnits(person.personId, person.municipalityId, UNIT_MANAGERS)).filter((u) => u.managed);
    const chrome = await this.frame.chrome(person, req, t);
    res
      .status(status)
      .type('html')
      .send(page({ title: calendarTexts(t.lang).title, current: 'oppgaver', ...chrome }, calendarPage({ feeds, units, csrf: req.csrf ?? '', t, ...parts })));
  }
}
