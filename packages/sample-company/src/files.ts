import { appLogLines } from './appLog.ts';
import { BadRowInjector } from './badRows.ts';
import { dayKey, isoWeekday, monthAndDate } from './calendar.ts';
import type { LeadPlan } from './crm.ts';
import { MONTHS_GENITIVE } from './formats.ts';
import { paymentsOn } from './payments.ts';
import { randomFor, Stream } from './random.ts';
import { bynPerUnit } from './rates.ts';
import {
  type Channel,
  channelModel,
  channels,
  groceryChains,
  paidChannels,
  products,
  tariffs,
} from './reference.ts';
import { baseContract, type ContractRow, wonContract } from './registry.ts';
import type { FileIncrement, Generated } from './rows.ts';
import { installsOn } from './users.ts';
import type { LegalClient, World } from './world.ts';

/** '45120,55': the decimal comma partners use. */
const decimalComma = (value: number) => value.toFixed(2).replace('.', ',');
/** '12 000,00': the contracts' money format. */
const money = (value: number) => {
  const [whole, cents] = value.toFixed(2).split('.') as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${cents}`;
};

export const PARTNER_SALES_HEADER =
  'sale_date;partner_code;store_code;store_name;city;receipts_total;turnover_total_byn;receipts_app;turnover_app_byn';

/**
 * What each partner store (grocery and auto centres) sold on `day`, in total and through the app.
 * The app's part is the day's successful payments at the store; the total follows the chain's
 * share of the app (ground truth: Евроопт 12% … single stores and auto centres 15%).
 */
function* partnerSalesLines(world: World, day: number): Generator<Generated<string>> {
  const app = new Map<number, { receipts: number; turnover: number }>();
  for (const payment of paymentsOn(world, day)) {
    const vertical = payment.merchant.vertical;
    if (payment.status !== 'success' || (vertical !== 'grocery' && vertical !== 'auto')) continue;
    const sums = app.get(payment.merchant.merchant_id) ?? { receipts: 0, turnover: 0 };
    sums.receipts++;
    sums.turnover += payment.amount * bynPerUnit(world, day, payment.currency);
    app.set(payment.merchant.merchant_id, sums);
  }
  const random = randomFor(world.options.seed, Stream.partnerShare, day);
  const bad = new BadRowInjector(world, day, 'partner_sales');
  const date = dayKey(day);
  for (const merchant of world.merchants) {
    if (merchant.vertical !== 'grocery' && merchant.vertical !== 'auto') continue;
    const sums = app.get(merchant.merchant_id) ?? { receipts: 0, turnover: 0 };
    const share =
      (groceryChains.find((c) => c.name === merchant.chain)?.appShare ?? 0.15) * (0.85 + random.next() * 0.3);
    const averageCheck =
      merchant.vertical === 'grocery' ? 25 + random.next() * 15 : 150 + random.next() * 200;
    const receiptsTotal = sums.receipts > 0 ? Math.round(sums.receipts / share) : random.int(20, 200);
    const turnoverTotal = sums.receipts > 0 ? sums.turnover / share : receiptsTotal * averageCheck;
    const fields = [
      date,
      merchant.partnerCode,
      `${merchant.partnerCode}-${String(merchant.merchant_id).padStart(4, '0')}`,
      merchant.name,
      merchant.city,
      String(receiptsTotal),
      decimalComma(turnoverTotal),
      String(sums.receipts),
      decimalComma(sums.turnover),
    ];
    const kind = bad.next(['wrong_field_count', 'non_numeric_amount', 'bad_date'] as const);
    if (kind === 'wrong_field_count') fields.splice(bad.randomness.int(1, fields.length - 1), 1);
    if (kind === 'non_numeric_amount') fields[6] = `${Math.floor(turnoverTotal)},5O`;
    if (kind === 'bad_date') fields[0] = bad.randomness.pick(['2026-13-45', '31.02.2026', 'вчера']);
    yield kind
      ? { row: fields.join(';'), change: 'insert', bad: kind }
      : { row: fields.join(';'), change: 'insert' };
  }
}

export const AGENCY_HEADER = [
  'Дата',
  'Канал',
  'Кампания',
  'Расход, BYN',
  'Показы',
  'Клики',
  'Установки',
] as const;

/** Ground truth of the agency report: click-to-install and impression-to-click rates per paid channel. */
const funnelRates: Record<string, { install: number; click: number }> = {
  google_ads: { install: 0.06, click: 0.03 },
  yandex_direct: { install: 0.07, click: 0.025 },
  meta_ads: { install: 0.05, click: 0.012 },
  tiktok_ads: { install: 0.04, click: 0.009 },
};

/** The month suffix of the campaign names installs carry ('referral_program_oct'), as installsOn() writes it. */
const campaignMonths = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The campaign a fixed-fee channel (referral, partner) is billed under on the 1st: its first, in that month's name. */
const feeCampaign = (channel: Channel, day: number) =>
  `${channelModel[channel].campaigns[0]}_${campaignMonths[monthAndDate(day).month - 1]}`;

/** The agency's weekly report (delivered on Sunday for Monday–Sunday): spend, impressions, clicks, installs. */
function* agencyRows(
  world: World,
  sunday: number,
): Generator<Generated<ReadonlyArray<string | number | Date>>> {
  const random = randomFor(world.options.seed, Stream.agency, sunday);
  const bad = new BadRowInjector(world, sunday, 'agency_report');
  for (let day = sunday - 6; day <= sunday; day++) {
    const counts = new Map<string, number>();
    for (const install of installsOn(world, day, 0)) {
      const key = `${install.channel}|${install.campaign}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // The fixed monthly fees are billed on the 1st whether or not their campaign brought installs that day.
    const firstOfMonth = monthAndDate(day).date === 1;
    if (firstOfMonth)
      for (const channel of channels) {
        const key = `${channel}|${feeCampaign(channel, day)}`;
        if (channelModel[channel].monthlyFee > 0 && !counts.has(key)) counts.set(key, 0);
      }
    const date = new Date(day * 86_400_000);
    for (const [key, actual] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      const [channel, campaign] = key.split('|') as [keyof typeof channelModel, string];
      if (channel === 'organic') continue;
      const model = channelModel[channel];
      const installs = Math.max(0, Math.round(actual * (1 + 0.05 * random.normal())));
      let spend: number;
      let clicks = 0;
      let impressions = 0;
      if ((paidChannels as readonly string[]).includes(channel)) {
        spend = Math.round(actual * model.costPerInstall * (0.9 + random.next() * 0.2) * 100) / 100;
        const rates = funnelRates[channel]!;
        clicks = Math.round(installs / (rates.install * (0.85 + random.next() * 0.3)));
        impressions = Math.round(clicks / (rates.click * (0.85 + random.next() * 0.3)));
      } else {
        spend = firstOfMonth && campaign === feeCampaign(channel, day) ? model.monthlyFee : 0;
      }
      const row: Array<string | number | Date> = [
        date,
        channel,
        campaign,
        spend,
        impressions,
        clicks,
        installs,
      ];
      const kind = bad.next(['text_in_number_cell'] as const);
      if (kind) {
        const column = bad.randomness.int(3, 6);
        row[column] = bad.randomness.pick(['н/д', `${String(row[column]).replace('.', ',')} BYN`, '—']);
        yield { row, change: 'insert', bad: kind };
      } else yield { row, change: 'insert' };
    }
  }
}

export function contractDocument(
  client: Pick<LegalClient, 'NAME' | 'CITY'>,
  contract: ContractRow,
): FileIncrement {
  const [year, month, date] = contract.SIGNED_ON.split('-').map(Number) as [number, number, number];
  const tariff = tariffs.find((t) => t.TARIFF_ID === contract.TARIFF_ID)!;
  return {
    kind: 'docx',
    path: `docs/contracts/contract_${contract.CONTRACT_NO.replace(/\//g, '_')}.docx`,
    paragraphs: [
      `ДОГОВОР № ${contract.CONTRACT_NO}`,
      `г. ${client.CITY}, «${date}» ${MONTHS_GENITIVE[month - 1]} ${year} г.`,
      `${client.NAME}, именуемое в дальнейшем «Клиент», с одной стороны, и ООО «Витрина Платежи», именуемое в дальнейшем «Оператор», с другой стороны, заключили настоящий договор о нижеследующем.`,
      '1. Оператор обеспечивает приём платежей покупателей Клиента через мобильное приложение.',
      `Тариф: ${tariff.CODE}`,
      `Сумма договора: ${money(contract.AMOUNT)} BYN`,
    ],
  };
}

export function productDocuments(): FileIncrement[] {
  return products.map((product) => ({
    kind: 'docx',
    path: `docs/products/product_${product.code}.docx`,
    paragraphs: [
      `Продукт: ${product.name} (${product.code})`,
      product.description,
      `Комиссия оператора: ${String(product.commission_pct).replace('.', ',')}%`,
    ],
  }));
}

export function dayFiles(world: World, day: number, won: readonly LeadPlan[]): FileIncrement[] {
  const key = dayKey(day);
  const files: FileIncrement[] = [
    {
      kind: 'csv',
      path: `partner_sales/partner_sales_${key}.csv`,
      header: PARTNER_SALES_HEADER,
      lines: () => partnerSalesLines(world, day),
    },
    { kind: 'log', path: `logs/app_events_${key}.log`, header: null, lines: () => appLogLines(world, day) },
  ];
  if (isoWeekday(day) === 7) {
    files.push({
      kind: 'xlsx',
      path: `agency/agency_report_${dayKey(day - 6)}.xlsx`,
      header: AGENCY_HEADER,
      rows: () => agencyRows(world, day),
    });
  }
  for (const plan of won) {
    const { client, contract } = wonContract(world, plan);
    files.push(contractDocument(client, contract));
  }
  // On its first day the company delivers its archive: product descriptions and the initial contracts.
  if (day === world.startDay) {
    files.push(...productDocuments());
    for (const client of world.legalClients) files.push(contractDocument(client, baseContract(client)));
  }
  return files;
}
