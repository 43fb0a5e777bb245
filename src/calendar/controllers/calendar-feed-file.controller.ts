import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/decorators';
import { CalendarFeedReader } from '../services/calendar-feed-reader';

/**
 * The feed itself, where Outlook fetches it: no sign-in (a calendar cannot sign in), the secret in the URL
 * is the credential. Rate-limited per address like every request without a sign-in. An unknown, revoked or
 * malformed URL answers a bare 404 — no problem details, no hint which of them it was.
 */
@ApiExcludeController()
@Controller('kalender')
export class CalendarFeedFileController {
  constructor(private readonly reader: CalendarFeedReader) {}

  @Get(':file')
  @Public()
  async feed(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await this.reader.read(file, ifNoneMatch, req.method === 'HEAD');
    if (answer.status === 404) {
      res.status(404).end();
      return;
    }
    // The owner's calendar may keep a copy and ask again with If-None-Match; no shared cache may keep one.
    res.setHeader('Cache-Control', `private, no-cache, max-age=0`);
    res.setHeader('ETag', answer.etag);
    if (answer.status === 304) {
      res.status(304).end();
      return;
    }
    res.status(200).type('text/calendar; charset=utf-8').send(answer.body);
  }
}
