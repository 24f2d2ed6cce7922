//! What the generated data looks like: the problem domains, how often each occurs, the flows
//! that cover it and how its sessions tend to end.

/// How each problem domain behaves: how often it occurs, which flows cover it, and how its
/// sessions tend to end.
pub struct DomainProfile {
    pub name: &'static str,
    pub weight: u32,
    pub flows: &'static [&'static str],
    pub resolve: f64,
    pub escalate: f64,
    pub minutes: f64,
    pub confidence: f64,
}

pub const DOMAINS: [DomainProfile; 12] = [
    DomainProfile {
        name: "Email",
        weight: 18,
        flows: &[
            "Outlook won't sync",
            "Shared mailbox access",
            "Mail flow / NDR triage",
            "Calendar permissions",
            "Mobile mail setup",
            "Phishing report",
        ],
        resolve: 0.82,
        escalate: 0.06,
        minutes: 18.0,
        confidence: 0.82,
    },
    DomainProfile {
        name: "VPN",
        weight: 12,
        flows: &["VPN client won't connect", "Split tunnel DNS", "MFA prompt loop"],
        resolve: 0.68,
        escalate: 0.14,
        minutes: 26.0,
        confidence: 0.71,
    },
    DomainProfile {
        name: "Printers",
        weight: 10,
        flows: &["Print queue stuck", "Driver reinstall"],
        resolve: 0.74,
        escalate: 0.09,
        minutes: 22.0,
        confidence: 0.74,
    },
    DomainProfile {
        name: "Network",
        weight: 9,
        flows: &["Wi-Fi drops", "No internet at site", "DHCP exhaustion", "Switch port down"],
        resolve: 0.55,
        escalate: 0.24,
        minutes: 41.0,
        confidence: 0.63,
    },
    DomainProfile {
        name: "Microsoft 365",
        weight: 11,
        flows: &[
            "License assignment",
            "Teams won't sign in",
            "OneDrive sync errors",
            "SharePoint permissions",
            "Password reset",
        ],
        resolve: 0.79,
        escalate: 0.08,
        minutes: 16.0,
        confidence: 0.8,
    },
    DomainProfile {
        name: "Active Directory",
        weight: 7,
        flows: &["Account lockout", "Group policy not applying"],
        resolve: 0.71,
        escalate: 0.12,
        minutes: 24.0,
        confidence: 0.72,
    },
    DomainProfile {
        name: "Backup",
        weight: 5,
        flows: &["Backup job failed"],
        resolve: 0.46,
        escalate: 0.31,
        minutes: 55.0,
        confidence: 0.55,
    },
    DomainProfile {
        name: "Endpoint Security",
        weight: 6,
        flows: &["Defender alert triage", "EDR agent offline", "Quarantine release"],
        resolve: 0.62,
        escalate: 0.2,
        minutes: 33.0,
        confidence: 0.66,
    },
    DomainProfile {
        name: "Hardware",
        weight: 6,
        flows: &[
            "Laptop won't boot",
            "Docking station",
            "Monitor no signal",
            "Battery health",
            "Keyboard / mouse",
        ],
        resolve: 0.66,
        escalate: 0.18,
        minutes: 38.0,
        confidence: 0.69,
    },
    DomainProfile {
        name: "Software Install",
        weight: 7,
        flows: &["Line-of-business app install", "Adobe licensing"],
        resolve: 0.77,
        escalate: 0.07,
        minutes: 20.0,
        confidence: 0.76,
    },
    DomainProfile {
        name: "Phones (VoIP)",
        weight: 5,
        flows: &[],
        resolve: 0.41,
        escalate: 0.34,
        minutes: 47.0,
        confidence: 0.48,
    },
    DomainProfile {
        name: "Licensing",
        weight: 4,
        flows: &[],
        resolve: 0.58,
        escalate: 0.22,
        minutes: 29.0,
        confidence: 0.52,
    },
];

/// Procedures that are organised under a category no session is classified into.
pub const EXTRA_CATEGORY: (&str, &[&str]) =
    ("Onboarding", &["New starter checklist", "Leaver offboarding"]);

/// Share of sessions the engine could not classify.
pub const UNMAPPED_SHARE: f64 = 0.05;

/// The MSP's clients each account draws from (8 to 15 of them, SPEC §7), busiest first.
pub const CLIENTS: [&str; 15] = [
    "Acme Dental",
    "Bluebird Logistics",
    "Cedar Family Law",
    "Delta Veterinary",
    "Evergreen Schools",
    "Fulton Architects",
    "Granite Credit Union",
    "Harbor Clinics",
    "Iris Marketing",
    "Juniper Hotels",
    "Kestrel Engineering",
    "Lakeside Realty",
    "Maple Accounting",
    "Northstar Nonprofit",
    "Orchard Retail",
];

/// The share of sessions that name no client.
pub const NO_CLIENT_SHARE: f64 = 0.08;
