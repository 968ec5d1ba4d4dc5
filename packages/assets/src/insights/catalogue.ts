import { z } from 'zod';
import { byn, change, count, decimal, hourSpan, percent, points, times } from './format.ts';
import {
  type CatalogueEntry,
  type Conclusion,
  defineInsight,
  enough,
  figure,
  firstGap,
  periodColumns,
  unsupported,
} from './insight.ts';

const cardBottleneck = z.object({
  ...periodColumns,
  registrations: figure,
  registration_rate: figure,
  card_rate: figure,
  payment_rate: figure,
  repeat_rate: figure,
  worst_channel: z.string(),
  worst_card_rate: figure,
  best_channel: z.string(),
  best_card_rate: figure,
  channels_compared: figure,
});

const channelValue = z.object({
  ...periodColumns,
  best_channel: z.string(),
  best_value_byn: figure,
  worst_channel: z.string(),
  worst_value_byn: figure,
  value_ratio: figure,
  best_paid_channel: z.string(),
  best_value_per_cac: figure,
  best_paid_cac_byn: figure,
  worst_paid_channel: z.string(),
  worst_value_per_cac: figure,
  worst_paid_cac_byn: figure,
  channels_compared: figure,
  paid_channels_compared: figure,
});

const earlyCardChurn = z.object({
  ...periodColumns,
  early_users: figure,
  late_users: figure,
  early_churn: figure,
  late_churn: figure,
  churn_ratio: figure,
});

const weeklyPeak = z.object({
  ...periodColumns,
  peak_hour: figure,
  peak_payments: figure,
  mean_payments: figure,
  peak_ratio: figure,
  evening_share: figure,
  weekend_ratio: figure,
  payments: figure,
  weeks: figure,
});

const cashbackChain = z.object({
  ...periodColumns,
  chain: z.string(),
  customers: figure,
  campaign_days: figure,
  other_days: figure,
  frequency_during: figure,
  frequency_outside: figure,
  frequency_lift: figure,
  share_during: figure,
  share_outside: figure,
  share_change: figure,
});

const tyreSeason = z.object({
  ...periodColumns,
  season_days: figure,
  other_days: figure,
  season_payments: figure,
  other_payments: figure,
  season_ratio: figure,
  turnover_ratio: figure,
});

const releaseCrashes = z.object({
  ...periodColumns,
  worst_os: z.string(),
  worst_version: z.string(),
  worst_crash_rate: figure,
  worst_sessions: figure,
  other_crash_rate: figure,
  crash_ratio: figure,
  versions_compared: figure,
});

const b2bShare = z.object({
  ...periodColumns,
  payment_share: figure,
  turnover_share: figure,
  commission_share: figure,
  check_ratio: figure,
  payments: figure,
});

/** A query that answered no row (empty marts) says so; otherwise its single row. */
function single<Row>(rows: Row[], draw: (row: Row) => Conclusion): Conclusion {
  const [row] = rows;
  return row ? draw(row) : unsupported('витрины пусты');
}

/** Numbers of a supported conclusion are present: the gaps checked first make them so. */
const n = (value: number | null) => value ?? Number.NaN;

/** The funnel step with the lowest conversion. */
function weakestStep(r: z.infer<typeof cardBottleneck>): { step: string; rate: number } {
  const steps = [
    { step: 'регистрация', rate: n(r.registration_rate) },
    { step: 'привязка карты', rate: n(r.card_rate) },
    { step: 'первый платёж', rate: n(r.payment_rate) },
    { step: 'повторный платёж', rate: n(r.repeat_rate) },
  ];
  return steps.reduce((weakest, step) => (step.rate < weakest.rate ? step : weakest));
}

/** A cashback effect smaller than this either way is read as none. */
const NO_EFFECT = 0.1;

/** Every conclusion, in the order docs/insights.md and the dashboard «Выводы» list them. */
export const INSIGHTS: readonly CatalogueEntry[] = [
  defineInsight({
    name: 'card_bottleneck',
    title: 'Узкое место воронки',
    dashboard: 'funnel',
    chart: 'funnel_conversions',
    row: cardBottleneck,
    conclude: (rows, label) =>
      single(rows, (r) => {
        const gap = firstGap(
          enough(r.registrations, 500, 'регистраций старше недели'),
          enough(r.channels_compared, 2, 'каналов со 100 регистрациями'),
        );
        if (gap) return unsupported(gap);
        return {
          supported: true,
          text:
            `Из установивших приложение регистрируются ${percent(n(r.registration_rate))}, из них карту привязывают ` +
            `${percent(n(r.card_rate))}, из привязавших платят ${percent(n(r.payment_rate))}, из заплативших повторно — ` +
            `${percent(n(r.repeat_rate))}. Слабее всего шаг «${weakestStep(r).step}» (${percent(weakestStep(r).rate)}). ` +
            `Привязка карты зависит от канала: у «${label('channel', r.worst_channel)}» карту привязывают лишь ` +
            `${percent(n(r.worst_card_rate))} зарегистрированных против ${percent(n(r.best_card_rate))} у ` +
            `«${label('channel', r.best_channel)}».`,
        };
      }),
  }),
  defineInsight({
    name: 'channel_value',
    title: 'Ценность и стоимость пользователя по каналам',
    dashboard: 'marketing',
    chart: 'marketing_ltv',
    row: channelValue,
    conclude: (rows, label) =>
      single(rows, (r) => {
        const gap = firstGap(
          enough(r.channels_compared, 2, 'каналов со 100 пользователями, прожившими 4 недели'),
          enough(r.paid_channels_compared, 2, 'платных каналов с расходами'),
        );
        if (gap) return unsupported(gap);
        return {
          supported: true,
          text:
            `Пользователь из канала «${label('channel', r.best_channel)}» приносит ${byn(n(r.best_value_byn))} ` +
            `комиссии — ${times(n(r.value_ratio))} больше, чем из «${label('channel', r.worst_channel)}» ` +
            `(${byn(n(r.worst_value_byn))}). Среди платных каналов у «${label('channel', r.best_paid_channel)}» ` +
            `комиссия на пользователя ${times(n(r.best_value_per_cac))} выше стоимости регистрации ` +
            `(${byn(n(r.best_paid_cac_byn))}), у «${label('channel', r.worst_paid_channel)}» — лишь ` +
            `${times(n(r.worst_value_per_cac))} (${byn(n(r.worst_paid_cac_byn))}).`,
        };
      }),
  }),
  defineInsight({
    name: 'early_card_churn',
    title: 'Карта в первые три дня и отток',
    dashboard: 'funnel',
    chart: 'funnel_card_3d_churn',
    row: earlyCardChurn,
    conclude: (rows) =>
      single(rows, (r) => {
        const gap = firstGap(
          enough(r.early_users, 50, 'платящих клиентов, привязавших карту в первые 3 дня'),
          enough(r.late_users, 50, 'платящих клиентов, привязавших карту позже'),
        );
        if (gap || !n(r.early_churn)) return unsupported(gap ?? 'нет ушедших среди привязавших карту сразу');
        return {
          supported: true,
          text:
            `Клиенты, которые не привязали карту в первые 3 дня, уходят ${times(n(r.churn_ratio))} чаще: ` +
            `${percent(n(r.late_churn))} из них не платят последние 30 дней против ${percent(n(r.early_churn))} у ` +
            `привязавших карту сразу (клиентов: ${count(n(r.late_users))} и ${count(n(r.early_users))}). ` +
            'Напоминание о карте в первые дни — главный рычаг удержания.',
        };
      }),
  }),
  defineInsight({
    name: 'weekly_peak',
    title: 'Недельный ритм платежей',
    dashboard: 'payment_operations',
    chart: 'operations_hours',
    row: weeklyPeak,
    conclude: (rows) =>
      single(rows, (r) => {
        const gap = enough(r.weeks, 4, 'недель платежей');
        if (gap) return unsupported(gap);
        return {
          supported: true,
          text:
            `Пик платежей — ${hourSpan(n(r.peak_hour))}: платежей в этот час за день — ${count(n(r.peak_payments))}, ` +
            `${times(n(r.peak_ratio))} больше среднего часа; на вечер с 17 до 20 часов приходится ` +
            `${percent(n(r.evening_share))} платежей за сутки. По дням недели нагрузка ровная: выходной день даёт ` +
            `${decimal(n(r.weekend_ratio), 2)} от платежей буднего — мощности и акции планировать под вечер, а не под выходные.`,
        };
      }),
  }),
  defineInsight({
    name: 'cashback_frequency',
    title: 'Кэшбэк и частота покупок в сетях',
    dashboard: 'retail',
    chart: 'retail_cashback_loyalty',
    row: cashbackChain,
    conclude: (rows) => {
      const measured = rows.filter(
        (r) => (r.customers ?? 0) >= 100 && (r.campaign_days ?? 0) >= 7 && (r.other_days ?? 0) >= 14,
      );
      if (measured.length < 2)
        return unsupported(
          `нужно не меньше 2 сетей со своей акцией (7 дней акции, 14 без, 100 покупателей), есть ${measured.length}`,
        );
      const byLift = [...measured].sort((a, b) => n(b.frequency_lift) - n(a.frequency_lift));
      const top = byLift[0]!;
      const none = byLift.filter(
        (r) => Math.abs(n(r.frequency_lift)) < NO_EFFECT && Math.abs(n(r.share_change)) < 0.01,
      );
      const share = [...measured].sort((a, b) => n(b.share_change) - n(a.share_change))[0]!;
      const noneText =
        none.length > 0
          ? ` У ${none.map((r) => `«${r.chain}» (${change(n(r.frequency_lift))})`).join(', ')} акция почти ничего не изменила.`
          : '';
      if (n(top.frequency_lift) < NO_EFFECT)
        return {
          supported: true,
          text: `Ни в одной сети свой кэшбэк заметно не поднял частоту покупок её клиентов: у «${top.chain}», лучшей, — ${change(n(top.frequency_lift))}.`,
        };
      return {
        supported: true,
        text:
          `Во время своего кэшбэка покупатели «${top.chain}» ходят туда на ${percent(n(top.frequency_lift), 0)} чаще ` +
          `(${decimal(n(top.frequency_during), 2)} против ${decimal(n(top.frequency_outside), 2)} покупки на клиента в день); ` +
          `«${share.chain}» за акцию поднимает долю в продуктовых чеках на ${points(n(share.share_change))} ` +
          `(${percent(n(share.share_during))} против ${percent(n(share.share_outside))}).${noneText}`,
      };
    },
  }),
  defineInsight({
    name: 'tyre_season',
    title: 'Шинный сезон в автоцентрах',
    dashboard: 'auto',
    chart: 'auto_transactions_weekly',
    row: tyreSeason,
    conclude: (rows) =>
      single(rows, (r) => {
        const gap = firstGap(
          enough(r.season_days, 14, 'дней сезона'),
          enough(r.other_days, 14, 'дней вне сезона'),
        );
        if (gap) return unsupported(gap);
        return {
          supported: true,
          text:
            `В сезон смены шин (15 октября – 30 ноября, 15 марта – 30 апреля) платежей в автоцентрах за день — ` +
            `${decimal(n(r.season_payments), 0)} против ${decimal(n(r.other_payments), 0)} вне сезона, ` +
            `${times(n(r.season_ratio))} больше (оборот — ${times(n(r.turnover_ratio))}): к сезону стоит готовить акции и ` +
            'мощности партнёров.',
        };
      }),
  }),
  defineInsight({
    name: 'release_crashes',
    title: 'Релиз с наибольшей долей падений',
    dashboard: 'app_product',
    chart: 'app_crash_versions',
    row: releaseCrashes,
    conclude: (rows, label) =>
      single(rows, (r) => {
        const gap = enough(r.versions_compared, 2, 'версий приложения с 300 сессиями');
        if (gap || r.other_crash_rate === null) return unsupported(gap ?? 'у системы одна версия');
        return {
          supported: true,
          text:
            `Версия ${label('device_os', r.worst_os)} ${r.worst_version} падала в ${percent(n(r.worst_crash_rate), 2)} ` +
            `сессий — ${times(n(r.crash_ratio))} чаще остальных версий ${label('device_os', r.worst_os)} ` +
            `(${percent(n(r.other_crash_rate), 2)}; сессий с ней — ${count(n(r.worst_sessions))}): релизу нужна ` +
            'проверка на экранах оплаты до раскатки на всех.',
        };
      }),
  }),
  defineInsight({
    name: 'b2b_share',
    title: 'Вес бизнес-счетов',
    dashboard: 'b2b',
    chart: 'b2b_turnover_weekly',
    row: b2bShare,
    conclude: (rows) =>
      single(rows, (r) => {
        const gap = enough(r.payments, 1000, 'успешных платежей');
        if (gap || r.check_ratio === null) return unsupported(gap ?? 'нет платежей B2B или B2C');
        return {
          supported: true,
          text:
            `Платежи с бизнес-счетов (ИП и юрлица) — ${percent(n(r.payment_share))} успешных платежей, но ` +
            `${percent(n(r.turnover_share))} оборота и ${percent(n(r.commission_share))} комиссии: средний чек B2B ` +
            `${times(n(r.check_ratio))} выше, чем у физлиц.`,
        };
      }),
  }),
];
