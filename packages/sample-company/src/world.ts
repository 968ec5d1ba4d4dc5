import { dayKey, dayNumber, localTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { cashbackCampaigns } from './cashback.ts';
import { type Random, randomFor, Stream } from './random.ts';
import {
  autoSubtypes,
  type Channel,
  carBrands,
  cities,
  companyNameWords,
  dealerGroups,
  entrepreneurIndustries,
  femaleNames,
  fuelStations,
  groceryChains,
  type industries,
  legalForms,
  MINSK,
  maleNames,
  otherMerchants,
  singleStoreCode,
  singleStoreNames,
  streets,
  surnameFor,
  surnames,
  tariffs,
  type Vertical,
} from './reference.ts';
import { userPopulation } from './users.ts';

export interface WorldOptions {
  seed: number;
  /** 1 ≈ 1,500 monthly active users and ≈ 3,000 payments a day; 100 is the documented standard. */
  scale: number;
  /** The first day of the company's daily increments (VITRINA_START). */
  start: string;
  /** Share of rows turned into non-critical bad rows; 0.002 by default. */
  badRowRate?: number;
  /** Inject the critical kinds too (one of each a day). */
  critical?: boolean;
}

/** The app launched this many days before `start`: users registered then are the initial base. */
export const HISTORY_DAYS = 180;

export interface Merchant {
  merchant_id: number;
  name: string;
  legal_client_id: number;
  vertical: Vertical;
  subtype: string;
  chain: string | null;
  /** The partner code in the partner sales CSV (chain or dealer group code, SINGLE for single stores). */
  partnerCode: string;
  brand: string | null;
  region: string;
  city: string;
  address: string;
  mcc: string;
  commission_pct: number;
  cityIndex: number;
}

export interface LegalClient {
  CLIENT_ID: number;
  UNP: string;
  NAME: string;
  INDUSTRY: string;
  SIZE_CATEGORY: 'micro' | 'small' | 'medium' | 'large';
  REGION: string;
  CITY: string;
  ADDRESS: string;
  REGISTERED_AT: string;
  STATUS: 'active' | 'suspended' | 'closed';
  KEY_ACCOUNT: 'Y' | 'N';
  UPDATED_AT: string;
  tariffId: number;
  contractAmount: number;
}

export interface CashbackCampaign {
  campaign_id: number;
  name: string;
  vertical: Vertical | null;
  chain: string | null;
  cashback_pct: number;
  starts_on: string;
  ends_on: string;
  startDay: number;
  endDay: number;
}

export interface Install {
  day: number;
  seconds: number;
  deviceId: string;
  os: 'android' | 'ios';
  channel: Channel;
  campaign: string;
  /** Set when this install registers (on the same day). */
  userId: number | null;
  registeredAt: number | null;
}

export interface User {
  id: number;
  install: Install;
  registeredAt: number;
  registrationDay: number;
  cityIndex: number;
  cardLinkedAt: number | null;
  cardId: number;
  /** The first day the user no longer uses the app. */
  churnDay: number;
  activeProbability: number;
  /** Mean extra payments on an active day (a day has 1 + Poisson(intensity)). */
  intensity: number;
  favouriteChain: number;
  profileUpdateDays: readonly number[];
  deletedDay: number | null;
  crmContactDay: number | null;
}

export interface World {
  options: Required<WorldOptions>;
  startDay: number;
  originDay: number;
  merchants: readonly Merchant[];
  merchantsById: ReadonlyMap<number, Merchant>;
  legalClients: readonly LegalClient[];
  campaigns: readonly CashbackCampaign[];
  managers: number;
  /** The P2P transfer service, the merchant of p2p transfers. */
  p2pMerchant: Merchant;
  /** Filling stations: they take business accounts' payments only (fuel cards), not individuals'. */
  fuelStations: readonly Merchant[];
  /** Merchants to pay at, by city and vertical (national verticals under city -1). */
  merchantsFor: (cityIndex: number, vertical: Vertical) => readonly Merchant[];
  storesOfChain: (cityIndex: number, chain: number) => readonly Merchant[];
  /**
   * Every user registered up to and including `day`, in registration order, possibly followed by
   * later ones (callers stop at the first user registered after `day`). A lazily extended, pure memo.
   */
  usersThrough: (day: number) => readonly User[];
  /** Memo space for per-day derived lists (pure: values depend only on their key). */
  memo: Map<string, unknown>;
}

/** Verticals paid nationally, not at a store in the user's city. */
export const nationalVerticals: ReadonlySet<Vertical> = new Set([
  'utilities',
  'telecom',
  'transport',
  'other',
]);

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Individual entrepreneurs among the registry's clients at scale 1 (× scale^0.7, as merchants). */
export const ENTREPRENEURS = 15;

/** An individual entrepreneur is registered under the legal form ИП; every other client is a legal entity. */
export const clientTypeOf = (client: Pick<LegalClient, 'NAME'>): 'entrepreneur' | 'legal' =>
  /^ИП\s/.test(client.NAME) ? 'entrepreneur' : 'legal';

/** The industry of the legal client behind one of the utilities, telecom, transport or other merchants. */
function merchantIndustry(vertical: 'utilities' | 'telecom' | 'transport' | 'other', name: string) {
  if (vertical === 'other') return /Кинотеатр/.test(name) ? 'ENTERTAINMENT' : 'RETAIL';
  return ({ utilities: 'ENERGY', telecom: 'TELECOM', transport: 'TRANSPORT' } as const)[vertical];
}

function unp(random: Random): string {
  return `${random.pick(['1', '6', '7'])}${random.digits(8)}`;
}

export function addressIn(random: Random, city: string): string {
  return `г. ${city}, ${random.pick(streets)}, д. ${random.int(1, 140)}`;
}

export function createWorld(options: WorldOptions): World {
  const resolved: Required<WorldOptions> = { badRowRate: 0.002, critical: false, ...options };
  if (!(resolved.scale > 0)) throw new Error(`scale must be positive, got ${resolved.scale}`);
  const { seed, scale } = resolved;
  const startDay = dayNumber(resolved.start);
  const originDay = startDay - HISTORY_DAYS;
  const random = randomFor(seed, Stream.world);
  const merchantScale = scale ** 0.7;
  const beforeStart = (days: number) => localTimestamp((startDay - days) * SECONDS_PER_DAY + 36_000);

  const legalClients: LegalClient[] = [];
  const newLegalClient = (
    name: string,
    industry: (typeof industries)[number],
    size: LegalClient['SIZE_CATEGORY'],
    cityIndex: number,
    using: Random = random,
  ): LegalClient => {
    const random = using;
    const city = cities[cityIndex]!;
    const registered = startDay - random.int(200, 3000);
    const tariff = size === 'large' ? 4 : size === 'medium' ? 3 : size === 'small' ? random.pick([1, 2]) : 1;
    const client: LegalClient = {
      CLIENT_ID: legalClients.length + 1,
      UNP: unp(random),
      NAME: name,
      INDUSTRY: industry,
      SIZE_CATEGORY: size,
      REGION: city.region,
      CITY: city.name,
      ADDRESS: addressIn(random, city.name),
      REGISTERED_AT: dayKey(registered),
      STATUS: 'active',
      KEY_ACCOUNT: size === 'large' ? 'Y' : 'N',
      UPDATED_AT: beforeStart(random.int(1, 60)),
      tariffId: tariff,
      contractAmount: round2(tariffs[tariff - 1]!.MONTHLY_FEE * 12 + random.int(1, 40) * 500),
    };
    legalClients.push(client);
    return client;
  };
  const companyName = () =>
    `${random.pick(legalForms)} «${random.pick(companyNameWords)}${random.chance(0.4) ? `-${random.int(2, 99)}` : ''}»`;

  const merchants: Merchant[] = [];
  const addMerchant = (merchant: Omit<Merchant, 'merchant_id'>): Merchant => {
    const full = { merchant_id: merchants.length + 1, ...merchant };
    merchants.push(full);
    return full;
  };

  const chainClients = groceryChains.map((chain) =>
    newLegalClient(`ООО «${chain.name}»`, 'RETAIL', 'large', 0),
  );
  const dealerClients = dealerGroups.map((group) =>
    newLegalClient(`ООО «${group.name}»`, 'AUTO', 'large', 0),
  );
  cities.forEach((city, cityIndex) => {
    const groceryStores = Math.max(
      city.weight >= 1 ? 2 : 1,
      Math.round((60 * merchantScale * city.weight) / 100),
    );
    for (let i = 0; i < groceryStores; i++) {
      const chainIndex =
        cityIndex === 0 && i < groceryChains.length
          ? i
          : random.weighted([...groceryChains.map((c) => c.weight), 22]);
      const chain = groceryChains[chainIndex];
      const address = addressIn(random, city.name);
      const client = chain
        ? chainClients[chainIndex]!
        : newLegalClient(companyName(), 'RETAIL', random.pick(['micro', 'small'] as const), cityIndex);
      addMerchant({
        name: chain
          ? `${chain.name} ${city.name} ${address.split(', ').slice(1).join(' ').replace('д. ', '')}`
          : `${random.pick(singleStoreNames)} (${city.name})`,
        legal_client_id: client.CLIENT_ID,
        vertical: 'grocery',
        subtype: chain ? 'chain_store' : 'single_store',
        chain: chain?.name ?? null,
        partnerCode: chain?.code ?? singleStoreCode,
        brand: null,
        region: city.region,
        city: city.name,
        address,
        mcc: '5411',
        commission_pct: chain ? round2(0.8 + random.next() * 0.3) : round2(1.1 + random.next() * 0.4),
        cityIndex,
      });
    }
    const autoCentres = Math.max(
      cityIndex === 0 ? 6 : 0,
      Math.round((25 * merchantScale * city.weight) / 100),
    );
    for (let i = 0; i < autoCentres; i++) {
      const subtype =
        cityIndex === 0 && i < 3 ? autoSubtypes[i]! : autoSubtypes[random.weighted([25, 45, 30])]!;
      const groupIndex =
        subtype === 'parts' ? -1 : random.chance(0.6) ? random.int(0, dealerGroups.length - 1) : -1;
      const group = dealerGroups[groupIndex];
      const brand = subtype === 'parts' ? null : random.pick(carBrands);
      const client = group
        ? dealerClients[groupIndex]!
        : newLegalClient(
            companyName(),
            'AUTO',
            random.pick(['micro', 'small', 'medium'] as const),
            cityIndex,
          );
      const label = { dealer: 'дилерский центр', service: 'автосервис', parts: 'автозапчасти' }[subtype];
      addMerchant({
        name: `${group?.name ?? client.NAME} ${brand ?? ''} (${label}, ${city.name})`.replace('  ', ' '),
        legal_client_id: client.CLIENT_ID,
        vertical: 'auto',
        subtype,
        chain: group?.name ?? null,
        partnerCode: group?.code ?? singleStoreCode,
        brand,
        region: city.region,
        city: city.name,
        address: addressIn(random, city.name),
        mcc: subtype === 'dealer' ? '5511' : subtype === 'service' ? '7538' : '5533',
        commission_pct: round2(subtype === 'dealer' ? 0.9 + random.next() * 0.4 : 1.8 + random.next() * 0.7),
        cityIndex,
      });
    }
    for (const vertical of ['cafe', 'pharmacy'] as const) {
      const count = Math.max(
        1,
        Math.round(((vertical === 'cafe' ? 25 : 15) * merchantScale * city.weight) / 100),
      );
      const reference = otherMerchants[vertical];
      for (let i = 0; i < count; i++) {
        const name = random.pick(reference.names);
        addMerchant({
          name: `${name} (${city.name})`,
          legal_client_id: newLegalClient(
            `ООО «${name.replace(/[«»]/g, '')}»`,
            'FOOD',
            random.pick(['micro', 'small', 'medium'] as const),
            cityIndex,
          ).CLIENT_ID,
          vertical,
          subtype: vertical,
          chain: null,
          partnerCode: singleStoreCode,
          brand: null,
          region: city.region,
          city: city.name,
          address: addressIn(random, city.name),
          mcc: reference.mcc,
          commission_pct: round2(reference.commission * (0.9 + random.next() * 0.2)),
          cityIndex,
        });
      }
    }
  });
  for (const vertical of ['utilities', 'telecom', 'transport', 'other'] as const) {
    const reference = otherMerchants[vertical];
    for (const name of reference.names) {
      addMerchant({
        name,
        legal_client_id: newLegalClient(
          `ОАО «${name.replace(/[«»]/g, '')}»`,
          merchantIndustry(vertical, name),
          'large',
          0,
        ).CLIENT_ID,
        vertical,
        subtype: vertical,
        chain: null,
        partnerCode: singleStoreCode,
        brand: null,
        region: MINSK,
        city: MINSK,
        address: addressIn(random, MINSK),
        mcc: reference.mcc,
        commission_pct: reference.commission,
        cityIndex: 0,
      });
    }
  }
  const p2pMerchant = addMerchant({
    name: 'Переводы P2P',
    legal_client_id: newLegalClient('ООО «Витрина Платежи»', 'IT', 'large', 0).CLIENT_ID,
    vertical: 'other',
    subtype: 'p2p',
    chain: null,
    partnerCode: singleStoreCode,
    brand: null,
    region: MINSK,
    city: MINSK,
    address: 'г. Минск, пр-т Победителей, д. 7',
    mcc: '4829',
    commission_pct: 0.5,
    cityIndex: 0,
  });
  // Corporate clients that are not merchants (payroll and bill payments through the app).
  for (let i = 0; i < Math.round(8 * merchantScale); i++) {
    newLegalClient(
      companyName(),
      random.pick(['IT', 'MANUFACTURING', 'DELIVERY', 'ENTERTAINMENT'] as const),
      random.pick(['small', 'medium', 'large'] as const),
      random.weighted(cities.map((c) => c.weight)),
    );
  }

  // Drawn from their own stream after everything else, so the merchants and clients above keep theirs.
  const extra = randomFor(seed, Stream.business, 0);
  const fuel = fuelStations.map((station) =>
    addMerchant({
      name: station.name,
      legal_client_id: newLegalClient(station.company, 'ENERGY', 'large', 0, extra).CLIENT_ID,
      vertical: 'transport',
      subtype: 'fuel',
      chain: null,
      partnerCode: singleStoreCode,
      brand: null,
      region: MINSK,
      city: MINSK,
      address: addressIn(extra, MINSK),
      mcc: '5541',
      commission_pct: station.commission,
      cityIndex: 0,
    }),
  );
  // Individual entrepreneurs (ИП) with a business account: registry clients named after the person.
  for (let i = 0; i < Math.round(ENTREPRENEURS * merchantScale); i++) {
    const female = extra.chance(0.45);
    const initials = `${extra.pick(female ? femaleNames : maleNames)[0]}. ${extra.pick(maleNames)[0]}.`;
    const industry = entrepreneurIndustries[extra.weighted(entrepreneurIndustries.map((e) => e.weight))]!;
    newLegalClient(
      `ИП ${surnameFor(extra.pick(surnames), female ? 'F' : 'M')} ${initials}`,
      industry.id,
      extra.chance(0.8) ? 'micro' : 'small',
      extra.weighted(cities.map((c) => c.weight)),
      extra,
    );
  }

  const byCityVertical = new Map<string, Merchant[]>();
  const byCityChain = new Map<string, Merchant[]>();
  const push = <K>(map: Map<K, Merchant[]>, key: K, merchant: Merchant) => {
    const list = map.get(key);
    if (list) list.push(merchant);
    else map.set(key, [merchant]);
  };
  for (const merchant of merchants) {
    if (merchant === p2pMerchant || merchant.subtype === 'fuel') continue;
    const national = nationalVerticals.has(merchant.vertical);
    push(byCityVertical, `${national ? -1 : merchant.cityIndex}:${merchant.vertical}`, merchant);
    if (merchant.vertical === 'grocery') {
      const chain = groceryChains.findIndex((c) => c.name === merchant.chain);
      push(byCityChain, `${merchant.cityIndex}:${chain}`, merchant);
    }
  }
  /** The region's first listed city, then Minsk: where a user shops when the home town has no such store. */
  const fallbacks = (cityIndex: number) => [
    cityIndex,
    cities.findIndex((c) => c.region === cities[cityIndex]!.region),
    0,
  ];
  const merchantsFor = (cityIndex: number, vertical: Vertical): readonly Merchant[] => {
    if (nationalVerticals.has(vertical)) return byCityVertical.get(`-1:${vertical}`) ?? [];
    for (const index of fallbacks(cityIndex)) {
      const found = byCityVertical.get(`${index}:${vertical}`);
      if (found) return found;
    }
    return [];
  };
  const storesOfChain = (cityIndex: number, chain: number): readonly Merchant[] => {
    for (const index of fallbacks(cityIndex)) {
      const found = byCityChain.get(`${index}:${chain}`);
      if (found) return found;
    }
    return merchantsFor(cityIndex, 'grocery');
  };

  const world: World = {
    options: resolved,
    startDay,
    originDay,
    merchants,
    merchantsById: new Map(merchants.map((m) => [m.merchant_id, m])),
    legalClients,
    campaigns: cashbackCampaigns(startDay),
    managers: 5 + Math.round(scale ** 0.5 * 2),
    p2pMerchant,
    fuelStations: fuel,
    merchantsFor,
    storesOfChain,
    usersThrough: () => [],
    memo: new Map(),
  };
  world.usersThrough = userPopulation(world);
  return world;
}
