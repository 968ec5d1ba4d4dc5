import { dayKey, localTimestamp, monthAndDate, SECONDS_PER_DAY } from './calendar.ts';
import { formatEmail, formatPhone, personFrom, personOf } from './people.ts';
import { type Random, randomFor, Stream } from './random.ts';
import {
  cities,
  companyNameWords,
  crmStatuses,
  industries,
  leadSources,
  legalForms,
  tariffs,
} from './reference.ts';
import { type Generated, type TableIncrement, tableIncrement } from './rows.ts';
import { addressIn, type LegalClient, type World } from './world.ts';

/** CRM ids of a day's leads: days since the app's launch × 10^4 + sequence (deals, companies and contacts reuse the lead's id). */
const LEAD_BLOCK = 10_000;
/** Contacts of app users: this base + user id; their phone/e-mail rows: FIELD_USER_BASE + 2 × user id. */
const USER_CONTACT_BASE = 50_000_000;
const FIELD_USER_BASE = 100_000_000;
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
function stepOn(steps: readonly Step[], day: number): Step | null {
  let found: Step | null = null;
  for (const step of steps) if (step.day <= day) found = step;
  return found;
}

/** The leads whose story has a step on `day` (created within the horizon before it). */
function* leadsMovingOn(
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

const employees = {
  micro: 'EMPLOYEES_1',
  small: 'EMPLOYEES_2',
  medium: 'EMPLOYEES_3',
  large: 'EMPLOYEES_4',
} as const;

/** The Belarusian taxpayer number of a lead's company (CRM requisite and registry alike). */
function leadUnp(world: World, id: number): string {
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

type Row = Record<string, string | number | null>;

function crmTable(
  table: string,
  key: readonly string[],
  columns: readonly string[],
  rows: () => Iterable<Generated<Row>>,
): TableIncrement {
  return tableIncrement<Row>({ system: 'crm', table, columns, mode: { kind: 'upsert', key }, rows });
}

const leadColumns = [
  'ID',
  'TITLE',
  'NAME',
  'LAST_NAME',
  'STATUS_ID',
  'SOURCE_ID',
  'ASSIGNED_BY_ID',
  'OPPORTUNITY',
  'CURRENCY_ID',
  'CONTACT_ID',
  'COMPANY_ID',
  'DATE_CREATE',
  'DATE_MODIFY',
  'DATE_CLOSED',
];
const dealColumns = [
  'ID',
  'TITLE',
  'CATEGORY_ID',
  'STAGE_ID',
  'STAGE_SEMANTIC_ID',
  'OPPORTUNITY',
  'CURRENCY_ID',
  'SOURCE_ID',
  'ASSIGNED_BY_ID',
  'CONTACT_ID',
  'COMPANY_ID',
  'LEAD_ID',
  'CLOSED',
  'CLOSEDATE',
  'DATE_CREATE',
  'DATE_MODIFY',
];
const companyColumns = [
  'ID',
  'TITLE',
  'COMPANY_TYPE',
  'INDUSTRY',
  'EMPLOYEES',
  'REVENUE',
  'CURRENCY_ID',
  'ASSIGNED_BY_ID',
  'DATE_CREATE',
  'DATE_MODIFY',
];
const requisiteColumns = [
  'ID',
  'ENTITY_TYPE_ID',
  'ENTITY_ID',
  'NAME',
  'RQ_INN',
  'DATE_CREATE',
  'DATE_MODIFY',
];
const contactColumns = [
  'ID',
  'NAME',
  'LAST_NAME',
  'SECOND_NAME',
  'BIRTHDATE',
  'TYPE_ID',
  'SOURCE_ID',
  'ASSIGNED_BY_ID',
  'COMPANY_ID',
  'DATE_CREATE',
  'DATE_MODIFY',
];
const fieldColumns = ['ID', 'ENTITY_ID', 'ELEMENT_ID', 'TYPE_ID', 'VALUE_TYPE', 'VALUE'];
const utmColumns = ['ENTITY_TYPE_ID', 'ENTITY_ID', 'CODE', 'VALUE'];

interface CrmDay {
  b_crm_lead: Generated<Row>[];
  b_crm_deal: Generated<Row>[];
  b_crm_company: Generated<Row>[];
  b_crm_requisite: Generated<Row>[];
  b_crm_contact: Generated<Row>[];
  b_crm_field_multi: Generated<Row>[];
  b_crm_utm: Generated<Row>[];
}

function utmRows(entityType: number, id: number, utm: NonNullable<LeadPlan['utm']>): Generated<Row>[] {
  return Object.entries({ UTM_SOURCE: utm.source, UTM_MEDIUM: utm.medium, UTM_CAMPAIGN: utm.campaign }).map(
    ([code, value]) => ({
      row: { ENTITY_TYPE_ID: entityType, ENTITY_ID: id, CODE: code, VALUE: value },
      change: 'insert',
    }),
  );
}

/** One day of the CRM: new leads, leads and deals moving on, contacts of app users who got in touch. */
function crmDay(world: World, day: number): CrmDay {
  const out: CrmDay = {
    b_crm_lead: [],
    b_crm_deal: [],
    b_crm_company: [],
    b_crm_requisite: [],
    b_crm_contact: [],
    b_crm_field_multi: [],
    b_crm_utm: [],
  };
  for (const { plan, step, dealStep } of leadsMovingOn(world, day)) {
    const created = plan.createdDay === day;
    const converted = plan.dealSteps[0];
    const convertedToday = converted?.day === day;
    const hasDeal = converted !== undefined && converted.day <= day;
    const leadStep = stepOn(plan.leadSteps, day)!;
    const closed = leadStep.status === 'CONVERTED' || leadStep.status === 'JUNK';
    const title = `Подключение к платёжному сервису: ${plan.companyName}`;
    const phoneStyle = plan.id % 5;
    if (plan.leadSteps.some((s) => s.day === day)) {
      out.b_crm_lead.push({
        row: {
          ID: plan.id,
          TITLE: title,
          NAME: plan.person.firstName,
          LAST_NAME: plan.person.lastName,
          STATUS_ID: leadStep.status,
          SOURCE_ID: plan.source,
          ASSIGNED_BY_ID: plan.manager,
          OPPORTUNITY: plan.opportunity,
          CURRENCY_ID: 'BYN',
          CONTACT_ID: hasDeal ? plan.id : null,
          COMPANY_ID: hasDeal ? plan.id : null,
          DATE_CREATE: localTimestamp(plan.createdAt),
          DATE_MODIFY: localTimestamp(step.at),
          DATE_CLOSED: closed ? localTimestamp(leadStep.at) : null,
        },
        change: created ? 'insert' : 'update',
      });
    }
    if (created) {
      out.b_crm_field_multi.push(
        {
          row: {
            ID: plan.id * 5,
            ENTITY_ID: 'LEAD',
            ELEMENT_ID: plan.id,
            TYPE_ID: 'PHONE',
            VALUE_TYPE: 'WORK',
            VALUE: formatPhone(plan.person.phone, phoneStyle),
          },
          change: 'insert',
        },
        {
          row: {
            ID: plan.id * 5 + 1,
            ENTITY_ID: 'LEAD',
            ELEMENT_ID: plan.id,
            TYPE_ID: 'EMAIL',
            VALUE_TYPE: 'WORK',
            VALUE: formatEmail(plan.person.email, plan.id),
          },
          change: 'insert',
        },
      );
      if (plan.utm) out.b_crm_utm.push(...utmRows(1, plan.id, plan.utm));
    }
    if (!hasDeal || !dealStep) continue;
    const dealCreatedAt = localTimestamp(converted.at);
    const won = wonOn(plan);
    if (convertedToday) {
      out.b_crm_requisite.push({
        row: {
          ID: plan.id,
          ENTITY_TYPE_ID: 4,
          ENTITY_ID: plan.id,
          NAME: plan.companyName,
          RQ_INN: leadUnp(world, plan.id),
          DATE_CREATE: dealCreatedAt,
          DATE_MODIFY: dealCreatedAt,
        },
        change: 'insert',
      });
      out.b_crm_contact.push({
        row: {
          ID: plan.id,
          NAME: plan.person.firstName,
          LAST_NAME: plan.person.lastName,
          SECOND_NAME: null,
          BIRTHDATE: null,
          TYPE_ID: 'CLIENT',
          SOURCE_ID: plan.source,
          ASSIGNED_BY_ID: plan.manager,
          COMPANY_ID: plan.id,
          DATE_CREATE: dealCreatedAt,
          DATE_MODIFY: dealCreatedAt,
        },
        change: 'insert',
      });
      out.b_crm_field_multi.push(
        {
          row: {
            ID: plan.id * 5 + 2,
            ENTITY_ID: 'COMPANY',
            ELEMENT_ID: plan.id,
            TYPE_ID: 'PHONE',
            VALUE_TYPE: 'WORK',
            VALUE: formatPhone(plan.person.phone, phoneStyle + 1),
          },
          change: 'insert',
        },
        {
          row: {
            ID: plan.id * 5 + 3,
            ENTITY_ID: 'CONTACT',
            ELEMENT_ID: plan.id,
            TYPE_ID: 'PHONE',
            VALUE_TYPE: 'MOBILE',
            VALUE: formatPhone(plan.person.phone, phoneStyle + 2),
          },
          change: 'insert',
        },
        {
          row: {
            ID: plan.id * 5 + 4,
            ENTITY_ID: 'CONTACT',
            ELEMENT_ID: plan.id,
            TYPE_ID: 'EMAIL',
            VALUE_TYPE: 'WORK',
            VALUE: formatEmail(plan.person.email, plan.id + 1),
          },
          change: 'insert',
        },
      );
      if (plan.utm) out.b_crm_utm.push(...utmRows(2, plan.id, plan.utm));
    }
    const wonToday = won?.day === day;
    if (convertedToday || wonToday) {
      out.b_crm_company.push({
        row: {
          ID: plan.id,
          TITLE: plan.companyName,
          COMPANY_TYPE: won && won.day <= day ? 'CUSTOMER' : 'OTHER',
          INDUSTRY: plan.industry,
          EMPLOYEES: employees[plan.size],
          REVENUE: null,
          CURRENCY_ID: 'BYN',
          ASSIGNED_BY_ID: plan.manager,
          DATE_CREATE: dealCreatedAt,
          DATE_MODIFY: localTimestamp(wonToday ? won.at : converted.at),
        },
        change: convertedToday ? 'insert' : 'update',
      });
    }
    const stage = stepOn(plan.dealSteps, day)!;
    const final = stage.status === 'WON' || stage.status === 'LOSE';
    out.b_crm_deal.push({
      row: {
        ID: plan.id,
        TITLE: title,
        CATEGORY_ID: 0,
        STAGE_ID: stage.status,
        STAGE_SEMANTIC_ID: stage.status === 'WON' ? 'S' : stage.status === 'LOSE' ? 'F' : 'P',
        OPPORTUNITY: plan.opportunity,
        CURRENCY_ID: 'BYN',
        SOURCE_ID: plan.source,
        ASSIGNED_BY_ID: plan.manager,
        CONTACT_ID: plan.id,
        COMPANY_ID: plan.id,
        LEAD_ID: plan.id,
        CLOSED: final ? 'Y' : 'N',
        CLOSEDATE: final ? dayKey(stage.day) : null,
        DATE_CREATE: dealCreatedAt,
        DATE_MODIFY: localTimestamp(stage.at),
      },
      change: convertedToday ? 'insert' : 'update',
    });
  }
  if (day >= world.startDay) {
    for (const user of world.usersThrough(day)) {
      if (user.registrationDay > day) break;
      if (user.crmContactDay !== day) continue;
      const person = personOf(world, user);
      const at = localTimestamp(Math.max(user.registeredAt + 600, day * SECONDS_PER_DAY + 12 * 3600));
      const id = USER_CONTACT_BASE + user.id;
      out.b_crm_contact.push({
        row: {
          ID: id,
          NAME: person.firstName,
          LAST_NAME: person.lastName,
          SECOND_NAME: null,
          BIRTHDATE: person.birthDate,
          TYPE_ID: 'CLIENT',
          SOURCE_ID: 'SELF',
          ASSIGNED_BY_ID: 1,
          COMPANY_ID: null,
          DATE_CREATE: at,
          DATE_MODIFY: at,
        },
        change: 'insert',
      });
      out.b_crm_field_multi.push(
        {
          row: {
            ID: FIELD_USER_BASE + user.id * 2,
            ENTITY_ID: 'CONTACT',
            ELEMENT_ID: id,
            TYPE_ID: 'PHONE',
            VALUE_TYPE: 'MOBILE',
            VALUE: formatPhone(person.phone, user.id + 2),
          },
          change: 'insert',
        },
        {
          row: {
            ID: FIELD_USER_BASE + user.id * 2 + 1,
            ENTITY_ID: 'CONTACT',
            ELEMENT_ID: id,
            TYPE_ID: 'EMAIL',
            VALUE_TYPE: 'HOME',
            VALUE: formatEmail(person.email, user.id + 1),
          },
          change: 'insert',
        },
      );
    }
  }
  return out;
}

function crmTables(source: () => CrmDay): TableIncrement[] {
  let cached: CrmDay | null = null;
  const get = (name: keyof CrmDay) => () => {
    cached ??= source();
    return cached[name];
  };
  return [
    crmTable('b_crm_company', ['ID'], companyColumns, get('b_crm_company')),
    crmTable('b_crm_requisite', ['ID'], requisiteColumns, get('b_crm_requisite')),
    crmTable('b_crm_contact', ['ID'], contactColumns, get('b_crm_contact')),
    crmTable('b_crm_lead', ['ID'], leadColumns, get('b_crm_lead')),
    crmTable('b_crm_deal', ['ID'], dealColumns, get('b_crm_deal')),
    crmTable('b_crm_utm', ['ENTITY_TYPE_ID', 'ENTITY_ID', 'CODE'], utmColumns, get('b_crm_utm')),
    crmTable('b_crm_field_multi', ['ID'], fieldColumns, get('b_crm_field_multi')),
  ];
}

export function crmDayTables(world: World, day: number): TableIncrement[] {
  return crmTables(() => crmDay(world, day));
}

/** The CRM before the first day: managers, reference lists, and the companies of the initial clients. */
export function crmSnapshotTables(world: World): TableIncrement[] {
  const before = (days: number) => localTimestamp((world.startDay - days) * SECONDS_PER_DAY + 10 * 3600);
  const managers: Generated<Row>[] = Array.from({ length: world.managers }, (_, index) => {
    const random = randomFor(world.options.seed, Stream.crm, -1, index);
    const person = personFrom(random, 'Минск', index + 1);
    return {
      row: {
        ID: index + 1,
        ACTIVE: 'Y',
        LOGIN: index === 0 ? 'admin' : `manager${index}`,
        NAME: person.firstName,
        LAST_NAME: person.lastName,
        EMAIL: `${index === 0 ? 'admin' : `manager${index}`}@vitrina.by`,
        PERSONAL_PHONE: formatPhone(person.phone, 0),
        WORK_POSITION: index === 0 ? 'Администратор' : 'Менеджер по работе с партнёрами',
        DATE_REGISTER: before(400),
        TIMESTAMP_X: before(30),
      },
      change: 'insert',
    };
  });
  const statuses: Generated<Row>[] = crmStatuses.map((status, index) => ({
    row: {
      ID: index + 1,
      ENTITY_ID: status.entity,
      STATUS_ID: status.id,
      NAME: status.name,
      SORT: (index + 1) * 10,
      SEMANTICS: status.semantics,
      CATEGORY_ID: status.entity === 'DEAL_STAGE' ? 0 : null,
    },
    change: 'insert',
  }));
  const merchantClients = new Set(world.merchants.map((m) => m.legal_client_id));
  const companies: CrmDay = {
    b_crm_lead: [],
    b_crm_deal: [],
    b_crm_company: [],
    b_crm_requisite: [],
    b_crm_contact: [],
    b_crm_field_multi: [],
    b_crm_utm: [],
  };
  for (const client of world.legalClients) {
    const created = localTimestamp(
      Date.parse(`${client.REGISTERED_AT}T00:00:00Z`) / 1000 + SECONDS_PER_DAY * 30 + 11 * 3600,
    );
    const modified = client.UPDATED_AT;
    const manager = 2 + (client.CLIENT_ID % (world.managers - 1));
    companies.b_crm_company.push({
      row: {
        ID: client.CLIENT_ID,
        TITLE: client.NAME,
        COMPANY_TYPE: merchantClients.has(client.CLIENT_ID) ? 'PARTNER' : 'CUSTOMER',
        INDUSTRY: client.INDUSTRY,
        EMPLOYEES: employees[client.SIZE_CATEGORY],
        REVENUE: null,
        CURRENCY_ID: 'BYN',
        ASSIGNED_BY_ID: manager,
        DATE_CREATE: created,
        DATE_MODIFY: modified,
      },
      change: 'insert',
    });
    companies.b_crm_requisite.push({
      row: {
        ID: client.CLIENT_ID,
        ENTITY_TYPE_ID: 4,
        ENTITY_ID: client.CLIENT_ID,
        NAME: client.NAME,
        RQ_INN: client.UNP,
        DATE_CREATE: created,
        DATE_MODIFY: modified,
      },
      change: 'insert',
    });
    const random = randomFor(world.options.seed, Stream.legalClient, -1, client.CLIENT_ID);
    companies.b_crm_field_multi.push({
      row: {
        ID: client.CLIENT_ID * 5 + 2,
        ENTITY_ID: 'COMPANY',
        ELEMENT_ID: client.CLIENT_ID,
        TYPE_ID: 'PHONE',
        VALUE_TYPE: 'WORK',
        VALUE: formatPhone(`${random.pick(['17', '29', '44'])}${random.digits(7)}`, client.CLIENT_ID),
      },
      change: 'insert',
    });
  }
  return [
    crmTable(
      'b_user',
      ['ID'],
      [
        'ID',
        'ACTIVE',
        'LOGIN',
        'NAME',
        'LAST_NAME',
        'EMAIL',
        'PERSONAL_PHONE',
        'WORK_POSITION',
        'DATE_REGISTER',
        'TIMESTAMP_X',
      ],
      () => managers,
    ),
    crmTable(
      'b_crm_status',
      ['ID'],
      ['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'SORT', 'SEMANTICS', 'CATEGORY_ID'],
      () => statuses,
    ),
    ...crmTables(() => companies).filter((table) =>
      ['b_crm_company', 'b_crm_requisite', 'b_crm_field_multi'].includes(table.table),
    ),
  ];
}

/** Deals won on a day: the registry's new legal clients and contracts, and the contract documents. */
export function dealsWonOn(world: World, day: number): LeadPlan[] {
  const won: LeadPlan[] = [];
  for (let created = day - LEAD_HORIZON_DAYS; created <= day; created++) {
    for (const plan of leadsCreatedOn(world, created)) if (wonOn(plan)?.day === day) won.push(plan);
  }
  return won;
}
