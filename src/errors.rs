//! The one error table: every code a caller can meet, from the server or from this SDK.
//!
//! Server codes are the vendor's (docs/zhenzi-api.md, "Error codes"). SDK-side codes reuse 100/101 where the
//! meaning is the same (a malformed number, a message that is too long), so existing
//! `res.data.code == 100` handlers keep working; everything else the SDK adds lives in the
//! 9000s, where the vendor has never used a code.

use crate::json::Json;

/// What sort of failure an entry is: callers branch on it (`err.kind` in JS) rather than on codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// The caller's input was refused (before a request, or by the server).
    Input,
    /// The SDK or the cloud function is not configured correctly.
    Config,
    /// Credentials, app or IP whitelist refused.
    Auth,
    /// The account cannot send (balance, arrears, disabled).
    Account,
    /// A sending limit of the provider was reached.
    Limit,
    /// The provider failed, or answered a code this SDK does not know.
    Server,
    /// The request did not complete on the network.
    Network,
    /// No reply in time.
    Timeout,
    /// An HTTP status other than 200.
    Http,
    /// A reply that is not what the API returns.
    Reply,
    /// The WebAssembly module is not loaded.
    Load,
    /// Calling the cloud function failed.
    Cloud,
    /// The SDK's own resend cooldown.
    Cooldown,
}

impl Kind {
    /// Every kind, in the order the typings list them.
    pub const ALL: [Kind; 13] = [
        Kind::Input,
        Kind::Config,
        Kind::Auth,
        Kind::Account,
        Kind::Limit,
        Kind::Server,
        Kind::Network,
        Kind::Timeout,
        Kind::Http,
        Kind::Reply,
        Kind::Load,
        Kind::Cloud,
        Kind::Cooldown,
    ];

    /// The word JS sees as `err.kind` (indexed by the variant: smaller than a match in wasm).
    #[inline(never)]
    pub fn as_str(self) -> &'static str {
        const WORDS: [&str; 13] = [
            "input", "config", "auth", "account", "limit", "server", "network", "timeout", "http",
            "reply", "load", "cloud", "cooldown",
        ];
        WORDS[self as usize]
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: i32,
    pub kind: Kind,
    /// 原因, shown to users in Chinese.
    pub reason: &'static str,
    /// The same in English, for logs and developers.
    pub message: &'static str,
    /// 解决办法: what the developer or user should do.
    pub solution: &'static str,
    /// Whether repeating the same call later can succeed.
    pub retriable: bool,
}

macro_rules! table {
    ($table:ident; $($name:ident = $code:literal, $kind:ident, $retriable:literal, $reason:literal, $message:literal, $solution:literal;)*) => {
        $(pub const $name: &Entry = &Entry {
            code: $code, kind: Kind::$kind, reason: $reason, message: $message,
            solution: $solution, retriable: $retriable,
        };)*
        /// Every entry, in code order.
        pub const $table: &[&Entry] = &[$($name),*];
    };
}

table! {
    TABLE;
    PARAM_FORMAT = 100, Input, false, "参数格式错误",
        "a parameter is empty or malformed (e.g. the phone number)",
        "检查参数：手机号须为11位中国大陆手机号，必填参数不能为空";
    CONTENT_TOO_LONG = 101, Input, false, "短信内容超过1000字",
        "the message is longer than 1000 characters",
        "缩短短信内容或分多条发送";
    APP_ID = 105, Auth, false, "appId错误或应用不存在",
        "wrong appId, or the app does not exist",
        "核对榛子云控制台中的 appId";
    APP_BANNED = 106, Auth, false, "应用被禁止",
        "the app has been disabled by the vendor",
        "联系榛子云客服";
    IP = 107, Auth, false, "ip错误",
        "the caller's IP is not on the app's IP whitelist",
        "在榛子云控制台把调用方 IP 加入白名单，或关闭 IP 白名单";
    BALANCE = 108, Account, false, "短信余额不足",
        "no messages left on the account",
        "在榛子云控制台充值";
    DAILY_LIMIT = 109, Limit, false, "今日发送超过限额",
        "this number reached its daily sending cap",
        "明天再试，或在控制台调整每日限额";
    APP_SECRET = 110, Auth, false, "应用秘钥(AppSecret)错误",
        "wrong appSecret, or it was reset",
        "核对 appSecret；若已重置，请更新配置";
    ACCOUNT = 111, Auth, false, "账号不存在",
        "the account does not exist",
        "核对账号，或联系榛子云客服";
    TEMPLATE = 117, Input, false, "templateId错误，或者模板未审核",
        "unknown template, or the template is not approved yet",
        "核对 templateId，并确认模板已审核通过";
    SERVER = 1000, Server, true, "系统位置错误",
        "the vendor's system failed",
        "稍后重试；持续出现请联系榛子云客服";
    CONFIG = 9001, Config, false, "SDK 配置错误",
        "the SDK is not configured correctly (apiUrl, appId or appSecret)",
        "检查 init() 的参数：apiUrl 须为 https:// 地址，appId、appSecret 不能为空";
    NETWORK = 9100, Network, true, "网络错误，请求未完成",
        "the request failed on the network (connection refused, reset or dropped)",
        "检查网络与合法域名配置后重试";
    TIMEOUT = 9101, Timeout, true, "请求超时",
        "no reply arrived in time",
        "稍后重试；发送类请求重试前可用 messageId 查询是否已发出";
    HTTP_STATUS = 9102, Http, true, "服务器返回了异常的 HTTP 状态",
        "the server answered with an HTTP status other than 200",
        "稍后重试；持续出现请检查 apiUrl 或中转地址";
    BAD_REPLY = 9103, Reply, true, "无法识别服务器的回复",
        "the reply is not the JSON the API returns",
        "检查 apiUrl 是否指向榛子云接口，或稍后重试";
    NOT_LOADED = 9104, Load, false, "SDK 未就绪（WebAssembly 未加载或加载失败）",
        "the WebAssembly module is not loaded, or failed to load",
        "基础库须 ≥ 2.14.0；把 zhenzisms_bg.wasm.br 放在 zhenzisms.js 旁（uni-app 放 static/），或 client.configure({wasmPath})";
    CLOUD = 9105, Cloud, true, "云函数调用失败",
        "calling the cloud function failed",
        "确认云函数已上传部署、环境 ID 正确，并查看云函数日志";
    COOLDOWN = 9201, Cooldown, true, "发送过于频繁，请稍后再试",
        "a code was sent to this number too recently",
        "等待倒计时结束后再发送";
    CODE_DAILY_CAP = 9202, Limit, false, "今日验证码发送次数已达上限",
        "this number reached the SDK's daily verification-code cap",
        "明天再试，或调整 dailyCap 配置";
    UNKNOWN_SERVER = 9999, Server, false, "未知错误",
        "the server answered with a code this SDK does not know",
        "查看 detail 中服务器的原文，或联系榛子云客服";
}

// Tencent Cloud SMS (src/tencent.rs): 93xx, with Tencent's own code in `detail`. A send is
// retriable only where Tencent refused it before anything could go out. A table of its own so
// that only the server wasm (feature `server`) carries these strings: `lookup` and `all` add
// them there, and the mini-program's module stays within its budget.
table! {
    TENCENT_TABLE;
    TC_KEY = 9301, Auth, false, "腾讯云密钥错误（SecretId/SecretKey 不匹配或不存在）",
        "Tencent Cloud refused the key pair: wrong SecretId/SecretKey, or the key was deleted",
        "在腾讯云访问管理（CAM）核对 SecretId 与 SecretKey（首尾的空格和换行 SDK 会自动去掉，不是原因）";
    TC_CLOCK = 9302, Auth, false, "签名已过期：服务器时间与腾讯云相差超过 5 分钟",
        "the signature's timestamp is more than 5 minutes off Tencent Cloud's clock",
        "校准服务器时钟（NTP）后重试";
    TC_TOKEN = 9303, Auth, false, "临时密钥的 Token 无效或已过期",
        "the temporary credentials' session token is invalid or expired",
        "临时密钥须与 SessionToken 一起使用；过期后重新获取（云函数每次调用读取运行时注入的新密钥）";
    TC_APP = 9304, Auth, false, "SdkAppId 不属于该密钥所在账号",
        "the SmsSdkAppId does not belong to the account of these credentials",
        "核对短信控制台的 SdkAppId，并确认密钥属于同一账号且有 sms:SendSms 权限";
    TC_BALANCE = 9310, Account, false, "短信套餐包余量不足",
        "the account's SMS package is used up",
        "在腾讯云短信控制台购买套餐包";
    TC_ARREARS = 9311, Account, false, "账号欠费，服务已暂停",
        "the service is suspended because the account is in arrears",
        "为腾讯云账号充值后重试";
    TC_APP_DISABLED = 9312, Account, false, "SdkAppId 已被禁用",
        "the SmsSdkAppId is disabled",
        "在短信控制台检查应用状态，或联系腾讯云客服";
    TC_IP = 9313, Auth, false, "请求 IP 不在白名单",
        "the caller's IP is not on the SMS application's IP whitelist",
        "在短信控制台把云函数或服务器的出口 IP 加入白名单，或关闭 IP 白名单";
    TC_NUMBER = 9320, Input, false, "手机号格式错误",
        "Tencent Cloud refused a phone number as malformed",
        "号码须为 E.164 格式，如 +8613800138000";
    TC_PARAM_FORMAT = 9321, Input, false, "模板变量格式错误：验证码模板变量须为 0–6 位纯数字",
        "a template variable is not what the template allows (verification templates: 0-6 digits)",
        "验证码位数设为 ≤ 6；其他变量按模板类型的要求填写";
    TC_PARAM_LENGTH = 9322, Input, false, "模板变量过长",
        "a template variable is longer than the account type allows",
        "缩短变量内容（个人认证账号每个变量 ≤ 12 个字）";
    TC_CONTENT_LENGTH = 9323, Input, false, "短信内容过长",
        "the filled-in message is too long",
        "缩短模板或变量内容";
    TC_SIGN = 9324, Input, false, "短信签名错误或未审核通过",
        "the SignName is wrong or not approved",
        "SignName 填签名的文字内容（不是签名 ID），且须已审核通过";
    TC_TEMPLATE = 9325, Input, false, "模板 ID 错误或模板未审核通过",
        "the template ID is wrong or the template is not approved",
        "核对短信控制台的模板 ID，并确认模板已审核通过";
    TC_PARAM_COUNT = 9326, Input, false, "模板变量个数与模板不符",
        "the number of template variables does not match the approved template",
        "按模板中的 {1}{2}… 个数传 TemplateParamSet";
    TC_NO_NUMBER = 9327, Input, false, "未提供手机号",
        "no phone number was given",
        "至少提供一个手机号（单次最多 200 个）";
    TC_BLACKLIST = 9328, Input, false, "号码在黑名单中（用户退订或投诉）",
        "the number is on the blacklist (the user unsubscribed or complained)",
        "该号码无法接收，请用户换号或联系腾讯云客服";
    TC_SENSITIVE = 9329, Input, false, "内容含敏感词",
        "the message contains a sensitive word",
        "修改模板或变量内容";
    TC_LIMIT_30S = 9330, Limit, false, "同一号码 30 秒内只能发送一条",
        "Tencent Cloud allows one message per number every 30 seconds",
        "30 秒后再试；把 SDK 的冷却时间设为 ≥ 30 秒";
    TC_LIMIT_HOUR = 9331, Limit, false, "同一号码 1 小时内发送次数超过限制",
        "this number reached Tencent Cloud's hourly limit",
        "稍后再试，或在短信控制台调整频率限制";
    TC_LIMIT_DAY = 9332, Limit, false, "同一号码当日发送次数超过限制",
        "this number reached Tencent Cloud's daily limit",
        "明天再试，或在短信控制台调整频率限制";
    TC_LIMIT_SAME = 9333, Limit, false, "同一号码当日相同内容发送次数超过限制",
        "this number reached Tencent Cloud's daily limit for the same content",
        "明天再试；验证码每次不同时不会触发";
    TC_LIMIT_RATE = 9334, Limit, false, "发送频率超过限制",
        "the delivery frequency limit was exceeded",
        "降低发送频率，或在短信控制台调整频率限制";
    TC_LIMIT_APP = 9335, Limit, false, "应用当日发送量超过限制",
        "the application reached its daily sending limit",
        "明天再试，或在短信控制台调整应用的日发送上限";
    TC_API_RATE = 9336, Limit, true, "接口请求频率超过限制（未发送）",
        "the API rate limit refused the request; nothing was sent",
        "稍后重试，并降低并发";
    TC_CLOCK_FAR = 9340, Server, false, "服务器时间与腾讯云相差超过 10 分钟",
        "Tencent Cloud refused the request time (the clock is more than 10 minutes off)",
        "校准服务器时钟（NTP）后重试";
    TC_INTERNAL = 9341, Server, false, "腾讯云内部错误（短信可能已发出）",
        "Tencent Cloud failed internally; the message may have gone out",
        "不要立即重发：稍后查询发送记录；持续出现请联系腾讯云客服";
    TC_UNKNOWN = 9342, Server, false, "腾讯云返回了未知错误码",
        "Tencent Cloud answered with a code this SDK does not know",
        "查看 detail 中的错误码与原文，并对照腾讯云短信错误码文档";
}

// WeChat's one-tap phone-number verification (手机号快速验证 / 实时验证, the cloud function's
// `phoneNumber` route): 94xx, WeChat's errcode (never its errmsg) in `detail`. Cloud-only, like
// Tencent's: only the server wasm carries these strings, so the phone's module does not grow.
table! {
    PHONE_TABLE;
    PHONE_CODE = 9401, Input, false, "手机号快速验证的 code 无效（已用过、已过期或伪造）",
        "the one-tap code is used, expired or forged (WeChat errcode 40029)",
        "让用户重新点击按钮，或改用短信验证码";
    PHONE_QUOTA = 9402, Limit, true, "微信手机号接口本分钟的调用额度已用完",
        "WeChat's per-minute quota of the phone-number API is used up (errcode 45011)",
        "一分钟后重试，或改用短信验证码";
    PHONE_BUSY = 9403, Server, true, "微信系统繁忙",
        "WeChat's server is busy (errcode -1)",
        "稍后重试，或改用短信验证码";
    PHONE_PERMISSION = 9404, Config, false, "云函数没有调用手机号接口的权限",
        "the cloud function may not call phonenumber.getPhoneNumber: its config.json does not list it (-604101)",
        "在云函数目录的 config.json 中写入 {\"permissions\": {\"openapi\": [\"phonenumber.getPhoneNumber\"]}}，再上传并部署";
    PHONE_ACCOUNT = 9405, Account, false, "这个小程序不能使用手机号快速验证",
        "this mini-program may not use phone-number verification (not certified, an individual account, or the permission was revoked)",
        "手机号快速验证只对已认证的非个人主体小程序开放；改用短信验证码";
    PHONE_OTHER_APP = 9406, Input, false, "手机号授权来自别的小程序",
        "the code's watermark names another mini-program than the caller's",
        "让用户在本小程序内重新点击按钮，或改用短信验证码";
    PHONE_STALE = 9407, Input, false, "手机号授权已过时",
        "the code's watermark time is more than 5 minutes old (or ahead of the function's clock)",
        "让用户重新点击按钮；持续出现时检查云函数所在环境的时间";
    PHONE_UNKNOWN = 9408, Server, false, "微信手机号接口返回了未知错误",
        "WeChat's phone-number API failed with an errcode this SDK does not know",
        "查看云函数日志中的 errcode；用户可改用短信验证码";
}

/// The entry for `code`, or `None` for codes nobody defined.
pub fn lookup(code: i32) -> Option<&'static Entry> {
    all().find(|e| e.code == code)
}

/// Every entry of the table this build carries: Zhenzi's and the SDK's in code order, then in
/// the server build (and native tests) Tencent's and the one-tap rows, each in code order. Two
/// bodies rather than a chain with an empty slice: that alone costs the mini-program's module
/// ~250 B of brotli.
#[cfg(any(feature = "server", test))]
pub fn all() -> impl Iterator<Item = &'static Entry> {
    TABLE
        .iter()
        .chain(TENCENT_TABLE)
        .chain(PHONE_TABLE)
        .copied()
}

#[cfg(not(any(feature = "server", test)))]
pub fn all() -> impl Iterator<Item = &'static Entry> {
    TABLE.iter().copied()
}

/// An error as it reaches callers: an entry of the table plus what happened this time.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub entry: &'static Entry,
    /// The code callers see: the entry's code, or the server's own for codes not in the table.
    pub code: i32,
    /// What exactly was wrong, in words a developer understands (never a secret).
    pub detail: String,
    /// For a configuration problem: which field of the configuration (`apiUrl`, `appSecret`…)
    /// and a reason code (`missing`, `not_https`, `malformed`, `control_characters`), so a
    /// host names its own setting for it without reading `detail`. The server module's only:
    /// the phone's configuration is the page's code, and its module keeps the bytes.
    #[cfg(any(feature = "server", test))]
    pub field: Option<(&'static str, &'static str)>,
}

impl Error {
    pub fn new(entry: &'static Entry, detail: impl Into<String>) -> Error {
        Error {
            entry,
            code: entry.code,
            detail: detail.into(),
            #[cfg(any(feature = "server", test))]
            field: None,
        }
    }

    /// The same error, saying which configuration field is wrong and how (see `field`). The
    /// server module's only: the phone's module keeps its bytes (its configuration is code).
    #[cfg(any(feature = "server", test))]
    pub fn at(mut self, field: &'static str, problem: &'static str) -> Error {
        self.field = Some((field, problem));
        self
    }

    #[cfg(not(any(feature = "server", test)))]
    #[inline(always)]
    pub fn at(self, _field: &'static str, _problem: &'static str) -> Error {
        self
    }

    /// A server reply with a non-zero code; unknown codes keep their number.
    pub fn from_server(code: i32, server_text: &str) -> Error {
        let entry = lookup(code)
            .filter(|k| k.code < 9000)
            .unwrap_or(UNKNOWN_SERVER);
        Error {
            entry,
            code,
            detail: server_text.to_string(),
            #[cfg(any(feature = "server", test))]
            field: None,
        }
    }

    pub fn to_json(&self) -> Json {
        let mut fields = vec![
            ("code", Json::num(self.code as f64)),
            ("kind", Json::str(self.entry.kind.as_str())),
            ("reason", Json::str(self.entry.reason)),
            ("message", Json::str(self.entry.message)),
            ("solution", Json::str(self.entry.solution)),
            ("retriable", Json::Bool(self.entry.retriable)),
        ];
        if !self.detail.is_empty() {
            fields.push(("detail", Json::str(self.detail.clone())));
        }
        #[cfg(any(feature = "server", test))]
        if let Some((field, problem)) = self.field {
            fields.push(("field", Json::str(field)));
            fields.push(("problem", Json::str(problem)));
        }
        Json::obj(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_code_is_in_the_table_with_its_vendor_reason() {
        let vendor = [
            (100, "参数格式错误"),
            (101, "短信内容超过1000字"),
            (105, "appId错误或应用不存在"),
            (106, "应用被禁止"),
            (107, "ip错误"),
            (108, "短信余额不足"),
            (109, "今日发送超过限额"),
            (110, "应用秘钥(AppSecret)错误"),
            (111, "账号不存在"),
            (117, "templateId错误，或者模板未审核"),
            (1000, "系统位置错误"),
        ];
        for (code, reason) in vendor {
            let e = lookup(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(e.reason, reason);
        }
    }

    #[test]
    fn codes_are_unique_and_sdk_codes_stay_out_of_the_vendor_range() {
        let table: Vec<&Entry> = all().collect();
        for part in [TABLE, TENCENT_TABLE, PHONE_TABLE] {
            assert!(part.windows(2).all(|w| w[0].code < w[1].code), "code order");
        }
        assert_eq!(
            table.len(),
            TABLE.len() + TENCENT_TABLE.len() + PHONE_TABLE.len()
        );
        for (i, a) in table.iter().enumerate() {
            for b in &table[i + 1..] {
                assert_ne!(a.code, b.code);
            }
            assert!(!a.reason.is_empty() && !a.message.is_empty() && !a.solution.is_empty());
            let vendor = a.code <= 1000;
            let sdk_only = matches!(
                a.kind,
                Kind::Config
                    | Kind::Network
                    | Kind::Timeout
                    | Kind::Http
                    | Kind::Reply
                    | Kind::Load
                    | Kind::Cloud
                    | Kind::Cooldown
            );
            assert!(
                !(vendor && sdk_only),
                "{} is SDK-side but in vendor range",
                a.code
            );
        }
    }

    #[test]
    fn unknown_server_codes_keep_their_number() {
        let e = Error::from_server(123, "新错误");
        assert_eq!(e.code, 123);
        assert_eq!(e.entry.kind, Kind::Server);
        let j = e.to_json();
        assert_eq!(j.get("code"), Some(&Json::num(123.0)));
        assert_eq!(j.str_field("detail"), Some("新错误"));
        // A server must not be able to impersonate an SDK-side error.
        assert_eq!(Error::from_server(9100, "x").entry, UNKNOWN_SERVER);
    }
}
