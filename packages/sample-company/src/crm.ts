import { dayKey, localTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { crm } from './contracts.ts';
import { type LeadPlan, leadsMovingOn, leadUnp, stepOn, wonOn } from './leads.ts';
import { formatEmail, formatPhone, personFrom, personOf } from './people.ts';
import { randomFor, Stream } from './random.ts';
import { crmStatuses } from './reference.ts';
import { type Generated, type RowOf, type TableIncrement, tableIncrement } from './rows.ts';
import type { World } from './world.ts';

// day.ts and files.ts know the leads by the CRM they live in.
export { dealsWonOn, type LeadPlan } from './leads.ts';

/** Contacts of app users: this base + user id; their phone/e-mail rows: FIELD_USER_BASE + 2 × user id. */
const USER_CONTACT_BASE = 50_000_000;
const FIELD_USER_BASE = 100_000_000;

const employees = {
  micro: 'EMPLOYEES_1',
  small: 'EMPLOYEES_2',
  medium: 'EMPLOYEES_3',
  large: 'EMPLOYEES_4',
} as const;

/** The tables a CRM day can touch. */
type CrmDayTable = 'companies' | 'requisites' | 'contacts' | 'leads' | 'deals' | 'utm' | 'fieldMulti';
type CrmDay = { [Table in CrmDayTable]: Generated<RowOf<(typeof crm)[Table]>>[] };

const emptyCrmDay = (): CrmDay => ({
  leads: [],
  deals: [],
  companies: [],
  requisites: [],
  contacts: [],
  fieldMulti: [],
  utm: [],
});

function utmRows(
  entityType: number,
  id: number,
  utm: NonNullable<LeadPlan['utm']>,
): Generated<RowOf<typeof crm.utm>>[] {
  return Object.entries({ UTM_SOURCE: utm.source, UTM_MEDIUM: utm.medium, UTM_CAMPAIGN: utm.campaign }).map(
    ([code, value]) => ({
      row: { ENTITY_TYPE_ID: entityType, ENTITY_ID: id, CODE: code, VALUE: value },
      change: 'insert',
    }),
  );
}

/** One day of the CRM: new leads, leads and deals moving on, contacts of app users who got in touch. */
function crmDay(world: World, day: number): CrmDay {
  const out = emptyCrmDay();
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
      out.leads.push({
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
      out.fieldMulti.push(
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
      if (plan.utm) out.utm.push(...utmRows(1, plan.id, plan.utm));
    }
    if (!hasDeal || !dealStep) continue;
    const dealCreatedAt = localTimestamp(converted.at);
    const won = wonOn(plan);
    if (convertedToday) {
      out.requisites.push({
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
      out.contacts.push({
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
      out.fieldMulti.push(
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
      if (plan.utm) out.utm.push(...utmRows(2, plan.id, plan.utm));
    }
    const wonToday = won?.day === day;
    if (convertedToday || wonToday) {
      out.companies.push({
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
    out.deals.push({
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
      out.contacts.push({
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
      out.fieldMulti.push(
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
  const rowsOf =
    <Table extends CrmDayTable>(table: Table) =>
    () => {
      cached ??= source();
      return cached[table];
    };
  return [
    tableIncrement(crm.companies, 'upsert', rowsOf('companies')),
    tableIncrement(crm.requisites, 'upsert', rowsOf('requisites')),
    tableIncrement(crm.contacts, 'upsert', rowsOf('contacts')),
    tableIncrement(crm.leads, 'upsert', rowsOf('leads')),
    tableIncrement(crm.deals, 'upsert', rowsOf('deals')),
    tableIncrement(crm.utm, 'upsert', rowsOf('utm')),
    tableIncrement(crm.fieldMulti, 'upsert', rowsOf('fieldMulti')),
  ];
}

export function crmDayTables(world: World, day: number): TableIncrement[] {
  return crmTables(() => crmDay(world, day));
}

/** The CRM before the first day: managers, reference lists, and the companies of the initial clients. */
export function crmSnapshotTables(world: World): TableIncrement[] {
  const before = (days: number) => localTimestamp((world.startDay - days) * SECONDS_PER_DAY + 10 * 3600);
  const managers: Generated<RowOf<typeof crm.users>>[] = Array.from(
    { length: world.managers },
    (_, index) => {
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
    },
  );
  const statuses: Generated<RowOf<typeof crm.statuses>>[] = crmStatuses.map((status, index) => ({
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
  const companies = emptyCrmDay();
  for (const client of world.legalClients) {
    const created = localTimestamp(
      Date.parse(`${client.REGISTERED_AT}T00:00:00Z`) / 1000 + SECONDS_PER_DAY * 30 + 11 * 3600,
    );
    const modified = client.UPDATED_AT;
    const manager = 2 + (client.CLIENT_ID % (world.managers - 1));
    companies.companies.push({
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
    companies.requisites.push({
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
    companies.fieldMulti.push({
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
  const snapshotTables: readonly string[] = [crm.companies.table, crm.requisites.table, crm.fieldMulti.table];
  return [
    tableIncrement(crm.users, 'upsert', () => managers),
    tableIncrement(crm.statuses, 'upsert', () => statuses),
    ...crmTables(() => companies).filter((table) => snapshotTables.includes(table.table)),
  ];
}
