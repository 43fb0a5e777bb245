// The Teams personal tab: Teams single sign-on → a session of Årshjul → Mine oppgaver.
// microsoftTeams.app.initialize() answers only inside a Teams (or Microsoft 365) host; outside it fails at
// once (no parent window) or never answers (framed by somebody else), hence the time limit.
(function () {
  'use strict';
  var INIT_TIMEOUT_MS = 6000;
  var root = document.getElementById('teams-tab');
  // The hosts allowed to frame Årshjul (TEAMS_FRAME_ANCESTORS) are also the ones whose messages count.
  var origins = (root.getAttribute('data-origins') || '').split(' ').filter(Boolean);

  function show(id) {
    document.getElementById('teams-wait').hidden = true;
    document.getElementById(id).hidden = false;
  }

  var teams = window.microsoftTeams;
  if (!teams) return show('teams-outside');

  var timeout = new Promise(function (resolve, reject) {
    setTimeout(function () { reject(new Error('timeout')); }, INIT_TIMEOUT_MS);
  });
  Promise.race([teams.app.initialize(origins), timeout]).then(
    function () {
      return teams.authentication
        .getAuthToken()
        .then(function (token) {
          return fetch('/logg-inn/teams', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ token: token }),
          });
        })
        .then(function (response) {
          if (response.ok) return location.replace('/oppgaver');
          return response.json().then(
            function (problem) { show(problem && problem.type === '/problems/unknown-person' ? 'teams-unknown' : 'teams-refused'); },
            function () { show('teams-refused'); }
          );
        })
        .catch(function () { show('teams-refused'); });
    },
    function () { show('teams-outside'); }
  );
})();
