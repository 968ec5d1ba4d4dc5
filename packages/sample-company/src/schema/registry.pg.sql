-- The clients registry (Oracle schema REGISTRY). Here no Oracle server can run: the same tables,
-- with Oracle's upper-case names (quoted) and types mapped to PostgreSQL, live in the PostgreSQL
-- database `clients_registry`, the stand-in the connector reads with the same kysely queries it
-- compiles for Oracle. Oracle types in comments.

create schema if not exists "REGISTRY";

create table if not exists "REGISTRY"."TARIFFS" (
  "TARIFF_ID" integer primary key,            -- NUMBER(10)
  "CODE" varchar(30) not null unique,         -- VARCHAR2(30): 'START', 'BUSINESS', 'PREMIUM', 'CORPORATE'
  "NAME" varchar(200) not null,
  "MONTHLY_FEE" numeric(12,2) not null,       -- NUMBER(12,2), BYN
  "COMMISSION_PCT" numeric(5,2) not null
);

create table if not exists "REGISTRY"."LEGAL_CLIENTS" (
  "CLIENT_ID" integer primary key,            -- NUMBER(10)
  "UNP" varchar(9) not null,                  -- VARCHAR2(9): the Belarusian taxpayer number
  "NAME" varchar(300) not null,               -- 'ООО «Альфа»', as registered
  "INDUSTRY" varchar(100) not null,
  "SIZE_CATEGORY" varchar(20) not null,       -- 'micro', 'small', 'medium', 'large'
  "REGION" varchar(100) not null,
  "CITY" varchar(100) not null,
  "ADDRESS" varchar(300) not null,
  "REGISTERED_AT" date not null,              -- DATE
  "STATUS" varchar(20) not null,              -- 'active', 'suspended', 'closed'
  "KEY_ACCOUNT" char(1) not null,             -- 'Y' / 'N'
  "UPDATED_AT" timestamp not null             -- TIMESTAMP
);
create index if not exists legal_clients_updated_at on "REGISTRY"."LEGAL_CLIENTS" ("UPDATED_AT");

create table if not exists "REGISTRY"."CONTRACTS" (
  "CONTRACT_ID" integer primary key,
  "CONTRACT_NO" varchar(30) not null unique,  -- 'Д-2026/00123'
  "CLIENT_ID" integer not null,
  "TARIFF_ID" integer not null,
  "SIGNED_ON" date not null,
  "STARTS_ON" date not null,
  "ENDS_ON" date,
  "STATUS" varchar(20) not null,              -- 'active', 'terminated', 'expired'
  "AMOUNT" numeric(14,2) not null,            -- the contract's value, BYN
  "UPDATED_AT" timestamp not null
);
create index if not exists contracts_updated_at on "REGISTRY"."CONTRACTS" ("UPDATED_AT");

create table if not exists "REGISTRY"."USER_PROFILES" (
  "USER_ID" bigint primary key,               -- NUMBER(19): the payments core's user_id
  "PHONE" varchar(30),                        -- as typed: '+375 29 123-45-67', '80291234567', '375291234567'
  "EMAIL" varchar(200),                       -- as typed, mixed case, stray spaces
  "FIRST_NAME" varchar(100),
  "LAST_NAME" varchar(100),
  "BIRTH_DATE" date,
  "GENDER" char(1),                           -- 'M' / 'F'
  "REGION" varchar(100) not null,
  "CITY" varchar(100) not null,
  "ADDRESS" varchar(300),
  "REGISTERED_AT" timestamp not null,
  "ACQ_CHANNEL" varchar(30) not null,         -- 'organic', 'google_ads', 'yandex_direct', 'meta_ads', 'tiktok_ads', 'referral', 'partner'
  "DEVICE_OS" varchar(10) not null,           -- 'android', 'ios'
  "DEVICE_ID" varchar(40) not null,           -- the install's device id, as in the app logs
  "STATUS" varchar(20) not null,              -- 'active', 'blocked', 'deleted'
  "UPDATED_AT" timestamp not null
);
create index if not exists user_profiles_updated_at on "REGISTRY"."USER_PROFILES" ("UPDATED_AT");

-- No date: loaded in full, or diffed against what the warehouse holds.
create table if not exists "REGISTRY"."USER_SETTINGS" (
  "USER_ID" bigint not null,
  "SETTING_KEY" varchar(50) not null,         -- 'language', 'push_enabled', 'biometric_login', 'theme', 'default_card'
  "SETTING_VALUE" varchar(200),
  primary key ("USER_ID", "SETTING_KEY")
);

create table if not exists "REGISTRY"."APP_SESSIONS" (
  "SESSION_ID" varchar(40) primary key,
  "USER_ID" bigint not null,
  "STARTED_AT" timestamp not null,
  "ENDED_AT" timestamp,
  "DEVICE_OS" varchar(10) not null,
  "APP_VERSION" varchar(20) not null,
  "SCREENS" integer not null
);
create index if not exists app_sessions_started_at on "REGISTRY"."APP_SESSIONS" ("STARTED_AT");
