import { html, Html } from '../html';
import { TeamsTexts } from './teams.texts';

/**
 * The Teams personal tab's first page: it waits while its script signs in with Teams single sign-on, and
 * says in the page's language what went wrong otherwise. The script and the Teams library come from Årshjul itself.
 */
export function teamsTabPage(frameAncestors: string[], teamsJs: string, w: TeamsTexts, lang: string): Html {
  const signIn = `/logg-inn?neste=%2Foppgaver${lang === 'nb' ? '' : `&lang=${lang}`}`;
  return html`<div id="teams-tab" data-origins="${frameAncestors.join(' ')}">
  <p id="teams-wait" role="status">${w.wait}</p>
  <div id="teams-outside" hidden>
    <p>${w.outside}</p>
    <p><a href="${signIn}">${w.signInUsual}</a></p>
  </div>
  <div id="teams-unknown" hidden>
    <p class="error">${w.unknown}</p>
  </div>
  <div id="teams-refused" hidden>
    <p class="error">${w.refused}</p>
    <p><a href="${signIn}" target="_blank" rel="noopener">${w.signInBrowser}</a></p>
  </div>
</div>
<script src="${teamsJs}/MicrosoftTeams.min.js"></script>
<script src="/assets/teams.js"></script>`;
}
