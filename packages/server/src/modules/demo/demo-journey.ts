/** One demo lead's journey: its web sessions, nurture emails, webinars and meetings. */
import type { Rng } from '@leadscore/engine';
import type { DemoActivity } from './demo-data.js';
import {
  ASSETS,
  CAMPAIGNS,
  type Campaign,
  type Country,
  FORMS,
  type Industry,
  PAGES,
  PLANS,
  SITE,
  type SizeBand,
  type Source,
  WEBINARS,
} from './demo-vocabulary.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A lead's hidden traits, drawn before its journey; `fit` and `interest` drive its behaviour. */
export interface Profile {
  industry: Industry;
  band: SizeBand;
  companySize: number;
  country: Country;
  jobTitle: string;
  source: Source;
  customAttributes: Record<string, unknown>;
  usesCompetitor: boolean;
  fit: number;
  interest: number;
}

export interface Draft {
  type: DemoActivity['activityType'];
  at: number;
  data: Record<string, unknown>;
}

/** All activities the lead would do over its journey; the caller cuts what lies past `now`. */
export function drawJourney(rng: Rng, profile: Profile, startMs: number, endMs: number): Draft[] {
  const events: Draft[] = [];
  const demoRequestedAt = drawWebSessions(rng, profile, startMs, endMs, events);
  drawEmails(rng, profile, startMs, endMs, events);
  drawWebinars(rng, profile, startMs, endMs, events);
  drawMeeting(rng, profile, startMs, endMs, demoRequestedAt, events);
  return events;
}

/** Sessions of page views with the odd high-intent action; returns the demo request's time. */
function drawWebSessions(
  rng: Rng,
  { fit, interest, band }: Profile,
  startMs: number,
  endMs: number,
  events: Draft[],
): number | null {
  const sessions = rng.poisson(1.4 * Math.exp(0.45 * interest + 0.15 * fit));
  let demoRequestedAt: number | null = null;
  for (let session = 0; session < sessions; session++) {
    // Squaring a uniform front-loads visits: interest is highest right after the lead appears.
    let at = startMs + Math.floor((endMs - startMs) * rng.next() ** 2);
    const pageViews = 1 + rng.poisson(1.8);
    for (let view = 0; view < pageViews; view++) {
      const page = rng.pick(PAGES);
      const seconds = 5 + Math.round(rng.exponential(1 / 55));
      events.push({
        type: 'page_view',
        at,
        data: { url: page.url, title: page.title, duration_seconds: seconds },
      });
      at += seconds * SECOND_MS;
    }
    if (rng.bernoulli(sigmoid(-2.6 + 0.9 * interest + 0.4 * fit))) {
      // Visitors mostly look at the plan meant for their size.
      const plan = rng.bernoulli(0.7) ? band.plan : rng.pick(PLANS);
      events.push({ type: 'pricing_view', at, data: { url: `${SITE}/pricing`, plan } });
      at += rng.int(20, 180) * SECOND_MS;
    }
    if (rng.bernoulli(sigmoid(-2.4 + 0.4 * interest))) {
      events.push({ type: 'content_download', at, data: { ...rng.pick(ASSETS) } });
      at += rng.int(20, 180) * SECOND_MS;
    }
    if (rng.bernoulli(sigmoid(-2.8 + 0.5 * interest))) {
      events.push({ type: 'form_submit', at, data: { ...rng.pick(FORMS) } });
      at += rng.int(20, 180) * SECOND_MS;
    }
    if (demoRequestedAt === null && rng.bernoulli(sigmoid(-4.5 + 1.1 * interest + 0.6 * fit))) {
      events.push({ type: 'demo_request', at, data: { form_id: 'frm_demo_request' } });
      demoRequestedAt = at;
    }
  }
  return demoRequestedAt;
}

/** A nurture email every 4–10 days until the journey ends, a hard bounce or an unsubscribe. */
function drawEmails(
  rng: Rng,
  { fit, interest }: Profile,
  startMs: number,
  endMs: number,
  events: Draft[],
): void {
  const deadAddress = rng.bernoulli(0.04);
  const openProbability = sigmoid(-0.6 + 0.7 * interest);
  const clickProbability = sigmoid(-1.3 + 0.8 * interest + 0.3 * fit);
  const unsubscribeProbability = sigmoid(-4 - 0.9 * interest);
  let next = rng.int(0, CAMPAIGNS.length);
  let sentAt = startMs + Math.floor((1 + 2 * rng.next()) * DAY_MS);
  while (sentAt < endMs) {
    const campaign = CAMPAIGNS[next % CAMPAIGNS.length] as Campaign;
    next++;
    if (deadAddress) {
      events.push({
        type: 'email_bounce',
        at: sentAt,
        data: { campaign_id: campaign.id, bounce_type: 'hard' },
      });
      return;
    }
    if (rng.bernoulli(0.015)) {
      events.push({
        type: 'email_bounce',
        at: sentAt,
        data: { campaign_id: campaign.id, bounce_type: 'soft' },
      });
    } else if (rng.bernoulli(openProbability)) {
      const openedAt = sentAt + Math.floor(rng.exponential(1 / (5 * HOUR_MS)));
      events.push({
        type: 'email_open',
        at: openedAt,
        data: { campaign_id: campaign.id, subject: campaign.subject },
      });
      if (rng.bernoulli(clickProbability)) {
        events.push({
          type: 'email_click',
          at: openedAt + Math.floor(rng.exponential(1 / (2 * MINUTE_MS))),
          data: { campaign_id: campaign.id, url: campaign.url },
        });
      }
      if (rng.bernoulli(unsubscribeProbability)) {
        events.push({
          type: 'unsubscribe',
          at: openedAt + rng.int(10, 300) * SECOND_MS,
          data: { campaign_id: campaign.id },
        });
        return;
      }
    }
    sentAt += Math.floor((4 + 6 * rng.next()) * DAY_MS);
  }
}

function drawWebinars(
  rng: Rng,
  { interest, source }: Profile,
  startMs: number,
  endMs: number,
  events: Draft[],
): void {
  // A lead whose source is a webinar was created by attending one.
  const attendedAtCreation = source.name === 'webinar' ? 1 : 0;
  const webinars = attendedAtCreation + rng.poisson(0.2 * Math.exp(0.7 * interest));
  for (let webinar = 0; webinar < webinars; webinar++) {
    const at =
      webinar < attendedAtCreation ? startMs : startMs + Math.floor((endMs - startMs) * rng.next());
    const share = sigmoid(0.3 + 0.8 * interest + rng.normal(0, 0.7));
    events.push({
      type: 'webinar_attended',
      at,
      data: {
        webinar_id: rng.pick(WEBINARS),
        minutes_attended: Math.max(1, Math.round(60 * share)),
      },
    });
  }
}

function drawMeeting(
  rng: Rng,
  { fit, interest }: Profile,
  startMs: number,
  endMs: number,
  demoRequestedAt: number | null,
  events: Draft[],
): void {
  // A demo request usually turns into a meeting within a day or two.
  const boost = demoRequestedAt === null ? 0 : 2.5;
  if (!rng.bernoulli(sigmoid(-4.2 + 0.9 * interest + 0.7 * fit + boost))) return;
  if (demoRequestedAt === null) {
    events.push({
      type: 'meeting_booked',
      at: startMs + Math.floor((endMs - startMs) * rng.next()),
      data: { meeting_type: rng.pick(['discovery_call', 'intro_call']) },
    });
  } else {
    events.push({
      type: 'meeting_booked',
      at: demoRequestedAt + Math.floor((0.5 + rng.exponential(1)) * DAY_MS),
      data: { meeting_type: 'product_demo' },
    });
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
