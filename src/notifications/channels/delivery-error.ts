/** Why a channel could not deliver, and what the dispatcher should do about it. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: {
      /** The channel said when to come back (HTTP 429/503 Retry-After). */
      retryAfterSeconds?: number;
      /** This person cannot be reached on this channel at all (e.g. no Teams app installed): fall back to email. */
      undeliverable?: boolean;
    } = {},
  ) {
    super(message);
  }
}

/** Reads Retry-After as seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const when = Date.parse(header);
  return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - now.getTime()) / 1000));
}
