import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type LocationCommand, UserError } from '@vitrina/core';
import { ClickHouse } from '@vitrina/io';
import { z } from 'zod';
import { dashboardNames } from './asset.ts';
import { insightsMarkdown } from './markdown.ts';
import { drawInsights } from './run.ts';

const optionsSchema = z.object({ out: z.string().min(1).optional() }).strict();

/** The repository's docs/insights.md. */
const DEFAULT_OUT = resolve(import.meta.dirname, '../../../../docs/insights.md');

/** A URL as it may be printed: without user and password. */
const withoutCredentials = (url: string) => {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
};

/**
 * `vitrina insights`: draws every conclusion from the current marts, prints them, and writes them to
 * docs/insights.md (or `--out`). Reads only ClickHouse.
 */
export function insightsCommand(clickhouseUrl: () => string): LocationCommand {
  return {
    name: 'insights',
    description:
      'draw the analytical conclusions from the current marts, print them and write docs/insights.md',
    options: [
      { flags: '--out <file>', description: 'where to write the Markdown (default docs/insights.md)' },
    ],
    run: async (raw, { log, colour }) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError(`--out: ${parsed.error.issues[0]!.message}`);
      const url = clickhouseUrl();
      const clickhouse = new ClickHouse(url);
      try {
        const records = await drawInsights(clickhouse, await dashboardNames()).catch((error: unknown) => {
          const missing = /(?:Table|Database) (\S+) doesn't exist/.exec(
            error instanceof Error ? error.message : '',
          );
          if (!missing) throw error;
          throw new UserError(
            `${missing[1]} does not exist in ${withoutCredentials(url)}: materialise the marts first (vitrina materialize 'group:marts')`,
          );
        });
        for (const record of records) {
          log(colour.bold(`${record.position}. ${record.title}`));
          log(
            colour.dim(
              `   ${record.period_from ?? '—'} … ${record.period_to ?? '—'} · ${record.query_file} · ${record.shown_on}`,
            ),
          );
          log(`   ${record.supported ? record.text : colour.yellow(record.text)}\n`);
        }
        const out = resolve(parsed.data.out ?? DEFAULT_OUT);
        const drawnAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
        await writeFile(
          out,
          insightsMarkdown(records, { source: withoutCredentials(url), drawnAt: `${drawnAt} UTC` }),
        );
        const supported = records.filter((record) => record.supported).length;
        log(
          colour.green(
            `${supported} of ${records.length} conclusions supported by the data; written to ${out}`,
          ),
        );
        return supported === records.length ? 0 : 1;
      } finally {
        await clickhouse.close();
      }
    },
  };
}
