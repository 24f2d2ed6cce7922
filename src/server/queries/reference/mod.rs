//! Reference statements: each rollup-backed analytics statement beside the same metric
//! computed by scanning the window's raw rows — the statements as they were before the daily
//! rollups. Same parameters (`$1` account, `$2`–`$3` window, `$4` technician and `$5` client:
//! NULL when not filtered), same columns. The integration tests hold every statement to its
//! reference, filtered and not; the benchmark runs the references as the
//! baseline of overview and PSA.

use super::{coverage, flow_quality, overview, psa};
use crate::routes::DataSource;

pub struct Reference {
    pub source: DataSource,
    /// The metric, as the `.sql` files here are named.
    pub name: &'static str,
    /// Our statement, as the server runs it.
    pub ours: &'static str,
    /// The same metric by a scan of the raw rows.
    pub raw_scan: &'static str,
}

macro_rules! reference {
    ($source:ident, $name:literal, $ours:expr) => {
        Reference {
            source: DataSource::$source,
            name: $name,
            ours: $ours,
            raw_scan: include_str!(concat!($name, ".sql")),
        }
    };
}

pub const ALL: &[Reference] = &[
    reference!(Overview, "overview_facts", overview::FACTS_SQL),
    reference!(Overview, "breakdowns", overview::BREAKDOWNS_SQL),
    reference!(Coverage, "coverage", coverage::COVERAGE_SQL),
    reference!(FlowQuality, "flow_quality", flow_quality::FLOW_QUALITY_SQL),
    reference!(Psa, "psa_entries", psa::ENTRIES_SQL),
    reference!(Psa, "psa_funnel", psa::FUNNEL_SQL),
];

/// The references of one data source.
pub fn of(source: DataSource) -> impl Iterator<Item = &'static Reference> {
    ALL.iter().filter(move |r| r.source == source)
}

/// One reference by its name.
pub fn named(name: &str) -> Option<&'static Reference> {
    ALL.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statement_a_source_runs_has_a_reference() {
        for source in DataSource::ALL {
            let ours: Vec<&str> = of(source).map(|r| r.ours).collect();
            assert_eq!(ours, super::super::statements(source), "{source:?}");
        }
        assert!(named("psa_funnel").is_some());
        assert!(named("nothing").is_none());
    }
}
