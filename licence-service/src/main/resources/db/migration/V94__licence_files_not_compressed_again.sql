-- A licence's PDF and OFD are compressed already (Flate streams, PNG, a ZIP package): PostgreSQL's default storage
-- (EXTENDED) still tried pglz on every value over 2 KB and kept nothing of it. Measured on the embedded PostgreSQL 14
-- (2026-12-07, the backend's CPU from /proc over 500 inserts): a 105 KB licence PDF 1.3 ms with the attempt and
-- 0.2 ms without, an 88 KB OFD 0.96 ms against 0.17 ms, the table the same size either way. EXTERNAL keeps the
-- values out of line, as before, without the attempt. Rows written before keep what they have.
ALTER TABLE licence ALTER COLUMN pdf SET STORAGE EXTERNAL;
ALTER TABLE licence ALTER COLUMN ofd SET STORAGE EXTERNAL;
