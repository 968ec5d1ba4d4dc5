import { dedent } from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { splitAtKeys } from '../lib/sqlLinks.ts';
import { Link } from '../router.tsx';
import { Section } from './common.tsx';

/** The asset's SQL, each upstream's key in it a link to that asset's page. */
export function SqlSection({ sql, upstream }: { sql: readonly string[]; upstream: readonly string[] }) {
  return (
    <Section title="SQL" id="sql">
      {sql.length === 0 ? (
        <p className="muted">This asset declares no SQL (its code version comes from its definition).</p>
      ) : (
        sql.map((statement, index) => (
          <pre key={index} className="code">
            <code>
              {splitAtKeys(dedent(statement), upstream).map((piece, at) =>
                piece.key ? (
                  <Link
                    key={at}
                    className="sql-link"
                    href={to.asset(piece.key)}
                    data-upstream={piece.key}
                    title={`Open ${piece.key}`}
                  >
                    {piece.text}
                  </Link>
                ) : (
                  piece.text
                ),
              )}
            </code>
          </pre>
        ))
      )}
    </Section>
  );
}
