-- Results of documents sealed through temporary files stay in a file (the result folder), not in the database.
ALTER TABLE stamp_idempotency ALTER COLUMN result DROP NOT NULL;
ALTER TABLE stamp_idempotency ADD COLUMN result_file text;
ALTER TABLE stamp_idempotency ADD CHECK ((result IS NULL) <> (result_file IS NULL));
