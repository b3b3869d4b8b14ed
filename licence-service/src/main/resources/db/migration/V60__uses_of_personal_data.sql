-- One record type for every use of a holder's personal data with a purpose (用证事由): an office using a licence
-- under the holder's consent (kind CONSENT, as before) and an officer having the holder's full name and number
-- disclosed by licence identifier (kind OFFICER_LOOKUP, no consent). Both carry the purpose text and the case or
-- approval-item number, who asked (officer) and for which office; the holder's page lists them all.
ALTER TABLE licence_use ALTER COLUMN consent_id DROP NOT NULL;
ALTER TABLE licence_use ALTER COLUMN office_name DROP NOT NULL;
ALTER TABLE licence_use ADD COLUMN kind text NOT NULL DEFAULT 'CONSENT'
    CHECK (kind IN ('CONSENT', 'OFFICER_LOOKUP'));
-- uses recorded before this version had no case number; every new one has
ALTER TABLE licence_use ADD COLUMN case_number text;
ALTER TABLE licence_use ADD COLUMN officer text;
ALTER TABLE licence_use ADD COLUMN officer_name text;
ALTER TABLE licence_use ADD CONSTRAINT licence_use_consent_or_lookup
    CHECK ((kind = 'CONSENT') = (consent_id IS NOT NULL));
ALTER TABLE licence_use ADD CONSTRAINT licence_use_lookup_has_officer_and_case
    CHECK (kind = 'CONSENT' OR (officer IS NOT NULL AND case_number IS NOT NULL));
-- the per-officer limit counts an officer's recent disclosures
CREATE INDEX licence_use_by_officer ON licence_use (officer, used_at) WHERE officer IS NOT NULL;
