/**
 * The CRM's leads, each a story drawn once from (seed, lead id): statuses, conversion, the deal's
 * stages; the CRM rows (crm.ts) and the registry's new legal clients (registry.ts) follow from it.
 */
import { dayKey, localTimestamp, monthAndDate, SECONDS_PER_DAY } from './calendar.ts';
import { personFrom } from './people.ts';
import { type Random, randomFor, Stream } from './random.ts';
import { cities, companyNameWords, industries, leadSources, legalForms, tariffs } from './reference.ts';
import { addressIn, type LegalClient, type World } from './world.ts';

/** CRM ids of a day's leads: days since the app's launch × 10^4 + sequence (deals, companies and contacts reuse the lead's id). */
const LEAD_BLOCK = 10_000;
/** How long a lead and its deal can keep moving. */
const LEAD_HORIZON_DAYS = 60;

const dealStages = ['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING'] as const;

interface Step {
  day: number;
  at: number;
  status: string;
}

export interface LeadPlan {
  id: number;
  createdAt: number;
  createdDay: number;
  source: string;
  utm: { source: string; medium: string; campaign: string } | null;
  manager: number;
  companyName: string;
  industry: (typeof industries)[number];
  size: LegalClient['SIZE_CATEGORY'];
  cityIndex: number;
  person: ReturnType<typeof personFrom>;
  opportunity: number;
  leadSteps: Step[];
  /** Set when the lead converts: the deal's stages, the last one WON or LOSE. */
  dealSteps: Step[];
  tariffId: number;
}

function stepAfter(random: Random, previous: Step, minDays: number, maxDays: number, status: string): Step {
  const day = previous.day + random.int(minDays, maxDays);
  const at = Math.max(previous.at + 60, day * SECONDS_PER_DAY + random.int(9 * 3600, 19 * 3600));
  return { day: Math.floor(at / SECONDS_PER_DAY), at, status };
}

/** A lead's whole story, drawn once from (seed, lead id): statuses, conversion, the deal's stages. */
function leadPlan(world: World, day: number, sequence: number): LeadPlan {
  const id = (day - world.originDay) * LEAD_BLOCK + sequence + 1;
  const random = randomFor(world.options.seed, Stream.crm, id);
  const source = leadSources[random.weighted(leadSources.map((s) => s.weight))]!;
  const createdAt = day * SECONDS_PER_DAY + random.int(8 * 3600, 20 * 3600);
  const cityIndex = random.weighted(cities.map((c) => c.weight));
  const size = (['micro', 'small', 'medium', 'large'] as const)[random.weighted([40, 35, 18, 7])]!;
  const created: Step = { day, at: createdAt, status: 'NEW' };
  const inProcess = stepAfter(random, created, 0, 2, 'IN_PROCESS');
  const converted = random.chance(source.conversion);
  const final = stepAfter(random, inProcess, 1, 10, converted ? 'CONVERTED' : 'JUNK');
  const dealSteps: Step[] = [];
  if (converted) {
    let step: Step = { day: final.day, at: final.at + 120, status: 'NEW' };
    dealSteps.push(step);
    const won = random.chance(0.55);
    const reached = won ? dealStages.length - 1 : random.int(0, dealStages.length - 1);
    for (let stage = 1; stage <= reached; stage++) {
      step = stepAfter(random, step, 1, 6, dealStages[stage]!);
      dealSteps.push(step);
    }
    dealSteps.push(stepAfter(random, step, 1, 7, won ? 'WON' : 'LOSE'));
  }
  const { month } = monthAndDate(day);
  return {
    id,
    createdAt,
    createdDay: day,
    source: source.id,
    utm: source.utm ? { source: source.utm, medium: 'cpc', campaign: `b2b_acquiring_${month}` } : null,
    manager: random.int(2, world.managers),
    companyName: `${random.pick(legalForms)} «${random.pick(companyNameWords)}${random.chance(0.5) ? ` ${random.int(2, 999)}` : ''}»`,
    industry: random.pick(industries),
    size,
    cityIndex,
    person: personFrom(random, cities[cityIndex]!.name, id),
    opportunity:
      Math.round(
        random.logNormal(size === 'large' ? 30_000 : size === 'medium' ? 12_000 : 3_000, 0.6) / 100,
      ) * 100,
    leadSteps: [created, inProcess, final],
    dealSteps,
    tariffId: size === 'large' ? 4 : size === 'medium' ? 3 : size === 'small' ? 2 : 1,
  };
}

/** Leads created on a day (from `start` on): about 2 a day per unit of scale, as the user base grows. */
export function leadsCreatedOn(world: World, day: number): LeadPlan[] {
  if (day < world.startDay) return [];
  const random = randomFor(world.options.seed, Stream.crm, day, 0);
  const count = Math.min(LEAD_BLOCK - 1, random.poisson(2 * world.options.scale));
  return Array.from({ length: count }, (_, sequence) => leadPlan(world, day, sequence));
}

/** The latest step on or before `day`, if the story reached it. */
export function stepOn(steps: readonly Step[], day: number): Step | null {
  let found: Step | null = null;
  for (const step of steps) if (step.day <= day) found = step;
  return found;
}

/** The leads whose story has a step on `day` (created within the horizon before it). */
export function* leadsMovingOn(
  world: World,
  day: number,
): Generator<{ plan: LeadPlan; step: Step; dealStep: Step | null }> {
  for (let created = day - LEAD_HORIZON_DAYS; created <= day; created++) {
    for (const plan of leadsCreatedOn(world, created)) {
      const step = plan.leadSteps.find((s) => s.day === day) ?? null;
      const dealStep = plan.dealSteps.find((s) => s.day === day) ?? null;
      if (step || dealStep) yield { plan, step: step ?? stepOn(plan.leadSteps, day)!, dealStep };
    }
  }
}

export function wonOn(plan: LeadPlan): Step | null {
  const last = plan.dealSteps[plan.dealSteps.length - 1];
  return last?.status === 'WON' ? last : null;
}

/** The Belarusian taxpayer number of a lead's company (CRM requisite and registry alike). */
export function leadUnp(world: World, id: number): string {
  const random = randomFor(world.options.seed, Stream.legalClient, id, 1);
  return `${random.pick(['1', '6', '7'])}${random.digits(8)}`;
}

/** The legal client a won deal becomes in the registry. */
export function legalClientOfLead(world: World, plan: LeadPlan): LegalClient {
  const won = wonOn(plan)!;
  const random = randomFor(world.options.seed, Stream.legalClient, plan.id);
  const city = cities[plan.cityIndex]!;
  const tariff = tariffs[plan.tariffId - 1]!;
  return {
    CLIENT_ID: plan.id,
    UNP: leadUnp(world, plan.id),
    NAME: plan.companyName,
    INDUSTRY: plan.industry,
    SIZE_CATEGORY: plan.size,
    REGION: city.region,
    CITY: city.name,
    ADDRESS: addressIn(random, city.name),
    // Registered in the clients registry when the deal is won: a client counts from the day it became one.
    REGISTERED_AT: dayKey(won.day),
    STATUS: 'active',
    KEY_ACCOUNT: plan.size === 'large' ? 'Y' : 'N',
    UPDATED_AT: localTimestamp(won.at),
    tariffId: tariff.TARIFF_ID,
    contractAmount: Math.max(plan.opportunity, tariff.MONTHLY_FEE * 12),
  };
}

/** Deals won on a day: the registry's new legal clients and contracts, and the contract documents. */
export function dealsWonOn(world: World, day: number): LeadPlan[] {
  const won: LeadPlan[] = [];
  for (let created = day - LEAD_HORIZON_DAYS; created <= day; created++) {
    for (const plan of leadsCreatedOn(world, created)) if (wonOn(plan)?.day === day) won.push(plan);
  }
  return won;
}
