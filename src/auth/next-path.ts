/** Where sign-in sends a browser when `neste` names nowhere safe. */
export const HOME_PATH = '/oppgaver';

const ORIGIN = 'https://arshjul.invalid';

/**
 * The page to send a browser to after sign-in (`?neste=`): the value itself when it is a path of Årshjul,
 * else the home page. Every `neste` read from a link or form, or written to a Location, passes here.
 *
 * Browsers are lenient where a server is not: they read `\` as `/` and drop tabs and newlines, so
 * `/\evil.example` and `/\t/evil.example` both become `//evil.example`, another site. Hence only visible
 * ASCII, no backslash, no second slash at the start; the same again after percent-decoding (a proxy or a
 * later redirect may decode `%5C` or `%2F%2F`); and finally the URL parser browsers use must keep it here.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2048 || !/^[\x21-\x7e]+$/.test(next) || !isLocalPath(next)) return HOME_PATH;
  let decoded = next;
  for (let round = 0; ; round++) {
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      if (round === 0) return HOME_PATH; // malformed percent-encoding
      break; // a literal `%` that was itself encoded: nothing further hides behind it
    }
    if (!isLocalPath(once) || /[\x00-\x1f\x7f]/.test(once)) return HOME_PATH;
    if (once === decoded) break;
    if (round === 3) return HOME_PATH; // encoded again and again: no link of Årshjul looks like that
    decoded = once;
  }
  return new URL(next, ORIGIN).origin === ORIGIN ? next : HOME_PATH;
}

function isLocalPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}
