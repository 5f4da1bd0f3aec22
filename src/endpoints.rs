//! The four Zhenzi calls and where each is posted on each route (docs/zhenzi-api.md, "Hosts and routes").

/// The relay mini-programs post to: the individual host's name has an underscore, which
/// request-domain whitelists refuse, so the vendor offers this host and forwards to `apiUrl`.
pub const DEFAULT_RELAY_URL: &str = "https://smsdeveloper.zhenzikj.com";
/// The individual-developer API host; enterprise accounts use `https://sms.zhenzikj.com`.
pub const DEFAULT_API_URL: &str = "https://sms_developer.zhenzikj.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// send v1: free text.
    Send,
    /// send v2: an approved template with parameters.
    SendTemplate,
    Balance,
    FindSmsByMessageId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Straight to `apiUrl` (servers, cloud functions).
    Direct,
    /// Through the relay host, with `apiUrl` as one more field (mini-programs).
    Relay,
}

impl Op {
    pub fn from_name(name: &str) -> Option<Op> {
        Some(match name {
            "send" => Op::Send,
            "sendTemplate" => Op::SendTemplate,
            "balance" => Op::Balance,
            "findSmsByMessageId" => Op::FindSmsByMessageId,
            _ => return None,
        })
    }

    pub fn path(self, route: Route) -> &'static str {
        match (self, route) {
            (Op::Send, Route::Direct) => "/sms/send.do",
            (Op::Send, Route::Relay) => "/sms/send.html",
            (Op::SendTemplate, Route::Direct) => "/sms/v2/send.do",
            (Op::SendTemplate, Route::Relay) => "/sms/v2/send.html",
            (Op::Balance, Route::Direct) => "/account/balance.do",
            (Op::Balance, Route::Relay) => "/sms/balance.html",
            (Op::FindSmsByMessageId, Route::Direct) => "/smslog/findSmsByMessageId.do",
            (Op::FindSmsByMessageId, Route::Relay) => "/sms/findSmsByMessageId.html",
        }
    }
}

impl Route {
    pub fn from_name(name: &str) -> Option<Route> {
        match name {
            "direct" => Some(Route::Direct),
            "relay" => Some(Route::Relay),
            _ => None,
        }
    }
}

/// Hosts plain `http://` may be used with (tests, the local sandbox): `localhost`, `::1` and
/// IPv4 literals in 127.0.0.0/8. A name that merely starts with `127.` (`127.evil.example`)
/// is a public host and is refused.
pub fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "::1" {
        return true;
    }
    let Some(rest) = host.strip_prefix("127.") else {
        return false;
    };
    // Three more dot-separated numbers of 1–3 digits, each ≤ 255 (a byte loop: small in wasm).
    let (mut parts, mut value, mut digits) = (0, 0u32, 0);
    for b in rest.bytes().chain(Some(b'.')) {
        match b {
            b'0'..=b'9' if digits < 3 => {
                value = value * 10 + u32::from(b - b'0');
                digits += 1;
            }
            b'.' if digits > 0 && value <= 255 => {
                parts += 1;
                (value, digits) = (0, 0);
            }
            _ => return false,
        }
    }
    parts == 3
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn loopback_is_127_slash_8_literals_localhost_and_ipv6_one() {
        for ok in [
            "127.0.0.1",
            "127.1.2.3",
            "127.255.255.255",
            "localhost",
            "::1",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
        for bad in [
            "127.evil.example",
            "127.0.0.1.evil.example",
            "127.0.0",
            "127.0.0.256",
            "127.0.0.1a",
            "127..0.1",
            "128.0.0.1",
            "localhost.evil.example",
            "0:0:0:0:0:0:0:1x",
            "",
        ] {
            assert!(!is_loopback(bad), "{bad}");
        }
    }
}
