-- A session as the sessions list and the session's page show it: when it started (the instant
-- and the account's wall clock then, for the offset), who ran it, for which client, what it was
-- about, how it ended, its ticket (with the account's PSA site, for a link) and how many PSA
-- activities it has (kept on the session by the logs' triggers: migration 20261130000002).
SELECT s.id,
       s.created_at,
       (s.created_at AT TIME ZONE a.timezone)                      AS created_local,
       s.user_id,
       u.email                                                     AS technician,
       s.client_id,
       c.name                                                      AS client,
       s.problem_domain                                            AS domain,
       s.matched_flow_id                                           AS flow_id,
       t.name                                                      AS flow,
       s.status,
       s.confidence_tier                                           AS tier,
       s.confidence,
       s.resolved_at,
       (s.resolved_at AT TIME ZONE a.timezone)                     AS resolved_local,
       CASE WHEN s.status = 'resolved' AND s.resolved_at IS NOT NULL
            THEN extract(epoch FROM s.resolved_at - s.created_at)::float8 / 60 END
                                                                   AS minutes_to_resolve,
       s.psa_ticket_id                                             AS ticket,
       pc.site_url                                                 AS psa_site,
       s.psa_activity_count::int8                                  AS psa_activity_count
FROM ai_sessions s
JOIN accounts a ON a.id = s.account_id
LEFT JOIN users u ON u.id = s.user_id
LEFT JOIN clients c ON c.account_id = s.account_id AND c.id = s.client_id
LEFT JOIN trees t ON t.account_id = s.account_id AND t.id = s.matched_flow_id
LEFT JOIN psa_connections pc ON pc.account_id = s.account_id
