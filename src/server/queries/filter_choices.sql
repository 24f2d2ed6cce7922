-- The filter pickers' choices (SPEC §7): the account's technicians — its users who are
-- technicians or ran a session in the window — and all its clients, each with its sessions in
-- the window (owner_facts.sql, unfiltered: the choices do not narrow each other), busiest first.
SELECT 'technician' AS dimension, u.id, u.email AS name, coalesce(c.sessions, 0)::bigint AS sessions
FROM users u
LEFT JOIN by_owner c ON c.dimension = 'technician' AND c.id = u.id
WHERE u.account_id = $1 AND (u.role = 'technician' OR c.sessions > 0)
UNION ALL
SELECT 'client', k.id, k.name, coalesce(c.sessions, 0)::bigint
FROM clients k
LEFT JOIN by_owner c ON c.dimension = 'client' AND c.id = k.id
WHERE k.account_id = $1
ORDER BY 1, 4 DESC, 3
