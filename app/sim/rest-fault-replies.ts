import type { FaultState } from './faults.ts';
import { bybitError } from './rest-routes.ts';

export interface FaultReply {
  kind: 'ipBan' | 'rateLimit' | 'httpRateLimit' | 'systemError' | 'serverError';
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Bybit's per-endpoint budget for public market data: the value of `X-Bapi-Limit`. */
const ENDPOINT_LIMIT = '120';

const html = (status: number, title: string) => `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center></body></html>`;

/**
 * The fault, if any, that answers a REST request at `now`, in Bybit's shapes: an IP ban is HTTP 403
 * with an HTML page (no JSON, no reset header); an API limit is HTTP 200 + retCode 10006 with the
 * `X-Bapi-Limit*` headers; a system error is HTTP 200 + retCode 10016; an edge failure is an HTML 5xx.
 */
export function faultReply(faults: FaultState, now: number): FaultReply | undefined {
  if (faults.banned(now)) return { kind: 'ipBan', status: 403, headers: { 'content-type': 'text/html' }, body: html(403, 'Forbidden') };
  if (faults.draw('rateLimit')) {
    const resetAt = faults.rateLimitResetAt(now);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-bapi-limit': ENDPOINT_LIMIT, 'x-bapi-limit-status': '0' };
    if (resetAt !== undefined) headers['x-bapi-limit-reset-timestamp'] = String(resetAt);
    return { kind: 'rateLimit', status: 200, headers, body: bybitError(10006, 'Too many visits. Exceeded the API Rate Limit.', now).body };
  }
  if (faults.draw('httpRateLimit')) return { kind: 'httpRateLimit', status: 429, headers: { 'content-type': 'text/html' }, body: html(429, 'Too Many Requests') };
  if (faults.draw('systemError')) {
    return { kind: 'systemError', status: 200, headers: { 'content-type': 'application/json' }, body: bybitError(10016, 'System error. Please try again later.', now).body };
  }
  if (faults.draw('serverError')) {
    const status = faults.serverErrorStatus();
    return { kind: 'serverError', status, headers: { 'content-type': 'text/html' }, body: html(status, 'Service Unavailable') };
  }
  return undefined;
}
