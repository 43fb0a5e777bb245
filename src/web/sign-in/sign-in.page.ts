import { html, Html } from '../html';
import { roleName, TEXTS, Texts } from '../i18n';

export function signInPage(people: Array<{ email: string; displayName: string; roles: string[] }>, next: string, devSignIn: boolean, t: Texts = TEXTS.nb): Html {
  if (!devSignIn) {
    return html`<p>${t.signInEntra}</p><p class="muted">${t.signInEntraMissing}</p>`;
  }
  return html`<p>${t.signInDev}</p>
    <form method="post" action="/logg-inn" class="card">
      <input type="hidden" name="neste" value="${next}">
      <fieldset class="choice"><legend>${t.signInAs}</legend>
        ${people.map(
          (p, i) => html`<label><input type="radio" name="email" value="${p.email}"${i === 0 ? html` checked` : ''}> ${p.displayName} <span class="muted">(${p.roles.map((r) => roleName(r, t)).join(', ')})</span></label><br>`,
        )}
      </fieldset>
      <button class="primary" type="submit">${t.signInButton}</button>
    </form>`;
}
