import { Body, Controller, Get, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AccessService } from '../../auth/access.service';
import { AuthenticatedPerson } from '../../auth/authenticated-person';
import { CurrentPerson } from '../../auth/decorators';
import { Allow } from '../../auth/policy';
import { ProblemException } from '../../common/problem';
import { OrganisationImportResultDto } from '../../organisation-import/dtos/organisation-import.dto';
import { OrganisationRowsProblem, RowProblem } from '../../organisation-import/import.problems';
import { OrganisationImportService } from '../../organisation-import/organisation-import.service';
import { pageChrome, pageTexts } from '../chrome';
import { Texts } from '../i18n';
import { page } from '../layout';
import { previewPage, uploadPage } from './organisation-import.page';
import { ORGANISATION_IMPORT_TEXTS } from './organisation-import.texts';
import { UPLOAD_PROBLEM } from './upload.middleware';

class OrganisationImportForm {
  @IsOptional() @IsString() _csrf?: string;
  @IsOptional() @IsIn(['forhandsvis', 'importer']) handling?: 'forhandsvis' | 'importer';
  /** The previewed file's text, sent back to apply it. */
  @IsOptional() @IsString() innhold?: string;
}

/**
 * Importing units and people in the web app: upload the CSV, see what would change (and every row's
 * problem), import. The rules are the API's (OrganisationImportService); this only shows them.
 */
@ApiExcludeController()
@Controller('administrasjon/organisasjon')
export class OrganisationImportPagesController {
  constructor(
    private readonly imports: OrganisationImportService,
    private readonly access: AccessService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Allow.admin()
  async form(@CurrentPerson() person: AuthenticatedPerson, @Req() req: Request, @Res() res: Response): Promise<void> {
    const t = await pageTexts(this.dataSource, person, req);
    await this.send(person, req, res, t, uploadPage({ w: ORGANISATION_IMPORT_TEXTS[t.lang], csrf: req.csrf ?? '' }));
  }

  @Post()
  @Allow.admin()
  async upload(@CurrentPerson() person: AuthenticatedPerson, @Body() form: OrganisationImportForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const t = await pageTexts(this.dataSource, person, req);
    const w = ORGANISATION_IMPORT_TEXTS[t.lang];
    try {
      const stashed = res.locals[UPLOAD_PROBLEM] as ProblemException | undefined;
      if (stashed) throw stashed;
      const file = req.file ?? (form.innhold ? { buffer: Buffer.from(form.innhold, 'utf-8') } : undefined);
      const { read, table } = await this.imports.read(person, file);
      let problems: RowProblem[] = [];
      let result: OrganisationImportResultDto | undefined;
      if (form.handling === 'importer') {
        // Planned again as it is applied: a change since the preview may have made a row wrong.
        result = await this.imports.applyFile(person, read, table).catch((error: unknown) => {
          if (error instanceof OrganisationRowsProblem) return undefined;
          throw error;
        });
      }
      if (!result) ({ result, problems } = await this.imports.preview(person, read, table));
      const offer = !result.applied && problems.length === 0 && result.changes;
      const body = previewPage({ w, lang: t.lang, csrf: req.csrf ?? '', result, problems, text: offer ? table.text : undefined });
      await this.send(person, req, res, t, body, problems.length ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.OK);
    } catch (error) {
      if (!(error instanceof ProblemException) || error.getStatus() >= 500 || error.getStatus() === 403) throw error;
      const why = w.why[error.slug] ?? error.detail;
      await this.send(person, req, res, t, uploadPage({ w, csrf: req.csrf ?? '', error: why }), error.getStatus());
    }
  }

  private async send(person: AuthenticatedPerson, req: Request, res: Response, t: Texts, body: ReturnType<typeof uploadPage>, status = 200): Promise<void> {
    const chrome = await pageChrome(this.dataSource, this.access, person, req, t);
    res.status(status).type('html').send(page({ title: ORGANISATION_IMPORT_TEXTS[t.lang].title, ...chrome, current: 'administrasjon' }, body));
  }
}
