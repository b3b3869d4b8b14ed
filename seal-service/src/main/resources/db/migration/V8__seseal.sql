-- National mode: the GB/T 38540 v4 seal (SESeal, DER) the CA's seal maker signed when an SM2 seal was created.
-- Its picture is the seal's stamp_png; its certList names the seal's certificate. Null for seals without one.
ALTER TABLE seal ADD COLUMN seseal bytea;
