import type { ColumnRef, ColumnSpec } from '@vitrina/core';

/** `column` of `asset`, for a column's `from`. */
const of = (asset: string, ...columns: string[]): ColumnRef[] => columns.map((column) => ({ asset, column }));

/**
 * The example's column docs and lineage, one entry per asset: every column of its table, in table
 * order (the test requires exactly the table's columns), each with the upstream columns it is made of.
 */
export const columns = {
  stations: [
    { name: 'station_id', description: 'The docking station.' },
    { name: 'name', description: 'Its name as riders see it.' },
    { name: 'district', description: 'The city district it stands in.' },
    { name: 'capacity', description: 'Docks at the station.' },
  ],
  trips: [
    { name: 'day', description: 'The day the trip started (Europe/Minsk).' },
    { name: 'trip_id', description: 'The trip, numbered within its day.' },
    { name: 'from_station', description: 'Where it started; the rental system logs unknown stations too.' },
    { name: 'to_station', description: 'Where it ended.' },
    { name: 'started_at', description: 'When it started.' },
    { name: 'minutes', description: 'Duration as logged: zero or negative when a dock misfired.' },
  ],
  cleanTrips: [
    { name: 'day', from: of('raw.trips', 'day') },
    { name: 'trip_id', from: of('raw.trips', 'trip_id') },
    { name: 'from_station', description: 'A known station.', from: of('raw.trips', 'from_station') },
    { name: 'district', description: "The start station's district.", from: of('raw.stations', 'district') },
    { name: 'minutes', description: 'A positive duration.', from: of('raw.trips', 'minutes') },
  ],
  stationDaily: [
    { name: 'day', from: of('clean.trips', 'day') },
    { name: 'station_id', from: of('clean.trips', 'from_station') },
    { name: 'district', from: of('clean.trips', 'district') },
    {
      name: 'trips',
      description: 'Trips started at the station that day.',
      from: of('clean.trips', 'trip_id'),
    },
    { name: 'minutes', description: 'Minutes ridden on them.', from: of('clean.trips', 'minutes') },
  ],
  districtWeekly: [
    { name: 'day', description: 'The last day of the seven.', from: of('report.station_daily', 'day') },
    { name: 'district', from: of('report.station_daily', 'district') },
    {
      name: 'trips_7d',
      description: 'Trips in the seven days to `day`.',
      from: of('report.station_daily', 'trips'),
    },
    {
      name: 'minutes_7d',
      description: 'Minutes ridden in them.',
      from: of('report.station_daily', 'minutes'),
    },
  ],
  stationRanking: [
    { name: 'station_id', from: of('report.station_daily', 'station_id') },
    { name: 'district', from: of('report.station_daily', 'district') },
    {
      name: 'trips',
      description: 'Every trip ever started there.',
      from: of('report.station_daily', 'trips'),
    },
    {
      name: 'rank',
      description: '1 for the busiest station.',
      from: of('report.station_daily', 'trips', 'station_id'),
    },
  ],
} satisfies Record<string, ColumnSpec[]>;
