//! CREATE / ALTER ENDPOINT.

use super::parser::{port_of, OptionItem, PResult, Parser};
use crate::lex::TokenKind;
use crate::model::{Authentication, Encryption, Endpoint, Spanned, StatementKind, Word};

/// A keyword value, upper-cased; None for a placeholder (a value not known yet).
fn word_of(t: &crate::lex::Token) -> Option<Word> {
    (t.kind != TokenKind::Placeholder).then(|| Spanned {
        value: t.value.as_str().to_ascii_uppercase(),
        span: t.span,
    })
}

/// `AUTHENTICATION = { WINDOWS [NTLM|KERBEROS|NEGOTIATE] | CERTIFICATE c | … }` in either order.
fn authentication(p: &Parser, item: &OptionItem) -> Authentication {
    let mut auth = Authentication {
        span: item.value_span().unwrap_or(item.span),
        windows: None,
        certificate: None,
    };
    let mut i = 0;
    while i < item.value.len() {
        let t = &item.value[i];
        if t.is_kw("WINDOWS") {
            let method = item
                .value
                .get(i + 1)
                .filter(|n| ["NTLM", "KERBEROS", "NEGOTIATE"].iter().any(|m| n.is_kw(m)));
            let span = method.map(|m| t.span.to(m.span)).unwrap_or(t.span);
            let value = match method {
                Some(m) => format!("WINDOWS {}", m.value.as_str().to_ascii_uppercase()),
                None => "WINDOWS".to_string(),
            };
            auth.windows = Some(Spanned { value, span });
            i += if method.is_some() { 2 } else { 1 };
        } else if t.is_kw("CERTIFICATE") {
            auth.certificate = item
                .value
                .get(i + 1)
                .filter(|n| n.is_name())
                .map(|n| p.name_of(n));
            i += 2;
        } else {
            i += 1;
        }
    }
    auth
}

/// `ENCRYPTION = { DISABLED | {SUPPORTED|REQUIRED} [ALGORITHM {AES|RC4|AES RC4|RC4 AES}] }`.
fn encryption(item: &OptionItem) -> Option<Encryption> {
    let mode = word_of(item.value.first()?)?;
    let algorithms = item
        .value
        .iter()
        .skip_while(|t| !t.is_kw("ALGORITHM"))
        .skip(1)
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(word_of)
        .collect();
    Some(Encryption {
        span: item.value_span().unwrap_or(item.span),
        mode,
        algorithms,
    })
}

/// After `CREATE ENDPOINT` or `ALTER ENDPOINT`.
pub fn endpoint(p: &mut Parser, is_alter: bool) -> PResult<StatementKind> {
    let name = p.name("the endpoint name")?;
    let mut endpoint = Endpoint {
        name,
        is_alter,
        state: None,
        port: None,
        listener_ip: None,
        payload: None,
        payload_options: None,
        role: None,
        authentication: None,
        encryption: None,
    };
    loop {
        if p.eat_kw("AUTHORIZATION") {
            p.name("a login name")?;
        } else if p.eat_kw("STATE") {
            p.expect_punct("=")?;
            endpoint.state = p.bump().and_then(word_of);
        } else if p.eat_kw("AS") {
            // TCP / HTTP
            p.bump();
            let (items, _) = p.option_list()?;
            transport_options(&mut endpoint, &items);
        } else if p.eat_kw("FOR") {
            // SSMS and SMO script `FOR DATA_MIRRORING`, which SQL Server accepts too.
            endpoint.payload = p.bump().and_then(word_of).map(|mut w| {
                if w.value == "DATA_MIRRORING" {
                    w.value = "DATABASE_MIRRORING".into();
                }
                w
            });
            if p.peek_punct("(") {
                let (items, list) = p.option_list()?;
                endpoint.payload_options = Some(list);
                payload_options(p, &mut endpoint, &items);
            }
        } else {
            break;
        }
    }
    Ok(StatementKind::Endpoint(endpoint))
}

fn transport_options(endpoint: &mut Endpoint, items: &[OptionItem]) {
    for item in items {
        if item.is("LISTENER_PORT") {
            endpoint.port = port_of(item.value);
        } else if item.is("LISTENER_IP") {
            let inner: Vec<_> = item
                .value
                .iter()
                .filter(|t| !t.is_punct("(") && !t.is_punct(")"))
                .collect();
            if let (Some(first), Some(last)) = (inner.first(), inner.last()) {
                let text = if first.is_kw("ALL") {
                    "ALL".to_string()
                } else {
                    // `(10.0.0.4)` lexes as numbers and dots; `('::1')` as a string.
                    inner.iter().map(|t| t.value.as_str()).collect::<String>()
                };
                endpoint.listener_ip = Some(Spanned {
                    value: text,
                    span: item.value_span().unwrap_or(first.span.to(last.span)),
                });
            }
        }
    }
}

fn payload_options(p: &Parser, endpoint: &mut Endpoint, items: &[OptionItem]) {
    for item in items {
        if item.is("ROLE") {
            endpoint.role = item.word();
        } else if item.is("AUTHENTICATION") {
            endpoint.authentication = Some(authentication(p, item));
        } else if item.is("ENCRYPTION") {
            endpoint.encryption = encryption(item);
        }
    }
}
