//! Sign-in: passwords, sessions and the two endpoints that start and end them. Who may see
//! what is decided in `server::identity`.

pub mod handlers;
pub mod password;
pub mod session;
pub mod throttle;

pub use password::hash_password;
pub use session::{create_session, SESSION_COOKIE};
