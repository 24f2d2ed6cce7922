//! The server-rendered pages: what a browser without JavaScript receives.

use crate::common::{admin_cookie, app, get, ACCOUNT_A};
use sqlx::PgPool;

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_ssr_page_already_contains_the_overview_numbers(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics?period=7d", Some(&a)).await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert_eq!(metric(html, "Sessions"), "2");
    assert_eq!(metric(html, "Resolution rate"), "50.0%");
    assert_eq!(metric(html, "Avg confidence"), "0.70");
    assert_eq!(metric(html, "Avg resolution time"), "30.0 min");
    // Each count leads to its sessions, in the same view; an average leads nowhere.
    assert_eq!(metric_link(html, "Sessions").as_deref(), Some("/analytics/sessions?period=7d"));
    assert_eq!(
        metric_link(html, "Escalation rate").as_deref(),
        Some("/analytics/sessions?status=escalated&period=7d")
    );
    assert_eq!(metric_link(html, "Avg confidence"), None);
    assert!(html.contains("overview-trend-chart"));
    assert!(html.contains(r#"aria-current="page""#));

    let ninety = get(&app, "/analytics?period=90d", Some(&a)).await.body;
    assert_eq!(metric(&ninety, "Sessions"), "3");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn a_bad_period_on_the_page_shows_the_message_with_422(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics?period=forever", Some(&a)).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Allowed values: 7d, 30d, 90d."), "{}", page.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn unknown_analytics_pages_are_404(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    assert_eq!(get(&app, "/analytics/nope", Some(&a)).await.status, 404);
}

#[sqlx::test(fixtures("psa"))]
async fn the_psa_cards_funnel_and_trend_table_are_in_the_ssr_html(pool: PgPool) {
    sqlx::raw_sql(
        "UPDATE ai_sessions SET created_at = created_at + (now() - '2026-03-31 12:00Z');
         UPDATE psa_activity_logs SET created_at = created_at + (now() - '2026-03-31 12:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics/psa?period=7d", Some(&a)).await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert_eq!(metric(html, "Total time entries"), "5");
    assert_eq!(metric(html, "Total hours logged"), "5.50");
    assert_eq!(metric(html, "Avg hours/session"), "1.38");
    // Funnel 6 → 5 → 3 → 2, with conversions 83.3%, 60.0%, 66.7%.
    for (step, count, conversion) in [
        ("All sessions", "6", None),
        ("Linked to a ticket", "5", Some("83.3%")),
        ("Note pushed", "3", Some("60.0%")),
        ("Time entry logged", "2", Some("66.7%")),
    ] {
        let item = &html[html.find(&format!(r#"data-step="{step}""#)).unwrap()..];
        let item = &item[..item.find("</li>").unwrap()];
        assert!(item.contains(&format!(">{count}</a>")), "{step}: {item}");
        match conversion {
            Some(c) => assert!(item.contains(&format!(">{c}</span>")), "{step}: {item}"),
            None => assert!(!item.contains("data-conversion"), "{item}"),
        }
    }
    assert!(html.contains("psa-trend-chart"));
    assert!(html.contains("Time entries by day"));
    let table = &html[html.find("Time entries by day").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 8, "every day of the 7-day window");
    let hours: f64 = rows
        .iter()
        .map(|row| {
            let cell = row.rsplit("<td>").next().unwrap();
            cell[..cell.find("</td>").unwrap()].parse::<f64>().unwrap()
        })
        .sum();
    assert!((hours - 5.5).abs() < 1e-9, "{hours}");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_coverage_heatmap_is_in_the_ssr_html(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics/coverage?period=7d", Some(&a)).await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert_eq!(metric(html, "Domains"), "2");
    assert_eq!(metric(html, "Unmapped sessions"), "0");
    for header in ["Domain", "Flows", "Sessions", "Resolution %", "Escalation %", "Guided %"] {
        assert!(html.contains(&format!(">{header}</th>")), "{header}");
    }
    // Email: 1 of 1 resolved; VPN: 1 of 1 escalated — one session is a small sample: the rate
    // shows with its n, muted, neither green nor red. No flows → red "0" (a count, not a rate).
    let email = row_cells(html, "Email");
    assert_eq!(email[0].1, "0Create flow");
    assert!(email[0].0.contains("bg-rose-500/10 text-rose-500"), "{:?}", email[0]);
    assert_eq!(email[2].1, "100.0%n = 1");
    assert!(email[2].0.contains("text-muted-foreground"), "{:?}", email[2]);
    assert!(email[2].0.contains(r#"data-level="small-sample""#), "{:?}", email[2]);
    let vpn = row_cells(html, "VPN");
    assert_eq!(vpn[3].1, "100.0%n = 1");
    assert!(!vpn[3].0.contains("rose"), "{:?}", vpn[3]);
    assert_eq!(vpn[5].1, "—", "no resolved session: no average");
    // A cell leads to the sessions it counts: the domain's, and of those the escalated ones.
    for href in [
        "/analytics/sessions?domain=VPN&amp;period=7d",
        "/analytics/sessions?domain=VPN&amp;status=escalated&amp;period=7d",
        "/analytics/sessions?domain=Email&amp;tier=guided&amp;period=7d",
    ] {
        assert!(html.contains(&format!(r#"href="{href}""#)), "{href}");
    }
    // No flows anywhere in this fixture: each domain links to the editor to create one.
    assert!(
        html.contains(r#"href="https://app.flowpilot.test/trees/new?category=Email""#),
        "{html}"
    );
    assert!(html.contains("overflow-x-auto"));
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_coverage_tab_has_an_empty_state(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    sqlx::query("DELETE FROM ai_sessions").execute(&pool).await.unwrap();
    let app = app(pool);
    let page = get(&app, "/analytics/coverage", Some(&a)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No classified sessions in this period."));
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn the_header_names_the_account(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    let page = get(&app, "/analytics", Some(&a)).await;
    assert!(page.body.contains("Account A"), "{}", page.body);
}

#[sqlx::test(fixtures("flow_quality"))]
async fn the_flow_quality_table_sorts_marks_and_links_without_javascript(pool: PgPool) {
    // Let the fixture's flows be recent relative to the real clock.
    sqlx::raw_sql(
        "UPDATE ai_sessions SET created_at = created_at + (now() - '2026-03-10 12:00Z'),
                                resolved_at = resolved_at + (now() - '2026-03-10 12:00Z');
         UPDATE trees SET last_matched_at = last_matched_at + (now() - '2026-03-10 12:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);

    let page = get(&app, "/analytics/flow-quality?period=7d", Some(&a)).await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert_eq!(row_order(html), ["Foxtrot", "Alpha", "Charlie", "Bravo", "Delta"]);
    // Five flows: the four that score above 0 are the top performers (as the API lists them);
    // Delta, never used (score 0), is the only one left, marked bottom.
    assert_eq!(html.matches("border-l-2 border-emerald-400").count(), 4);
    assert_eq!(html.matches("border-l-2 border-rose-500").count(), 1);
    let delta = html.find(r#"data-flow-id="aaaaaaaa-0000-0000-0000-0000000000f4""#).unwrap();
    let delta_row =
        &html[html[..delta].rfind("<tr").unwrap()..delta + html[delta..].find('>').unwrap()];
    assert!(delta_row.contains("border-rose-500"), "{delta_row}");
    // Bravo (unused 45 days) and Delta (never used); Charlie's 0% is over 2 sessions, shown
    // muted with its n and not flagged.
    assert_eq!(html.matches("Needs attention</span>").count(), 2);
    let charlie = &html[html.rfind(">Charlie</a>").unwrap()..]; // the table row, after the lists
    let charlie = &charlie[..charlie.find("</tr>").unwrap()];
    assert!(
        charlie.contains(r#"<td class="px-3 py-2 text-muted-foreground">0.0%<span"#),
        "{charlie}"
    );
    assert!(charlie.contains(">n = 2</span>"), "{charlie}");
    assert!(html.contains(
        r#"href="https://app.flowpilot.test/trees/aaaaaaaa-0000-0000-0000-0000000000f1/edit""#
    ));
    assert!(html.contains(r#"aria-sort="descending""#));
    assert!(
        html.contains("/analytics/flow-quality?sort=usage&amp;dir=desc&amp;period=7d"),
        "{html}"
    );

    let by_usage =
        get(&app, "/analytics/flow-quality?period=7d&sort=usage&dir=desc", Some(&a)).await;
    assert_eq!(row_order(&by_usage.body), ["Alpha", "Charlie", "Foxtrot", "Bravo", "Delta"]);
    let by_name = get(&app, "/analytics/flow-quality?period=7d&sort=name&dir=asc", Some(&a)).await;
    assert_eq!(row_order(&by_name.body), ["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot"]);
    let reversed =
        get(&app, "/analytics/flow-quality?period=7d&sort=name&dir=desc", Some(&a)).await;
    assert_eq!(row_order(&reversed.body), ["Foxtrot", "Delta", "Charlie", "Bravo", "Alpha"]);
}

/// The flow names of the quality table, top to bottom.
fn row_order(html: &str) -> Vec<String> {
    html.split("data-flow-id=")
        .skip(1)
        .map(|row| {
            let link = &row[row.find("/edit\"").unwrap()..];
            let text = &link[link.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_owned()
        })
        .collect()
}

/// The `<td>` cells after the row header `name`: (opening tag, text without tags).
fn row_cells(html: &str, name: &str) -> Vec<(String, String)> {
    let header = format!(">{name}</th>");
    let start = html.find(&header).unwrap_or_else(|| panic!("no row {name}")) + header.len();
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let (tag, rest) = cell.split_once('>').unwrap();
            let inner = rest.split("</td>").next().unwrap();
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            (tag.to_owned(), text)
        })
        .collect()
}

/// The text of the element marked `data-metric="{label}"` in server-rendered HTML.
pub fn metric(html: &str, label: &str) -> String {
    let marker = format!(r#"data-metric="{label}""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {label} in {html}"));
    let rest = &html[start..];
    let mut open = rest.find('>').unwrap() + 1;
    // The value may be a link to its sessions.
    if rest[open..].starts_with("<a ") {
        open += rest[open..].find('>').unwrap() + 1;
    }
    rest[open..open + rest[open..].find('<').unwrap()].to_owned()
}

/// The link around a KPI card's value (to the sessions it counts), if any.
pub fn metric_link(html: &str, label: &str) -> Option<String> {
    let marker = format!(r#"data-metric="{label}""#);
    let rest = &html[html.find(&marker)?..];
    let open = rest.find('>')? + 1;
    let link = rest[open..].strip_prefix("<a href=\"")?;
    Some(link[..link.find('"')?].replace("&amp;", "&"))
}

#[sqlx::test(fixtures("overview"))]
async fn a_custom_range_page_shows_its_days_zone_and_the_change_in_words(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool);
    // 02-21 … 03-05: s3, s4, s5, s6 (2 of 4 resolved, 1 guided); 02-08 … 02-20: s7 alone
    // (resolved, guided).
    let page = get(&app, "/analytics?from=2026-02-21&to=2026-03-05", Some(&a)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Without the hydration markers between text nodes.
    let html = &page.body.replace("<!>", "");
    assert_eq!(metric(html, "Sessions"), "4");
    assert!(html.contains("2026-02-21 to 2026-03-05"), "the days");
    assert!(html.contains("compared with 2026-02-08 to 2026-02-20"), "the previous window");
    assert!(html.contains("days in America/New_York"), "the zone");
    assert!(html.contains("+3 (+300.0%)"), "sessions: a signed count and percentage");
    // Resolution 50% against 100%: −50.0 pp — over 4 and 1 sessions, small samples: not judged
    // better or worse, not coloured; more sessions is neither better nor worse anyway.
    assert!(html.contains(r#"data-change="" class="mt-1 block text-xs font-normal tabular-nums text-muted-foreground"><span aria-hidden="true">▼ </span>−50.0 pp"#), "{html}");
    assert!(!html.contains("worse") && !html.contains("better"), "{html}");
    assert!(!html.contains("text-rose-400") && !html.contains("text-emerald-400"));
    // The range form keeps the range; period links drop it.
    assert!(html.contains(r#"name="from""#) && html.contains(r#"value="2026-02-21""#));
    assert!(html.contains(r#"href="/analytics?period=7d""#));
    // Coverage's and PSA's cards compare too: one unmapped session (s4) against none is worse
    // (fewer unmapped is better); no time entries either side is no change.
    let coverage = get(&app, "/analytics/coverage?from=2026-02-21&to=2026-03-05", Some(&a)).await;
    let coverage = coverage.body.replace("<!>", "");
    let unmapped = &coverage[coverage.find(r#"aria-label="Unmapped sessions""#).unwrap()..];
    let unmapped = &unmapped[..unmapped.find("</div>").unwrap()];
    assert!(
        unmapped.contains(r#"data-change="worse""#) && unmapped.contains("+1, worse"),
        "{unmapped}"
    );
    let psa = get(&app, "/analytics/psa?from=2026-02-21&to=2026-03-05", Some(&a)).await.body;
    let entries = &psa[psa.find(r#"aria-label="Total time entries""#).unwrap()..];
    assert!(entries[..entries.find("</div>").unwrap()].contains("no change"), "{psa}");
    let bad = get(&app, "/analytics?from=2026-03-05&to=2026-02-21", Some(&a)).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("must not be after"), "{}", bad.body);
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn a_heatmap_rate_is_coloured_from_ten_sessions_on(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    // Email has 1 resolved session in 7 days; 8 more resolved make 9, one more makes 10.
    let add = |n: i32| {
        sqlx::query(
            "INSERT INTO ai_sessions (account_id, problem_domain, status, created_at, resolved_at)
             SELECT $1, 'Email', 'resolved', now() - interval '3 hours', now() - interval '2 hours'
             FROM generate_series(1, $2)",
        )
        .bind(ACCOUNT_A)
        .bind(n)
    };
    add(8).execute(&pool).await.unwrap();
    let app = app(pool.clone());
    let html = get(&app, "/analytics/coverage?period=7d", Some(&a)).await.body.replace("<!>", "");
    assert_eq!(row_cells(&html, "Email")[2].1, "100.0%n = 9");
    add(1).execute(&pool).await.unwrap();
    let html = get(&app, "/analytics/coverage?period=7d", Some(&a)).await.body.replace("<!>", "");
    let cell = &row_cells(&html, "Email")[2];
    assert_eq!(cell.1, "100.0%");
    assert!(cell.0.contains("bg-emerald-400/10 text-emerald-400"), "{cell:?}");
}

#[sqlx::test(fixtures("recent_sessions"))]
async fn heatmap_cells_show_their_change_judged_only_over_large_samples(pool: PgPool) {
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    // Email: 10 sessions 10 days ago, all resolved (the previous 7 days); 10 more 2 days ago,
    // half escalated, beside the fixture's one resolved a day ago: 6 of 11 resolved now.
    sqlx::raw_sql(&format!(
        "INSERT INTO ai_sessions (account_id, problem_domain, status, created_at, resolved_at)
         SELECT '{ACCOUNT_A}', 'Email', 'resolved', now() - interval '10 days',
                now() - interval '10 days' + interval '5 minutes'
         FROM generate_series(1, 10);
         INSERT INTO ai_sessions (account_id, problem_domain, status, created_at, resolved_at)
         SELECT '{ACCOUNT_A}', 'Email', CASE WHEN g <= 5 THEN 'resolved' ELSE 'escalated' END,
                now() - interval '2 days', now() - interval '2 days' + interval '5 minutes'
         FROM generate_series(1, 10) g;"
    ))
    .execute(&pool)
    .await
    .unwrap();
    let app = app(pool);
    let html = get(&app, "/analytics/coverage?period=7d", Some(&a)).await.body.replace("<!>", "");
    let email = row_cells(&html, "Email");
    // 54.5% against 100%: −45.5 pp, worse; escalation 45.5% against 0%: +45.5 pp, worse.
    assert_eq!(email[2].1, "54.5%▼ −45.5 pp, worse", "{email:?}");
    assert_eq!(email[3].1, "45.5%▲ +45.5 pp, worse", "{email:?}");
    assert!(email[2].0.contains("bg-amber-400/10"), "the cell keeps its own level");
    // VPN had nothing in the previous 7 days: no change to show.
    let vpn = row_cells(&html, "VPN");
    assert_eq!(vpn[2].1, "0.0%n = 1", "{vpn:?}");
}

/// Pages keep answering while other routers are built in the same process, as every test of
/// this binary builds its own: building a router must not stall a page load elsewhere. (It did,
/// now and then: generating Leptos' route list switches resource loading off process-wide, and a
/// page resource first polled in that moment waited forever — leptos#4773; `router::page_routes`.)
#[sqlx::test(fixtures("recent_sessions"))]
async fn pages_answer_while_other_routers_are_being_built(pool: PgPool) {
    use std::sync::{
        atomic::{AtomicBool, Ordering::Relaxed},
        Arc,
    };
    let a = admin_cookie(&pool, ACCOUNT_A).await;
    let app = app(pool.clone());
    let building = Arc::new(AtomicBool::new(true));
    let builder = {
        let (pool, building) = (pool.clone(), building.clone());
        tokio::task::spawn_blocking(move || {
            let mut built = 0u32;
            while building.load(Relaxed) {
                drop(crate::common::app(pool.clone()));
                built += 1;
            }
            built
        })
    };
    let pages = [
        "/analytics?period=7d",
        "/analytics/coverage",
        "/analytics/psa",
        "/analytics/flow-quality",
    ];
    for round in 0..24 {
        let path = pages[round % pages.len()];
        let page =
            tokio::time::timeout(std::time::Duration::from_secs(10), get(&app, path, Some(&a)))
                .await
                .unwrap_or_else(|_| panic!("{path} (round {round}): no answer within 10 s"));
        assert_eq!(page.status, 200, "{path}: {}", page.body);
    }
    building.store(false, Relaxed);
    let built = builder.await.unwrap();
    assert!(built >= 2, "the routers were built while the pages loaded ({built} built)");
}
