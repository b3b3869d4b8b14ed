-- A status list reads only the licences that are not valid (a few percent of millions): found through this index
-- instead of a scan of every licence of the type, so a list of 10 million licences is built in well under 10 s.
CREATE INDEX licence_not_valid ON licence (issuer_code, type_code) INCLUDE (status_index, status)
    WHERE status <> 'VALID';
