//! TLS to the server, as libpq (psql) does it: `sslmode=prefer` (the default) and `require`
//! encrypt without checking the server's certificate; `verify-ca` and `verify-full` check it
//! against Mozilla's roots, or the file `sslrootcert` names, and the host name.

use super::ServerError;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// Whether the server's certificate is checked, and against what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Check {
    Encrypt,
    Verify { root: Option<String> },
}

/// The URL with tasktui's own TLS options taken out (the client library knows only disable,
/// prefer and require), and what they ask. A server on this machine (a loopback address or a
/// Unix socket) without an `sslmode` is reached without TLS: it would protect nothing there, and
/// costs a few milliseconds on every start.
pub(super) fn split_url(url: &str) -> (String, Check) {
    let (url, check) = split_options(url);
    if check == Check::Encrypt && !url.contains("sslmode=") && on_this_machine(&url) {
        let sep = if url.contains('?') { '&' } else { '?' };
        return (format!("{url}{sep}sslmode=disable"), check);
    }
    (url, check)
}

/// Whether the URL's host is a loopback address or a Unix socket's folder.
fn on_this_machine(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    matches!(host, "localhost" | "127.0.0.1" | "::1")
        || host.starts_with("%2F")
        || host.starts_with("%2f")
}

fn split_options(url: &str) -> (String, Check) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), Check::Encrypt);
    };
    let mut verify = false;
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("sslmode", "verify-full" | "verify-ca")) => {
                verify = true;
                kept.push("sslmode=require".to_string());
            }
            Some(("sslrootcert", path)) => root = Some(path.to_string()),
            _ => kept.push(pair.to_string()),
        }
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let check = if verify {
        Check::Verify { root }
    } else {
        Check::Encrypt
    };
    (url, check)
}

#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    // ring builds with a C compiler alone; its provider lacks only post-quantum key exchange,
    // which PostgreSQL servers do not offer yet.
    Arc::new(rustls::crypto::ring::default_provider())
}

pub(super) fn connector(check: &Check) -> Result<MakeRustlsConnect, ServerError> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| ServerError::Tls(e.to_string()))?;
    let config = match check {
        Check::Encrypt => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth(),
        Check::Verify { root } => {
            let mut roots = rustls::RootCertStore::empty();
            match root {
                Some(path) => {
                    use rustls::pki_types::pem::PemObject;
                    // A FIFO or a device would block the read, or never end it.
                    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
                        return Err(ServerError::Tls(format!(
                            "sslrootcert {path}: not a regular file; name the CA's certificate file (PEM)"
                        )));
                    }
                    let certs = CertificateDer::pem_file_iter(path)
                        .map_err(|e| ServerError::Tls(format!("sslrootcert {path}: {e}")))?;
                    for cert in certs {
                        let cert =
                            cert.map_err(|e| ServerError::Tls(format!("sslrootcert {path}: {e}")))?;
                        roots
                            .add(cert)
                            .map_err(|e| ServerError::Tls(format!("sslrootcert {path}: {e}")))?;
                    }
                }
                None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

/// Encryption without checking who holds the certificate: what libpq's `prefer` and `require`
/// do. The handshake's signatures are still checked.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_this_machine_is_reached_without_tls_unless_the_url_asks() {
        for url in [
            "postgres://a@127.0.0.1/d",
            "postgres://a:pw@localhost:5433/d",
            "postgres://a@[::1]:5432/d",
            "postgres://a@%2Fvar%2Frun%2Fpostgresql/d",
        ] {
            assert!(split_url(url).0.ends_with("sslmode=disable"), "{url}");
        }
        assert_eq!(
            split_url("postgres://a@127.0.0.1/d?sslmode=require").0,
            "postgres://a@127.0.0.1/d?sslmode=require"
        );
        assert_eq!(
            split_url("postgres://a@127.0.0.1/d?application_name=x").0,
            "postgres://a@127.0.0.1/d?application_name=x&sslmode=disable"
        );
        assert_eq!(
            split_url("postgres://a@db.example.org/d").0,
            "postgres://a@db.example.org/d"
        );
    }

    #[test]
    fn verify_modes_are_taken_out_of_the_url_and_asked_of_rustls() {
        assert_eq!(
            split_url("postgres://a@h/d"),
            ("postgres://a@h/d".into(), Check::Encrypt)
        );
        assert_eq!(
            split_url("postgres://a@h/d?sslmode=require"),
            ("postgres://a@h/d?sslmode=require".into(), Check::Encrypt)
        );
        assert_eq!(
            split_url(
                "postgres://a@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3"
            ),
            (
                "postgres://a@h/d?sslmode=require&connect_timeout=3".into(),
                Check::Verify {
                    root: Some("/etc/ca.pem".into())
                }
            )
        );
    }
}
