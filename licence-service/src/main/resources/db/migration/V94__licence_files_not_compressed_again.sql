-- A licence's PDF and OFD are compressed already (Flate streams, PNG, a ZIP package): PostgreSQL's default storage
-- (EXTENDED) still tried pglz on every value over 2 KB and kept nothing of it. Measured on the embedded PostgreSQL 14
-- (2026-12-07): inserting a 105 KB licence PDF took 3.7-5.6 ms with the attempt and 0.6-0.7 ms without, an 88 KB
-- OFD 2.9-3.2 ms against 0.6 ms, the table the same size either way. EXTERNAL keeps the values out of line, as
-- before, without the attempt. Rows written before keep what they have.
ALTER TABLE licence ALTER COLUMN pdf SET STORAGE EXTERNAL;
ALTER TABLE licence ALTER COLUMN ofd SET STORAGE EXTERNAL;
