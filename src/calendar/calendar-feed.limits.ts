/** Live (not revoked) feeds one person may have made: enough for a phone, a laptop and a few units. */
export const MAX_FEEDS_PER_PERSON = 10;

/**
 * What a feed shows: deadlines from 3 months back to 15 months ahead of today (in the municipality's zone),
 * plus what is still open from before (as Mine oppgaver shows it), at most MAX_EVENTS of them, earliest
 * first. Bounded, so that a unit feed of a large municipality's top unit stays an answer, not a dump.
 */
export const MONTHS_BACK = 3;
export const MONTHS_AHEAD = 15;
export const MAX_EVENTS = 2000;

/** How often a calendar is asked to fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const REFRESH_SECONDS = 2 * 3600;
