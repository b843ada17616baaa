/**
 * The host side of the scripts' `zitadel/http` `fetch`: one HTTP(S) exchange,
 * checked against the egress policy, pinned to the checked addresses, bounded
 * by a deadline and a response size cap. Redirects are followed here, hop by
 * hop, each checked from scratch. Why each rule exists: docs/sandbox.md.
 */
import { checkUrl, type Target } from "./check-url.js";
import { EgressError, describeError, quoteUrl, stepFailure } from "./egress-error.js";
import { settleWithin, type Exchange } from "./exchange-lifetime.js";
import type { EgressFetcher, EgressRequest, EgressResult } from "./fetch-types.js";
import { fetcherSettings, type EgressOptions, type FetcherSettings } from "./fetcher-options.js";
import { responseHeaders } from "./headers.js";
import { prepareRequest } from "./prepare-request.js";
import { readCappedBody } from "./read-capped-body.js";
import { isRedirect, redirectedRequest } from "./redirect.js";
import { sendRequest } from "./send-request.js";

/** Throws on bad options; the fetcher it returns never throws. */
export function createEgressFetcher(options: EgressOptions = {}): EgressFetcher {
  const settings = fetcherSettings(options);
  return {
    async fetch(request, deadline, signal) {
      try {
        return await settleWithin(deadline, signal, (exchange) =>
          followRedirects(request, settings, exchange).catch((err: unknown) => reported(err, exchange, settings)),
        );
      } catch (err) {
        return { error: describeError(err) };
      }
    },
  };
}

/** Tells the fetcher's owner why it refused an exchange, unless the exchange had ended already (timed out, or stopped). */
function reported(err: unknown, exchange: Exchange, settings: FetcherSettings): never {
  if (err instanceof EgressError && err.refusal && !exchange.closed) settings.onRefusal?.(err.refusal);
  throw err;
}

/** Sends the request and follows redirects, up to `maxRedirects`, until an answer that is not one. */
async function followRedirects(original: EgressRequest, settings: FetcherSettings, exchange: Exchange): Promise<EgressResult> {
  let request = prepareRequest(original);
  for (let redirects = 0; ; redirects++) {
    const target = await checkHop(request.url, redirects, settings, exchange);
    const response = await sendRequest(target, request, exchange).catch((err: unknown) => {
      throw stepFailure(err, exchange.closed, `request to ${target.url.origin}`);
    });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (isRedirect(status, location)) {
      response.destroy();
      if (redirects >= settings.maxRedirects) {
        throw new EgressError(`too many redirects (more than ${settings.maxRedirects}), last to ${quoteUrl(location)}`, "redirects");
      }
      request = redirectedRequest(request, status, location, target.url);
      continue;
    }
    const body = await readCappedBody(response, settings.maxResponseBytes).catch((err: unknown) => {
      throw stepFailure(err, exchange.closed, `reading the response from ${target.url.origin}`);
    });
    return { status, body, headers: responseHeaders(response) };
  }
}

/** A refused redirect says so: the script never wrote that URL. */
async function checkHop(url: string, redirects: number, settings: FetcherSettings, exchange: Exchange): Promise<Target> {
  try {
    return await checkUrl(url, settings.policy, settings.lookup, exchange);
  } catch (err) {
    if (redirects > 0 && err instanceof EgressError) {
      throw new EgressError(`redirect to ${quoteUrl(url)} refused: ${err.message}`, err.refusal);
    }
    throw err;
  }
}
