-- Clients (SPEC §7): the MSP's customers a session is for. A tenant table like the others —
-- keyed (account_id, id), referenced through a composite key, under the tenant policy.
CREATE TABLE clients (
    account_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    psa_company_id  text CHECK (length(psa_company_id) BETWEEN 1 AND 100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
);
-- One client per name in an account, whatever its case ("Acme Dental" = "acme dental").
CREATE UNIQUE INDEX clients_account_name ON clients (account_id, lower(name));

ALTER TABLE ai_sessions ADD COLUMN client_id uuid;
ALTER TABLE ai_sessions ADD CONSTRAINT ai_sessions_client_fkey
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id)
    ON DELETE SET NULL (client_id);
CREATE INDEX ai_sessions_account_client ON ai_sessions (account_id, client_id)
    WHERE client_id IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON clients TO flowpilot_app;
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON clients USING (account_id = (SELECT app_account()))
    WITH CHECK (account_id = (SELECT app_account()));
