//! Tencent Cloud SMS, SendSms of API version 2021-01-11 (docs/tencent-api.md): the signed
//! request, the reply, and every Tencent error code mapped onto a row of the one table
//! (`errors::TENCENT_TABLE`). Sans-IO: the host sends the request and hands back the reply;
//! the clock and the signing-key cache are arguments. Reached only through src/api.rs's
//! `tencent_*` functions (feature `server`), so the phone's module carries none of it.

use crate::errors::{self as e, Entry, Error, BAD_REPLY, CONFIG, HTTP_STATUS, PARAM_FORMAT};
use crate::json::{self, int_text, Json};
use crate::tc3::{self, Signing};
use crate::validate;

pub const VERSION: &str = "2021-01-11";
pub const ACTION: &str = "SendSms";
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
pub const DEFAULT_ENDPOINT: &str = "https://sms.tencentcloudapi.com";
pub const DEFAULT_REGION: &str = "ap-guangzhou";
/// The scope's service is always `sms`, whatever host an endpoint override names.
const SERVICE: &str = "sms";
const MAX_NUMBERS: usize = 200;
const MAX_SESSION_CONTEXT: usize = 511;
/// Verification-code templates take 0–6 pure digits per variable.
pub const MAX_CODE_DIGITS: usize = 6;
/// Tencent sends one message per number every 30 s (LimitExceeded.PhoneNumberThirtySecondLimit).
const MIN_COOLDOWN_SECONDS: u64 = 30;
const MAX_REPLY_BYTES: usize = 1 << 20;

/// Credentials and the SMS application. `Debug` hides the key and the token.
#[derive(Clone, PartialEq)]
pub struct Config {
    pub secret_id: String,
    pub secret_key: String,
    pub session_token: String,
    pub sdk_app_id: String,
    pub sign_name: String,
    pub region: String,
    /// `https://host[:port]` (plain http only for loopback), no path.
    pub endpoint: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("tencent::Config")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"***")
            .field("session_token", &"***")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("sign_name", &self.sign_name)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// A string, or a number as written (ids are often held as numbers).
fn text(v: &Json, key: &str) -> String {
    match v.get(key) {
        Some(Json::Str(s)) => s.trim().to_string(),
        Some(Json::Num(t)) => t.clone(),
        _ => String::new(),
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A credential that travels in a header (the SecretId in Authorization, the session token as
/// X-TC-Token): printable ASCII only, as Tencent issues them. Anything else would be refused by
/// the host's HTTP stack after the request was built, so it is refused here, by name (9001).
fn header_credential(raw: &str, what: &'static str) -> Result<String, Error> {
    let value = validate::credential(raw, what)?;
    if !value.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(Error::new(
            CONFIG,
            [what, " must be printable ASCII (it is sent in a header)"].concat(),
        )
        .at(what, "malformed"));
    }
    Ok(value)
}

// One field each: its value, or why it is wrong (`field` and `problem` named, for hosts that
// name their own setting). `Config::from_json` stops at the first; `setup_problems` lists all.

fn sdk_app_id(v: &Json) -> Result<String, Error> {
    let id = text(v, "sdkAppId");
    if id.is_empty() {
        return Err(Error::new(
            CONFIG,
            "sdkAppId is not set: the SmsSdkAppId from the SMS console (digits, e.g. 1400006666)",
        )
        .at("sdkAppId", "missing"));
    }
    if !digits(&id) {
        return Err(Error::new(
            CONFIG,
            "sdkAppId must be the SmsSdkAppId's digits (e.g. 1400006666)",
        )
        .at("sdkAppId", "malformed"));
    }
    Ok(id)
}

/// The signature's text. A number is its ID, which Tencent refuses (9324): refused here.
fn sign_name(v: &Json) -> Result<String, Error> {
    let name = text(v, "signName");
    if digits(&name) {
        return Err(Error::new(
            e::TC_SIGN,
            "signName is a number (an ID): it must be the approved signature's text (签名内容)",
        )
        .at("signName", "numeric"));
    }
    Ok(name)
}

fn region(v: &Json) -> Result<String, Error> {
    match text(v, "region") {
        r if r.is_empty() => Ok(DEFAULT_REGION.to_string()),
        r if r
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
        {
            Ok(r)
        }
        _ => {
            Err(Error::new(CONFIG, "region must look like ap-guangzhou").at("region", "malformed"))
        }
    }
}

fn endpoint(v: &Json) -> Result<String, Error> {
    let endpoint = match text(v, "endpoint") {
        s if s.is_empty() => DEFAULT_ENDPOINT.to_string(),
        s => validate::base_url(&s, "endpoint")?,
    };
    if endpoint
        .split_once("://")
        .is_some_and(|(_, rest)| rest.contains('/'))
    {
        return Err(Error::new(
            CONFIG,
            "endpoint must be scheme://host[:port], without a path",
        )
        .at("endpoint", "malformed"));
    }
    Ok(endpoint)
}

fn secret_id(v: &Json) -> Result<String, Error> {
    header_credential(v.str_field("secretId").unwrap_or(""), "secretId")
}

fn secret_key(v: &Json) -> Result<String, Error> {
    validate::credential(v.str_field("secretKey").unwrap_or(""), "secretKey")
}

/// Optional: '' when absent (permanent keys need none).
fn session_token(v: &Json) -> Result<String, Error> {
    match v.str_field("sessionToken").unwrap_or("") {
        t if t.trim().is_empty() => Ok(String::new()),
        t => header_credential(t, "sessionToken"),
    }
}

/// A template's ID: its digits (9325 otherwise, as Tencent would answer).
fn template_id(v: &Json) -> Result<String, Error> {
    let id = text(v, "templateId");
    if !digits(&id) {
        let problem = if id.is_empty() {
            "missing"
        } else {
            "malformed"
        };
        return Err(
            Error::new(e::TC_TEMPLATE, "templateId must be the template's digits")
                .at("templateId", problem),
        );
    }
    Ok(id)
}

impl Config {
    /// `{secretId, secretKey, sessionToken?, sdkAppId, signName?, region?, endpoint?}`.
    pub fn from_json(v: &Json) -> Result<Config, Error> {
        let sdk_app_id = sdk_app_id(v)?;
        let sign_name = sign_name(v)?;
        let region = region(v)?;
        let endpoint = endpoint(v)?;
        Ok(Config {
            secret_id: secret_id(v)?,
            secret_key: secret_key(v)?,
            session_token: session_token(v)?,
            sdk_app_id,
            sign_name,
            region,
            endpoint,
        })
    }

    /// The Host header: the endpoint's authority, as signed.
    pub fn host(&self) -> &str {
        self.endpoint.split_once("://").map_or("", |(_, h)| h)
    }
}

/// What a cloud function that sends verification codes through Tencent needs, checked before
/// anything is sent: `{secretId, secretKey, sessionToken?, sdkAppId, signName, region?,
/// endpoint?, templateId, templateParamCount?, codeLength?, cooldownSeconds?}` (numbers as
/// numbers or their text) → every problem, in that order, each naming its `field` and
/// `problem`. Beyond `Config::from_json`: the sign name is required (codes go to mainland
/// numbers), the template takes 1 variable (the code) or 2 (the code, the minutes), a code
/// fits a verification template's variable (≤ 6 digits), and resends wait at least Tencent's
/// 30 s. A `codeLength` or `cooldownSeconds` that is not a number is left to the host's own
/// range check.
pub fn setup_problems(v: &Json) -> Vec<Error> {
    let required_sign = || match sign_name(v)? {
        s if s.is_empty() => Err(Error::new(
            CONFIG,
            "signName is not set: the approved signature's text, e.g. 腾讯云",
        )
        .at("signName", "missing")),
        s => Ok(s),
    };
    let param_count = || match text(v, "templateParamCount").as_str() {
        "" | "1" | "2" => Ok(()),
        _ => Err(Error::new(
            CONFIG,
            "templateParamCount must be 1 (the code) or 2 (the code and the minutes)",
        )
        .at("templateParamCount", "malformed")),
    };
    // A whole number as the variables write it (digits only): no float parser, which would add
    // some 25 KB to the server module.
    let number = |key| {
        let t = text(v, key);
        let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| {
            t.bytes().fold(0u64, |n, b| {
                n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
            })
        })
    };
    let code_length = || match number("codeLength") {
        Some(n) if n > MAX_CODE_DIGITS as u64 => Err(Error::new(
            e::TC_PARAM_FORMAT,
            [
                "codeLength ",
                &text(v, "codeLength"),
                " cannot work with Tencent: verification templates take at most 6 digits per \
                 variable (InvalidParameterValue.TemplateParameterFormatError); use 4-6",
            ]
            .concat(),
        )
        .at("codeLength", "too_long")),
        _ => Ok(()),
    };
    let cooldown = || match number("cooldownSeconds") {
        Some(s) if s < MIN_COOLDOWN_SECONDS => Err(Error::new(
            CONFIG,
            [
                "cooldownSeconds ",
                &text(v, "cooldownSeconds"),
                " is below Tencent's one message per number every 30 s \
                 (LimitExceeded.PhoneNumberThirtySecondLimit); use 30 or more",
            ]
            .concat(),
        )
        .at("cooldownSeconds", "too_short")),
        _ => Ok(()),
    };
    [
        sdk_app_id(v).err(),
        required_sign().err(),
        template_id(v).err(),
        param_count().err(),
        secret_id(v).err(),
        secret_key(v).err(),
        session_token(v).err(),
        region(v).err(),
        endpoint(v).err(),
        code_length().err(),
        cooldown().err(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A phone number in E.164: an 11-digit mainland number gets `+86`; `+<country><number>`
/// is kept (8–15 digits); a `+86` number must be a mainland mobile number.
pub fn e164(raw: &str) -> Result<String, Error> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = |why: &str| Err(Error::new(PARAM_FORMAT, ["number ", why].concat()));
    match s.strip_prefix('+') {
        Some(rest) if rest.starts_with("86") => {
            crate::number::normalise(&rest[2..]).map(|n| ["+86", &n].concat())
        }
        Some(rest) => {
            if digits(rest) && (8..=15).contains(&rest.len()) && !rest.starts_with('0') {
                Ok(s)
            } else {
                bad("must be E.164: + then 8-15 digits (e.g. +8613800138000)")
            }
        }
        None if s.is_empty() => bad("is empty"),
        None => crate::number::normalise(&s).map(|n| ["+86", &n].concat()),
    }
}

/// One SendSms call. `template_param_count` (when known) and `verification` (a verification
/// template: every variable 0–6 digits) are checked here, before anything is spent.
#[derive(Debug, Clone, PartialEq)]
pub struct Send {
    pub numbers: Vec<String>,
    pub template_id: String,
    pub params: Vec<String>,
    pub session_context: String,
}

impl Send {
    /// `{number | numbers, templateId, templateParams?, sessionContext?, templateParamCount?,
    /// verification?}`.
    pub fn from_json(v: &Json) -> Result<Send, Error> {
        let raw: Vec<&Json> = match (v.get("numbers"), v.get("number")) {
            (Some(Json::Arr(items)), _) => items.iter().collect(),
            (_, Some(n @ (Json::Str(_) | Json::Num(_)))) => vec![n],
            _ => vec![],
        };
        if raw.is_empty() {
            return Err(Error::new(e::TC_NO_NUMBER, "give number or numbers"));
        }
        if raw.len() > MAX_NUMBERS {
            return Err(Error::new(
                PARAM_FORMAT,
                [
                    "at most ",
                    &int_text(MAX_NUMBERS as i64),
                    " numbers per call",
                ]
                .concat(),
            ));
        }
        let numbers = raw
            .iter()
            .map(|n| match n {
                Json::Str(s) => e164(s),
                Json::Num(t) => e164(t),
                _ => Err(Error::new(PARAM_FORMAT, "numbers must be strings")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let domestic = numbers.iter().filter(|n| n.starts_with("+86")).count();
        if domestic != 0 && domestic != numbers.len() {
            return Err(Error::new(
                PARAM_FORMAT,
                "one call sends to mainland numbers only or to international numbers only",
            ));
        }
        let template_id = template_id(v)?;
        let params = match v.get("templateParams") {
            None | Some(Json::Null) => vec![],
            Some(Json::Arr(items)) => items
                .iter()
                .map(|p| match p {
                    Json::Str(s) => Ok(s.clone()),
                    Json::Num(t) => Ok(t.clone()),
                    _ => Err(Error::new(PARAM_FORMAT, "templateParams must be strings")),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(Error::new(PARAM_FORMAT, "templateParams must be an array")),
        };
        if let Some(n) = v.get("templateParamCount").and_then(Json::as_f64) {
            if n != params.len() as f64 {
                return Err(Error::new(
                    e::TC_PARAM_COUNT,
                    [
                        "the template has ",
                        &int_text(n as i64),
                        " variables; ",
                        &int_text(params.len() as i64),
                        " given",
                    ]
                    .concat(),
                ));
            }
        }
        if v.get("verification") == Some(&Json::Bool(true)) {
            if let Some(i) = params
                .iter()
                .position(|p| p.len() > MAX_CODE_DIGITS || !p.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(Error::new(
                    e::TC_PARAM_FORMAT,
                    [
                        "templateParams[",
                        &int_text(i as i64),
                        "] must be 0-6 digits for a verification template",
                    ]
                    .concat(),
                ));
            }
        }
        let session_context = v.str_field("sessionContext").unwrap_or("").to_string();
        if session_context.len() > MAX_SESSION_CONTEXT {
            return Err(Error::new(
                PARAM_FORMAT,
                "sessionContext must be under 512 bytes",
            ));
        }
        Ok(Send {
            numbers,
            template_id,
            params,
            session_context,
        })
    }

    /// The JSON body, compact, fields in the documented order.
    pub fn body(&self, config: &Config) -> String {
        let strings = |v: &[String]| Json::Arr(v.iter().map(|s| Json::str(s.clone())).collect());
        let mut fields = vec![
            ("PhoneNumberSet", strings(&self.numbers)),
            ("SmsSdkAppId", Json::str(config.sdk_app_id.clone())),
            ("TemplateId", Json::str(self.template_id.clone())),
        ];
        if !config.sign_name.is_empty() {
            fields.push(("SignName", Json::str(config.sign_name.clone())));
        }
        fields.push(("TemplateParamSet", strings(&self.params)));
        if !self.session_context.is_empty() {
            fields.push(("SessionContext", Json::str(self.session_context.clone())));
        }
        Json::obj(fields).text()
    }
}

/// `{url, method, header, body}` for `send`, signed at `timestamp` (Unix seconds) with a
/// signing key from `keys`.
pub fn build(
    config: &Config,
    send: &Send,
    timestamp: u64,
    keys: &mut tc3::KeyCache,
) -> Result<Json, Error> {
    if config.sign_name.is_empty() && send.numbers[0].starts_with("+86") {
        return Err(Error::new(
            e::TC_SIGN,
            "signName is required for mainland numbers",
        ));
    }
    let body = send.body(config);
    let signing = Signing {
        service: SERVICE,
        host: config.host(),
        action: ACTION,
        content_type: CONTENT_TYPE,
        timestamp,
        body: body.as_bytes(),
        sign_action: false,
    };
    let mut header = vec![
        (
            "Authorization",
            Json::str(tc3::authorization(
                &config.secret_id,
                &config.secret_key,
                &signing,
                keys,
            )),
        ),
        ("Content-Type", Json::str(CONTENT_TYPE)),
        ("Host", Json::str(config.host())),
        ("X-TC-Action", Json::str(ACTION)),
        ("X-TC-Timestamp", Json::str(int_text(timestamp as i64))),
        ("X-TC-Version", Json::str(VERSION)),
        ("X-TC-Region", Json::str(config.region.clone())),
    ];
    if !config.session_token.is_empty() {
        header.push(("X-TC-Token", Json::str(config.session_token.clone())));
    }
    Ok(Json::obj(vec![
        ("url", Json::str([config.endpoint.as_str(), "/"].concat())),
        ("method", Json::str("POST")),
        ("header", Json::obj(header)),
        ("body", Json::str(body)),
    ]))
}

/// The row for one of Tencent's error codes (spellings as Tencent has them, typos included).
pub fn row_for(code: &str) -> &'static Entry {
    match code {
        "AuthFailure.SignatureFailure"
        | "AuthFailure.InvalidAuthorization"
        | "AuthFailure.SecretIdNotFound"
        | "AuthFailure.InvalidSecretId" => e::TC_KEY,
        "AuthFailure.SignatureExpire" => e::TC_CLOCK,
        "AuthFailure.TokenFailure" => e::TC_TOKEN,
        "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
        | "AuthFailure.UnauthorizedOperation"
        | "InvalidParameterValue.SdkAppIdNotExist" => e::TC_APP,
        "FailedOperation.InsufficientBalanceInSmsPackage" => e::TC_BALANCE,
        "UnauthorizedOperation.SerivceSuspendDueToArrears" => e::TC_ARREARS,
        "UnauthorizedOperation.SdkAppIdIsDisabled" => e::TC_APP_DISABLED,
        "UnauthorizedOperation.RequestIpNotInWhitelist" => e::TC_IP,
        "InvalidParameterValue.IncorrectPhoneNumber" => e::TC_NUMBER,
        "InvalidParameterValue.TemplateParameterFormatError" => e::TC_PARAM_FORMAT,
        "InvalidParameterValue.TemplateParameterLengthLimit" => e::TC_PARAM_LENGTH,
        "InvalidParameterValue.ContentLengthLimit" => e::TC_CONTENT_LENGTH,
        "FailedOperation.SignatureIncorrectOrUnapproved" => e::TC_SIGN,
        "FailedOperation.TemplateIncorrectOrUnapproved" => e::TC_TEMPLATE,
        "FailedOperation.TemplateParamSetNotMatchApprovedTemplate" => e::TC_PARAM_COUNT,
        "MissingParameter.EmptyPhoneNumberSet" => e::TC_NO_NUMBER,
        "FailedOperation.PhoneNumberInBlacklist" => e::TC_BLACKLIST,
        "FailedOperation.ContainSensitiveWord" => e::TC_SENSITIVE,
        "LimitExceeded.PhoneNumberThirtySecondLimit" => e::TC_LIMIT_30S,
        "LimitExceeded.PhoneNumberOneHourLimit" => e::TC_LIMIT_HOUR,
        "LimitExceeded.PhoneNumberDailyLimit" => e::TC_LIMIT_DAY,
        "LimitExceeded.PhoneNumberSameContentDailyLimit" => e::TC_LIMIT_SAME,
        "LimitExceeded.DeliveryFrequencyLimit" => e::TC_LIMIT_RATE,
        "LimitExceeded.AppDailyLimit" => e::TC_LIMIT_APP,
        "RequestLimitExceeded" => e::TC_API_RATE,
        "InternalError.RequestTimeException" => e::TC_CLOCK_FAR,
        c if c.starts_with("InternalError") => e::TC_INTERNAL,
        _ => e::TC_UNKNOWN,
    }
}

/// An error from Tencent's `{Code, Message}`: the row, with `Code: Message` as detail.
pub fn error_for(code: &str, message: &str) -> Error {
    Error::new(row_for(code), [code, ": ", message].concat())
}

fn bad_reply(why: &str) -> Error {
    Error::new(BAD_REPLY, why)
}

/// The reply to SendSms: `{requestId, statuses: [{number, ok, code, message, serialNo, fee,
/// sessionContext, isoCode, err?}]}` where a number Tencent refused carries `err` (a table
/// entry); a refused request is `Err`.
pub fn parse(status: u16, body: &str) -> Result<Json, Error> {
    if status != 200 {
        return Err(Error::new(
            HTTP_STATUS,
            ["HTTP ", &int_text(status.into())].concat(),
        ));
    }
    if body.len() > MAX_REPLY_BYTES {
        return Err(bad_reply("the reply is over 1 MB"));
    }
    let value = json::parse(body)
        .map_err(|p| bad_reply(["the reply is not JSON: ", p.as_str()].concat().as_str()))?;
    let response = value
        .get("Response")
        .ok_or_else(|| bad_reply("the reply has no 'Response'"))?;
    let request_id = response.str_field("RequestId").unwrap_or("");
    if let Some(err) = response.get("Error") {
        let mut e = error_for(
            err.str_field("Code").unwrap_or(""),
            err.str_field("Message").unwrap_or(""),
        );
        if !request_id.is_empty() {
            e.detail = [e.detail.as_str(), " (RequestId ", request_id, ")"].concat();
        }
        return Err(e);
    }
    let Some(Json::Arr(set)) = response.get("SendStatusSet") else {
        return Err(bad_reply(
            "the reply has neither 'Error' nor 'SendStatusSet'",
        ));
    };
    let statuses = set
        .iter()
        .map(|s| {
            let code = s.str_field("Code").unwrap_or("");
            let message = s.str_field("Message").unwrap_or("");
            let field = |k| Json::str(s.str_field(k).unwrap_or(""));
            let mut out = vec![
                ("number", field("PhoneNumber")),
                ("ok", Json::Bool(code == "Ok")),
                ("code", Json::str(code)),
                ("message", Json::str(message)),
                ("serialNo", field("SerialNo")),
                ("fee", s.get("Fee").cloned().unwrap_or(Json::Null)),
                ("sessionContext", field("SessionContext")),
                ("isoCode", field("IsoCode")),
            ];
            if code != "Ok" {
                out.push(("err", error_for(code, message).to_json()));
            }
            Json::obj(out)
        })
        .collect();
    Ok(Json::obj(vec![
        ("requestId", Json::str(request_id)),
        ("statuses", Json::Arr(statuses)),
    ]))
}

#[cfg(test)]
mod tests;
