import { html, Html } from '../html';

export function signInPage(people: Array<{ email: string; displayName: string; roles: string }>, next: string, devSignIn: boolean): Html {
  if (!devSignIn) {
    return html`<p>Logg inn med kommunens Microsoft-konto (Entra ID).</p><p class="muted">Innlogging i nettleseren med Entra ID er ikke satt opp i denne installasjonen ennå.</p>`;
  }
  return html`<p>Utviklingsinnlogging: velg en person i demodataene.</p>
    <form method="post" action="/logg-inn" class="card">
      <input type="hidden" name="neste" value="${next}">
      <fieldset class="choice"><legend>Logg inn som</legend>
        ${people.map(
          (p, i) => html`<label><input type="radio" name="email" value="${p.email}"${i === 0 ? html` checked` : ''}> ${p.displayName} <span class="muted">(${p.roles})</span></label><br>`,
        )}
      </fieldset>
      <button class="primary" type="submit">Logg inn</button>
    </form>`;
}
