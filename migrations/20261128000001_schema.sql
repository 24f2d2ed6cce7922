-- SPEC §1. Tenant tables are keyed (account_id, id) and reference each other through composite
-- keys, so a row can never point into another account and every table can be distributed by
-- account_id. accounts and users stay global.

CREATE TABLE accounts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    timezone    text NOT NULL DEFAULT 'UTC' CHECK (timezone <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id     uuid REFERENCES accounts (id) ON DELETE SET NULL,
    email          text NOT NULL CHECK (position('@' IN email) > 1),
    password_hash  text NOT NULL,
    role           text NOT NULL CHECK (role IN ('team_admin', 'technician')),
    is_active      boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_account ON users (account_id);

CREATE TABLE categories (
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, name)
);

CREATE TABLE trees (
    account_id          uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    category_id         uuid,
    name                text NOT NULL CHECK (btrim(name) <> ''),
    tree_type           text NOT NULL DEFAULT 'troubleshooting'
                        CHECK (tree_type IN ('troubleshooting', 'procedure')),
    is_active           boolean NOT NULL DEFAULT true,
    gallery_sort_order  integer NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    usage_count         integer NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    success_rate        double precision CHECK (success_rate BETWEEN 0 AND 1),
    last_matched_at     timestamptz,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, category_id)
        REFERENCES categories (account_id, id) ON DELETE SET NULL (category_id)
);
CREATE INDEX trees_account_category ON trees (account_id, category_id) WHERE is_active;

CREATE TABLE ai_sessions (
    account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid REFERENCES users (id) ON DELETE SET NULL,
    problem_domain   text CHECK (btrim(problem_domain) <> ''),
    status           text NOT NULL DEFAULT 'active'
                     CHECK (status IN ('active', 'resolved', 'escalated', 'abandoned')),
    confidence_tier  text CHECK (confidence_tier IN ('guided', 'assisted', 'exploratory')),
    confidence       double precision CHECK (confidence BETWEEN 0 AND 1),
    matched_flow_id  uuid,
    psa_ticket_id    text CHECK (length(psa_ticket_id) BETWEEN 1 AND 100),
    created_at       timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz CHECK (resolved_at >= created_at),
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, matched_flow_id)
        REFERENCES trees (account_id, id) ON DELETE SET NULL (matched_flow_id)
);
-- The analytics reads scan one account's sessions by creation time; carrying every column
-- they aggregate lets them run as index-only scans (../shared/PERFORMANCE.md).
CREATE INDEX ai_sessions_account_created ON ai_sessions (account_id, created_at)
    INCLUDE (problem_domain, status, confidence_tier, confidence, matched_flow_id,
             psa_ticket_id, resolved_at);
CREATE INDEX ai_sessions_account_flow ON ai_sessions (account_id, matched_flow_id)
    WHERE matched_flow_id IS NOT NULL;

CREATE TABLE psa_activity_logs (
    account_id     uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id     uuid,
    activity_type  text NOT NULL
                   CHECK (activity_type IN ('time_entry_posted', 'note_posted', 'status_updated')),
    hours_logged   double precision CHECK (hours_logged >= 0),
    psa_ticket_id  text CHECK (length(psa_ticket_id) BETWEEN 1 AND 100),
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, session_id)
        REFERENCES ai_sessions (account_id, id) ON DELETE SET NULL (session_id),
    CHECK ((activity_type = 'time_entry_posted') = (hours_logged IS NOT NULL))
);
CREATE INDEX psa_activity_logs_account_created ON psa_activity_logs (account_id, created_at)
    INCLUDE (activity_type, session_id, hours_logged);
CREATE INDEX psa_activity_logs_account_session ON psa_activity_logs (account_id, session_id)
    INCLUDE (activity_type);
