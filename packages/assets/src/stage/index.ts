import { type Asset, daily, defineAsset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';
import { geocodes, nbrbRates, nbrbRatesShape } from './apis.ts';
import type { StageTableShape } from './columns.ts';
import { crmTables } from './crm.ts';
import {
  agencySpend,
  agencySpendTable,
  appEvents,
  appEventsTable,
  contractDocuments,
  contractDocumentsTable,
  partnerSales,
  partnerSalesTable,
  productDocuments,
  productDocumentsTable,
} from './files.ts';
import { fileTableShape } from './fileTables.ts';
import { paymentsTables } from './payments.ts';
import { systemNames } from './readers.ts';
import { registryTables } from './registry.ts';
import { databaseTable, databaseTableShape, sourceKey } from './table.ts';

const databaseTables = [...crmTables, ...paymentsTables, ...registryTables];

/**
 * A source the warehouse reads and never writes: an external asset at the start of the lineage,
 * partitioned by day like the stage asset that loads it.
 */
function source(key: string, description: string, start: string): Asset<WarehouseResources> {
  return defineAsset<WarehouseResources>({
    key,
    description,
    group: 'sources',
    owner: 'data-platform',
    storage: 'external',
    partitions: daily(start, 'Europe/Minsk'),
  });
}

/** Every source table, file and endpoint, and its stage asset. */
export function stageAssets(start: string): Asset<WarehouseResources>[] {
  const sources = [
    ...databaseTables.map((spec) =>
      source(sourceKey(spec.system, spec.table), `${spec.table} in the ${systemNames[spec.system]}.`, start),
    ),
    source('source.nbrb.rates', 'NBRB official exchange rates (api.nbrb.by/exrates).', start),
    source('source.yandex.geocoder', 'The Yandex Geocoder HTTP API.', start),
    source('source.files.partner_sales', "Partners' daily sales CSV files on FTP.", start),
    source('source.files.app_events', "The app backend's daily event logs (TXT) on FTP.", start),
    source('source.files.agency_spend', "The marketing agency's weekly Excel reports on FTP.", start),
    source('source.files.contract_documents', 'Contracts in Word (DOCX) on FTP.', start),
    source('source.files.product_documents', 'Product descriptions in Word (DOCX) on FTP.', start),
  ];
  return [
    ...sources,
    ...databaseTables.map((spec) => databaseTable(spec, start)),
    nbrbRates(start),
    geocodes(start),
    partnerSales(start),
    appEvents(start),
    agencySpend(start),
    contractDocuments(start),
    productDocuments(start),
  ];
}

/** Every stage table whose rows are validated, as created: for checking the DDL against the validation. */
export function validatedStageTables(): StageTableShape[] {
  return [
    ...databaseTables.map(databaseTableShape),
    fileTableShape(partnerSalesTable, true),
    fileTableShape(appEventsTable, true),
    ...[agencySpendTable, contractDocumentsTable, productDocumentsTable].map((table) =>
      fileTableShape(table, false),
    ),
    nbrbRatesShape,
  ];
}
