//! Reusable pieces of the analytics page.

pub mod async_view;
pub mod chart;
pub mod error_view;
pub mod heatmap;
pub mod metric_card;
pub mod tabs;
