-- The product funnel by day, acquisition channel and OS: installs that day (app events), and of the
-- users who registered that day, how many linked a card (within 3 days), paid, and paid again.
CREATE TABLE IF NOT EXISTS funnel (
  day Date,
  acq_channel String,
  device_os String,
  installs UInt64,
  registrations UInt64,
  card_linked UInt64,
  card_linked_within_3d UInt64,
  first_payment UInt64,
  repeat_payment UInt64
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY (day, acq_channel, device_os)
