//! Who is asking: the signed-in user a request carries, and the one rule of who may see the
//! analytics (a team admin of an account).

use crate::error::AppError;
use axum::{extract::FromRequestParts, http::request::Parts};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TeamAdmin,
    Technician,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::TeamAdmin => "team_admin",
            Role::Technician => "technician",
        }
    }
}

/// The signed-in user, put into request extensions by the middleware that reads the cookie.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CurrentUser {
    pub user_id: Uuid,
    pub email: String,
    pub role: Role,
    pub account_id: Option<Uuid>,
}

/// A team admin of an account: the only identity the analytics accept.
#[derive(Debug, Clone, Copy)]
pub struct Admin {
    pub user_id: Uuid,
    pub account_id: Uuid,
}

/// Signed out → 401; no account → 403 "No account"; technician → 403.
pub fn require_team_admin(user: Option<&CurrentUser>) -> Result<Admin, AppError> {
    let user = user.ok_or(AppError::signed_out())?;
    let account_id = user.account_id.ok_or_else(|| AppError::forbidden("No account"))?;
    match user.role {
        Role::TeamAdmin => Ok(Admin { user_id: user.user_id, account_id }),
        Role::Technician => Err(AppError::forbidden("Only team admins can view analytics.")),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        require_team_admin(parts.extensions.get::<CurrentUser>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, account: bool) -> CurrentUser {
        CurrentUser {
            user_id: Uuid::new_v4(),
            email: "a@example.com".into(),
            role,
            account_id: account.then(Uuid::new_v4),
        }
    }

    #[test]
    fn only_team_admins_with_an_account_pass() {
        assert!(require_team_admin(Some(&user(Role::TeamAdmin, true))).is_ok());
        assert_eq!(require_team_admin(None).unwrap_err().status_code(), 401);
        let tech = require_team_admin(Some(&user(Role::Technician, true))).unwrap_err();
        assert_eq!(tech.status_code(), 403);
        let no_account = require_team_admin(Some(&user(Role::TeamAdmin, false))).unwrap_err();
        assert_eq!(no_account, AppError::forbidden("No account"));
    }
}
