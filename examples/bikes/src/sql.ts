/**
 * The example's SQL, one entry per asset: the DDL of its table and the statement that fills it.
 * Data is generated from hashes of the day and row number, so every run of a day gives the same rows.
 */
export const sql = {
  stations: {
    ddl: `create table if not exists raw.stations (
      station_id int primary key, name text not null, district text not null, capacity int not null)`,
    fill: `insert into raw.stations (station_id, name, district, capacity)
      select id, 'Station ' || id,
             (array['Centre','North','South','East','West'])[1 + id % 5],
             10 + (abs(hashtext('cap' || id)) % 30)
      from generate_series(1, 24) as id`,
  },
  trips: {
    ddl: `create table if not exists raw.trips (
      day date not null, trip_id int not null, from_station int not null, to_station int not null,
      started_at timestamptz not null, minutes int not null, primary key (day, trip_id))`,
    fill: `insert into raw.trips (day, trip_id, from_station, to_station, started_at, minutes)
      select $1::date, n,
             1 + abs(hashtext($1 || 'f' || n)) % 25,
             1 + abs(hashtext($1 || 't' || n)) % 24,
             $1::date + make_interval(mins => abs(hashtext($1 || 's' || n)) % 1440),
             (abs(hashtext($1 || 'm' || n)) % 90) - 2
      from generate_series(1, 200 + abs(hashtext($1)) % 100) as n`,
  },
  cleanTrips: {
    ddl: `create table if not exists clean.trips (
      day date not null, trip_id int not null, from_station int not null, district text not null,
      minutes int not null, primary key (day, trip_id))`,
    fill: `insert into clean.trips (day, trip_id, from_station, district, minutes)
      select t.day, t.trip_id, t.from_station, s.district, t.minutes
      from raw.trips t join raw.stations s on s.station_id = t.from_station
      where t.day = $1::date and t.minutes > 0`,
  },
  stationDaily: {
    ddl: `create table if not exists report.station_daily (
      day date not null, station_id int not null, district text not null, trips int not null,
      minutes bigint not null, primary key (day, station_id))`,
    fill: `insert into report.station_daily (day, station_id, district, trips, minutes)
      select day, from_station, district, count(*), sum(minutes)
      from clean.trips where day = $1::date group by day, from_station, district`,
  },
  districtWeekly: {
    ddl: `create table if not exists report.district_weekly (
      day date not null, district text not null, trips_7d int not null, minutes_7d bigint not null,
      primary key (day, district))`,
    fill: `insert into report.district_weekly (day, district, trips_7d, minutes_7d)
      select $1::date, district, sum(trips), sum(minutes)
      from report.station_daily
      where day between $1::date - 6 and $1::date group by district`,
  },
  stationRanking: {
    ddl: `create table if not exists report.station_ranking (
      station_id int primary key, district text not null, trips bigint not null, rank int not null)`,
    fill: `insert into report.station_ranking (station_id, district, trips, rank)
      select station_id, district, sum(trips), rank() over (order by sum(trips) desc, station_id)
      from report.station_daily group by station_id, district`,
  },
} as const;
