import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const poolName = /^[a-z][a-z0-9_]*$/;

/** `name=size,name=size` → sizes. */
const poolsSchema = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const pools: Record<string, number> = {};
    for (const entry of text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^([^=\s]+)\s*=\s*(\d+)$/.exec(entry);
      if (!match || !poolName.test(match[1]!) || Number(match[2]) < 1) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not name=size with a lower-case name and a size of at least 1`,
        });
        return z.NEVER;
      }
      pools[match[1]!] = Number(match[2]);
    }
    return pools;
  });

export const configSchema = z.object({
  VITRINA_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL')
    .optional(),
  VITRINA_HOME: z.string().min(1).default('.vitrina'),
  VITRINA_DEFINITIONS: z.string().min(1).default('packages/assets/src/index.ts'),
  VITRINA_MAX_PARALLEL: z.coerce.number().int().min(1).max(256).default(8),
  VITRINA_POOLS: poolsSchema,
});

/** Parses environment variables with a zod object schema; an error names the variable. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const values: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    values[key] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

export interface Config {
  databaseUrl: string | undefined;
  home: string;
  definitions: string;
  maxParallel: number;
  pools: Record<string, number>;
}

/**
 * Reads the settings from the environment (and `.env` in the working directory, if present).
 * A bad value is a ConfigError naming the variable and what was wrong; secrets are never echoed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const envFile = resolve(cwd, '.env');
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const value = parseEnv(configSchema, env);
  return {
    databaseUrl: value.VITRINA_DATABASE_URL,
    home: resolve(cwd, value.VITRINA_HOME),
    definitions: value.VITRINA_DEFINITIONS,
    maxParallel: value.VITRINA_MAX_PARALLEL,
    pools: value.VITRINA_POOLS,
  };
}
