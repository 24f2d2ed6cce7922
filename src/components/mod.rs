//! Reusable pieces of the analytics page.

pub mod async_view;
pub mod error_view;
pub mod metric_card;
pub mod tabs;
pub mod chart;
