/** Reference data of the sample company: geography, names, chains, brands, channels, catalogues. */

export interface City {
  name: string;
  region: string;
  /** Share of the app's users living here. */
  weight: number;
  lon: number;
  lat: number;
}

export const MINSK = 'Минск';

export const cities: readonly City[] = [
  { name: 'Минск', region: 'Минск', weight: 35, lon: 27.5615, lat: 53.9023 },
  { name: 'Брест', region: 'Брестская область', weight: 4.5, lon: 23.6847, lat: 52.0976 },
  { name: 'Барановичи', region: 'Брестская область', weight: 2.5, lon: 26.0136, lat: 53.1327 },
  { name: 'Пинск', region: 'Брестская область', weight: 2, lon: 26.1031, lat: 52.1115 },
  { name: 'Кобрин', region: 'Брестская область', weight: 1, lon: 24.3606, lat: 52.2138 },
  { name: 'Витебск', region: 'Витебская область', weight: 4.5, lon: 30.2049, lat: 55.1904 },
  { name: 'Орша', region: 'Витебская область', weight: 2, lon: 30.4053, lat: 54.5153 },
  { name: 'Новополоцк', region: 'Витебская область', weight: 1.5, lon: 28.6534, lat: 55.5318 },
  { name: 'Полоцк', region: 'Витебская область', weight: 1.5, lon: 28.7856, lat: 55.4879 },
  { name: 'Гомель', region: 'Гомельская область', weight: 6, lon: 30.9754, lat: 52.4345 },
  { name: 'Мозырь', region: 'Гомельская область', weight: 1.5, lon: 29.2456, lat: 52.0495 },
  { name: 'Жлобин', region: 'Гомельская область', weight: 1.2, lon: 30.0247, lat: 52.8926 },
  { name: 'Светлогорск', region: 'Гомельская область', weight: 1, lon: 29.7332, lat: 52.6329 },
  { name: 'Речица', region: 'Гомельская область', weight: 1, lon: 30.3947, lat: 52.3617 },
  { name: 'Гродно', region: 'Гродненская область', weight: 4.5, lon: 23.8258, lat: 53.6694 },
  { name: 'Лида', region: 'Гродненская область', weight: 1.6, lon: 25.2966, lat: 53.8885 },
  { name: 'Слоним', region: 'Гродненская область', weight: 0.8, lon: 25.3196, lat: 53.0945 },
  { name: 'Волковыск', region: 'Гродненская область', weight: 0.7, lon: 24.4517, lat: 53.1561 },
  { name: 'Борисов', region: 'Минская область', weight: 2.4, lon: 28.5051, lat: 54.2279 },
  { name: 'Солигорск', region: 'Минская область', weight: 1.8, lon: 27.5414, lat: 52.7876 },
  { name: 'Молодечно', region: 'Минская область', weight: 1.6, lon: 26.8572, lat: 54.3104 },
  { name: 'Жодино', region: 'Минская область', weight: 1, lon: 28.3331, lat: 54.0985 },
  { name: 'Слуцк', region: 'Минская область', weight: 1.1, lon: 27.5567, lat: 53.0274 },
  { name: 'Могилёв', region: 'Могилёвская область', weight: 5, lon: 30.3305, lat: 53.9007 },
  { name: 'Бобруйск', region: 'Могилёвская область', weight: 3, lon: 29.2214, lat: 53.1384 },
  { name: 'Горки', region: 'Могилёвская область', weight: 0.6, lon: 30.9939, lat: 54.2862 },
  { name: 'Осиповичи', region: 'Могилёвская область', weight: 0.5, lon: 28.6375, lat: 53.3008 },
];

export const streets: readonly string[] = [
  'ул. Ленина',
  'пр-т Независимости',
  'ул. Советская',
  'ул. Гагарина',
  'ул. Кирова',
  'ул. Пушкина',
  'ул. Притыцкого',
  'ул. Сурганова',
  'пр-т Победителей',
  'ул. Мира',
  'ул. Октябрьская',
  'ул. Молодёжная',
  'ул. Первомайская',
  'ул. Якуба Коласа',
  'ул. Янки Купалы',
  'ул. Калиновского',
  'ул. Московская',
  'ул. Строителей',
  'ул. Победы',
  'ул. Горького',
];

export const maleNames = [
  'Александр',
  'Дмитрий',
  'Сергей',
  'Андрей',
  'Алексей',
  'Максим',
  'Иван',
  'Павел',
  'Артём',
  'Никита',
  'Владимир',
  'Евгений',
  'Михаил',
  'Денис',
  'Игорь',
] as const;
export const femaleNames = [
  'Анна',
  'Мария',
  'Елена',
  'Ольга',
  'Татьяна',
  'Наталья',
  'Екатерина',
  'Юлия',
  'Анастасия',
  'Дарья',
  'Ирина',
  'Светлана',
  'Алина',
  'Виктория',
  'Полина',
] as const;
/** Male surname stems; the female form adds 'а' (or turns -ий into -ая). */
export const surnames = [
  'Иванов',
  'Ковалёв',
  'Новиков',
  'Козлов',
  'Морозов',
  'Петров',
  'Волков',
  'Соколов',
  'Лебедев',
  'Кузнецов',
  'Жуков',
  'Мельников',
  'Шевчук',
  'Ковальчук',
  'Бондаренко',
  'Климович',
  'Савицкий',
  'Горбачевский',
  'Лукашевич',
  'Романович',
] as const;

export function surnameFor(stem: string, gender: 'M' | 'F'): string {
  if (gender === 'M' || /(ко|ук|ич|юк)$/.test(stem)) return stem;
  if (stem.endsWith('ий')) return `${stem.slice(0, -2)}ая`;
  return `${stem}а`;
}

export const emailDomains = ['gmail.com', 'mail.ru', 'yandex.by', 'tut.by', 'icloud.com'] as const;
export const mobileCodes = ['29', '33', '44', '25'] as const;

export const channels = [
  'organic',
  'google_ads',
  'yandex_direct',
  'meta_ads',
  'tiktok_ads',
  'referral',
  'partner',
] as const;
export type Channel = (typeof channels)[number];
export const paidChannels = ['google_ads', 'yandex_direct', 'meta_ads', 'tiktok_ads'] as const;

/**
 * The acquisition model per channel (ground truth, documented in the README): installs a day at
 * scale 1, install → registration, registration → card linked, payment intensity relative to the
 * average user, and for paid channels the cost per install in BYN.
 */
export const channelModel: Record<
  Channel,
  {
    installsPerDay: number;
    registration: number;
    cardLinked: number;
    intensity: number;
    costPerInstall: number;
    monthlyFee: number;
    campaigns: readonly string[];
  }
> = {
  organic: {
    installsPerDay: 9,
    registration: 0.68,
    cardLinked: 0.72,
    intensity: 1.0,
    costPerInstall: 0,
    monthlyFee: 0,
    campaigns: ['-'],
  },
  google_ads: {
    installsPerDay: 5,
    registration: 0.6,
    cardLinked: 0.62,
    intensity: 1.0,
    costPerInstall: 3.4,
    monthlyFee: 0,
    campaigns: ['gads_brand', 'gads_cashback_grocery'],
  },
  yandex_direct: {
    installsPerDay: 5,
    registration: 0.62,
    cardLinked: 0.64,
    intensity: 0.95,
    costPerInstall: 2.8,
    monthlyFee: 0,
    campaigns: ['ydirect_search', 'ydirect_rsya_auto'],
  },
  meta_ads: {
    installsPerDay: 4,
    registration: 0.5,
    cardLinked: 0.48,
    intensity: 0.8,
    costPerInstall: 2.2,
    monthlyFee: 0,
    campaigns: ['meta_stories', 'meta_feed_cashback'],
  },
  tiktok_ads: {
    installsPerDay: 4,
    registration: 0.42,
    cardLinked: 0.36,
    intensity: 0.6,
    costPerInstall: 1.5,
    monthlyFee: 0,
    campaigns: ['tiktok_challenge', 'tiktok_creators'],
  },
  referral: {
    installsPerDay: 3,
    registration: 0.78,
    cardLinked: 0.78,
    intensity: 1.15,
    costPerInstall: 0,
    monthlyFee: 900,
    campaigns: ['referral_program'],
  },
  partner: {
    installsPerDay: 2,
    registration: 0.7,
    cardLinked: 0.66,
    intensity: 0.9,
    costPerInstall: 0,
    monthlyFee: 1400,
    campaigns: ['partner_evroopt', 'partner_atlant'],
  },
};

export const verticals = [
  'grocery',
  'cafe',
  'pharmacy',
  'transport',
  'utilities',
  'telecom',
  'auto',
  'other',
] as const;
export type Vertical = (typeof verticals)[number];

export interface Chain {
  code: string;
  name: string;
  /** Share of the grocery chain stores that are this chain's; also its pull on shoppers. */
  weight: number;
  /** Our app's share of the chain's receipts (partner sales CSV). */
  appShare: number;
}

/** A few dominant grocery chains (Евроопт leads) plus single stores (code SINGLE). */
export const groceryChains: readonly Chain[] = [
  { code: 'EVROOPT', name: 'Евроопт', weight: 34, appShare: 0.12 },
  { code: 'SANTA', name: 'Санта', weight: 15, appShare: 0.1 },
  { code: 'HIPPO', name: 'Гиппо', weight: 12, appShare: 0.09 },
  { code: 'KORONA', name: 'Корона', weight: 10, appShare: 0.08 },
  { code: 'SOSEDI', name: 'Соседи', weight: 10, appShare: 0.08 },
  { code: 'BELMARKET', name: 'Белмаркет', weight: 7, appShare: 0.07 },
];
export const singleStoreCode = 'SINGLE';
export const singleStoreNames = [
  'Продукты',
  'Магазин «Радуга»',
  'Минимаркет «Уют»',
  'Магазин «Колос»',
  'Лавка «Фермер»',
];

export const dealerGroups: readonly { code: string; name: string }[] = [
  { code: 'ATLANTM', name: 'Атлант-М' },
  { code: 'MODERNAUTO', name: 'Модерн-Авто' },
  { code: 'AUTOPOINT', name: 'Автопойнт' },
  { code: 'AUTOSTRADA', name: 'Автострада' },
];
export const carBrands = [
  'Geely',
  'Volkswagen',
  'Toyota',
  'Renault',
  'Kia',
  'Hyundai',
  'Skoda',
  'Haval',
  'Lada',
  'BMW',
] as const;
export const autoSubtypes = ['dealer', 'service', 'parts'] as const;

export const otherMerchants: Record<
  Exclude<Vertical, 'grocery' | 'auto'>,
  { names: readonly string[]; mcc: string; commission: number }
> = {
  cafe: {
    names: ['Кофейня «Зерно»', 'Лидо', 'Васильки', 'Кафе «Бульбяная»', 'Пиццерия «Папа Карло»'],
    mcc: '5812',
    commission: 1.6,
  },
  pharmacy: {
    names: ['Белфармация', 'Аптека «Адель»', 'Планета здоровья', 'Аптека «Доброта»'],
    mcc: '5912',
    commission: 1.1,
  },
  transport: {
    names: ['Минсктранс', 'БЧ: пригородные билеты', 'Такси «Убер»', 'Такси «135»'],
    mcc: '4111',
    commission: 0.6,
  },
  utilities: {
    names: ['ЖКХ: ЕРИП коммунальные', 'Энергосбыт', 'Газоснабжение', 'Водоканал'],
    mcc: '4900',
    commission: 0.3,
  },
  telecom: { names: ['МТС', 'A1', 'life:)', 'Белтелеком'], mcc: '4814', commission: 0.8 },
  other: {
    names: ['Онлайнер Маркет', 'OZ.by', '21vek.by', 'Кинотеатр «Аврора»', 'Спортмастер'],
    mcc: '5999',
    commission: 1.4,
  },
};

export interface Product {
  product_id: number;
  code: string;
  name: string;
  category: 'payment' | 'bill_payment' | 'transfer' | 'top_up';
  description: string;
  commission_pct: number;
  active: boolean;
}

export const products: readonly Product[] = [
  {
    product_id: 1,
    code: 'PAY_CARD',
    name: 'Оплата картой в магазине',
    category: 'payment',
    description:
      'Оплата покупок привязанной картой через приложение: бесконтактно, по NFC или через кассу партнёра.',
    commission_pct: 1.2,
    active: true,
  },
  {
    product_id: 2,
    code: 'PAY_QR',
    name: 'Оплата по QR-коду',
    category: 'payment',
    description: 'Покупатель сканирует QR-код на кассе и подтверждает платёж в приложении.',
    commission_pct: 1.0,
    active: true,
  },
  {
    product_id: 3,
    code: 'ERIP_BILLS',
    name: 'Платежи ЕРИП',
    category: 'bill_payment',
    description: 'Оплата коммунальных услуг, связи, штрафов и налогов через систему «Расчёт» (ЕРИП).',
    commission_pct: 0.3,
    active: true,
  },
  {
    product_id: 4,
    code: 'MOBILE_TOPUP',
    name: 'Пополнение мобильного',
    category: 'top_up',
    description: 'Пополнение баланса МТС, A1 и life:) без комиссии для абонента.',
    commission_pct: 0.8,
    active: true,
  },
  {
    product_id: 5,
    code: 'P2P',
    name: 'Перевод по номеру телефона',
    category: 'transfer',
    description: 'Мгновенные переводы между картами белорусских банков по номеру телефона.',
    commission_pct: 0.5,
    active: true,
  },
  {
    product_id: 6,
    code: 'TRANSIT',
    name: 'Проезд в транспорте',
    category: 'payment',
    description: 'Оплата проезда в городском транспорте и пригородных поездах.',
    commission_pct: 0.6,
    active: true,
  },
];

export interface Tariff {
  TARIFF_ID: number;
  CODE: string;
  NAME: string;
  MONTHLY_FEE: number;
  COMMISSION_PCT: number;
}

export const tariffs: readonly Tariff[] = [
  { TARIFF_ID: 1, CODE: 'START', NAME: 'Старт', MONTHLY_FEE: 0, COMMISSION_PCT: 1.8 },
  { TARIFF_ID: 2, CODE: 'BUSINESS', NAME: 'Бизнес', MONTHLY_FEE: 49, COMMISSION_PCT: 1.5 },
  { TARIFF_ID: 3, CODE: 'PREMIUM', NAME: 'Премиум', MONTHLY_FEE: 149, COMMISSION_PCT: 1.2 },
  { TARIFF_ID: 4, CODE: 'CORPORATE', NAME: 'Корпоративный', MONTHLY_FEE: 499, COMMISSION_PCT: 0.9 },
];

export const banks = [
  'Беларусбанк',
  'Приорбанк',
  'Альфа-Банк',
  'БНБ-Банк',
  'МТБанк',
  'Белагропромбанк',
  'Банк Дабрабыт',
] as const;
export const cardBrands = ['visa', 'mastercard', 'belkart', 'mir'] as const;
export const cardBins: Record<(typeof cardBrands)[number], string> = {
  visa: '4255 19',
  mastercard: '5486 73',
  belkart: '9112 38',
  mir: '2200 71',
};

export const industries = [
  'RETAIL',
  'AUTO',
  'FOOD',
  'IT',
  'TELECOM',
  'MANUFACTURING',
  'DELIVERY',
  'ENTERTAINMENT',
  'TRANSPORT',
  'ENERGY',
  'OTHER',
] as const;
export const industryNames: Record<(typeof industries)[number], string> = {
  RETAIL: 'Розничная торговля',
  AUTO: 'Автомобили и сервис',
  FOOD: 'Общественное питание',
  IT: 'Информационные технологии',
  TELECOM: 'Телекоммуникации',
  MANUFACTURING: 'Производство',
  DELIVERY: 'Доставка',
  ENTERTAINMENT: 'Развлечения',
  TRANSPORT: 'Транспорт и логистика',
  ENERGY: 'Энергетика и ЖКХ',
  OTHER: 'Другое',
};
export const companyNameWords = [
  'Альфа',
  'Вектор',
  'Меридиан',
  'Зубр',
  'Нёман',
  'Полесье',
  'Струмень',
  'Белтехно',
  'Криница',
  'Сож',
  'Березина',
  'Ясень',
  'Купала',
  'Лагода',
  'Прамень',
] as const;
export const legalForms = ['ООО', 'ОАО', 'ЧУП', 'ЗАО', 'ИП'] as const;
/** What individual entrepreneurs do (weights): couriers and carriers, car repair, shops, food, services. */
export const entrepreneurIndustries: ReadonlyArray<{ id: (typeof industries)[number]; weight: number }> = [
  { id: 'DELIVERY', weight: 30 },
  { id: 'RETAIL', weight: 25 },
  { id: 'AUTO', weight: 15 },
  { id: 'FOOD', weight: 10 },
  { id: 'TRANSPORT', weight: 10 },
  { id: 'OTHER', weight: 10 },
];
/** Filling stations (national): they take business accounts' fuel payments. */
export const fuelStations: ReadonlyArray<{ name: string; company: string; commission: number }> = [
  { name: 'АЗС «Белоруснефть»', company: 'РУП «Белоруснефть»', commission: 0.7 },
  { name: 'АЗС «Газпромнефть»', company: 'ИООО «Газпромнефть-Белнефтепродукт»', commission: 0.7 },
  { name: 'АЗС «А-100»', company: 'ООО «А-100 АЗС»', commission: 0.8 },
];

/** Bitrix24 reference lists written into b_crm_status. */
export const crmStatuses: ReadonlyArray<{
  entity: string;
  id: string;
  name: string;
  semantics: 'S' | 'F' | null;
}> = [
  { entity: 'STATUS', id: 'NEW', name: 'Не обработан', semantics: null },
  { entity: 'STATUS', id: 'IN_PROCESS', name: 'В работе', semantics: null },
  { entity: 'STATUS', id: 'PROCESSED', name: 'Обработан', semantics: null },
  { entity: 'STATUS', id: 'CONVERTED', name: 'Качественный лид', semantics: 'S' },
  { entity: 'STATUS', id: 'JUNK', name: 'Некачественный лид', semantics: 'F' },
  { entity: 'DEAL_STAGE', id: 'NEW', name: 'Новая', semantics: null },
  { entity: 'DEAL_STAGE', id: 'PREPARATION', name: 'Подготовка документов', semantics: null },
  { entity: 'DEAL_STAGE', id: 'PREPAYMENT_INVOICE', name: 'Счёт на предоплату', semantics: null },
  { entity: 'DEAL_STAGE', id: 'EXECUTING', name: 'В работе', semantics: null },
  { entity: 'DEAL_STAGE', id: 'WON', name: 'Сделка успешна', semantics: 'S' },
  { entity: 'DEAL_STAGE', id: 'LOSE', name: 'Сделка провалена', semantics: 'F' },
  { entity: 'SOURCE', id: 'CALL', name: 'Звонок', semantics: null },
  { entity: 'SOURCE', id: 'EMAIL', name: 'E-mail', semantics: null },
  { entity: 'SOURCE', id: 'WEB', name: 'Веб-сайт', semantics: null },
  { entity: 'SOURCE', id: 'ADVERTISING', name: 'Реклама', semantics: null },
  { entity: 'SOURCE', id: 'PARTNER', name: 'Существующий клиент', semantics: null },
  { entity: 'SOURCE', id: 'RECOMMENDATION', name: 'По рекомендации', semantics: null },
  { entity: 'SOURCE', id: 'TRADE_SHOW', name: 'Выставка', semantics: null },
  { entity: 'SOURCE', id: 'SELF', name: 'Приложение', semantics: null },
  ...industries.map((id) => ({ entity: 'INDUSTRY', id, name: industryNames[id], semantics: null })),
  { entity: 'COMPANY_TYPE', id: 'CUSTOMER', name: 'Клиент', semantics: null },
  { entity: 'COMPANY_TYPE', id: 'PARTNER', name: 'Партнёр', semantics: null },
  { entity: 'COMPANY_TYPE', id: 'OTHER', name: 'Другое', semantics: null },
];

/**
 * Lead sources with their weight and the share of leads that convert into a deal
 * (ground truth for CRM conversion by source).
 */
export const leadSources: ReadonlyArray<{
  id: string;
  weight: number;
  conversion: number;
  utm: string | null;
}> = [
  { id: 'WEB', weight: 30, conversion: 0.3, utm: 'google' },
  { id: 'ADVERTISING', weight: 20, conversion: 0.25, utm: 'yandex' },
  { id: 'CALL', weight: 15, conversion: 0.4, utm: null },
  { id: 'EMAIL', weight: 10, conversion: 0.3, utm: null },
  { id: 'RECOMMENDATION', weight: 12, conversion: 0.6, utm: null },
  { id: 'PARTNER', weight: 8, conversion: 0.5, utm: null },
  { id: 'TRADE_SHOW', weight: 5, conversion: 0.35, utm: null },
];

/** NBRB currencies: Cur_ID, scale, name and the rate model (BYN per scale units). */
export const currencies: ReadonlyArray<{
  code: string;
  curId: number;
  scale: number;
  name: string;
  base: number;
  swing: number;
}> = [
  { code: 'USD', curId: 431, scale: 1, name: 'Доллар США', base: 3.1, swing: 0.12 },
  { code: 'EUR', curId: 451, scale: 1, name: 'Евро', base: 3.5, swing: 0.1 },
  { code: 'RUB', curId: 456, scale: 100, name: 'Российских рублей', base: 3.75, swing: 0.12 },
  { code: 'PLN', curId: 452, scale: 10, name: 'Злотых', base: 7.9, swing: 0.25 },
  { code: 'CNY', curId: 462, scale: 10, name: 'Китайских юаней', base: 4.3, swing: 0.15 },
];
