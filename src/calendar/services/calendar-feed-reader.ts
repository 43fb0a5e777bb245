import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccessLogService } from '../../audit/access-log';
import { AccessService } from '../../auth/access.service';
import { tenantContext } from '../../auth/tenant-context';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { OccurrenceItemDto } from '../../occurrences/dtos/checklist.dto';
import { ChecklistService } from '../../occurrences/services/checklist.service';
import { MunicipalitiesService } from '../../organisation/services/municipalities.service';
import { LocalDate, monthBounds } from '../../schedule/local-date';
import { MAX_EVENTS, MONTHS_AHEAD, MONTHS_BACK, REFRESH_SECONDS } from '../calendar-feed.limits';
import { FeedEvent, writeICalendar } from '../icalendar';
import { FEED_SECRET, hashOfSecret } from './calendar-feeds.service';

/** How a feed's URL is answered: nothing (unknown, revoked, malformed alike), unchanged, or the calendar. */
export type FeedAnswer = { status: 404 } | { status: 304; etag: string } | { status: 200; etag: string; body: string };

interface OpenFeed {
  id: string;
  municipality_id: string;
  owner_id: string;
  unit_id: string | null;
  unit_name: string | null;
  include_subunits: boolean;
  include_signed: boolean;
  created_at: Date;
}

/** The endpoint the access log names for a feed's reads (never the secret itself). */
export const FEED_ENDPOINT = 'GET /kalender/:secret.ics';

const SIGNED = new Set(['done', 'done_late', 'not_applicable']);
const STATUS_WORDS: Record<string, string> = { open: 'Åpen', overdue: 'Forfalt', done: 'Utført', done_late: 'Utført for sent', not_applicable: 'Ikke aktuelt' };

/**
 * Reads a feed by its secret, for a calendar that signs in as nobody: the secret is the credential. The row
 * is found by the hash of the secret (an index lookup on a value the caller cannot steer: timing tells
 * nothing about the secret), and then tells the request its municipality, so everything after it runs under
 * that municipality's row-level security. A feed whose owner is archived, or whose maker no longer manages
 * its unit, answers as an unknown one.
 */
@Injectable()
export class CalendarFeedReader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly checklists: ChecklistService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly accessLog: AccessLogService,
  ) {}

  /**
   * `file` is the last part of the URL (`<secret>.ics`); `ifNoneMatch` the calendar's If-None-Match; `head`: a HEAD
   * request, answered without the body, so nobody was shown the codes.
   */
  async read(file: string, ifNoneMatch: string | undefined, head = false): Promise<FeedAnswer> {
    const feed = await this.open(file);
    if (!feed) return { status: 404 };
    const today = await this.municipalities.today(feed.municipality_id);
    const items = await this.itemsOf(feed, today);
    const body = writeICalendar(this.nameOf(feed), REFRESH_SECONDS, this.eventsOf(feed, items, today));
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    // Unchanged since the calendar's copy: it learns nothing new, so nothing is access-logged.
    if (matches(ifNoneMatch, etag)) return { status: 304, etag };
    if (!head) await this.accessLog.record({ personId: feed.owner_id, municipalityId: feed.municipality_id, email: '' }, FEED_ENDPOINT, items.map((i) => i.recipientCode));
    return { status: 200, etag, body };
  }

  private async open(file: string): Promise<OpenFeed | undefined> {
    const secret = /^(.*)\.ics$/.exec(file)?.[1] ?? '';
    if (!FEED_SECRET.test(secret)) return undefined;
    // Looked up before the municipality is known (the setting is empty, as for a session cookie).
    const [feed]: OpenFeed[] = await this.dataSource.query(
      `SELECT f.id, f.municipality_id, f.owner_id, f.unit_id, u.name AS unit_name, f.include_subunits, f.include_signed, f.created_at
         FROM calendar_feed f
         JOIN person p ON p.municipality_id = f.municipality_id AND p.id = f.owner_id AND p.archived_at IS NULL
         LEFT JOIN unit u ON u.municipality_id = f.municipality_id AND u.id = f.unit_id
        WHERE f.secret_hash = $1 AND f.revoked_at IS NULL AND (f.unit_id IS NULL OR u.archived_at IS NULL)`,
      [hashOfSecret(secret)],
    );
    if (!feed) return undefined;
    const tenant = tenantContext.getStore();
    if (tenant) tenant.municipalityId = feed.municipality_id;
    // A unit's feed reads as its maker would: only while they still manage the unit (or administer).
    if (feed.unit_id && !(await this.access.hasRoleOver(feed.owner_id, feed.municipality_id, feed.unit_id, ['manager']))) return undefined;
    return feed;
  }

  private async itemsOf(feed: OpenFeed, today: LocalDate): Promise<OccurrenceItemDto[]> {
    const { first, last } = windowAround(today);
    const items = feed.unit_id
      ? await this.checklists.between(feed.municipality_id, feed.unit_id, first, last, feed.include_subunits, MAX_EVENTS)
      : await this.checklists.mineBetween(feed.municipality_id, feed.owner_id, first, last, MAX_EVENTS);
    return feed.include_signed ? items : items.filter((i) => !SIGNED.has(i.status));
  }

  private nameOf(feed: OpenFeed): string {
    if (!feed.unit_id) return 'Årshjul – mine oppgaver';
    return `Årshjul – ${feed.unit_name}${feed.include_subunits ? ' med underenheter' : ''}`;
  }

  private eventsOf(feed: OpenFeed, items: OccurrenceItemDto[], today: LocalDate): FeedEvent[] {
    const base = this.config.publicBaseUrl;
    const events: FeedEvent[] = [];
    // In a unit's feed a duty per person is one event per task, unit and deadline ("3 av 12 utført"), as in the
    // checklist: a dozen identical titles would say nothing, and a person's name is not for a shared calendar.
    const perPerson = new Map<string, OccurrenceItemDto[]>();
    for (const item of items) {
      if (feed.unit_id && item.person) {
        const key = `${item.taskId}.${item.unitId}.${item.deadline}`;
        if (!perPerson.has(key)) perPerson.set(key, []);
        perPerson.get(key)!.push(item);
        continue;
      }
      const what = item.recipientCode ? `${item.title} – ${item.recipientCode}` : item.title;
      events.push({
        uid: `${item.occurrenceId}@arshjul`,
        date: item.deadline,
        summary: `${markOf(item.status)}${what}`,
        description: describe(item, statusText(item, today), `${base}/oppgaver/${item.occurrenceId}`),
        location: item.unitName,
        url: `${base}/oppgaver/${item.occurrenceId}`,
        stamp: item.signedAt ? new Date(item.signedAt) : feed.created_at,
      });
    }
    for (const [key, people] of perPerson) {
      const [first] = people;
      const signed = people.filter((p) => SIGNED.has(p.status)).length;
      const done = signed === people.length;
      const url = `${base}/sjekkliste?enhet=${first.unitId}&maned=${first.deadline.slice(0, 7)}`;
      const stamps = people.map((p) => (p.signedAt ? Date.parse(p.signedAt) : 0));
      events.push({
        uid: `${key}@arshjul`,
        date: first.deadline,
        summary: `${done ? '✓ Utført: ' : ''}${first.title} (${signed} av ${people.length} utført)`,
        description: describe(first, `${signed} av ${people.length} utført`, url),
        location: first.unitName,
        url,
        stamp: new Date(Math.max(feed.created_at.getTime(), ...stamps)),
      });
    }
    return events.sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid));
  }
}

/**
 * Signed occurrences stay in the calendar, marked in their title: VEVENT has no "completed" status
 * (RFC 5545 gives it TENTATIVE, CONFIRMED and CANCELLED only; CANCELLED would strike it out as if it
 * were called off), and a mark in the title is what every calendar shows.
 */
function markOf(status: string): string {
  if (status === 'done' || status === 'done_late') return '✓ Utført: ';
  if (status === 'not_applicable') return '✓ Ikke aktuelt: ';
  return '';
}

function statusText(item: OccurrenceItemDto, today: LocalDate): string {
  if (item.status === 'open' && item.opensOn > today) return `Ikke åpnet ennå (åpner ${norwegianDay(item.opensOn)})`;
  return STATUS_WORDS[item.status] ?? item.status;
}

/** The unit, the recipient's code (never a name), the wheel, the status and the link. */
function describe(item: OccurrenceItemDto, status: string, url: string): string {
  return [
    `Enhet: ${item.unitName}`,
    ...(item.recipientCode ? [`Tjenestemottaker: ${item.recipientCode}`] : []),
    `Årshjul: ${item.wheelName}`,
    `Status: ${status}`,
    `Åpne i Årshjul: ${url}`,
  ].join('\n');
}

/** 2026-12-04 → 4.12.2026 */
function norwegianDay(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}.${m}.${y}`;
}

/** From the first day of the month MONTHS_BACK months ago to the last day of the month MONTHS_AHEAD months on. */
export function windowAround(today: LocalDate): { first: LocalDate; last: LocalDate } {
  const month = (offset: number) => {
    const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 + offset, 1));
    return d.toISOString().slice(0, 7);
  };
  return { first: monthBounds(month(-MONTHS_BACK)).first, last: monthBounds(month(MONTHS_AHEAD)).last };
}

/** If-None-Match: a list of entity tags (weak ones compared as strong: the body is the same bytes), or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
