-- Licences as national-standard OFD files (GB/T 36905 names OFD as the e-licence file format) beside the PDF.
-- A type issues PDF, OFD or both; OFD licences are sealed with a GB/T 38540 seal, which needs an SM2 seal
-- (ofd_seal_id). Types defined before this change have no SM2 seal and keep issuing PDF only.
ALTER TABLE licence_type ADD COLUMN formats text NOT NULL DEFAULT 'PDF'
    CHECK (formats IN ('PDF', 'OFD', 'PDF,OFD'));
ALTER TABLE licence_type ADD COLUMN ofd_seal_id text;
ALTER TABLE licence_type ADD CONSTRAINT licence_type_ofd_needs_seal
    CHECK (formats = 'PDF' OR ofd_seal_id IS NOT NULL);
-- the sealed OFD of a version (null when its type issues PDF only); pdf becomes null for OFD-only types
ALTER TABLE licence ADD COLUMN ofd bytea;
ALTER TABLE licence ALTER COLUMN pdf DROP NOT NULL;
ALTER TABLE licence ADD CONSTRAINT licence_has_a_file CHECK (pdf IS NOT NULL OR ofd IS NOT NULL);
