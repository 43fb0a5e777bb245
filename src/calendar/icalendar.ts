import ical, { ICalEventBusyStatus, ICalEventTransparency } from 'ical-generator';
import { addDays, LocalDate } from '../schedule/local-date';

/** One all-day event of a feed: a deadline. */
export interface FeedEvent {
  /** Stable across fetches (the occurrence's id), so a calendar updates the event instead of adding one. */
  uid: string;
  date: LocalDate;
  summary: string;
  description: string;
  location: string;
  url: string;
  /** DTSTAMP: a stable instant, so that the same content gives the same bytes (and ETag). */
  stamp: Date;
}

/**
 * Writes an iCalendar (RFC 5545) feed with ical-generator, which escapes text, folds lines at 75 octets and
 * writes CRLF: the details Outlook is strict about. Deadlines are all-day events (`DTSTART;VALUE=DATE`, with
 * `DTEND` the day after, exclusive), dates and not instants, so no time zone can move them to another day;
 * the date string is given as a UTC midnight, which ical-generator writes as that very date whatever the
 * server's zone. They are transparent (free): a deadline is not a meeting and must not block the day.
 */
export function writeICalendar(name: string, refreshSeconds: number, events: FeedEvent[]): string {
  const calendar = ical({ name, prodId: { company: 'Årshjul', product: 'Årshjul', language: 'NB' }, ttl: refreshSeconds });
  for (const event of events) {
    calendar.createEvent({
      id: event.uid,
      start: `${event.date}T00:00:00Z`,
      end: `${addDays(event.date, 1)}T00:00:00Z`,
      allDay: true,
      stamp: event.stamp,
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: event.url,
      transparency: ICalEventTransparency.TRANSPARENT,
      busystatus: ICalEventBusyStatus.FREE,
    });
  }
  return calendar.toString();
}
