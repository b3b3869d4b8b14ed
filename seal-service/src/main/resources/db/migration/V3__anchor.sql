-- The anchor text a seal was centred on, when the request named one (page and place are where it went).
ALTER TABLE stamp_record ADD COLUMN anchor text;
