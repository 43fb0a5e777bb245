import { dirname } from 'node:path';

/** The installed Teams JavaScript library's version, which names its path: cached for good, never stale. */
const VERSION = (require('@microsoft/teams-js/package.json') as { version: string }).version;

/** Where Årshjul serves the library's UMD bundle (MicrosoftTeams.min.js below it). */
export const TEAMS_JS_PATH = `/assets/vendor/teams-js/${VERSION}`;

/** The package's folder of UMD bundles. */
export const TEAMS_JS_DIR = dirname(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'));
