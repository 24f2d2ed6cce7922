//! Reusable pieces of the analytics page.

pub mod async_view;
pub mod bar_list;
pub mod breakdown_table;
pub mod chart;
pub mod daily_table;
pub mod error_view;
pub mod export_link;
pub mod filter_bar;
pub mod get_form;
pub mod levels;
pub mod metric_card;
pub mod number_link;
pub mod period_selector;
pub mod rate_cell;
pub mod tabs;
pub mod window_note;
