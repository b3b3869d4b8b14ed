-- Which version of each status list is current: bumped in the transaction of every status change (issuance,
-- suspension, revocation, expiry), read before a kept list is served. With several licence-service instances on one
-- database, a list kept by one instance is replaced as soon as another instance changed a status in it (before,
-- each instance forgot only its own changes, and kept a list up to half its time-to-live, 30 minutes).
CREATE TABLE status_list_version (
    issuer_code char(18) NOT NULL,
    type_code   char(21) NOT NULL,
    version     bigint   NOT NULL,
    PRIMARY KEY (issuer_code, type_code)
);
