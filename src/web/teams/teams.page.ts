import { html, Html } from '../html';

/**
 * The Teams personal tab's first page: it waits while its script signs in with Teams single sign-on, and
 * says in Norwegian what went wrong otherwise. The script and the Teams library come from Årshjul itself.
 */
export function teamsTabPage(frameAncestors: string[], teamsJs: string): Html {
  return html`<div id="teams-tab" data-origins="${frameAncestors.join(' ')}">
  <p id="teams-wait" role="status">Logger deg inn med Microsoft Teams …</p>
  <div id="teams-outside" hidden>
    <p>Denne siden er Årshjul-fanen i Microsoft Teams, og den logger deg inn bare når den er åpnet i Teams.</p>
    <p><a href="/logg-inn?neste=%2Foppgaver">Logg inn på vanlig måte</a></p>
  </div>
  <div id="teams-unknown" hidden>
    <p class="error">Du er logget inn i Teams, men er ikke registrert i Årshjul for kommunen din. Be administratoren om å legge deg til.</p>
  </div>
  <div id="teams-refused" hidden>
    <p class="error">Teams kunne ikke logge deg inn i Årshjul. Lukk fanen og prøv igjen, eller logg inn på vanlig måte.</p>
    <p><a href="/logg-inn?neste=%2Foppgaver" target="_blank" rel="noopener">Logg inn på vanlig måte (åpnes i nettleseren)</a></p>
  </div>
</div>
<script src="${teamsJs}/MicrosoftTeams.min.js"></script>
<script src="/assets/teams.js"></script>`;
}
