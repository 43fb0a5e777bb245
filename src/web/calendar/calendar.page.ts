import { CalendarFeedDto, CreatedCalendarFeedDto } from '../../calendar/dtos/calendar-feed.dto';
import { html, Html } from '../html';
import { Texts } from '../i18n';
import { norwegianTime } from '../layout';
import { calendarTexts } from './calendar.texts';

export interface CalendarView {
  feeds: CalendarFeedDto[];
  /** Units the person manages: they may make a feed of those too. */
  units: Array<{ id: string; name: string }>;
  csrf: string;
  t: Texts;
  created?: CreatedCalendarFeedDto;
  message?: string;
  error?: string;
}

/** The card at the end of Mine oppgaver: one button makes a feed of my tasks and shows its address. */
export function subscribeCard(csrf: string, t: Texts): Html {
  const c = calendarTexts(t.lang);
  return html`<section class="card" aria-labelledby="kalender-tittel">
    <h2 id="kalender-tittel">${c.subscribe}</h2>
    <p>${c.cardIntro}</p>
    <form method="post" action="/kalender">
      <input type="hidden" name="_csrf" value="${csrf}">
      <input type="hidden" name="utforte" value="1">
      <button class="primary" type="submit">${c.subscribe}</button>
    </form>
    <p><a href="/kalender">${c.myFeedsLink}</a></p>
  </section>`;
}

function feedName(feed: CalendarFeedDto, t: Texts): string {
  const c = calendarTexts(t.lang);
  if (feed.kind === 'person') return c.mine;
  return `${c.unit(feed.unitName ?? '')}${feed.includeSubunits ? ` ${c.withSubunits}` : ''}`;
}

/** Abonner i Outlook: the new address (once), how to subscribe, a form for another, and my feeds to revoke. */
export function calendarPage(view: CalendarView): Html {
  const { t, csrf } = view;
  const c = calendarTexts(t.lang);
  return html`
    ${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
    ${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
    ${view.created
      ? html`<section class="card" aria-labelledby="ny-adresse">
          <h2 id="ny-adresse">${c.created}</h2>
          <p>${c.shownOnce}</p>
          <label for="kalenderadresse">${c.address} (${feedName(view.created, t)})</label>
          <input type="text" id="kalenderadresse" class="feed-url" readonly value="${view.created.url}">
          <h3>${c.howTo}</h3>
          <ol>${c.steps.map((step) => html`<li>${step}</li>`)}</ol>
        </section>`
      : html`<p>${c.intro}</p>`}
    <section class="card" aria-labelledby="ny-kalender">
      <h2 id="ny-kalender">${c.newFeed}</h2>
      <form method="post" action="/kalender">
        <input type="hidden" name="_csrf" value="${csrf}">
        ${view.units.length
          ? html`<label for="enhet">${c.calendarFor}</label>
              <select id="enhet" name="enhet">
                <option value="">${c.mine}</option>
                ${view.units.map((u) => html`<option value="${u.id}">${c.unit(u.name)}</option>`)}
              </select>
              <p class="choice"><label><input type="checkbox" name="underenheter" value="1"> ${c.includeSubunits}</label></p>`
          : ''}
        <p class="choice"><label><input type="checkbox" name="utforte" value="1" checked> ${c.includeSigned}</label></p>
        <button class="primary" type="submit">${c.create}</button>
      </form>
    </section>
    <h2>${c.listHeading}</h2>
    ${view.feeds.length === 0
      ? html`<p class="muted">${c.none}</p>`
      : html`<ul class="feed-list">${view.feeds.map((feed) => {
          const made = norwegianTime(feed.createdAt, 'Europe/Oslo', t.at);
          return html`<li class="card">
            <strong>${feedName(feed, t)}</strong>
            <ul class="facts">
              <li>${c.columns.signed}: ${feed.includeSigned ? c.shown : c.leftOut}</li>
              <li>${c.columns.created}: ${made}</li>
            </ul>
            <form method="post" action="/kalender/${feed.id}/trekk-tilbake">
              <input type="hidden" name="_csrf" value="${csrf}">
              <button type="submit" aria-label="${c.revokeLabel(`${feedName(feed, t)} (${made})`)}">${c.revoke}</button>
            </form>
          </li>`;
        })}</ul>`}
    <p><a href="/oppgaver">${t.backToTasks}</a></p>`;
}
