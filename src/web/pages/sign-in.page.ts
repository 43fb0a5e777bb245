import { html, Html } from '../html';
import { TEXTS, Texts } from '../i18n';

export function signInPage(people: Array<{ email: string; displayName: string; roles: string }>, next: string, devSignIn: boolean, t: Texts = TEXTS.nb): Html {
  if (!devSignIn) {
    return html`<p>Logg inn med kommunens Microsoft-konto (Entra ID).</p><p class="muted">Innlogging i nettleseren med Entra ID er ikke satt opp i denne installasjonen ennå.</p>`;
  }
  return html`<p>${t.signInDev}</p>
    <form method="post" action="/logg-inn" class="card">
      <input type="hidden" name="neste" value="${next}">
      <fieldset class="choice"><legend>${t.signInAs}</legend>
        ${people.map(
          (p, i) => html`<label><input type="radio" name="email" value="${p.email}"${i === 0 ? html` checked` : ''}> ${p.displayName} <span class="muted">(${p.roles})</span></label><br>`,
        )}
      </fieldset>
      <button class="primary" type="submit">${t.signInButton}</button>
    </form>`;
}
