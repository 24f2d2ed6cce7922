//! Secrets at rest (the PSA private key): AES-256-GCM under the server key from
//! `FLOWPILOT_SECRET_KEY` (64 hex characters). Stored as nonce ‖ ciphertext.

use aes_gcm::{
    aead::{Aead, AeadCore, KeyInit, OsRng},
    Aes256Gcm, Key, Nonce,
};

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl SecretBox {
    pub fn from_hex(hex_key: &str) -> Result<Self, String> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| "FLOWPILOT_SECRET_KEY must be 64 hex characters".to_owned())?;
        if bytes.len() != 32 {
            return Err("FLOWPILOT_SECRET_KEY must be 64 hex characters (32 bytes)".to_owned());
        }
        Ok(SecretBox { cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)) })
    }

    pub fn seal(&self, plaintext: &str) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let mut sealed = nonce.to_vec();
        sealed
            .extend(self.cipher.encrypt(&nonce, plaintext.as_bytes()).expect("AES-GCM encryption"));
        sealed
    }

    pub fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn seals_and_opens_and_rejects_tampering() {
        let secrets = SecretBox::from_hex(KEY).unwrap();
        let sealed = secrets.seal("private-key-123");
        assert!(!sealed.windows(15).any(|w| w == b"private-key-123"), "not stored in clear");
        assert_eq!(secrets.open(&sealed).as_deref(), Some("private-key-123"));
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(secrets.open(&tampered), None);
        let other = SecretBox::from_hex(&KEY.replace("00", "ff")).unwrap();
        assert_eq!(other.open(&sealed), None);
    }

    #[test]
    fn the_key_must_be_32_bytes_of_hex() {
        assert!(SecretBox::from_hex("abcd").is_err());
        assert!(SecretBox::from_hex(&"zz".repeat(32)).is_err());
    }
}
