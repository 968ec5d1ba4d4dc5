import { describe, expect, it } from 'vitest';
import { rowSchema } from '../../src/stage/columns.ts';
import { paymentsTables } from '../../src/stage/payments.ts';

const spec = paymentsTables.find((table) => table.name === 'payments')!;
const schema = rowSchema(spec.columns, spec.rules);
const row = (payer: { payer_type: string; payer_legal_client_id: number | null }) => ({
  transaction_id: '2026100100001',
  trans_date: '2026-10-01 10:00:00',
  user_id: '10001',
  merchant_id: 5,
  product_id: 3,
  card_id: null,
  amount: '120.50',
  currency: 'BYN',
  method: 'erip',
  operation_type: 'bill_payment',
  status: 'success',
  commission: '0.36',
  cashback_campaign_id: null,
  cashback_amount: null,
  created_at: '2026-10-01 10:00:03',
  updated_at: '2026-10-01 10:00:03',
  ...payer,
});
const problems = (value: object) => {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('stage.payments: who pays', () => {
  it('loads an individual’s own payment and a business account’s payment for its client', () => {
    expect(problems(row({ payer_type: 'individual', payer_legal_client_id: null }))).toEqual([]);
    expect(problems(row({ payer_type: 'legal', payer_legal_client_id: 42 }))).toEqual([]);
    expect(problems(row({ payer_type: 'entrepreneur', payer_legal_client_id: 43 }))).toEqual([]);
  });

  it('quarantines a payer type it does not know and a payer client that contradicts the type', () => {
    expect(problems(row({ payer_type: 'corporate', payer_legal_client_id: 42 }))).toHaveLength(1);
    expect(problems(row({ payer_type: 'legal', payer_legal_client_id: null }))).toEqual([
      'payer_legal_client_id: missing for a legal payer',
    ]);
    expect(problems(row({ payer_type: 'individual', payer_legal_client_id: 42 }))).toEqual([
      "payer_legal_client_id: set for an individual's own payment (42)",
    ]);
  });
});
